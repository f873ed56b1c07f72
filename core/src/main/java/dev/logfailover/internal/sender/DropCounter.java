package dev.logfailover.internal.sender;

import dev.logfailover.FailoverListener;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts dropped events (F9). Application threads only increment a {@link LongAdder}; the sender
 * thread turns the increase into listener events, so reporting never runs on the logging path.
 *
 * <p>Thread-safe: {@link #dropQueueFull()}, {@link #dropEmpty()}, {@link #dropWhileStopped()},
 * {@link #dropOversized} and {@link #dropNotSpilled} from any thread; {@link #report} and {@link
 * #dropUndelivered} and {@link #hasUnreported} from the sender thread only.
 */
final class DropCounter {
  private final Reported queueFull = new Reported();
  private final LongAdder whileStopped = new LongAdder();
  private final LongAdder undelivered = new LongAdder();
  private final Reported carriedOverExcess = new Reported();
  private final Reported oversized = new Reported();
  private final Reported empty = new Reported();
  /** Events neither the queue nor the spill could hold (F17). */
  private final Reported notSpilled = new Reported();
  private volatile String notSpilledReason = "";
  /** Sender thread only writes it; any thread reads. */
  private final LongAdder rejected = new LongAdder();
  private final AtomicInteger largestOversized = new AtomicInteger();
  /** Every kind that {@link #report} reports. */
  private final Reported[] reportedKinds = {queueFull, carriedOverExcess, notSpilled, empty, oversized};

  /** Drops of one kind: counted by any thread, reported by the sender thread as they grow. */
  private static final class Reported {
    final LongAdder counted = new LongAdder();
    /** Sender thread only. */
    private long reported;

    long sum() {
      return counted.sum();
    }

    boolean hasUnreported() {
      return counted.sum() > reported;
    }

    /** How many were counted since the last call; they count as reported from now on. */
    long takeUnreported() {
      long now = counted.sum();
      long count = now - reported;
      reported = now;
      return count;
    }
  }

  void dropQueueFull() {
    queueFull.counted.increment();
  }

  /** An event with no content: its encoder or layout wrote nothing but a line end, if that. */
  void dropEmpty() {
    empty.counted.increment();
  }

  /** An event larger than {@code maxRecordSize} (F13); counted apart from the drops. */
  void dropOversized(int length) {
    // The size first: a report that sees the count sees this size too.
    largestOversized.accumulateAndGet(length, Math::max);
    oversized.counted.increment();
  }

  long oversized() {
    return oversized.sum();
  }

  /** A server refused a batch as a bad request (F16): counted apart from the drops, as oversized events are. */
  void reject(int count, String reason, FailoverListener listener) {
    rejected.add(count);
    listener.eventsRejected(count, rejected.sum(), reason);
  }

  long rejected() {
    return rejected.sum();
  }

  /** A reconfiguration handed over more than this engine's bounds hold (F13). */
  void dropCarriedOverExcess(int count) {
    carriedOverExcess.counted.add(count);
  }

  /** The spill's writer could not keep {@code count} events: the spill was full, or a write failed. */
  void dropNotSpilled(int count, String reason) {
    if (count > 0) {
      notSpilledReason = reason;
      notSpilled.counted.add(count);
    }
  }

  /** An event came after stop began (the logging framework was still shutting down). */
  void dropWhileStopped() {
    whileStopped.increment();
  }

  long total() {
    return queueFull.sum() + whileStopped.sum() + undelivered.sum() + carriedOverExcess.sum() + notSpilled.sum()
        + empty.sum();
  }

  /**
   * Some drop is counted that {@link #report} has not reported yet. Sender thread only: a sender
   * about to sleep looks here after it announced its sleep, so a drop counted meanwhile (whose
   * thread then rings, seeing the announcement) is reported at once, not at the next event.
   */
  boolean hasUnreported() {
    for (Reported kind : reportedKinds) {
      if (kind.hasUnreported()) {
        return true;
      }
    }
    return false;
  }

  void report(FailoverListener listener) {
    reportDropped(queueFull, "the queue was full", listener);
    reportDropped(carriedOverExcess, "the predecessor handed over more than queueSize or maxQueueBytes hold", listener);
    long notKept = notSpilled.takeUnreported();
    if (notKept > 0) {
      // Read after the count, which dropNotSpilled adds after the reason: the reason is as new.
      listener.eventsDropped(notKept, total(), notSpilledReason);
    }
    reportDropped(empty, "the event was empty: its encoder or layout wrote nothing but a line end", listener);
    long tooLarge = oversized.takeUnreported();
    if (tooLarge > 0) {
      listener.eventsOversized(tooLarge, oversized.sum(), largestOversized.get());
    }
  }

  private void reportDropped(Reported kind, String reason, FailoverListener listener) {
    long count = kind.takeUnreported();
    if (count > 0) {
      listener.eventsDropped(count, total(), reason);
    }
  }

  /** A batch met an unexpected error twice in a row: it is dropped rather than retried for ever. */
  void dropUnsendable(int count, FailoverListener listener) {
    if (count > 0) {
      undelivered.add(count);
      listener.eventsDropped(count, total(), "an unexpected error struck the same batch twice");
    }
  }

  /** Counts what the sender could not deliver by the end of its stop, and what came after it began. */
  void dropUndelivered(long count, String why, FailoverListener listener) {
    if (count > 0) {
      undelivered.add(count);
      listener.eventsDropped(count, total(), why);
    }
    long late = whileStopped.sum();
    if (late > 0) {
      listener.eventsDropped(late, total(), "logged while the appender was stopping");
    }
  }
}
