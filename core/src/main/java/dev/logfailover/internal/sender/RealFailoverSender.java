package dev.logfailover.internal.sender;

import dev.logfailover.FailoverConfig;
import dev.logfailover.FailoverListener;
import dev.logfailover.FailoverSender;
import dev.logfailover.FailoverStatus;
import dev.logfailover.OverflowPolicy;
import dev.logfailover.internal.concurrent.RealScheduler;
import dev.logfailover.internal.concurrent.Scheduler;
import dev.logfailover.internal.concurrent.Ticker;
import dev.logfailover.internal.connection.TcpConnector;
import dev.logfailover.internal.failback.FailbackPolicy;
import dev.logfailover.internal.failback.PrimaryProber;
import dev.logfailover.internal.status.StatusTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link FailoverSender}: a bounded queue in front of one {@link SenderLoop} thread, and a
 * {@link PrimaryProber} on a {@link Scheduler} in failback mode.
 *
 * <p>Threading: {@link #send} is called by any number of application threads and touches only the
 * queue and the drop counter, never the network. {@link #start} and {@link #stop} are serialized by
 * the state's compare-and-set. The scheduler is shut down at stop only if this sender created it.
 */
public final class RealFailoverSender implements FailoverSender {
  /** How long stop() waits for the sender thread after interrupting it past shutdownTimeout. */
  private static final long ABORT_GRACE_MILLIS = 200;
  /** How long a hand-off lets the sender finish its step before interrupting it (nothing is lost). */
  private static final long HAND_OFF_WAIT_MILLIS = 100;

  enum State { NEW, STARTED, STOPPING, HANDED_OFF, STOPPED }

  private final FailoverConfig config;
  private final BlockingQueue<byte[]> queue;
  private final DropCounter drops = new DropCounter();
  private final StatusTracker tracker;
  private final Scheduler scheduler;
  private final boolean ownsScheduler;
  private final SenderLoop loop;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final long maxBlockNanos;
  private Thread senderThread;

  /**
   * @param scheduler runs the failback probes; null to create (and at stop, shut down) one
   * @param ticker the clock of the probe schedule
   */
  public RealFailoverSender(FailoverConfig config, FailoverListener listener, Scheduler scheduler, Ticker ticker) {
    this.config = config;
    this.queue = new ArrayBlockingQueue<>(config.queueSize());
    this.tracker = new StatusTracker(config.servers(),
        config.failback().isPresent() ? FailoverStatus.Mode.FAILBACK : FailoverStatus.Mode.ROUND_ROBIN);
    this.maxBlockNanos = config.maxBlock().toNanos();
    FailoverListener both = new CompositeListener(tracker, listener);
    TcpConnector connector = new TcpConnector(config.resolver(), config.connectTimeout(), config.keepAlive());
    if (config.failback().isPresent()) {
      this.ownsScheduler = scheduler == null;
      this.scheduler = scheduler != null ? scheduler : new RealScheduler("logfailover-probe-" + config.primary());
    } else {
      this.ownsScheduler = false;
      this.scheduler = null;
    }
    SenderLoop[] created = new SenderLoop[1];
    PrimaryProber prober = config.failback()
        .map(failback -> new PrimaryProber(config.primary(), new FailbackPolicy(failback), connector::connect,
            this.scheduler, ticker, both, channel -> created[0].handOver(channel)))
        .orElse(null);
    created[0] = new SenderLoop(config, queue, drops, both, connector, prober);
    this.loop = created[0];
  }

  public static RealFailoverSender create(FailoverConfig config, FailoverListener listener) {
    return new RealFailoverSender(config, listener, null, Ticker.SYSTEM);
  }

  @Override
  public void start() {
    if (!state.compareAndSet(State.NEW, State.STARTED)) {
      throw new IllegalStateException("a FailoverSender starts once; it is " + state.get());
    }
    senderThread = new Thread(loop, "logfailover-sender-" + config.primary());
    senderThread.setDaemon(true);
    senderThread.start();
  }

  @Override
  public boolean send(byte[] record) {
    State now = state.get();
    if (now == State.HANDED_OFF) {
      return false; // Not a drop: the caller sends it to the successor.
    }
    if (now != State.STARTED && now != State.NEW) {
      drops.dropWhileStopped();
      return false;
    }
    if (queue.offer(record) || offerBlocking(record)) {
      // A hand-off that began meanwhile may have drained the queue already: take the record back
      // if it is still there, and let the caller send it to the successor.
      return !(state.get() == State.HANDED_OFF && queue.remove(record));
    }
    drops.dropQueueFull();
    return false;
  }

  private boolean offerBlocking(byte[] record) {
    if (config.overflowPolicy() != OverflowPolicy.BLOCK || maxBlockNanos == 0) {
      return false;
    }
    try {
      return queue.offer(record, maxBlockNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void carryOver(List<byte[]> records) {
    if (state.get() != State.NEW) {
      throw new IllegalStateException("carry-over records are taken before start; the sender is " + state.get());
    }
    loop.carryOver(records);
  }

  @Override
  public List<byte[]> handOff() {
    if (!state.compareAndSet(State.STARTED, State.HANDED_OFF)) {
      return List.of();
    }
    loop.beginHandOff();
    shutDownOwnScheduler();
    List<byte[]> leftovers;
    try {
      senderThread.join(HAND_OFF_WAIT_MILLIS);
      if (senderThread.isAlive()) {
        loop.abort();
        // Interrupted, it cannot block again; on a loaded machine it may still wait for a core.
        // Only past shutdownTimeout are its records given up (and then counted as dropped).
        senderThread.join(Math.max(1, config.shutdownTimeout().toMillis()));
      }
    } catch (InterruptedException e) {
      loop.abort();
      Thread.currentThread().interrupt();
    } finally {
      leftovers = loop.takeLeftovers();
    }
    List<byte[]> handed = new ArrayList<>(leftovers == null ? List.of() : leftovers);
    // Records offered after the loop drained the queue, by callers that raced the hand-off.
    queue.drainTo(handed);
    return handed;
  }

  @Override
  public boolean isRetired() {
    return state.get() == State.HANDED_OFF;
  }

  private void shutDownOwnScheduler() {
    if (scheduler != null && ownsScheduler) {
      scheduler.shutdown();
    }
  }

  @Override
  public void stop() {
    if (state.compareAndSet(State.NEW, State.STOPPED)) {
      // Never started: whatever was queued for it can go nowhere.
      for (int i = queue.size(); i > 0 && queue.poll() != null; i--) {
        drops.dropWhileStopped();
      }
      return;
    }
    if (!state.compareAndSet(State.STARTED, State.STOPPING)) {
      return;
    }
    long timeoutNanos = config.shutdownTimeout().toNanos();
    loop.beginStop(System.nanoTime() + timeoutNanos);
    shutDownOwnScheduler();
    try {
      senderThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
      if (senderThread.isAlive()) {
        loop.abort();
        senderThread.join(ABORT_GRACE_MILLIS);
      }
    } catch (InterruptedException e) {
      loop.abort();
      Thread.currentThread().interrupt();
    } finally {
      state.set(State.STOPPED);
    }
  }

  @Override
  public boolean isStarted() {
    return state.get() == State.STARTED;
  }

  @Override
  public FailoverStatus status() {
    return tracker.snapshot(drops.total());
  }
}
