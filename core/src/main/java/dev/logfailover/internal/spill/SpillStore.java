package dev.logfailover.internal.spill;

import dev.logfailover.SpillSettings;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
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
 * <p>Thread-safe: every method but the three views ({@link #pendingRecords}, {@link #bytesOnDisk},
 * {@link #oldestPendingMillis}) holds this object's monitor, so the spill's writer thread and the
 * sender thread each see the other's changes whole; disk I/O happens under it. The views read what
 * the last change published, so that a status or a metric never waits behind a write or a flush.
 */
public final class SpillStore implements Closeable {

  /** What recovery skipped in one segment file: its size in bytes and why. */
  public record Damage(Path file, long skippedBytes, String why) {}

  /** Damage a read met in this run, and the records it skipped (no longer pending). */
  public record Skip(Damage damage, long records) {}

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
  private final LongSupplier clockMillis;
  private final SegmentChain segments;
  private final List<Damage> damage = new ArrayList<>();
  private final List<Skip> skips = new ArrayList<>();
  /** Records not yet confirmed sent (read or not). */
  private long pendingRecords;
  /** What the views read, published at the end of every change. */
  private final SpillViews views = new SpillViews();
  private final SpillCursor cursor;
  private boolean closed;

  private SpillStore(Path directory, SpillSettings settings, LongSupplier clockMillis, SpillIo io,
      DirectoryLock lock) {
    this.directory = directory;
    this.syncAlways = settings.sync() == SpillSettings.Sync.ALWAYS;
    this.lock = lock;
    this.clockMillis = clockMillis;
    this.segments = new SegmentChain(directory, settings, clockMillis, io);
    this.cursor = new SpillCursor(segments);
  }

  /**
   * Opens (creating it when missing) the spill in {@code directory}, takes its lock and recovers
   * what an earlier run left there.
   *
   * @throws LockedException when another process or appender holds the directory
   * @throws IOException when the directory cannot be made, read or locked, or is not ours ({@link PrivateFiles})
   */
  public static SpillStore open(Path directory, SpillSettings settings, LongSupplier clockMillis) throws IOException {
    return open(directory, settings, clockMillis, SpillIo.DISK);
  }

  /** {@link #open(Path, SpillSettings, LongSupplier)} with the segments' file operations through {@code io}. */
  public static SpillStore open(Path directory, SpillSettings settings, LongSupplier clockMillis, SpillIo io)
      throws IOException {
    PrivateFiles.directory(directory);
    DirectoryLock lock = DirectoryLock.take(directory);
    SpillStore store = new SpillStore(directory, settings, clockMillis, io, lock);
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
    cursor.startFromFirstSegment();
    publish();
  }

  /** Publishes the views: called at the end of every change, under the monitor. */
  private void publish() {
    views.publish(pendingRecords, segments.bytesOnDisk(), pendingRecords == 0 || closed ? null : cursor.oldestPending());
  }

  /** What recovery skipped at open; empty when the earlier run's spill was whole. */
  public synchronized List<Damage> damage() {
    return List.copyOf(damage);
  }

  /**
   * Appends {@code records} in order, as many as fit under {@code maxSpillSize}; returns how many
   * (the rest, the newest, did not fit). A failed write throws a {@link SpillWriteException}: how many went.
   */
  public synchronized int append(List<byte[]> records) throws IOException {
    return append(RecordBatch.of(records, clockMillis.getAsLong()));
  }

  /** {@link #append(List)} of a batch the caller reuses, its records stamped by the caller. */
  public synchronized int append(RecordBatch records) throws IOException {
    checkOpen();
    int appended = 0;
    try {
      return appended = segments.append(records);
    } catch (SpillWriteException e) {
      appended = e.written();
      throw e;
    } finally {
      pendingRecords += appended;
      cursor.afterAppend();
      publish();
    }
  }

  /** Bytes {@link #append} takes now, counting each record with {@link #RECORD_OVERHEAD_BYTES} more. */
  public synchronized long roomBytes() {
    return segments.roomBytes();
  }

  /** What a record takes on disk beyond its bytes, at most: its header, and a segment's header if it starts one. */
  public static final int RECORD_OVERHEAD_BYTES = SegmentFile.RECORD_HEADER_BYTES + SegmentFile.HEADER_BYTES;

  /**
   * Reads up to {@code maxRecords} records not read yet, oldest first, into {@code into}; returns how
   * many. They stay on disk until {@link #confirm confirmed}. A read that fails moves nothing on:
   * the same records come once it works again.
   */
  public synchronized int read(Collection<byte[]> into, int maxRecords) throws IOException {
    checkOpen();
    try {
      return cursor.read(into, maxRecords);
    } finally {
      for (Skip skip : cursor.takeSkips()) {
        pendingRecords -= skip.records();
        skips.add(skip);
      }
      publish();
    }
  }

  /** The damage reads met since the last call: each reported, its records counted as lost. */
  public synchronized List<Skip> takeSkips() {
    List<Skip> taken = List.copyOf(skips);
    skips.clear();
    return taken;
  }

  /** Records appended and not read yet. */
  public synchronized boolean hasUnread() {
    return pendingRecords > cursor.readNotConfirmed();
  }

  /**
   * The oldest {@code count} records read were sent (or are given up, counted elsewhere): segments
   * whose every record is confirmed are deleted; when nothing is left, so is the last one.
   */
  public synchronized void confirm(int count) throws IOException {
    pendingRecords -= Math.min(count, cursor.readNotConfirmed());
    try {
      cursor.confirm(count, pendingRecords);
    } finally {
      publish();
    }
  }

  /** Records not yet confirmed sent, read or not ({@link SpillViews}: never waits for the monitor). */
  public long pendingRecords() {
    return views.pendingRecords();
  }

  /** Bytes of the segment files on disk (what {@code maxSpillSize} bounds; a view). */
  public long bytesOnDisk() {
    return views.bytesOnDisk();
  }

  /** When the oldest record not confirmed was written, in epoch millis; -1 when none is pending (a view). */
  public long oldestPendingMillis() {
    return views.oldestPendingMillis();
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

  /** What a {@link #closeKeeping} could not keep, and the first failure met (null: only maxSpillSize). */
  public record Closing(int notKept, IOException failure) {}

  /**
   * Closes the spill, keeping what was not sent for the next start, in order: each of {@code held}
   * goes right after the read records that preceded it in the sender's hands (before everything
   * pending when none did), and {@code newest} at the end. Says how many were not kept (no room
   * under {@code maxSpillSize}, or a failed write) and the first failure. Records read and not
   * confirmed stay pending. Nothing pending: the directory is left with no segment.
   */
  public synchronized Closing closeKeeping(List<Held> held, List<byte[]> newest) {
    int notKept = newest.size();
    for (Held run : held) {
      notKept += run.records().size();
    }
    if (closed) {
      return new Closing(notKept, new IOException("the spill in " + directory + " is closed"));
    }
    IOException failure = null;
    try {
      List<SegmentFile> read = cursor.readSegments();
      for (int i = held.size() - 1; i >= 0; i--) {
        // From the last, so that each insertion finds the segments before it as they were.
        Held run = held.get(i);
        int before = Math.min(run.afterReadRecords(), read.size());
        SegmentFile after = before == 0 ? null : read.get(before - 1);
        int kept;
        try {
          kept = segments.insert(after, run.records());
        } catch (SpillWriteException e) {
          kept = e.written();
          failure = failure == null ? e : failure;
        } catch (IOException e) {
          kept = 0;
          failure = failure == null ? e : failure;
        }
        pendingRecords += kept;
        notKept -= kept;
      }
      try {
        notKept -= append(newest);
      } catch (SpillWriteException e) {
        notKept -= e.written();
        failure = failure == null ? e : failure;
      } catch (IOException e) {
        failure = failure == null ? e : failure;
      }
      Checkpoint checkpoint = cursor.checkpoint();
      if (pendingRecords > 0 && checkpoint != null) {
        try {
          checkpoint.write(directory, syncAlways);
        } catch (IOException e) {
          failure = failure == null ? new IOException("no checkpoint (the first segment goes whole again): " + e, e)
              : failure;
        }
      }
    } finally {
      try {
        close();
      } catch (IOException e) {
        failure = failure == null ? e : failure;
      }
    }
    return new Closing(notKept, failure);
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    publish();
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
