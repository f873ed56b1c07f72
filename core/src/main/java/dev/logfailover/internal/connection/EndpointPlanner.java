package dev.logfailover.internal.connection;

import dev.logfailover.Endpoint;
import java.util.List;

/**
 * Decides which server to try next (F1, F4, F5, F6). No I/O and no clock: the sender tells it what
 * happened and it answers where to go.
 *
 * <ul>
 *   <li>The first server is always the primary (F1).
 *   <li>A failed server is followed at once by the next in the rotation; only when every server of
 *       the rotation failed in a row is a pass complete, and the caller backs off (F4).
 *   <li>Round-robin mode: the rotation is the whole list, wrapping to the primary (F5).
 *   <li>Failback mode: once the primary fails it leaves the rotation, which is then the failover
 *       servers alone; only {@link #returnedToPrimary()} brings it back (F6, F6g).
 * </ul>
 *
 * <p>Not thread-safe: confined to the sender thread.
 */
public final class EndpointPlanner {
  private final List<Endpoint> servers;
  private final boolean failback;
  private int current;
  private boolean primaryInRotation = true;
  private int consecutiveFailedAttempts;

  /** @param servers the primary, then the failover servers; failback needs at least two */
  public EndpointPlanner(List<Endpoint> servers, boolean failback) {
    if (servers.isEmpty() || (failback && servers.size() < 2)) {
      throw new IllegalArgumentException("servers: " + servers + ", failback: " + failback);
    }
    this.servers = List.copyOf(servers);
    this.failback = failback;
  }

  /** The server to try, or the one the current connection goes to. */
  public Endpoint current() {
    return servers.get(current);
  }

  /** The first server of the list, where every start begins (F1). */
  public Endpoint primary() {
    return servers.get(0);
  }

  public boolean isOnPrimary() {
    return current == 0;
  }

  /** True in failback mode while the primary is out of the rotation: it must be probed (F6a, F6f). */
  public boolean isPrimaryAwaitingProbes() {
    return !primaryInRotation;
  }

  /**
   * An attempt at {@link #current()} failed. Moves to the next server and returns true when this
   * failure completed a whole pass, so the caller must back off before trying it (F4).
   */
  public boolean attemptFailed() {
    // When the primary leaves the rotation, the pass starts over with the failover servers alone.
    consecutiveFailedAttempts = advance() ? 0 : consecutiveFailedAttempts + 1;
    if (consecutiveFailedAttempts >= rotationSize()) {
      consecutiveFailedAttempts = 0;
      return true;
    }
    return false;
  }

  /** An attempt at {@link #current()} succeeded: the count of failures in a row starts again. */
  public void connected() {
    consecutiveFailedAttempts = 0;
  }

  /** The established connection to {@link #current()} failed: the next server is tried at once. */
  public void connectionLost() {
    consecutiveFailedAttempts = 0;
    advance();
  }

  /** Probes handed over a connection to the primary (F6e): it is current and in the rotation. */
  public void returnedToPrimary() {
    current = 0;
    primaryInRotation = true;
    consecutiveFailedAttempts = 0;
  }

  /** Moves to the next server of the rotation; returns true if the primary just left it. */
  private boolean advance() {
    boolean leavesPrimary = failback && current == 0;
    if (leavesPrimary) {
      primaryInRotation = false;
    }
    current = (current + 1) % servers.size();
    if (current == 0 && !primaryInRotation) {
      current = 1;
    }
    return leavesPrimary;
  }

  /** The servers of the rotation now, in order. */
  public List<Endpoint> rotation() {
    return primaryInRotation ? servers : servers.subList(1, servers.size());
  }

  /** How many failed attempts in a row make a whole pass now. */
  public int rotationSize() {
    return primaryInRotation ? servers.size() : servers.size() - 1;
  }
}
