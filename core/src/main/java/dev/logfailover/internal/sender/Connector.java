package dev.logfailover.internal.sender;

import dev.logfailover.Endpoint;
import dev.logfailover.FailoverListener;
import dev.logfailover.internal.concurrent.Backoff;
import dev.logfailover.internal.concurrent.Doorbell;
import dev.logfailover.internal.concurrent.Ticker;
import dev.logfailover.internal.connection.AttemptResult;
import dev.logfailover.internal.connection.ConnectAttempt;
import dev.logfailover.internal.connection.EndpointPlanner;
import dev.logfailover.internal.failback.PrimaryProber;
import dev.logfailover.internal.transport.ServerBusyException;
import dev.logfailover.internal.transport.Session;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Gets the sender a session: asks the planner where to go, makes the attempt, backs off after a
 * whole failed pass (F4), keeps the prober running while the primary is out of the rotation (F6a,
 * F6f, F6g), adopts the connection probes hand over (F6e), and reports every connect, failure and
 * switch to the listener (F11).
 *
 * <p>Not thread-safe: the sender thread's. The prober and the control signals reach it through
 * the {@link HandOverSlot} and {@link SenderControl}.
 */
final class Connector {
  /** While every server is down, drops are still reported at least this often. */
  private static final long DROP_REPORT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final EndpointPlanner planner;
  private final ConnectAttempt attempt;
  private final Backoff backoff;
  /** Null in round-robin mode. */
  private final PrimaryProber prober;
  private final HandOverSlot handOver;
  private final SenderControl control;
  private final Doorbell doorbell;
  private final Ticker ticker;
  private final FailoverListener listener;
  private final DropCounter drops;
  private final Outage outage;
  /** Servers that asked to be left alone (Retry-After, F16), until when on the ticker. */
  private final Map<Endpoint, Long> restingUntil = new HashMap<>();

  Connector(EndpointPlanner planner, ConnectAttempt attempt, Backoff backoff, PrimaryProber prober,
      HandOverSlot handOver, SenderControl control, Doorbell doorbell, FailoverListener listener, DropCounter drops) {
    this.planner = planner;
    this.attempt = attempt;
    this.backoff = backoff;
    this.prober = prober;
    this.handOver = handOver;
    this.control = control;
    this.doorbell = doorbell;
    this.ticker = doorbell.ticker();
    this.listener = listener;
    this.drops = drops;
    this.outage = new Outage(listener);
  }

  /** One attempt at the planner's current server: its session, or null after the failure is handled. */
  Session connect() throws IOException {
    Endpoint target = planner.current();
    Long resting = restingUntil.get(target);
    if (resting != null && resting - ticker.nanoTime() > 0) {
      attemptFailed(target, new IOException(target + " asked to be left alone for "
          + Duration.ofNanos(resting - ticker.nanoTime()).toMillis() + " ms more (Retry-After)"));
      return null;
    }
    restingUntil.remove(target);
    AttemptResult result = attempt.attempt(target);
    if (!result.succeeded() && control.isHandingOff()) {
      return null; // The hand-off cut the handshake short: not the server's failure.
    }
    if (!result.succeeded()) {
      attemptFailed(result.server(), result.failure());
      return null;
    }
    planner.connected();
    backoff.reset();
    Session session = result.session();
    listener.connected(session.server(), session.remoteAddress());
    outage.endedAt(session.server());
    if (planner.isOnPrimary() && prober != null) {
      prober.stop();
    }
    return session;
  }

  private void attemptFailed(Endpoint target, IOException cause) throws IOException {
    listener.connectFailed(target, cause);
    outage.attemptFailed(target, cause);
    boolean passComplete = planner.attemptFailed();
    startProbingIfPrimaryLeft();
    if (!passComplete) {
      return; // F4: the next server is tried at once.
    }
    if (control.isStopping()) {
      // Every server failed during the stop's flush: waiting longer cannot help within the budget.
      control.giveUp();
      return;
    }
    long delayNanos = untilEveryServerRested().orElseGet(backoff::nextDelayNanos);
    listener.allServersDown(planner.rotationSize(), Duration.ofNanos(delayNanos));
    pauseUntil(ticker.nanoTime() + delayNanos);
  }

  /**
   * When every server of the rotation asked to be left alone, how long until the first may be
   * tried again: that is the wait then, not the backoff (the only server busy: the sender waits).
   */
  private Optional<Long> untilEveryServerRested() {
    long now = ticker.nanoTime();
    long earliest = Long.MAX_VALUE;
    for (Endpoint server : planner.rotation()) {
      Long until = restingUntil.get(server);
      if (until == null || until - now <= 0) {
        return Optional.empty();
      }
      earliest = Math.min(earliest, until - now);
    }
    return Optional.of(earliest);
  }

  /** Waits out the backoff, waking early for a signal or a connection handed over by probes. */
  private void pauseUntil(long deadlineNanos) throws IOException {
    long remaining;
    while ((remaining = deadlineNanos - ticker.nanoTime()) > 0 && !control.isSignalled() && handOver.isEmpty()) {
      long wakeAt = ticker.nanoTime() + Math.min(remaining, DROP_REPORT_NANOS);
      doorbell.pause(wakeAt, () -> !control.isSignalled() && handOver.isEmpty());
      drops.report(listener);
    }
  }

  /**
   * If probes handed over a connection to the primary, opens a session on it and returns it in
   * place of {@code current}, which is closed; otherwise returns {@code current}. Called between
   * batches, so nothing is lost or reordered across the switch (F6e).
   */
  Session adoptHandedOverPrimary(Session current) {
    SocketChannel channel = handOver.take();
    if (channel == null) {
      return current;
    }
    AttemptResult result = attempt.open(planner.primary(), channel);
    if (!result.succeeded()) {
      listener.connectFailed(result.server(), result.failure());
      prober.start();
      return current;
    }
    // A failed attempt since the hand-over may have started a new round of probes: end it.
    prober.stop();
    planner.returnedToPrimary();
    backoff.reset();
    outage.clear();
    Session primary = result.session();
    listener.connected(primary.server(), primary.remoteAddress());
    listener.failedBack(current == null ? null : current.server(), primary.server());
    if (current != null) {
      current.close();
    }
    return primary;
  }

  /** The session to {@code server} failed (and is closed): the next server is tried at once. */
  void connectionLost(Endpoint server, IOException cause) {
    if (cause instanceof ServerBusyException busy) {
      // Retry-After is the server's word, capped at maxReconnectDelay (F16): never a year, never an overflow.
      long restNanos = busy.retryAfter().compareTo(Duration.ofNanos(backoff.maxDelayNanos())) > 0
          ? backoff.maxDelayNanos() : busy.retryAfter().toNanos();
      restingUntil.put(server, ticker.nanoTime() + restNanos);
    }
    listener.connectionLost(server, cause);
    outage.connectionLost(server, cause);
    planner.connectionLost();
    startProbingIfPrimaryLeft();
  }

  boolean isHandOverWaiting() {
    return !handOver.isEmpty();
  }

  /** The sender has ended: a connection handed over from now on is closed at once. */
  void close() {
    handOver.close();
  }

  private void startProbingIfPrimaryLeft() {
    if (prober != null && planner.isPrimaryAwaitingProbes() && !control.isStopping()) {
      prober.start();
    }
  }
}
