package dev.logfailover.internal.sender;

import dev.logfailover.internal.transport.Outbox;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded queue between the logging threads and the sender (F9, F13): at most {@code
 * queueSize} records and {@code maxQueueBytes} bytes, whichever is reached first. The byte count
 * is reserved before a record goes in and given back when it comes out, so it never exceeds the
 * bound, whatever the number of logging threads.
 *
 * <p>Thread-safe: {@link #offer} from any number of logging threads, {@link #drainTo} from the
 * sender (and from a stopping or handing-off thread once the sender ended).
 */
final class RecordQueue implements Outbox.RecordSource {
  /** While the byte bound is reached under {@code block}, a caller looks again this often. */
  private static final long BYTES_RECHECK_NANOS = 100_000;

  private final ArrayBlockingQueue<byte[]> records;
  private final long maxBytes;
  private final AtomicLong bytes = new AtomicLong();

  RecordQueue(int maxRecords, long maxBytes) {
    this.records = new ArrayBlockingQueue<>(maxRecords);
    this.maxBytes = maxBytes;
  }

  /** Queues {@code record} if both bounds allow it now. */
  boolean offer(byte[] record) {
    if (!reserve(record.length)) {
      return false;
    }
    if (records.offer(record)) {
      return true;
    }
    bytes.addAndGet(-record.length);
    return false;
  }

  /** Queues {@code record}, waiting up to {@code timeoutNanos} for room under both bounds. */
  boolean offer(byte[] record, long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (!reserve(record.length)) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return false;
      }
      LockSupport.parkNanos(this, Math.min(remaining, BYTES_RECHECK_NANOS));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
    if (records.offer(record, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      return true;
    }
    bytes.addAndGet(-record.length);
    return false;
  }

  private boolean reserve(int length) {
    long after = bytes.addAndGet(length);
    if (after <= maxBytes) {
      return true;
    }
    bytes.addAndGet(-length);
    return false;
  }

  @Override
  public int drainTo(List<byte[]> into, int maxRecords) {
    int before = into.size();
    int taken = records.drainTo(into, maxRecords);
    long freed = 0;
    for (int i = before; i < into.size(); i++) {
      freed += into.get(i).length;
    }
    bytes.addAndGet(-freed);
    return taken;
  }

  /** Takes back a record a logging thread had just queued (a hand-off raced it). */
  boolean remove(byte[] record) {
    if (records.remove(record)) {
      bytes.addAndGet(-record.length);
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
    return bytes.get();
  }
}
