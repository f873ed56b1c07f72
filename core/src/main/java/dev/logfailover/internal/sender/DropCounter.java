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
  private final LongAdder queueFull = new LongAdder();
  private final LongAdder whileStopped = new LongAdder();
  private final LongAdder undelivered = new LongAdder();
  private final LongAdder carriedOverExcess = new LongAdder();
  private final LongAdder oversized = new LongAdder();
  private final LongAdder empty = new LongAdder();
  /** Events neither the queue nor the spill could hold (F17). */
  private final LongAdder notSpilled = new LongAdder();
  private volatile String notSpilledReason = "";
  /** Sender thread only writes it; any thread reads. */
  private final LongAdder rejected = new LongAdder();
  private final AtomicInteger largestOversized = new AtomicInteger();
  /** Sender thread only. */
  private long reportedQueueFull;
  private long reportedOversized;
  private long reportedCarriedOverExcess;
  private long reportedNotSpilled;
  private long reportedEmpty;

  void dropQueueFull() {
    queueFull.increment();
  }

  /** An event with no content: its encoder or layout wrote nothing but a line end, if that. */
  void dropEmpty() {
    empty.increment();
  }

  /** An event larger than {@code maxRecordSize} (F13); counted apart from the drops. */
  void dropOversized(int length) {
    // The size first: a report that sees the count sees this size too.
    largestOversized.accumulateAndGet(length, Math::max);
    oversized.increment();
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
    carriedOverExcess.add(count);
  }

  /** The spill's writer could not keep {@code count} events: the spill was full, or a write failed. */
  void dropNotSpilled(int count, String reason) {
    if (count > 0) {
      notSpilledReason = reason;
      notSpilled.add(count);
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
    return queueFull.sum() > reportedQueueFull || carriedOverExcess.sum() > reportedCarriedOverExcess
        || notSpilled.sum() > reportedNotSpilled || empty.sum() > reportedEmpty || oversized.sum() > reportedOversized;
  }

  void report(FailoverListener listener) {
    long now = queueFull.sum();
    if (now > reportedQueueFull) {
      long count = now - reportedQueueFull;
      reportedQueueFull = now;
      listener.eventsDropped(count, total(), "the queue was full");
    }
    long excess = carriedOverExcess.sum();
    if (excess > reportedCarriedOverExcess) {
      long count = excess - reportedCarriedOverExcess;
      reportedCarriedOverExcess = excess;
      listener.eventsDropped(count, total(), "the predecessor handed over more than queueSize or maxQueueBytes hold");
    }
    long spillDrops = notSpilled.sum();
    if (spillDrops > reportedNotSpilled) {
      long count = spillDrops - reportedNotSpilled;
      reportedNotSpilled = spillDrops;
      listener.eventsDropped(count, total(), notSpilledReason);
    }
    long emptyEvents = empty.sum();
    if (emptyEvents > reportedEmpty) {
      long count = emptyEvents - reportedEmpty;
      reportedEmpty = emptyEvents;
      listener.eventsDropped(count, total(), "the event was empty: its encoder or layout wrote nothing but a line end");
    }
    long tooLarge = oversized.sum();
    if (tooLarge > reportedOversized) {
      long count = tooLarge - reportedOversized;
      reportedOversized = tooLarge;
      listener.eventsOversized(count, tooLarge, largestOversized.get());
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
