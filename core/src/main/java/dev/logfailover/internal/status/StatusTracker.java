package dev.logfailover.internal.status;

import dev.logfailover.Endpoint;
import dev.logfailover.FailoverListener;
import dev.logfailover.FailoverStatus;
import dev.logfailover.FailoverStatus.ServerState;
import dev.logfailover.FailoverStatus.ServerStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds {@link FailoverStatus} from the engine's events: a listener like any other. Thread-safe;
 * counters are atomic, so a snapshot is consistent per counter, not across counters.
 */
public final class StatusTracker implements FailoverListener {
  private final List<Endpoint> servers;
  private final FailoverStatus.Mode mode;
  private final Map<Endpoint, ServerStatus> serverStatus = new ConcurrentHashMap<>();
  private volatile Endpoint current;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong resent = new AtomicLong();
  private final AtomicLong failovers = new AtomicLong();
  private final AtomicLong failbacks = new AtomicLong();
  private final AtomicLong probesSucceeded = new AtomicLong();
  private final AtomicLong probesFailed = new AtomicLong();

  public StatusTracker(List<Endpoint> servers, FailoverStatus.Mode mode) {
    this.servers = List.copyOf(servers);
    this.mode = mode;
  }

  /** What the engine is waiting to send: queued in memory, and spilled to disk (F17). */
  public record Backlog(long queuedEvents, long queuedBytes, long spilledEvents, long spilledBytes,
      Duration oldestSpilledAge) {}

  /** The counts the queue's owner keeps exactly: drops, oversized and rejected events, and the backlog now. */
  public FailoverStatus snapshot(long dropped, long oversized, long rejected, Backlog backlog) {
    List<ServerStatus> states = new ArrayList<>();
    for (Endpoint server : servers) {
      states.add(serverStatus.getOrDefault(server, new ServerStatus(server, ServerState.UNTRIED, Optional.empty())));
    }
    return new FailoverStatus(mode, Optional.ofNullable(current), states, sent.get(), dropped, resent.get(), oversized, rejected,
        backlog.queuedEvents(), backlog.queuedBytes(), failovers.get(), failbacks.get(), probesSucceeded.get(),
        probesFailed.get(), backlog.spilledEvents(), backlog.spilledBytes(), backlog.oldestSpilledAge());
  }

  @Override
  public void connected(Endpoint server, InetSocketAddress address) {
    Endpoint previous = current;
    if (previous != null && !previous.equals(server)) {
      serverStatus.computeIfPresent(previous, (key, status) -> status.state() == ServerState.CONNECTED
          ? new ServerStatus(key, ServerState.IDLE, status.lastFailure()) : status);
    }
    current = server;
    serverStatus.compute(server, (key, status) ->
        new ServerStatus(key, ServerState.CONNECTED, status == null ? Optional.empty() : status.lastFailure()));
  }

  @Override
  public void connectFailed(Endpoint server, IOException cause) {
    failed(server, cause);
  }

  @Override
  public void connectionLost(Endpoint server, IOException cause) {
    if (server.equals(current)) {
      current = null;
    }
    failed(server, cause);
  }

  private void failed(Endpoint server, IOException cause) {
    serverStatus.put(server, new ServerStatus(server, ServerState.FAILED, Optional.of(describe(cause))));
  }

  @Override
  public void failedOver(Endpoint from, Endpoint to, IOException cause) {
    failovers.incrementAndGet();
  }

  @Override
  public void failedBack(Endpoint from, Endpoint primary) {
    failbacks.incrementAndGet();
  }

  @Override
  public void probeSucceeded(Endpoint primary, int consecutive, int required) {
    probesSucceeded.incrementAndGet();
  }

  @Override
  public void probeFailed(Endpoint primary, IOException cause) {
    probesFailed.incrementAndGet();
  }

  @Override
  public void eventsSent(int count) {
    sent.addAndGet(count);
  }

  @Override
  public void eventsResent(int count) {
    resent.addAndGet(count);
  }

  /** "ExceptionClass: message", the form status messages and {@link FailoverStatus} use. */
  public static String describe(Throwable cause) {
    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }
}
