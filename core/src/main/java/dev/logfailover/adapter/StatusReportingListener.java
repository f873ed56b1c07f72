package dev.logfailover.adapter;

import dev.logfailover.Endpoint;
import dev.logfailover.FailoverListener;
import dev.logfailover.internal.concurrent.Ticker;
import dev.logfailover.internal.status.StatusTracker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Turns the engine's events into status messages (F11): each names the appender, the server and
 * the cause, and goes to the framework's status system through a {@link StatusSink}. Messages are
 * rate-limited per kind and server; a message that follows held-back ones says how many.
 *
 * <p>Severity: run-time conditions (failures, switches, all servers down, drops) are WARN, never
 * ERROR: an unreachable collector is never a configuration error (F12), and tools that inspect the
 * framework's status after configuring (Spring Boot fails a start on any ERROR there) must not
 * mistake it for one. ERROR is left to configuration errors, and to a sender thread that died of a
 * bug. Connects and probe results are INFO. Thread-safe.
 */
public final class StatusReportingListener implements FailoverListener {
  private final String appenderName;
  private final StatusSink sink;
  private final RateLimiter limiter;

  /** A burst of 5 messages per kind and server, then one per 30 seconds. */
  public static StatusReportingListener forAppender(String appenderName, StatusSink sink) {
    return new StatusReportingListener(appenderName, sink, new RateLimiter(Ticker.SYSTEM, 5, Duration.ofSeconds(30)));
  }

  public StatusReportingListener(String appenderName, StatusSink sink, RateLimiter limiter) {
    this.appenderName = appenderName;
    this.sink = sink;
    this.limiter = limiter;
  }

  private String text(String key, String message) {
    long suppressed = limiter.tryPass(key);
    if (suppressed < 0) {
      return null;
    }
    String text = "[" + appenderName + "] " + message;
    return suppressed == 0 ? text : text + " (" + suppressed + " similar messages held back)";
  }

  private void info(String key, String message) {
    String text = text(key, message);
    if (text != null) {
      sink.info(text);
    }
  }

  private void warn(String key, String message, Throwable cause) {
    String text = text(key, message);
    if (text != null) {
      sink.warn(text, cause);
    }
  }

  private void error(String key, String message, Throwable cause) {
    String text = text(key, message);
    if (text != null) {
      sink.error(text, cause);
    }
  }

  private static String cause(Throwable cause) {
    return cause == null ? "unknown cause" : StatusTracker.describe(cause);
  }

  @Override
  public void connected(Endpoint server, InetSocketAddress address) {
    String ip = address.getAddress().getHostAddress();
    info("connected " + server, "Connected to " + server + (ip.equals(server.host()) ? "" : " at " + ip));
  }

  @Override
  public void connectFailed(Endpoint server, IOException cause) {
    warn("connectFailed " + server, "Cannot connect to " + server + ": " + cause(cause), null);
  }

  @Override
  public void connectionLost(Endpoint server, IOException cause) {
    warn("connectionLost " + server, "Connection to " + server + " failed: " + cause(cause), null);
  }

  @Override
  public void failedOver(Endpoint from, Endpoint to, IOException cause) {
    warn("failedOver " + from + to, "Failed over from " + from + " to " + to + "; cause: " + cause(cause), null);
  }

  @Override
  public void failedBack(Endpoint from, Endpoint primary) {
    info("failedBack", "Failed back to the primary " + primary + " from "
        + (from == null ? "no connection" : from.toString()) + ": its probes succeeded");
  }

  @Override
  public void allServersDown(int failedAttempts, Duration retryIn) {
    warn("allServersDown", "All servers are down (" + failedAttempts + " attempts in a row failed); next attempt in "
        + retryIn.toMillis() + " ms, events are queued meanwhile", null);
  }

  @Override
  public void probeSucceeded(Endpoint primary, int consecutive, int required) {
    info("probeSucceeded", "Probe of " + primary + " succeeded (" + consecutive + " of " + required + " in a row)");
  }

  @Override
  public void probeFailed(Endpoint primary, IOException cause) {
    info("probeFailed", "Probe of " + primary + " failed: " + cause(cause));
  }

  @Override
  public void senderFailed(Throwable error) {
    error("senderFailed", (error instanceof Error
        ? "The sender thread stopped on an unexpected error; events can no longer be sent: "
        : "The sender met an unexpected error, dropped its connection and goes on: ") + cause(error), error);
  }

  @Override
  public void eventsRejected(long count, long total, String reason) {
    // F16 says ERROR: the batch was refused as a bad request, which no failover can mend.
    error("eventsRejected", "Dropped " + count + " events (" + total + " rejected in all since start): the server"
        + " refused their batch as a bad request: " + reason, null);
  }

  @Override
  public void eventsOversized(long count, long total, int largestBytes) {
    warn("eventsOversized", "Dropped " + count + " events larger than maxRecordSize (" + total
        + " in all since start; the largest was " + largestBytes + " bytes)", null);
  }

  @Override
  public void eventsDropped(long count, long total, String reason) {
    warn("eventsDropped " + reason, "Dropped " + count + " events (" + total + " in all since start): " + reason,
        null);
  }

  @Override
  public void spillUnavailable(Path directory, String reason) {
    warn("spillUnavailable", "The spill in " + directory + " is not used: " + reason
        + "; events the queue cannot hold are dropped (counted)", null);
  }

  @Override
  public void spillRecovered(long events, long bytes) {
    info("spillRecovered", events + " events (" + bytes + " bytes) left in the spill by an earlier run are sent"
        + " first");
  }

  @Override
  public void spillDamaged(Path file, long skippedBytes, String why) {
    warn("spillDamaged", "Skipped the last " + skippedBytes + " bytes of spill segment " + file + ": " + why, null);
  }

  @Override
  public void spillKept(Path directory, long events) {
    info("spillKept", events + " events not yet sent are kept in the spill in " + directory
        + " and will be sent at the next start");
  }
}
