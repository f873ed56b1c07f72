package dev.logfailover.internal.spill;

import dev.logfailover.SpillSettings;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The spill on disk (F17): records appended at the end of a {@link SegmentChain}, read from the
 * front, and confirmed once sent, which deletes every segment all of whose records are. The format
 * is in the README ("Spill format"). At open, a spill left by an earlier run is scanned: its
 * records are pending again, and a torn or corrupt tail is skipped and reported ({@link
 * #damage()}). A clean {@link #close} writes a {@link Checkpoint} of how far the first segment was
 * sent, so that the next run does not send it again.
 *
 * <p>A {@link DirectoryLock} held from {@link #open} to {@link #close} keeps a second process (or
 * appender) off the directory.
 *
 * <p>Thread-safe: every method holds this object's monitor, so the spill's writer thread and the
 * sender thread each see the other's changes whole; disk I/O happens under it.
 */
public final class SpillStore implements Closeable {

  /** What recovery skipped in one segment file: its size in bytes and why. */
  public record Damage(Path file, long skippedBytes, String why) {}

  /** The directory is owned by another process or appender: the spill stays off. */
  public static final class LockedException extends IOException {
    LockedException(String message) {
      super(message);
    }
  }

  private final Path directory;
  /** spillSync always: checkpoints are forced too. */
  private final boolean syncAlways;
  private final DirectoryLock lock;
  private final SegmentChain segments;
  private final List<Damage> damage = new ArrayList<>();
  /** Records not yet confirmed sent (read or not). */
  private long pendingRecords;
  /** The first record not confirmed; the first record not read. */
  private Position confirmed;
  private Position read;
  /** End offsets of the records read and not yet confirmed, oldest first, with their segments. */
  private final ArrayDeque<Position> readNotConfirmed = new ArrayDeque<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocate(256 << 10);
  private boolean closed;

  private record Position(SegmentFile segment, long offset) {}

  private SpillStore(Path directory, SpillSettings settings, LongSupplier clockMillis, DirectoryLock lock) {
    this.directory = directory;
    this.syncAlways = settings.sync() == SpillSettings.Sync.ALWAYS;
    this.lock = lock;
    this.segments = new SegmentChain(directory, settings, clockMillis);
  }

  /**
   * Opens (creating it when missing) the spill in {@code directory}, takes its lock and recovers
   * what an earlier run left there.
   *
   * @throws LockedException when another process or appender holds the directory
   * @throws IOException when the directory cannot be made, read or locked, or is not ours ({@link PrivateFiles})
   */
  public static SpillStore open(Path directory, SpillSettings settings, LongSupplier clockMillis) throws IOException {
    PrivateFiles.directory(directory);
    DirectoryLock lock = DirectoryLock.take(directory);
    SpillStore store = new SpillStore(directory, settings, clockMillis, lock);
    try {
      store.recover();
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  private void recover() throws IOException {
    pendingRecords = segments.recover(Checkpoint.read(directory, damage), damage);
    Checkpoint.delete(directory);
    startFromFirstSegment();
  }

  /** Nothing is read or confirmed yet in the first segment (or there is none). */
  private void startFromFirstSegment() {
    confirmed = read = segments.isEmpty() ? null : new Position(segments.first(), segments.first().start());
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
    int appended = segments.append(records);
    pendingRecords += appended;
    if (confirmed == null && !segments.isEmpty()) {
      startFromFirstSegment();
    }
    return appended;
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
        SegmentFile next = segments.after(segment);
        if (next == null) {
          break;
        }
        read = new Position(next, next.start());
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
      SegmentFile first = segments.first();
      boolean allSent = confirmed.segment() != first
          || (confirmed.offset() >= first.end() && (!first.isWritable() || pendingRecords == 0));
      if (!allSent) {
        break;
      }
      segments.deleteFirst();
      if (segments.isEmpty()) {
        confirmed = read = null;
        break;
      }
      Position start = new Position(segments.first(), segments.first().start());
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
    return segments.bytesOnDisk();
  }

  /** When the oldest record not confirmed was written, in epoch millis; -1 when none is pending. */
  public synchronized long oldestPendingMillis() {
    if (pendingRecords == 0 || closed) {
      return -1;
    }
    try {
      Position at = confirmed;
      if (at.offset() >= at.segment().end()) {
        SegmentFile next = segments.after(at.segment());
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
    segments.sealLast();
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
        int kept = segments.insert(after, run.records());
        pendingRecords += kept;
        lost -= kept;
      }
      lost += newest.size() - append(newest);
      if (pendingRecords > 0 && confirmed != null) {
        new Checkpoint(confirmed.segment().sequence(), confirmed.offset()).write(directory, syncAlways);
      }
    } finally {
      close();
    }
    return lost;
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      segments.closeChannels();
    } finally {
      lock.release();
    }
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("the spill in " + directory + " is closed");
    }
  }
}
