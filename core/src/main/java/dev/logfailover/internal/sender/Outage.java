package dev.logfailover.internal.sender;

import dev.logfailover.Endpoint;
import dev.logfailover.FailoverListener;
import java.io.IOException;

/**
 * The time without a connection: which server's failure began it and why, so that the connection
 * that ends it is reported as a failover from there (F11), however many attempts came between.
 *
 * <p>Not thread-safe: the sender thread's.
 */
final class Outage {
  private final FailoverListener listener;
  private Endpoint from;
  private IOException cause;

  Outage(FailoverListener listener) {
    this.listener = listener;
  }

  /** An established connection failed: the outage begins there. */
  void connectionLost(Endpoint server, IOException failure) {
    from = server;
    cause = failure;
  }

  /** An attempt failed: it begins the outage only if none is under way (the first start). */
  void attemptFailed(Endpoint server, IOException failure) {
    if (from == null) {
      connectionLost(server, failure);
    }
  }

  /** A connection to {@code server} ends the outage: a failover if it began elsewhere. */
  void endedAt(Endpoint server) {
    if (from != null && !from.equals(server)) {
      listener.failedOver(from, server, cause);
    }
    clear();
  }

  /** Failback ends it without a failover. */
  void clear() {
    from = null;
    cause = null;
  }
}
