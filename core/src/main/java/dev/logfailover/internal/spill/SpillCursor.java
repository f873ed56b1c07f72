package dev.logfailover.internal.spill;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * How far the spill is read and how far what was read is confirmed sent, over a {@link
 * SegmentChain}: records are read from the front, and confirming them deletes every segment all
 * of whose records are confirmed. A read that fails moves nothing on; a segment that cannot be
 * deleted leaves the chain all the same, so the rest of the spill goes on.
 *
 * <p>Not thread-safe: {@link SpillStore} calls it under its monitor.
 */
final class SpillCursor {
  /** A place in a segment: a record's start, or where the valid records end. */
  record Position(SegmentFile segment, long offset) {}

  private final SegmentChain segments;
  /** The first record not confirmed; the first record not read; null when the chain is empty. */
  private Position confirmed;
  private Position read;
  /** End offsets of the records read and not yet confirmed, oldest first, with their segments. */
  private final ArrayDeque<Position> readNotConfirmed = new ArrayDeque<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocate(256 << 10);
  /** Records read from the segment at {@code read}, from its start. */
  private long readInSegment;
  /** Damage met by reads since the last {@link #takeSkips}. */
  private final List<SpillStore.Skip> skips = new ArrayList<>();

  SpillCursor(SegmentChain segments) {
    this.segments = segments;
  }

  /** Nothing is read or confirmed yet in the first segment (or there is none). */
  void startFromFirstSegment() {
    confirmed = read = segments.isEmpty() ? null : new Position(segments.first(), segments.first().start());
    readInSegment = 0;
  }

  /** After an append: a chain that was empty starts at its first segment. */
  void afterAppend() {
    if (confirmed == null && !segments.isEmpty()) {
      startFromFirstSegment();
    }
  }

  /** See {@link SpillStore#read}. */
  int read(Collection<byte[]> into, int maxRecords) throws IOException {
    int taken = 0;
    while (taken < maxRecords && read != null) {
      SegmentFile segment = read.segment();
      if (read.offset() >= segment.end()) {
        SegmentFile next = segments.after(segment);
        if (next == null) {
          break;
        }
        read = new Position(next, next.start());
        readInSegment = 0;
        continue;
      }
      readBuffer.clear();
      List<byte[]> chunk = new ArrayList<>();
      long[] ends;
      try {
        ends = segment.readRecords(read.offset(), readBuffer, maxRecords - taken, chunk);
      } catch (SegmentDamagedException e) {
        // Damaged since written: the rest of this segment is skipped, counted, and reading goes on.
        long left = segment.records() - readInSegment;
        skips.add(new SpillStore.Skip(new SpillStore.Damage(segment.file(), segment.end() - read.offset(),
            e.getMessage()), left));
        segment.cutAt(read.offset(), left);
        continue;
      } catch (IOException e) {
        if (taken > 0) {
          break; // What was read goes out; the next read meets the failure again, at the same place.
        }
        throw e;
      }
      for (int i = 0; i < chunk.size(); i++) {
        into.add(chunk.get(i));
        readNotConfirmed.add(new Position(segment, ends[i]));
      }
      taken += chunk.size();
      readInSegment += chunk.size();
      read = new Position(segment, ends[chunk.size() - 1]);
    }
    return taken;
  }

  /** The damage reads met since the last call, with the records each skipped. */
  List<SpillStore.Skip> takeSkips() {
    List<SpillStore.Skip> taken = List.copyOf(skips);
    skips.clear();
    return taken;
  }

  /** Records read and not confirmed yet. */
  int readNotConfirmed() {
    return readNotConfirmed.size();
  }

  /** The segment of each record read and not confirmed, oldest first. */
  List<SegmentFile> readSegments() {
    return readNotConfirmed.stream().map(Position::segment).toList();
  }

  /**
   * Confirms the oldest {@code count} records read (at most those read), deleting every segment all
   * of whose records are confirmed; {@code pendingAfter} is how many records stay pending, which
   * tells whether the writable last segment is done.
   *
   * @throws IOException when a confirmed segment could be neither deleted nor emptied, after the
   *     cursor moved past it all the same
   */
  void confirm(int count, long pendingAfter) throws IOException {
    for (int i = 0; i < count && !readNotConfirmed.isEmpty(); i++) {
      confirmed = readNotConfirmed.poll();
    }
    IOException deleteFailed = null;
    while (!segments.isEmpty()) {
      SegmentFile first = segments.first();
      boolean allSent = confirmed.segment() != first
          || (confirmed.offset() >= first.end() && (!first.isWritable() || pendingAfter == 0));
      if (!allSent) {
        break;
      }
      try {
        segments.deleteFirst();
      } catch (IOException e) {
        deleteFailed = e; // Out of the chain all the same: the rest of the spill goes on.
      }
      if (segments.isEmpty()) {
        confirmed = read = null;
        break;
      }
      Position start = new Position(segments.first(), segments.first().start());
      confirmed = confirmed.segment() == first ? start : confirmed;
      read = read.segment() == first ? start : read;
    }
    if (deleteFailed != null) {
      throw deleteFailed;
    }
  }

  /** Where the oldest record not confirmed starts, or null when none is pending. */
  Position oldestPending() {
    Position at = confirmed;
    if (at != null && at.offset() >= at.segment().end()) {
      SegmentFile next = segments.after(at.segment());
      at = next == null ? null : new Position(next, next.start());
    }
    return at;
  }

  /** How far the first segment is confirmed, for a clean stop; null when nothing is. */
  Checkpoint checkpoint() {
    return confirmed == null ? null : new Checkpoint(confirmed.segment().sequence(), confirmed.offset());
  }
}
