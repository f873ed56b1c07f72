package dev.logfailover.internal.connection;

import dev.logfailover.Endpoint;
import dev.logfailover.internal.transport.Session;
import java.io.IOException;

/**
 * What one attempt at a server gave: a session, or the failure with every address's cause (the
 * first as the exception, the others suppressed). Immutable.
 */
public record AttemptResult(Endpoint server, Session session, IOException failure) {
  static AttemptResult opened(Session session) {
    return new AttemptResult(session.server(), session, null);
  }

  static AttemptResult failed(Endpoint server, IOException failure) {
    return new AttemptResult(server, null, failure);
  }

  public boolean succeeded() {
    return session != null;
  }
}
