package dev.logfailover.internal.sender;

import dev.logfailover.internal.concurrent.Doorbell;
import dev.logfailover.internal.concurrent.Ticker;
import dev.logfailover.internal.spill.RecordBatch;
import dev.logfailover.internal.spill.SpillStore;
import dev.logfailover.internal.spill.SpillWriteException;
import dev.logfailover.internal.transport.Outbox;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The spill's writer thread (F17): moves records from the head of the queue to the {@link
 * SpillStore}, only as many as it has room for (a byte-bounded drain), so a full spill leaves them
 * in memory. It moves once the queue is half full (a logging thread wakes it then), and while
 * spilling also whatever is there after each millisecond it looks away. It says whether the spill
 * {@link #isAbsorbing takes records} now, so that a caller that finds the queue full waits for it
 * ({@link OverflowWait}). A write that fails drops the records it could not write, counted, and the
 * writer tries again a second later.
 *
 * <p>Threading: {@link #afterQueued()}, {@link #wakeUp()}, {@link #isAbsorbing()} and {@link
 * #isFull()} from logging threads; {@link #roomFreed()}, {@link #start} and {@link #stop} from the
 * sender; the rest on its own thread. Each move holds the {@link Spill}'s monitor, as the sender's
 * reads do: that is what keeps the order.
 */
final class SpillWriter {
  /** Records the writer moves at a time. */
  private static final int MAX_MOVE = 4096;
  /** Bytes the writer moves at a time (unless one record is larger): its buffer's bound. */
  private static final long MOVE_BYTES = 4 << 20;
  private static final long STOP_WAIT_MILLIS = 2_000;
  /** While spilling, how often the writer looks at the queue (and the most a crash takes from it). */
  private static final long SPILLING_LOOK_NANOS = 1_000_000;
  /** A write that takes longer (a stalled disk) ends the callers' waits for the writer. */
  static final long STALLED_WRITE_NANOS = 200_000_000;
  /** After a failed write, the next try. */
  static final long RETRY_NANOS = 1_000_000_000;

  private final Spill spill;
  private final RecordQueue queue;
  private final DropCounter drops;
  private final Doorbell doorbell;
  private final Ticker ticker;
  private final LongSupplier clockMillis;
  /** At most what one move takes: {@link #MOVE_BYTES}, or the largest record with its framing. */
  private final long maxMoveBytes;
  /** {@code maxSpillSize}: a record that takes more never fits. */
  private final long maxSpillBytes;
  private SpillStore store;
  private Thread thread;
  private volatile boolean asleep;
  private volatile boolean closing;
  /** The spill had no room for the queue's head; cleared when sent records free some. */
  private volatile boolean full;
  /** When the move in progress began (ticker nanos), waiting for the monitors included; 0 between moves. */
  private volatile long busySince;
  /** A caller waits for room (a queue full for its record, maybe less than half full by the bounds). */
  private volatile boolean pushed;
  /** Counts the sender's {@link #roomFreed} calls: a move that found no room sees whether room came meanwhile. */
  private volatile long roomFreedCount;
  /** After a failed write: nothing is moved before this (ticker nanos); 0 when none failed. */
  private volatile long writeRetryAt;

  SpillWriter(Spill spill, RecordQueue queue, int maxRecordSize, long maxSpillBytes, DropCounter drops,
      Doorbell doorbell, LongSupplier clockMillis) {
    this.spill = spill;
    this.maxSpillBytes = maxSpillBytes;
    this.maxMoveBytes = Math.max(MOVE_BYTES, maxRecordSize + (long) SpillStore.RECORD_OVERHEAD_BYTES);
    this.queue = queue;
    this.drops = drops;
    this.doorbell = doorbell;
    this.ticker = doorbell.ticker();
    this.clockMillis = clockMillis;
  }

  void start(SpillStore opened, String threadName) {
    store = opened;
    thread = new Thread(this::moveWhileNeeded, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Ends the thread at its next look, waiting a bounded while for a write in progress. An aborted
   * stop may have interrupted the caller (the sender); that interrupt is kept for it.
   */
  void stop() {
    closing = true;
    LockSupport.unpark(thread);
    boolean interrupted = Thread.interrupted();
    try {
      thread.join(STOP_WAIT_MILLIS);
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * From a logging thread, after it queued a record: wakes the writer if it sleeps and the queue is
   * half full. While spilling, the writer looks every millisecond instead, so that a steady stream
   * of events costs the callers no system call each.
   */
  void afterQueued() {
    if (asleep && queue.isHalfFull()) {
      wakeUp();
    }
  }

  /** From a logging thread that found the queue full and waits for the writer; or the sender. */
  void wakeUp() {
    pushed = true;
    if (asleep) { // A writer awake looks again before it sleeps: no system call for it.
      asleep = false;
      LockSupport.unpark(thread);
    }
  }

  /** From the sender: sent records freed room in the spill, so the writer tries the queue's head again. */
  void roomFreed() {
    roomFreedCount++; // The sender alone writes it; a writer setting full meanwhile sees it changed.
    if (full) {
      full = false;
      LockSupport.unpark(thread);
    }
  }

  /**
   * Whether the spill takes records now, so that a caller that finds the queue full should wait
   * for the writer rather than drop: it has room, no write failed a moment ago, and the write in
   * progress (if any) has not stalled.
   */
  boolean isAbsorbing() {
    long since = busySince;
    long retryAt = writeRetryAt;
    long now = ticker.nanoTime();
    return !closing && !full && (retryAt == 0 || now - retryAt >= 0) && thread.isAlive()
        && (since == 0 || now - since < STALLED_WRITE_NANOS);
  }

  /** The spill had no room for the queue's head: events that find the queue full are dropped for it. */
  boolean isFull() {
    return full;
  }

  /**
   * The writer moves once half the queue is taken (a logging thread wakes it then), or, while
   * spilling, whatever is there once it has looked away for a millisecond ({@code looked}): a burst
   * goes to disk in large writes, a trickle within a millisecond.
   */
  private boolean writerHasWork(boolean looked) {
    if (full || writeRetryAt != 0 && ticker.nanoTime() - writeRetryAt < 0) {
      return false;
    }
    return (spill.isSpilling() && looked || pushed) ? !queue.isEmpty() : queue.isHalfFull();
  }

  private void moveWhileNeeded() {
    RecordBatch moving = new RecordBatch();
    Outbox.RecordSink intoMoving = moving::add;
    boolean looked = false;
    while (!closing) {
      if (spill.isReadRetryDue()) {
        doorbell.ring(); // The sender's read failed a while ago: time to try again.
      }
      if (!writerHasWork(looked)) {
        asleep = true;
        if (!closing && !writerHasWork(looked)) {
          if (spill.isSpilling() || full || writeRetryAt != 0) {
            LockSupport.parkNanos(this, SPILLING_LOOK_NANOS);
          } else {
            LockSupport.park(this);
          }
        }
        asleep = false;
        looked = true;
        continue;
      }
      looked = false;
      if (moveOnce(moving, intoMoving)) {
        doorbell.ring();
      }
      moving.clear();
    }
  }

  /**
   * Moves what the spill has room for from the queue's head to disk; counts what a failed write
   * lost. Returns whether the sender should hear of it: the spill had nothing unread (an idle
   * sender may sleep on an empty spill; one with records unread is busy or has no connection), or
   * drops were counted. Nothing it meets ends the thread: an error (a bug, no memory for the
   * buffer) costs the records in hand, counted, and a pause.
   */
  private boolean moveOnce(RecordBatch moving, Outbox.RecordSink intoMoving) {
    String failure = null;
    int kept = 0;
    boolean hadUnread = true;
    // Before the monitors: a move stuck behind a read or a delete that hangs is as stalled as a write.
    busySince = ticker.nanoTime() | 1;
    pushed = false;
    try {
      synchronized (spill) {
        if (closing) {
          return false;
        }
        spill.beginRun();
        moving.stamp(clockMillis.getAsLong());
        long freedBefore = roomFreedCount;
        queue.drainTo(intoMoving, MAX_MOVE, Math.min(store.roomBytes(), maxMoveBytes),
            SpillStore.RECORD_OVERHEAD_BYTES);
        if (moving.isEmpty()) {
          return noRoomForTheHead(moving, intoMoving, freedBefore);
        }
        hadUnread = store.hasUnread();
        try {
          kept = store.append(moving);
          writeRetryAt = 0;
        } catch (SpillWriteException e) {
          kept = e.written();
          failure = "the spill could not be written: " + e.getMessage();
        } catch (IOException e) {
          failure = "the spill could not be written: " + e;
        }
      }
    } catch (RuntimeException | Error e) {
      failure = "the spill's writer failed: " + e;
    } finally {
      busySince = 0;
    }
    if (failure != null) {
      writeRetryAt = (ticker.nanoTime() + RETRY_NANOS) | 1;
    }
    drops.dropNotSpilled(moving.size() - kept, failure != null ? failure : "the spill was full (maxSpillSize)");
    return !hadUnread || kept < moving.size();
  }

  /**
   * The queue's head does not fit. An event larger than the whole spill never will: it is dropped,
   * counted. Any other waits in memory until sent records free room ({@link #full}, set so that a
   * {@link #roomFreed} meanwhile is never missed).
   */
  private boolean noRoomForTheHead(RecordBatch moving, Outbox.RecordSink intoMoving, long freedBefore) {
    int head = queue.headLength();
    if (head < 0) {
      return false;
    }
    if (head + (long) SpillStore.RECORD_OVERHEAD_BYTES > maxSpillBytes) {
      queue.drainTo(intoMoving, 1);
      drops.dropNotSpilled(moving.size(), "an event larger than the spill can hold (maxSpillSize)");
      return true;
    }
    full = true;
    if (roomFreedCount != freedBefore) {
      full = false; // Room came between the look and the flag: look again.
    }
    return false;
  }
}
