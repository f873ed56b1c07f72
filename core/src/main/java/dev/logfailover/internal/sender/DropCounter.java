package dev.logfailover.internal.sender;

import dev.logfailover.FailoverListener;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts dropped events (F9). Application threads only increment a {@link LongAdder}; the sender
 * thread turns the increase into listener events, so reporting never runs on the logging path.
 *
 * <p>Thread-safe: {@link #dropQueueFull()} and {@link #dropWhileStopped()} from any thread; {@link
 * #report} and {@link #dropUndelivered} from the sender thread only.
 */
final class DropCounter {
  private final LongAdder queueFull = new LongAdder();
  private final LongAdder whileStopped = new LongAdder();
  private final LongAdder undelivered = new LongAdder();
  /** Sender thread only. */
  private long reportedQueueFull;

  void dropQueueFull() {
    queueFull.increment();
  }

  /** An event came after stop began (the logging framework was still shutting down). */
  void dropWhileStopped() {
    whileStopped.increment();
  }

  long total() {
    return queueFull.sum() + whileStopped.sum() + undelivered.sum();
  }

  void report(FailoverListener listener) {
    long now = queueFull.sum();
    if (now > reportedQueueFull) {
      long count = now - reportedQueueFull;
      reportedQueueFull = now;
      listener.eventsDropped(count, total(), "the queue was full");
    }
  }

  /** Counts what the sender could not deliver by the end of its stop, and what came after it began. */
  void dropUndelivered(long count, FailoverListener listener) {
    if (count > 0) {
      undelivered.add(count);
      listener.eventsDropped(count, total(), "still undelivered when shutdownTimeout ran out");
    }
    long late = whileStopped.sum();
    if (late > 0) {
      listener.eventsDropped(late, total(), "logged while the appender was stopping");
    }
  }
}
