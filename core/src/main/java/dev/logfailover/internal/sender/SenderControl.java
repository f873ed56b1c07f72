package dev.logfailover.internal.sender;

import dev.logfailover.internal.concurrent.Doorbell;
import java.util.List;

/**
 * The signals other threads give the sender thread (stop with a flush, hand off to a successor,
 * abort), and the records it leaves behind at a hand-off. Every signal wakes the sender wherever
 * it waits; an abort also interrupts it, which ends a blocking connect and every wait of its
 * transport. No other thread ever touches the sender's connection: only the sender thread closes
 * it (so no other thread can race the sender on a TLS engine).
 *
 * <p>Thread-safe.
 */
final class SenderControl {
  private final Doorbell doorbell;
  private final DiskIoShield diskIo;
  private volatile Thread sender;
  private volatile boolean stopping;
  private volatile long stopDeadlineNanos;
  private volatile boolean handingOff;
  private volatile boolean aborted;
  private volatile boolean gaveUp;
  private volatile boolean keepUndelivered;
  /** Guarded by this: the undelivered records at a hand-off, or whether nobody waits for them. */
  private List<byte[]> leftovers;
  private boolean leftoversAbandoned;
  /** Guarded by this: whether the sender has ended, and what it is to run then. */
  private boolean senderEnded;
  private Runnable afterSender;

  SenderControl(Doorbell doorbell, DiskIoShield diskIo) {
    this.doorbell = doorbell;
    this.diskIo = diskIo;
  }

  /** Called first thing on the sender thread. */
  void senderStarted() {
    sender = Thread.currentThread();
  }

  /** Starts the bounded flush of a stop (F10): it ends when all is sent or at {@code deadlineNanos}. */
  void beginStop(long deadlineNanos) {
    stopDeadlineNanos = deadlineNanos;
    stopping = true;
    doorbell.wake();
  }

  /**
   * Stops at once without flushing, ending any wait on the connection (a stalled collector must not
   * hold up the successor, whose queue fills meanwhile); the undelivered records, including a batch
   * cut off in the middle, go to {@link #takeLeftovers}.
   */
  void beginHandOff() {
    handingOff = true;
    doorbell.endChannelWaits();
  }

  /**
   * Before {@link #beginStop}: what the flush cannot deliver is kept for {@link #takeLeftovers}, for
   * a successor that starts later, instead of being counted as dropped.
   */
  void keepUndelivered() {
    keepUndelivered = true;
  }

  /** At a hand-off, or a stop that keeps what it cannot deliver: the sender leaves its records here. */
  boolean leavesUndelivered() {
    return handingOff || keepUndelivered;
  }

  /** The budget is spent: the sender gives up wherever it is, but never in the middle of disk I/O. */
  void abort() {
    aborted = true;
    Thread thread = sender;
    if (thread != null) {
      diskIo.interrupt(thread);
    }
    doorbell.wake();
  }

  /** Called by the sender when every server failed during the stop's flush: waiting cannot help. */
  void giveUp() {
    gaveUp = true;
    aborted = true;
  }

  /** Why the records the sender ends with were not delivered, for the drop report. */
  String whyUndelivered() {
    if (gaveUp) {
      return "every server failed during the final flush at stop";
    }
    if (handingOff) {
      return "the appender replacing this one did not take them within shutdownTimeout";
    }
    return "still undelivered when shutdownTimeout ran out";
  }

  boolean isStopping() {
    return stopping;
  }

  long stopDeadlineNanos() {
    return stopDeadlineNanos;
  }

  boolean isHandingOff() {
    return handingOff;
  }

  boolean isAborted() {
    return aborted;
  }

  /** Some signal asks the sender to look up from what it waits for. */
  boolean isSignalled() {
    return stopping || handingOff || aborted;
  }

  /** On the sender thread at its end: keeps the records for the successor unless it gave up waiting. */
  synchronized boolean leaveForSuccessor(List<byte[]> undelivered) {
    if (leftoversAbandoned) {
      return false;
    }
    leftovers = undelivered;
    return true;
  }

  /**
   * Has {@code action} run by the sender as the very last thing it does; false (and not kept) if
   * it has done that already, and then the caller runs it.
   */
  synchronized boolean runAfterSender(Runnable action) {
    if (senderEnded) {
      return false;
    }
    afterSender = action;
    return true;
  }

  /** On the sender thread, last: what {@link #runAfterSender} left for it, or null. */
  synchronized Runnable senderEnded() {
    senderEnded = true;
    return afterSender;
  }

  /**
   * The records left at a hand-off once the sender has ended, or null if it has not: then they are
   * abandoned, and counted as dropped when it does end.
   */
  synchronized List<byte[]> takeLeftovers() {
    if (leftovers == null) {
      leftoversAbandoned = true;
      return null;
    }
    List<byte[]> taken = leftovers;
    leftovers = List.of();
    return taken;
  }
}
