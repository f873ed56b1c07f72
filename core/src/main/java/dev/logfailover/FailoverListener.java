package dev.logfailover;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the failover engine does, as it does it. Every method has an empty default, so a listener
 * implements only what it needs.
 *
 * <p>Threading: methods are called from the engine's sender thread and from its probe thread, never
 * from the application's logging threads. They must be thread-safe, fast, must not block on
 * external locks and must not throw.
 */
public interface FailoverListener {
  /** No-op listener. */
  FailoverListener NONE = new FailoverListener() {};

  /** A connection to {@code server} is established, at {@code address}. */
  default void connected(Endpoint server, InetSocketAddress address) {}

  /** One attempt to reach {@code server} failed (every resolved address was tried). */
  default void connectFailed(Endpoint server, IOException cause) {}

  /** The established connection to {@code server} failed (write error, stall, EOF, reset). */
  default void connectionLost(Endpoint server, IOException cause) {}

  /** The engine moved from {@code from}, which failed with {@code cause}, to {@code to}. */
  default void failedOver(Endpoint from, Endpoint to, IOException cause) {}

  /** Probes proved the primary healthy and the engine moved back to it from {@code from}. */
  default void failedBack(Endpoint from, Endpoint primary) {}

  /** A whole pass over the servers failed; the next attempt comes after {@code retryIn} (F4). */
  default void allServersDown(int failedAttempts, Duration retryIn) {}

  /** A probe of the primary succeeded; {@code consecutive} of {@code required} so far (F6d). */
  default void probeSucceeded(Endpoint primary, int consecutive, int required) {}

  /** A probe of the primary failed; the count of successes starts again (F6d). */
  default void probeFailed(Endpoint primary, IOException cause) {}

  /** {@code count} events were handed to the transport (plain TCP) or acknowledged. */
  default void eventsSent(int count) {}

  /**
   * {@code count} events that the failed server may have taken (written in full, not yet
   * acknowledged) will be sent again to the next one: at most this many duplicates (F14).
   */
  default void eventsResent(int count) {}

  /**
   * The sender thread met an error it has no rule for (a bug). After an exception it drops the
   * connection as failed and goes on (a batch struck twice is dropped and counted); after a JVM
   * {@link Error} it stops, and what it could not send is counted as dropped. Reported so that it
   * is never silent.
   */
  default void senderFailed(Throwable error) {}

  /**
   * {@code count} more events were encoded larger than {@code maxRecordSize} and not queued,
   * {@code total} so far; the largest was {@code largestBytes} bytes (F13).
   */
  default void eventsOversized(long count, long total, int largestBytes) {}

  /**
   * A server refused a batch of {@code count} events as a bad request (an HTTP 4xx, F16): they are
   * not sent again; {@code total} rejected since start; {@code reason} names the status and the
   * start of the response body.
   */
  default void eventsRejected(long count, long total, String reason) {}

  /**
   * {@code count} more events were dropped, {@code total} so far: the queue was full, or they were
   * still undelivered when the stop's {@code shutdownTimeout} ran out.
   */
  default void eventsDropped(long count, long total, String reason) {}

  /** The spill (F17) in {@code directory} cannot be used, or stopped working; {@code reason} says why. */
  default void spillUnavailable(Path directory, String reason) {}

  /** An earlier run left {@code events} in the spill ({@code bytes} on disk): they are sent first. */
  default void spillRecovered(long events, long bytes) {}

  /** Recovery skipped the last {@code skippedBytes} of {@code file}: a torn or corrupt tail ({@code why}). */
  default void spillDamaged(Path file, long skippedBytes, String why) {}

  /** At stop, {@code events} not yet sent were kept in the spill in {@code directory}, for the next start. */
  default void spillKept(Path directory, long events) {}
}
