package dev.logfailover.internal.spill;

import dev.logfailover.SpillSettings;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The spill's files (F17): an ordered run of segment files in one directory, records appended at
 * the end, read from the front, and deleted once every record in a segment was confirmed sent.
 * The format is in the README ("Spill format"): each segment starts with {@link SegmentFile#MAGIC},
 * then records of {@code length, CRC32C, written-at millis, bytes}. At open, a spill left by an
 * earlier run is scanned: its records are pending again, and a torn or corrupt tail is skipped and
 * reported ({@link #damage()}). A clean {@link #close} writes a checkpoint of how far the first
 * segment was sent, so that the next run does not send it again.
 *
 * <p>A lock file held from {@link #open} to {@link #close} keeps a second process (or appender)
 * off the directory.
 *
 * <p>Thread-safe: every method holds this object's monitor, so the spill's writer thread and the
 * sender thread each see the other's changes whole; disk I/O happens under it.
 */
public final class SpillStore implements Closeable {
  static final String LOCK_FILE = "lock";
  static final String CHECKPOINT_FILE = "checkpoint";

  /** What recovery skipped in one segment file: its size in bytes and why. */
  public record Damage(Path file, long skippedBytes, String why) {}

  /** The directory is owned by another process or appender: the spill stays off. */
  public static final class LockedException extends IOException {
    LockedException(String message) {
      super(message);
    }
  }

  private final Path directory;
  private final long maxBytes;
  private final boolean sync;
  private final long segmentBytes;
  private final LongSupplier clockMillis;
  private final FileChannel lockChannel;
  private final FileLock lock;
  /** Oldest first; the last is the one appended to. */
  private final List<SegmentFile> segments = new ArrayList<>();
  private final List<Damage> damage = new ArrayList<>();
  private long nextSequence;
  private long bytesOnDisk;
  /** Records not yet confirmed sent (read or not). */
  private long pendingRecords;
  /** The first record not confirmed; the first record not read. */
  private Position confirmed;
  private Position read;
  /** End offsets of the records read and not yet confirmed, oldest first, with their segments. */
  private final ArrayDeque<Position> readNotConfirmed = new ArrayDeque<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocate(256 << 10);
  private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(256 << 10);
  private boolean closed;

  private record Position(SegmentFile segment, long offset) {}

  private SpillStore(Path directory, SpillSettings settings, LongSupplier clockMillis, FileChannel lockChannel,
      FileLock lock) {
    this.directory = directory;
    this.maxBytes = settings.maxSize();
    this.sync = settings.sync() == SpillSettings.Sync.ALWAYS;
    this.segmentBytes = Math.max(64L << 10, Math.min(16L << 20, settings.maxSize() / 16));
    this.clockMillis = clockMillis;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Opens (creating it when missing) the spill in {@code directory}, takes its lock and recovers
   * what an earlier run left there.
   *
   * @throws LockedException when another process or appender holds the directory
   * @throws IOException when the directory cannot be made, read or locked
   */
  public static SpillStore open(Path directory, SpillSettings settings, LongSupplier clockMillis) throws IOException {
    Files.createDirectories(directory);
    FileChannel lockChannel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
    if (lock == null) {
      lockChannel.close();
      throw new LockedException(directory + " is in use by another process or appender (its lock file is held)");
    }
    SpillStore store = new SpillStore(directory, settings, clockMillis, lockChannel, lock);
    try {
      store.recover();
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  private void recover() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.filter(SegmentFile::isSegmentName).sorted().toList();
    }
    long[] checkpoint = readCheckpoint();
    for (Path file : files) {
      SegmentFile segment = SegmentFile.openExisting(file);
      long from = segment.sequence() == checkpoint[0] ? checkpoint[1] : SegmentFile.HEADER_BYTES;
      SegmentFile.Scan scan = segment.scan(from);
      if (scan.skippedBytes() > 0) {
        damage.add(new Damage(file, scan.skippedBytes(), scan.why()));
      }
      if (scan.records() == 0) {
        segment.delete();
        continue;
      }
      segments.add(segment);
      bytesOnDisk += segment.end();
      pendingRecords += scan.records();
      if (confirmed == null) {
        confirmed = new Position(segment, segment.start());
      }
      nextSequence = segment.sequence() + SegmentFile.SEQUENCE_STEP;
    }
    Files.deleteIfExists(directory.resolve(CHECKPOINT_FILE));
    if (confirmed == null) {
      nextSequence = Math.max(nextSequence, SegmentFile.FIRST_SEQUENCE);
    }
    read = confirmed;
  }

  /** {sequence, offset} of the checkpoint a clean close wrote, or {-1, 0}. */
  private long[] readCheckpoint() throws IOException {
    try {
      String[] parts = Files.readString(directory.resolve(CHECKPOINT_FILE), StandardCharsets.US_ASCII).trim()
          .split(" ");
      return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    } catch (NoSuchFileException e) {
      return new long[] {-1, 0};
    } catch (RuntimeException e) {
      damage.add(new Damage(directory.resolve(CHECKPOINT_FILE), 0, "unreadable checkpoint, ignored: " + e));
      return new long[] {-1, 0};
    }
  }

  /** What recovery skipped at open; empty when the earlier run's spill was whole. */
  public synchronized List<Damage> damage() {
    return List.copyOf(damage);
  }

  /**
   * Appends {@code records} in order, as many as fit under {@code maxSpillSize}; returns how many
   * (the rest, the newest, did not fit).
   */
  public synchronized int append(List<byte[]> records) throws IOException {
    checkOpen();
    long now = clockMillis.getAsLong();
    int appended = 0;
    while (appended < records.size()) {
      SegmentFile segment = writableSegment();
      int fitting = 0;
      long bytes = 0;
      for (int i = appended; i < records.size(); i++) {
        long size = SegmentFile.recordBytes(records.get(i));
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
            + SegmentFile.recordBytes(records.get(appended)) <= maxBytes) {
          rollOver();
          continue;
        }
        break; // The spill is full.
      }
      bytesOnDisk += segment.append(records.subList(appended, appended + fitting), now, sync, writeBuffer);
      pendingRecords += fitting;
      appended += fitting;
      if (segment.end() >= segmentBytes) {
        rollOver();
      }
    }
    return appended;
  }

  private SegmentFile writableSegment() throws IOException {
    SegmentFile last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
    if (last != null && last.isWritable()) {
      return last;
    }
    if (bytesOnDisk + SegmentFile.HEADER_BYTES > maxBytes) {
      return last == null ? newSegment() : last; // append() finds no room and stops.
    }
    return newSegment();
  }

  private SegmentFile newSegment() throws IOException {
    SegmentFile segment = SegmentFile.create(directory, nextSequence, sync);
    nextSequence += SegmentFile.SEQUENCE_STEP;
    segments.add(segment);
    bytesOnDisk += segment.end();
    if (confirmed == null) {
      confirmed = read = new Position(segment, segment.end());
    }
    return segment;
  }

  /** The segment appended to is full: later records go to a new one. */
  private void rollOver() {
    segments.get(segments.size() - 1).sealForWriting();
  }

  /**
   * Reads up to {@code maxRecords} records not read yet, oldest first, into {@code into}; returns how
   * many. They stay on disk until {@link #confirm confirmed}.
   */
  public synchronized int read(Collection<byte[]> into, int maxRecords) throws IOException {
    checkOpen();
    int taken = 0;
    while (taken < maxRecords && read != null) {
      SegmentFile segment = read.segment();
      if (read.offset() >= segment.end()) {
        int index = segments.indexOf(segment);
        if (index + 1 >= segments.size()) {
          break;
        }
        read = new Position(segments.get(index + 1), segments.get(index + 1).start());
        continue;
      }
      readBuffer.clear();
      long offset = read.offset();
      List<byte[]> chunk = new ArrayList<>();
      long[] ends = segment.readRecords(offset, readBuffer, maxRecords - taken, chunk);
      for (int i = 0; i < chunk.size(); i++) {
        into.add(chunk.get(i));
        readNotConfirmed.add(new Position(segment, ends[i]));
      }
      taken += chunk.size();
      read = new Position(segment, ends.length == 0 ? segment.end() : ends[chunk.size() - 1]);
    }
    return taken;
  }

  /** Records appended and not read yet. */
  public synchronized boolean hasUnread() {
    return pendingRecords > readNotConfirmed.size();
  }

  /**
   * The oldest {@code count} records read were sent (or are given up, counted elsewhere): segments
   * whose every record is confirmed are deleted; when nothing is left, so is the last one.
   */
  public synchronized void confirm(int count) throws IOException {
    for (int i = 0; i < count && !readNotConfirmed.isEmpty(); i++) {
      confirmed = readNotConfirmed.poll();
      pendingRecords--;
    }
    while (!segments.isEmpty()) {
      SegmentFile first = segments.get(0);
      boolean allSent = confirmed.segment() != first
          || (confirmed.offset() >= first.end() && (!first.isWritable() || pendingRecords == 0));
      if (!allSent) {
        break;
      }
      segments.remove(0);
      bytesOnDisk -= first.end();
      first.delete();
      if (segments.isEmpty()) {
        confirmed = read = null;
        break;
      }
      Position start = new Position(segments.get(0), segments.get(0).start());
      confirmed = confirmed.segment() == first ? start : confirmed;
      read = read.segment() == first ? start : read;
    }
  }

  /** Records not yet confirmed sent, read or not. */
  public synchronized long pendingRecords() {
    return pendingRecords;
  }

  /** Bytes of the segment files on disk (what {@code maxSpillSize} bounds). */
  public synchronized long bytesOnDisk() {
    return bytesOnDisk;
  }

  /** When the oldest record not confirmed was written, in epoch millis; -1 when none is pending. */
  public synchronized long oldestPendingMillis() {
    if (pendingRecords == 0 || closed) {
      return -1;
    }
    try {
      Position at = confirmed;
      if (at.offset() >= at.segment().end()) {
        SegmentFile next = segments.get(segments.indexOf(at.segment()) + 1);
        at = new Position(next, next.start());
      }
      return at.segment().writtenAtMillis(at.offset());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Records the sender held from memory, and how many of the records it read from here precede them. */
  public record Held(int afterReadRecords, List<byte[]> records) {}

  /**
   * Starts a new segment for the next record appended: called when spilling begins again after the
   * sender had read everything, so that records the sender took from memory meanwhile can be put
   * back between the two runs at a stop ({@link #closeKeeping}).
   */
  public synchronized void startNewRun() {
    if (!segments.isEmpty()) {
      rollOver();
    }
  }

  /**
   * Closes the spill, keeping what was not sent for the next start, in order: each of {@code held}
   * goes right after the read records that preceded it in the sender's hands (before everything
   * pending when none did), and {@code newest} at the end. Returns how many did not fit
   * ({@code maxSpillSize}). Records read and not confirmed stay pending. Nothing pending: the
   * directory is left with no segment.
   */
  public synchronized int closeKeeping(List<Held> held, List<byte[]> newest) throws IOException {
    int lost = 0;
    for (Held run : held) {
      lost += run.records().size();
    }
    if (closed) {
      return lost + newest.size();
    }
    try {
      List<Position> read = new ArrayList<>(readNotConfirmed);
      for (int i = held.size() - 1; i >= 0; i--) {
        // From the last, so that each insertion finds the segments before it as they were.
        Held run = held.get(i);
        int before = Math.min(run.afterReadRecords(), read.size());
        SegmentFile after = before == 0 ? null : read.get(before - 1).segment();
        lost -= insert(after, run.records());
      }
      lost += newest.size() - append(newest);
      if (pendingRecords > 0 && confirmed != null) {
        Files.writeString(directory.resolve(CHECKPOINT_FILE),
            confirmed.segment().sequence() + " " + confirmed.offset() + "\n", StandardCharsets.US_ASCII);
      }
    } finally {
      close();
    }
    return lost;
  }

  /**
   * Writes {@code records} into a new segment right after {@code after} (before the first segment
   * when null), numbered between its neighbours; returns how many were kept.
   */
  private int insert(SegmentFile after, List<byte[]> records) throws IOException {
    if (segments.isEmpty()) {
      return append(records);
    }
    long room = maxBytes - bytesOnDisk - SegmentFile.HEADER_BYTES;
    int fitting = 0;
    for (byte[] record : records) {
      room -= SegmentFile.recordBytes(record);
      if (room < 0) {
        break;
      }
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
    SegmentFile inserted = SegmentFile.create(directory, sequence, sync);
    bytesOnDisk += inserted.end() + inserted.append(records.subList(0, fitting), clockMillis.getAsLong(), sync,
        writeBuffer);
    inserted.sealForWriting();
    segments.add(index, inserted);
    pendingRecords += fitting;
    return fitting;
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (SegmentFile segment : segments) {
        segment.closeChannel();
      }
    } finally {
      try {
        lock.release();
      } finally {
        lockChannel.close();
      }
    }
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("the spill in " + directory + " is closed");
    }
  }

  public Path directory() {
    return directory;
  }
}
