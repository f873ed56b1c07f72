package dev.logfailover.internal.transport;

import dev.logfailover.Endpoint;
import java.io.IOException;
import java.time.Duration;

/**
 * A server answered that it is overloaded and named when to come back (HTTP 429 or 503 with
 * {@code Retry-After}, F16): a failure of that server, which is also left alone until then.
 */
public final class ServerBusyException extends IOException {
  private final transient Duration retryAfter;

  public ServerBusyException(Endpoint server, int status, Duration retryAfter, String detail) {
    super(server + " answered HTTP " + status + " with Retry-After " + retryAfter.toSeconds() + " s" + detail);
    this.retryAfter = retryAfter;
  }

  /** How long the server asked to be left alone, from when it answered. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
