package dev.logfailover.internal.spill;

import dev.logfailover.SpillSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The spill's segment files in order, and the bytes they take: appending at the end (a new segment
 * when the last is full, sealed or absent), putting a segment between two at a stop, deleting the
 * first once sent. It knows nothing of what was read or sent; {@link SpillStore} does.
 *
 * <p>Not thread-safe: {@link SpillStore} calls it under its monitor.
 */
final class SegmentChain {
  private final Path directory;
  private final long maxBytes;
  private final long segmentBytes;
  private final boolean sync;
  private final LongSupplier clockMillis;
  private final SpillIo io;
  /** Oldest first; the last may be the one appended to. */
  private final List<SegmentFile> segments = new ArrayList<>();
  private long nextSequence = SegmentFile.FIRST_SEQUENCE;
  private long bytesOnDisk;

  SegmentChain(Path directory, SpillSettings settings, LongSupplier clockMillis, SpillIo io) {
    this.directory = directory;
    this.io = io;
    this.maxBytes = settings.maxSize();
    this.segmentBytes = Math.max(64L << 10, Math.min(16L << 20, settings.maxSize() / 16));
    this.sync = settings.sync() == SpillSettings.Sync.ALWAYS;
    this.clockMillis = clockMillis;
  }

  /**
   * Takes up the segments an earlier run left, checking each record from {@code checkpoint} on;
   * what a scan skipped goes to {@code damage}, and a segment left with no record is deleted.
   * Returns how many records the kept segments hold.
   */
  long recover(Checkpoint checkpoint, List<SpillStore.Damage> damage) throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.filter(SegmentNames::isSegment).sorted().toList();
    }
    long records = 0;
    for (Path file : files) {
      // Past every name there, whatever becomes of the file: a name left behind is never made again.
      nextSequence = Math.max(nextSequence, SegmentNames.sequenceOf(file) + SegmentFile.SEQUENCE_STEP);
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        // A link, FIFO or device in the spill is no segment of ours: opening it could mislead or hang.
        damage.add(new SpillStore.Damage(file, 0, "not a regular file: skipped"));
        continue;
      }
      SegmentFile segment = SegmentFile.openExisting(file, io);
      long from = segment.sequence() == checkpoint.sequence() ? checkpoint.offset() : SegmentFile.HEADER_BYTES;
      SegmentFile.Scan scan = segment.scan(from);
      if (from != SegmentFile.HEADER_BYTES && segment.start() == SegmentFile.HEADER_BYTES) {
        damage.add(new SpillStore.Damage(file, 0, "the checkpoint is not at a record's start: ignored, the "
            + "segment is sent whole again"));
      }
      if (scan.skippedBytes() > 0) {
        damage.add(new SpillStore.Damage(file, scan.skippedBytes(), scan.why()));
      }
      if (scan.records() == 0) {
        segment.delete();
        continue;
      }
      segments.add(segment);
      bytesOnDisk += segment.end();
      records += scan.records();
    }
    return records;
  }

  /**
   * Appends {@code records} in order, as many as fit under {@code maxSpillSize}; returns how many.
   *
   * @throws SpillWriteException when a write fails, saying how many records were written before it
   */
  int append(RecordBatch records) throws SpillWriteException {
    int appended = 0;
    try {
      while (appended < records.size()) {
        int fitting = appendToLast(records, appended);
        if (fitting == 0) {
          break; // The spill is full.
        }
        appended += fitting;
      }
      return appended;
    } catch (IOException e) {
      throw new SpillWriteException(appended, e); // Each segment's append is all or none.
    } catch (RuntimeException | Error e) {
      throw new SpillWriteException(appended, new IOException(e)); // The books must still say what was written.
    }
  }

  /**
   * Appends to the writable segment (a new one when there is none) the records from {@code from}
   * on that fit in it and in the spill; returns how many, 0 when the spill has no room for the next.
   */
  private int appendToLast(RecordBatch records, int from) throws IOException {
    while (true) {
      SegmentFile segment = writableSegment();
      int fitting = 0;
      long bytes = 0;
      for (int i = from; i < records.size(); i++) {
        long size = records.framedBytes(i);
        boolean roomInSpill = bytesOnDisk + bytes + size <= maxBytes;
        boolean roomInSegment = fitting == 0 || segment.end() + bytes + size <= segmentBytes;
        if (!roomInSpill || !roomInSegment) {
          break;
        }
        bytes += size;
        fitting++;
      }
      if (fitting == 0) {
        if (segment.end() > SegmentFile.HEADER_BYTES && bytesOnDisk + SegmentFile.HEADER_BYTES
            + records.framedBytes(from) <= maxBytes) {
          segment.sealForWriting();
          continue; // A new segment would take it.
        }
        return 0;
      }
      bytesOnDisk += segment.append(records, from, from + fitting, sync);
      if (segment.end() >= segmentBytes) {
        segment.sealForWriting();
      }
      return fitting;
    }
  }

  private SegmentFile writableSegment() throws IOException {
    SegmentFile last = last();
    if (last != null && (last.isWritable() || bytesOnDisk + SegmentFile.HEADER_BYTES > maxBytes)) {
      return last; // Writable, or no room for another: append() finds no room and stops.
    }
    long sequence = nextSequence;
    nextSequence += SegmentFile.SEQUENCE_STEP; // Even if the create fails: its name may be left behind.
    SegmentFile segment = SegmentFile.create(directory, sequence, sync, io);
    segments.add(segment);
    bytesOnDisk += segment.end();
    return segment;
  }

  /** The next record appended starts a new segment. */
  void sealLast() {
    SegmentFile last = last();
    if (last != null) {
      last.sealForWriting();
    }
  }

  /**
   * Writes {@code records} into a new segment right after {@code after} (before the first when
   * null), numbered between its neighbours; returns how many fit.
   */
  int insert(SegmentFile after, List<byte[]> records) throws IOException {
    if (segments.isEmpty()) {
      return append(RecordBatch.of(records, clockMillis.getAsLong()));
    }
    long room = maxBytes - bytesOnDisk - SegmentFile.HEADER_BYTES;
    int fitting = 0;
    while (fitting < records.size() && (room -= SegmentFile.RECORD_HEADER_BYTES + (long) records.get(fitting).length) >= 0) {
      fitting++;
    }
    if (fitting == 0) {
      return 0;
    }
    int index = after == null ? 0 : segments.indexOf(after) + 1;
    long sequence = after == null ? segments.get(0).sequence() - 1 : after.sequence() + 1;
    if (index < segments.size() && sequence >= segments.get(index).sequence()) {
      throw new IOException("no room between spill segments " + after.sequence() + " and "
          + segments.get(index).sequence());
    }
    SegmentFile inserted = SegmentFile.create(directory, sequence, sync, io);
    bytesOnDisk += inserted.end() + inserted.append(RecordBatch.of(records, clockMillis.getAsLong()), 0, fitting, sync);
    inserted.sealForWriting();
    segments.add(index, inserted);
    return fitting;
  }

  boolean isEmpty() {
    return segments.isEmpty();
  }

  SegmentFile first() {
    return segments.get(0);
  }

  /** The segment after {@code segment}, or null. */
  SegmentFile after(SegmentFile segment) {
    int index = segments.indexOf(segment) + 1;
    return index > 0 && index < segments.size() ? segments.get(index) : null;
  }

  private SegmentFile last() {
    return segments.isEmpty() ? null : segments.get(segments.size() - 1);
  }

  /**
   * Deletes the first segment, all of whose records were sent. It leaves the chain whether or not
   * its file can be deleted ({@link SegmentFile#delete}), so that the rest of the spill goes on.
   */
  void deleteFirst() throws IOException {
    SegmentFile first = segments.remove(0);
    bytesOnDisk -= first.end();
    first.delete();
  }

  /** The room left under {@code maxSpillSize}, in bytes. */
  long roomBytes() {
    return maxBytes - bytesOnDisk;
  }

  /** Bytes of the segment files on disk (what {@code maxSpillSize} bounds). */
  long bytesOnDisk() {
    return bytesOnDisk;
  }

  void closeChannels() throws IOException {
    for (SegmentFile segment : segments) {
      segment.closeChannel();
    }
  }
}
