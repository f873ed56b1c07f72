package dev.logfailover.internal.sender;

import dev.logfailover.internal.transport.Outbox;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded queue between the logging threads and the sender (F9, F13): at most {@code
 * queueSize} records and {@code maxQueueBytes} bytes, whichever is reached first. A record's room
 * (one record and its bytes) is reserved before it goes in and given back when it comes out, so
 * neither ever exceeds its bound, whatever the number of logging threads. Records and bytes share
 * one atomic word, so that {@link #isHalfFull()} (the spill's trigger, F17) is one volatile read.
 *
 * <p>Thread-safe: {@link #offer} from any number of logging threads, {@link #drainTo} from the
 * sender (and from a stopping or handing-off thread once the sender ended).
 */
final class RecordQueue implements Outbox.RecordSource {
  /** Under {@code block}, a caller waiting for room looks again at least this often. */
  private static final long ROOM_RECHECK_NANOS = 1_000_000;

  /** The occupancy word: records above this many bits, bytes below. */
  private static final int RECORD_SHIFT = 40;
  private static final long BYTES_MASK = (1L << RECORD_SHIFT) - 1;
  /** The largest {@code queueSize} and {@code maxQueueBytes} the occupancy word holds. */
  static final int MAX_RECORDS = (1 << 23) - 1;
  static final long MAX_BYTES = BYTES_MASK;

  private final ArrayBlockingQueue<byte[]> records;
  private final int maxRecords;
  private final long maxBytes;
  /** Records reserved, shifted by {@link #RECORD_SHIFT}, plus bytes reserved. */
  private final AtomicLong occupancy = new AtomicLong();
  /** Callers under {@code block} wait on it for a drain to make room; guarded by it. */
  private final Object roomFreed = new Object();
  private volatile int waitingForRoom;

  RecordQueue(int maxRecords, long maxBytes) {
    if (maxRecords > MAX_RECORDS || maxBytes > MAX_BYTES) {
      throw new IllegalArgumentException("queue bounds beyond what the configuration allows");
    }
    this.records = new ArrayBlockingQueue<>(maxRecords);
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
  }

  private static long room(int length) {
    return (1L << RECORD_SHIFT) + length;
  }

  /** Queues {@code record} if both bounds allow it now. */
  boolean offer(byte[] record) {
    if (!reserve(record.length)) {
      return false;
    }
    if (records.offer(record)) {
      return true;
    }
    occupancy.addAndGet(-room(record.length));
    return false;
  }

  /**
   * Queues {@code record}, waiting up to {@code timeoutNanos} for room under both bounds. A waiting
   * caller is woken by the drain that makes room ({@link #drainTo}), and looks again at least every
   * {@code ROOM_RECHECK_NANOS} in any case.
   */
  boolean offer(byte[] record, long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (!reserve(record.length)) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return false;
      }
      synchronized (roomFreed) {
        waitingForRoom++;
        try {
          // Announced, then looked: a drain that freed room before this sees the announcement.
          if (!hasRoomFor(record.length)) {
            long wait = Math.min(remaining, ROOM_RECHECK_NANOS);
            roomFreed.wait(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        } finally {
          waitingForRoom--;
        }
      }
    }
    if (records.offer(record)) {
      return true;
    }
    occupancy.addAndGet(-room(record.length));
    return false;
  }

  private boolean reserve(int length) {
    long after = occupancy.addAndGet(room(length));
    if ((after & BYTES_MASK) <= maxBytes && (after >>> RECORD_SHIFT) <= maxRecords) {
      return true;
    }
    occupancy.addAndGet(-room(length));
    return false;
  }

  private boolean hasRoomFor(int length) {
    long now = occupancy.get() + room(length);
    return (now & BYTES_MASK) <= maxBytes && (now >>> RECORD_SHIFT) <= maxRecords;
  }

  /** Half of either bound is taken: the sender is falling behind, and a spill should begin (F17). */
  boolean isHalfFull() {
    long now = occupancy.get();
    return (now >>> RECORD_SHIFT) * 2 >= maxRecords || (now & BYTES_MASK) * 2 >= maxBytes;
  }

  /** Reused by {@link #drainTo(Outbox.RecordSink, int)}, which only the sender thread calls. */
  private final List<byte[]> drained = new ArrayList<>();

  @Override
  public int drainTo(Outbox.RecordSink into, int maxRecords) {
    int taken = drainTo(drained, maxRecords);
    for (byte[] record : drained) {
      into.add(record, 0, record.length);
    }
    drained.clear();
    return taken;
  }

  /** Moves up to {@code maxRecords} records, oldest first, to the end of {@code into}; returns how many. */
  int drainTo(List<byte[]> into, int maxRecords) {
    int before = into.size();
    int taken = records.drainTo(into, maxRecords);
    long freed = 0;
    for (int i = before; i < into.size(); i++) {
      freed += room(into.get(i).length);
    }
    occupancy.addAndGet(-freed);
    if (taken > 0 && waitingForRoom > 0) {
      synchronized (roomFreed) {
        roomFreed.notifyAll();
      }
    }
    return taken;
  }

  /** Takes back a record a logging thread had just queued (a hand-off raced it). */
  boolean remove(byte[] record) {
    if (records.remove(record)) {
      occupancy.addAndGet(-room(record.length));
      return true;
    }
    return false;
  }

  boolean isEmpty() {
    return records.isEmpty();
  }

  int size() {
    return records.size();
  }

  long bytes() {
    return occupancy.get() & BYTES_MASK;
  }
}
