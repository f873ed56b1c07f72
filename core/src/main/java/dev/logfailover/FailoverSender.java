package dev.logfailover;

import dev.logfailover.internal.sender.Engine;
import java.util.List;

/**
 * One appender's failover engine: a bounded queue, a background sender thread that owns the
 * connection, and (in failback mode) a prober. The appenders of both frameworks sit on it; the
 * engine itself is internal and knows nothing of this class.
 *
 * <p>Threading: {@link #send} is thread-safe and never waits on the network; {@link #start} and
 * {@link #stop} are called by the framework's lifecycle, one at a time.
 */
public final class FailoverSender {
  private final Engine engine;

  private FailoverSender(Engine engine) {
    this.engine = engine;
  }

  /** Creates a stopped engine for {@code config}, reporting to {@code listener}, named after the primary's host. */
  public static FailoverSender create(FailoverConfig config, FailoverListener listener) {
    return create(config, config.primary().host(), listener);
  }

  /**
   * Creates a stopped engine named {@code name} (the appender's name: its threads and its spill's
   * sub-directory, F17, are named after it).
   */
  public static FailoverSender create(FailoverConfig config, String name, FailoverListener listener) {
    return new FailoverSender(Engine.create(config, name, listener));
  }

  /** Starts the sender thread; the first attempt goes to the primary (F1). */
  public void start() {
    engine.start();
  }

  /**
   * Queues one encoded record (without framing; one trailing line separator is dropped). Records
   * queued before {@link #start} are sent once it starts, after any carry-over. Returns false when
   * the record was dropped: queue full under {@code drop}, {@code maxBlock} spent under {@code
   * block}, an empty record (nothing but a line separator, if that), or the engine stopping or
   * stopped; every drop is counted. Also false, without a drop,
   * once the engine {@link #isRetired() retired}.
   */
  public boolean send(byte[] record) {
    return engine.send(record);
  }

  /**
   * {@link #send(byte[])} for the record of {@code length} bytes at {@code offset}, which is copied
   * before this returns: the caller may reuse {@code bytes} at once, so queueing allocates nothing.
   */
  public boolean send(byte[] bytes, int offset, int length) {
    return engine.send(bytes, offset, length);
  }

  /**
   * Flushes what is queued to the current server, bounded by {@code shutdownTimeout}, then closes
   * every socket and thread (F10). Events still undelivered at the bound are counted as dropped.
   * Idempotent.
   */
  public void stop() {
    engine.stop();
  }

  /**
   * {@link #stop()} for a reconfiguration whose successor starts only after this engine stopped
   * (as Logback's does): the flush is the same, but what it cannot deliver within {@code
   * shutdownTimeout} (every server down, say) is returned, oldest first, for the successor's
   * {@link #carryOver}, instead of being counted as dropped.
   */
  public List<byte[]> stopKeepingUndelivered() {
    return engine.stopKeepingUndelivered();
  }

  public boolean isStarted() {
    return engine.isStarted();
  }

  /**
   * Before {@link #start}: records a predecessor handed off, to be sent before anything queued
   * here. They are not bound by {@code queueSize}: a reconfiguration never drops an event.
   */
  public void carryOver(List<byte[]> records) {
    engine.carryOver(records);
  }

  /**
   * Hands this engine's work to a successor (a reconfiguration of the logging framework): stops
   * promptly, without flushing, and returns every undelivered record, oldest first, for the
   * successor's {@link #carryOver}. Afterwards {@link #send} refuses without counting a drop and
   * {@link #isRetired()} is true, so a caller that raced the hand-off sends to the successor.
   */
  public List<byte[]> handOff() {
    return engine.handOff();
  }

  /** True once {@link #handOff()} has begun. */
  public boolean isRetired() {
    return engine.isRetired();
  }

  /** A snapshot of where it sends and the counters; keeps answering after stop. */
  public FailoverStatus status() {
    return engine.status();
  }
}
