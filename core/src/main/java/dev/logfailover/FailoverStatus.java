package dev.logfailover;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of one appender's failover engine (SPEC section 5): where it sends, how each server
 * fared, and the counters since start. Immutable. The spill's figures (F17) are 0 without a spill:
 * events and bytes on disk not yet sent, and how long ago the oldest of them was logged.
 */
public record FailoverStatus(
    Mode mode,
    Optional<Endpoint> currentServer,
    List<ServerStatus> servers,
    long eventsSent,
    long eventsDropped,
    long resent,
    long oversized,
    long rejected,
    long queuedEvents,
    long queuedBytes,
    long failovers,
    long failbacks,
    long probesSucceeded,
    long probesFailed,
    long spilledEvents,
    long spilledBytes,
    Duration oldestSpilledAge) {

  public FailoverStatus {
    servers = List.copyOf(servers);
  }

  /** Round-robin (F5) or failback (F6). */
  public enum Mode {
    ROUND_ROBIN,
    FAILBACK
  }

  /** What the engine last learned of a server. */
  public enum ServerState {
    /** Not tried since start. */
    UNTRIED,
    /** The current connection goes there. */
    CONNECTED,
    /** Worked, but the engine has since moved elsewhere without it failing (e.g. failback). */
    IDLE,
    /** Its last attempt or connection failed; see {@link ServerStatus#lastFailure()}. */
    FAILED
  }

  /** One server's state and its last failure, if any, as "ExceptionClass: message". */
  public record ServerStatus(Endpoint server, ServerState state, Optional<String> lastFailure) {}

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder()
        .append(mode).append(" mode, current ").append(currentServer.map(Endpoint::toString).orElse("none"))
        .append("; sent ").append(eventsSent).append(", dropped ").append(eventsDropped).append(", resent ").append(resent).append(", oversized ").append(oversized).append(", rejected ").append(rejected)
        .append(", queued ").append(queuedEvents).append(" (").append(queuedBytes).append(" bytes)")
        .append(", failovers ").append(failovers).append(", failbacks ").append(failbacks)
        .append(", probes ok ").append(probesSucceeded).append(", probes failed ").append(probesFailed);
    if (spilledEvents > 0) {
      text.append(", spilled ").append(spilledEvents).append(" (").append(spilledBytes).append(" bytes, oldest ")
          .append(oldestSpilledAge.toMillis()).append(" ms ago)");
    }
    for (ServerStatus server : servers) {
      text.append("\n  ").append(server.server()).append(' ').append(server.state());
      server.lastFailure().ifPresent(failure -> text.append(" (last failure: ").append(failure).append(')'));
    }
    return text.toString();
  }
}
