package dev.logfailover.internal.failback;

import dev.logfailover.Endpoint;
import dev.logfailover.FailoverListener;
import dev.logfailover.internal.concurrent.Scheduler;
import dev.logfailover.internal.concurrent.Ticker;
import dev.logfailover.internal.connection.TcpConnector;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * Probes the primary with plain TCP connects on the {@link Scheduler}'s thread, off the sending
 * path, so a slow probe never delays events (F6b, F6c). Each probe resolves the name afresh and is
 * bounded by {@code connectTimeout} ({@link ProbeConnector}). When {@link FailbackPolicy} says the
 * primary earned its return, the last probe's connected channel is handed to the sender (F6e);
 * every other successful probe's socket is closed at once (F6d).
 *
 * <p>Thread-safe: {@link #start()} and {@link #stop()} come from the sender thread, probes run on the
 * scheduler's; the policy and the pending task are guarded by {@code this}. A probe's connect runs
 * outside the lock.
 */
public final class PrimaryProber {
  private final Endpoint primary;
  private final ProbeConnector connector;
  private final Scheduler scheduler;
  private final Ticker ticker;
  private final FailoverListener listener;
  private final Consumer<SocketChannel> handover;

  /** Guarded by this. */
  private final FailbackPolicy policy;
  /** Guarded by this. */
  private Scheduler.Cancellable pending;

  /** Opens a plain TCP connection to a server; the real one is {@code TcpConnector::connect}. */
  @FunctionalInterface
  public interface ProbeConnector {
    SocketChannel connect(Endpoint server) throws IOException;
  }

  public PrimaryProber(Endpoint primary, FailbackPolicy policy, ProbeConnector connector, Scheduler scheduler,
      Ticker ticker, FailoverListener listener, Consumer<SocketChannel> handover) {
    this.primary = primary;
    this.policy = policy;
    this.connector = connector;
    this.scheduler = scheduler;
    this.ticker = ticker;
    this.listener = listener;
    this.handover = handover;
  }

  /** The client left the primary: start probing it (F6a, F6g). Idempotent while probing. */
  public synchronized void start() {
    if (policy.isActive()) {
      return;
    }
    policy.start(ticker.nanoTime());
    scheduleNext();
  }

  /** The client is on the primary again, or stopping: no further probes. */
  public synchronized void stop() {
    policy.stop();
    if (pending != null) {
      pending.cancel();
      pending = null;
    }
  }

  public synchronized boolean isProbing() {
    return policy.isActive();
  }

  /** Guarded by this. */
  private void scheduleNext() {
    long delay = policy.nanosUntilNextProbe(ticker.nanoTime());
    pending = delay < 0 ? null : scheduler.schedule(this::probe, delay);
  }

  private void probe() {
    synchronized (this) {
      pending = null;
      if (!policy.isActive()) {
        return;
      }
      policy.probeStarted(ticker.nanoTime());
    }
    SocketChannel channel = null;
    IOException failure = null;
    try {
      channel = connector.connect(primary);
    } catch (IOException e) {
      failure = e;
    }
    boolean handOver;
    int successes;
    synchronized (this) {
      boolean stillWanted = policy.isActive();
      handOver = policy.probeFinished(ticker.nanoTime(), channel != null);
      successes = handOver ? policy.required() : policy.successes();
      if (!stillWanted) {
        // Stopped while this probe ran: its result no longer matters.
        TcpConnector.closeQuietly(channel);
        policy.stop();
        return;
      }
      scheduleNext();
    }
    if (failure != null) {
      listener.probeFailed(primary, failure);
      return;
    }
    listener.probeSucceeded(primary, successes, policy.required());
    if (handOver) {
      handover.accept(channel);
    } else {
      TcpConnector.closeQuietly(channel);
    }
  }

}
