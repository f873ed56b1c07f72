package dev.logfailover;

import dev.logfailover.internal.sender.RealFailoverSender;

/**
 * One appender's failover engine: a bounded queue, a background sender thread that owns the
 * connection, and (in failback mode) a prober. The appenders of both frameworks sit on it.
 *
 * <p>Threading: {@link #send} is thread-safe and never waits on the network; {@link #start} and
 * {@link #stop} are called by the framework's lifecycle, one at a time.
 */
public interface FailoverSender {

  /** Creates a stopped engine for {@code config}, reporting to {@code listener}. */
  static FailoverSender create(FailoverConfig config, FailoverListener listener) {
    return RealFailoverSender.create(config, listener);
  }

  /** Starts the sender thread; the first attempt goes to the primary (F1). */
  void start();

  /**
   * Queues one encoded record (without framing; one trailing line separator is dropped). Returns
   * false when the record was dropped: queue full under {@code drop}, {@code maxBlock} spent under
   * {@code block}, or the engine not started. Every drop is counted.
   */
  boolean send(byte[] record);

  /**
   * Flushes what is queued to the current server, bounded by {@code shutdownTimeout}, then closes
   * every socket and thread (F10). Events still undelivered at the bound are counted as dropped.
   * Idempotent.
   */
  void stop();

  boolean isStarted();

  FailoverStatus status();
}
