package dev.logfailover.internal.sender;

import dev.logfailover.FailoverConfig;
import dev.logfailover.FailoverListener;
import dev.logfailover.FailoverStatus;
import dev.logfailover.OverflowPolicy;
import dev.logfailover.internal.concurrent.Backoff;
import dev.logfailover.internal.concurrent.Doorbell;
import dev.logfailover.internal.concurrent.RealScheduler;
import dev.logfailover.internal.concurrent.Scheduler;
import dev.logfailover.internal.concurrent.Ticker;
import dev.logfailover.internal.connection.ConnectAttempt;
import dev.logfailover.internal.connection.EndpointPlanner;
import dev.logfailover.internal.connection.TcpConnector;
import dev.logfailover.internal.failback.FailbackPolicy;
import dev.logfailover.internal.failback.PrimaryProber;
import dev.logfailover.internal.spill.SpillIo;
import dev.logfailover.internal.status.StatusTracker;
import dev.logfailover.internal.transport.Framer;
import dev.logfailover.internal.transport.Outbox;
import dev.logfailover.internal.transport.SessionFactory;
import dev.logfailover.internal.transport.Transports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One appender's failover engine: a bounded queue in front of one {@link SenderLoop} thread, and a
 * {@link PrimaryProber} on a {@link Scheduler} in failback mode; {@code FailoverSender} is its face.
 *
 * <p>Threading: {@link #send} is called by any number of application threads and touches only the
 * queue, the drop counter and the doorbell, never the network. {@link #start} and {@link #stop}
 * are serialized by the state's compare-and-set. The scheduler is shut down at stop only if this
 * engine created it.
 */
public final class Engine {
  /** How long stop() waits for the sender thread after interrupting it past shutdownTimeout (no spill). */
  private static final long ABORT_GRACE_MILLIS = 200;
  /** With a spill, the part of shutdownTimeout kept for writing what was not sent to disk, at most. */
  private static final long SPILL_RESERVE_NANOS = 500_000_000;
  /** A hand-off ends every wait on a connection; only a blocking connect waits this long for an interrupt. */
  private static final long HAND_OFF_WAIT_MILLIS = 100;
  /** Records the sender takes from the queue at a time. */
  static final int MAX_BATCH_RECORDS = 1024;

  enum State { NEW, STARTED, STOPPING, HANDED_OFF, STOPPED }

  private final FailoverConfig config;
  private final RecordQueue queue;
  private final DropCounter drops = new DropCounter();
  private final StatusTracker tracker;
  private final Scheduler scheduler;
  private final boolean ownsScheduler;
  private final Ticker ticker;
  private final Doorbell doorbell;
  private final SenderControl control;
  private final PrimaryProber prober;
  private final SenderLoop loop;
  private final SessionFactory transport;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final OverflowWait overflow;
  private final String name;
  /** Configured spill (F17); in use once {@link #start} could open it. */
  private final Spill spill;
  private volatile Spill spillInUse;
  private Thread senderThread;

  /**
   * @param scheduler runs the failback probes; null to create (and at stop, shut down) one
   * @param ticker the clock of every wait: backoff, timeouts, the stop's budget, probe schedules
   * @param transport opens sessions of the configured transport
   */
  public Engine(FailoverConfig config, FailoverListener listener, Scheduler scheduler, Ticker ticker,
      SessionFactory transport) {
    this(config, config.primary().host(), listener, scheduler, ticker, transport);
  }

  /** @param name the appender's name: its spill's sub-directory, and its threads' names */
  public Engine(FailoverConfig config, String name, FailoverListener listener, Scheduler scheduler, Ticker ticker,
      SessionFactory transport) {
    this(config, name, listener, scheduler, ticker, transport, SpillIo.DISK);
  }

  /** @param spillIo the spill's file operations: the disk, or in tests one that fails on cue */
  Engine(FailoverConfig config, String name, FailoverListener listener, Scheduler scheduler, Ticker ticker,
      SessionFactory transport, SpillIo spillIo) {
    this.config = config;
    this.name = name;
    this.transport = transport;
    this.queue = new RecordQueue(config.queueSize(), config.maxQueueBytes(), config.maxRecordSize());
    this.tracker = new StatusTracker(config.servers(),
        config.failback().isPresent() ? FailoverStatus.Mode.FAILBACK : FailoverStatus.Mode.ROUND_ROBIN);
    this.overflow = new OverflowWait(queue,
        config.overflowPolicy() == OverflowPolicy.BLOCK ? config.maxBlock().toNanos() : 0, ticker);
    this.ticker = ticker;
    FailoverListener both = new CompositeListener(tracker, listener);
    try {
      this.doorbell = Doorbell.open(ticker);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector for the sender", e);
    }
    DiskIoShield diskIo = new DiskIoShield();
    this.control = new SenderControl(doorbell, diskIo);
    HandOverSlot handOver = new HandOverSlot(doorbell);
    TcpConnector connector = new TcpConnector(config.resolver(), config.connectTimeout(), config.keepAlive());
    this.ownsScheduler = config.failback().isPresent() && scheduler == null;
    this.scheduler = ownsScheduler ? new RealScheduler("logfailover-probe-" + config.primary()) : scheduler;
    this.prober = config.failback()
        .map(failback -> new PrimaryProber(config.primary(), new FailbackPolicy(failback), connector::connect,
            this.scheduler, ticker, both, handOver::put))
        .orElse(null);
    Connector sessions = new Connector(new EndpointPlanner(config.servers(), config.failback().isPresent()),
        new ConnectAttempt(connector, transport, doorbell),
        new Backoff(config.reconnectDelay(), config.maxReconnectDelay()), prober, handOver, control, doorbell,
        both, drops);
    // Over HTTP a batch is one request: the outbox holds what a request may (at most the queue).
    int batch = config.http().map(http -> Math.min(http.maxBatchEvents(), config.queueSize()))
        .orElse(MAX_BATCH_RECORDS);
    this.loop = new SenderLoop(queue, new Outbox(batch), sessions, control, doorbell, drops, both);
    this.spill = config.spill()
        .map(settings -> new Spill(queue, settings, config.maxRecordSize(), name, spillIo, doorbell, diskIo, drops,
            both, System::currentTimeMillis))
        .orElse(null);
  }

  /** An engine on the system clock, with the transport the configuration names. */
  public static Engine create(FailoverConfig config, String name, FailoverListener listener) {
    return new Engine(config, name, listener, null, Ticker.SYSTEM, Transports.forConfig(config));
  }

  public void start() {
    if (!state.compareAndSet(State.NEW, State.STARTED)) {
      throw new IllegalStateException("an engine starts once; it is " + state.get());
    }
    if (spill != null) {
      // Opened at start, not before: a predecessor holds the directory until it hands off.
      List<byte[]> carried = loop.takeCarryOver();
      if (spill.open(carried, "logfailover-spill-" + name)) {
        loop.useSpill(spill);
        spillInUse = spill;
      } else {
        loop.carryOver(carried);
      }
    }
    senderThread = new Thread(loop, "logfailover-sender-" + config.primary());
    senderThread.setDaemon(true);
    senderThread.start();
  }

  /** See {@link dev.logfailover.FailoverSender#send(byte[])}. */
  public boolean send(byte[] record) {
    return send(record, 0, record.length);
  }

  /** See {@link dev.logfailover.FailoverSender#send(byte[], int, int)}. */
  public boolean send(byte[] bytes, int offset, int length) {
    State now = state.get();
    if (now == State.HANDED_OFF) {
      return false; // Not a drop: the caller sends it to the successor.
    }
    if (now != State.STARTED && now != State.NEW) {
      drops.dropWhileStopped();
      return false;
    }
    if (length > config.maxRecordSize()) {
      drops.dropOversized(length);
      doorbell.ring(); // an idle sender reports it now, not at the next event
      return false;
    }
    if (Framer.isEmpty(bytes, offset, length)) {
      drops.dropEmpty();
      doorbell.ring();
      return false;
    }
    long sequence = queue.offer(bytes, offset, length);
    Spill spilling = spillInUse;
    SpillWriter writer = spilling == null ? null : spilling.writer();
    if (sequence >= 0 || (sequence = overflow.offer(bytes, offset, length, writer)) >= 0) {
      doorbell.ring();
      if (writer != null) {
        writer.afterQueued();
      }
      return !tookBackAfterTheSenderEnded(sequence);
    }
    if (writer != null && writer.isFull()) {
      drops.dropNotSpilled(1, Spill.FULL);
    } else {
      drops.dropQueueFull();
    }
    return false;
  }

  /**
   * A hand-off or a stop that began while {@code record} was being queued may have drained the
   * queue for the last time already: take the record ({@code sequence}) back if it is still
   * there. After a hand-off the caller sends it to the successor; after a stop it is counted as
   * dropped. Either the stop's last drain or this counts it, never both.
   */
  private boolean tookBackAfterTheSenderEnded(long sequence) {
    State now = state.get();
    if (now == State.HANDED_OFF) {
      return queue.remove(sequence);
    }
    if (now == State.STOPPED && queue.remove(sequence)) {
      drops.dropWhileStopped();
      return true;
    }
    return false;
  }

  /**
   * See {@link dev.logfailover.FailoverSender#carryOver}: the oldest records are kept within this
   * engine's bounds ({@code queueSize}, {@code maxQueueBytes}, F13); the rest are dropped, counted.
   */
  public void carryOver(List<byte[]> records) {
    if (state.get() != State.NEW) {
      throw new IllegalStateException("carry-over records are taken before start; the engine is " + state.get());
    }
    int kept = 0;
    long bytes = 0;
    while (kept < records.size() && kept < config.queueSize()
        && bytes + records.get(kept).length <= config.maxQueueBytes()) {
      bytes += records.get(kept++).length;
    }
    loop.carryOver(records.subList(0, kept));
    drops.dropCarriedOverExcess(records.size() - kept);
  }

  /** See {@link dev.logfailover.FailoverSender#handOff}. */
  public List<byte[]> handOff() {
    if (!state.compareAndSet(State.STARTED, State.HANDED_OFF)) {
      return List.of();
    }
    control.beginHandOff();
    stopProbing();
    List<byte[]> leftovers;
    try {
      senderThread.join(HAND_OFF_WAIT_MILLIS);
      if (senderThread.isAlive()) {
        control.abort();
        // Interrupted, it cannot block again; on a loaded machine it may still wait for a core.
        // Only past shutdownTimeout are its records given up (and then counted as dropped).
        senderThread.join(Math.max(1, config.shutdownTimeout().toMillis()));
      }
    } catch (InterruptedException e) {
      control.abort();
      Thread.currentThread().interrupt();
    } finally {
      leftovers = control.takeLeftovers();
      transport.close();
    }
    List<byte[]> handed = new ArrayList<>(leftovers == null ? List.of() : leftovers);
    // Records offered after the loop drained the queue, by callers that raced the hand-off.
    queue.drainTo(handed, Integer.MAX_VALUE);
    return handed;
  }

  public boolean isRetired() {
    return state.get() == State.HANDED_OFF;
  }

  private void stopProbing() {
    if (prober != null) {
      prober.stop();
    }
    if (ownsScheduler) {
      scheduler.shutdown();
    }
  }

  /** See {@link dev.logfailover.FailoverSender#stop}. */
  public void stop() {
    stop(false);
  }

  /** See {@link dev.logfailover.FailoverSender#stopKeepingUndelivered}. */
  public List<byte[]> stopKeepingUndelivered() {
    return stop(true);
  }

  private List<byte[]> stop(boolean keepUndelivered) {
    if (state.compareAndSet(State.NEW, State.STOPPED)) {
      // Never started: whatever was queued for it can go nowhere, unless a successor takes it.
      List<byte[]> queued = keepUndelivered ? takeQueued() : dropWhatCameTooLate();
      doorbell.close();
      stopProbing();
      transport.close();
      return queued;
    }
    if (!state.compareAndSet(State.STARTED, State.STOPPING)) {
      return List.of();
    }
    long timeoutNanos = config.shutdownTimeout().toNanos();
    if (keepUndelivered) {
      control.keepUndelivered();
    }
    // With a spill, sending ends early enough for the sender to write what is left to disk in time.
    long reserveNanos = spillInUse == null ? 0 : Math.min(timeoutNanos / 4, SPILL_RESERVE_NANOS);
    control.beginStop(ticker.nanoTime() + timeoutNanos - reserveNanos);
    stopProbing();
    awaitSender(timeoutNanos);
    state.set(State.STOPPED);
    transport.close();
    if (spillInUse != null && senderThread.isAlive()) {
      // Still writing to its spill, which takes the queue too: what comes after its last look is
      // counted by whichever of the two ends last; late callers take back their own.
      if (!control.runAfterSender(this::dropWhatCameTooLate)) {
        dropWhatCameTooLate();
      }
      List<byte[]> leftovers = keepUndelivered ? control.takeLeftovers() : null;
      return leftovers == null ? List.of() : leftovers;
    }
    if (!keepUndelivered) {
      return dropWhatCameTooLate();
    }
    List<byte[]> leftovers = control.takeLeftovers();
    List<byte[]> kept = new ArrayList<>(leftovers == null ? List.of() : leftovers);
    kept.addAll(takeQueued());
    return kept;
  }

  /**
   * Waits for the sender's flush, up to {@code timeoutNanos} in real time; then aborts it. Without
   * a spill it gets a short grace to count what it held; with one, stop() returns at once: the
   * sender, past any send, writes to disk what it held (never interrupted there) and counts what the
   * spill could not take.
   */
  private void awaitSender(long timeoutNanos) {
    try {
      senderThread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
      if (senderThread.isAlive()) {
        control.abort();
        if (spillInUse == null) {
          senderThread.join(ABORT_GRACE_MILLIS);
        }
      }
    } catch (InterruptedException e) {
      control.abort();
      Thread.currentThread().interrupt();
    }
  }

  private List<byte[]> takeQueued() {
    List<byte[]> queued = new ArrayList<>();
    queue.drainTo(queued, Integer.MAX_VALUE);
    return queued;
  }

  /** Records queued by callers that raced the stop, after the sender's last drain: counted. */
  private List<byte[]> dropWhatCameTooLate() {
    takeQueued().forEach(record -> drops.dropWhileStopped());
    return List.of();
  }

  public boolean isStarted() {
    return state.get() == State.STARTED;
  }

  public FailoverStatus status() {
    Spill spilling = spillInUse;
    return tracker.snapshot(drops.total(), drops.oversized(), drops.rejected(), new StatusTracker.Backlog(
        queue.size(), queue.bytes(), spilling == null ? 0 : spilling.spilledEvents(),
        spilling == null ? 0 : spilling.spilledBytes(),
        Duration.ofMillis(spilling == null ? 0 : spilling.oldestSpilledAgeMillis())));
  }
}
