package dev.logfailover.internal.sender;

import dev.logfailover.Endpoint;
import dev.logfailover.FailoverConfig;
import dev.logfailover.FailoverListener;
import dev.logfailover.internal.concurrent.Backoff;
import dev.logfailover.internal.connection.Connection;
import dev.logfailover.internal.connection.EndpointPlanner;
import dev.logfailover.internal.connection.Framer;
import dev.logfailover.internal.connection.Outbox;
import dev.logfailover.internal.connection.PlainTcpConnection;
import dev.logfailover.internal.connection.TcpConnector;
import dev.logfailover.internal.connection.TlsConnection;
import dev.logfailover.internal.failback.PrimaryProber;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The body of the sender thread: takes batches from the queue, keeps one connection and fails over
 * (F3, F4), adopts the prober's connection to the primary (F6e), and flushes at stop (F10).
 *
 * <p>Threading: everything here runs on the sender thread, which alone owns the connection and the
 * outbox. Other threads talk to it only through {@link #handOver}, {@link #beginStop}, {@link
 * #beginHandOff}, {@link #takeLeftovers} and {@link #abort}, which are thread-safe, and {@link
 * #carryOver}, called before the thread starts.
 */
final class SenderLoop implements Runnable {
  /** How often an idle sender checks its connection for the server's FIN and for a stop. */
  static final long IDLE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final int MAX_BATCH_RECORDS = 1024;

  private final FailoverConfig config;
  private final BlockingQueue<byte[]> queue;
  private final DropCounter drops;
  private final FailoverListener listener;
  private final TcpConnector connector;
  private final EndpointPlanner planner;
  private final Backoff backoff;
  /** Null in round-robin mode. */
  private final PrimaryProber prober;
  private final Outbox outbox;
  private final AtomicReference<SocketChannel> handover = new AtomicReference<>();

  /** Records handed over by a predecessor (reconfiguration); sent before the queue. */
  private final BlockingQueue<byte[]> carryOver = new LinkedBlockingQueue<>();

  private volatile Thread thread;
  private volatile boolean handingOff;
  /** Guarded by this: the undelivered records at a hand-off, or whether nobody waits for them. */
  private List<byte[]> leftovers;
  private boolean leftoversAbandoned;
  private volatile boolean stopping;
  private volatile long stopDeadlineNanos;
  private volatile boolean aborted;
  /** The connection; written only by the sender thread, read by {@link #abort} to unblock it. */
  private volatile Connection connection;

  /** The server whose failure began the current time without a connection, and why. */
  private Endpoint failingFrom;
  private IOException failingCause;

  SenderLoop(FailoverConfig config, BlockingQueue<byte[]> queue, DropCounter drops, FailoverListener listener,
      TcpConnector connector, PrimaryProber prober) {
    this.config = config;
    this.queue = queue;
    this.drops = drops;
    this.listener = listener;
    this.connector = connector;
    this.prober = prober;
    this.planner = new EndpointPlanner(config.servers(), config.failback().isPresent());
    this.backoff = new Backoff(config.reconnectDelay(), config.maxReconnectDelay());
    this.outbox = new Outbox(new Framer(config.framing()), MAX_BATCH_RECORDS);
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    try {
      while (!aborted && !handingOff && !(stopping && isFlushDone())) {
        drops.report(listener);
        adoptHandedOverPrimary();
        if (connection == null) {
          connectToCurrent();
        } else if (outbox.isEmpty() && fillOutbox() == 0) {
          checkIdleConnection();
        } else {
          sendOutbox();
        }
      }
    } catch (RuntimeException | Error e) {
      listener.senderFailed(e);
      throw e;
    } finally {
      closeConnection();
      TcpConnector.closeQuietly(handover.getAndSet(null));
      // Oldest first: the batch in hand, then what a predecessor handed over, then the queue.
      List<byte[]> undelivered = outbox.takeUnreleased();
      carryOver.drainTo(undelivered);
      queue.drainTo(undelivered);
      drops.report(listener);
      if (!handingOff || !leaveForSuccessor(undelivered)) {
        drops.dropUndelivered(undelivered.size(), listener);
      }
    }
  }

  /** Takes the next batch: a predecessor's records first, then the queue (waiting a little). */
  private int fillOutbox() {
    return carryOver.isEmpty() ? outbox.fill(queue, IDLE_CHECK_NANOS) : outbox.fill(carryOver, 0);
  }

  /** Stopping ends once everything queued is delivered, or the shutdown budget is spent. */
  private boolean isFlushDone() {
    return (outbox.isEmpty() && carryOver.isEmpty() && queue.isEmpty())
        || System.nanoTime() - stopDeadlineNanos >= 0;
  }

  /** Before start: records of a predecessor, to be sent before anything queued here. */
  void carryOver(List<byte[]> records) {
    carryOver.addAll(records);
  }

  /** Stops at the next step without flushing; the undelivered records go to {@link #takeLeftovers}. */
  void beginHandOff() {
    handingOff = true;
    LockSupport.unpark(thread);
  }

  private synchronized boolean leaveForSuccessor(List<byte[]> undelivered) {
    if (leftoversAbandoned) {
      return false;
    }
    leftovers = undelivered;
    return true;
  }

  /**
   * The records left at a hand-off once the thread has ended, or null if it has not: then they are
   * abandoned, and counted as dropped when it does end.
   */
  synchronized List<byte[]> takeLeftovers() {
    if (leftovers == null) {
      leftoversAbandoned = true;
      return null;
    }
    List<byte[]> taken = leftovers;
    leftovers = List.of();
    return taken;
  }

  /** Called by the prober's thread when the primary earned its return (F6e). */
  void handOver(SocketChannel channel) {
    TcpConnector.closeQuietly(handover.getAndSet(channel));
    LockSupport.unpark(thread);
  }

  /** Starts the bounded flush of {@link dev.logfailover.FailoverSender#stop()} (F10). */
  void beginStop(long deadlineNanos) {
    stopDeadlineNanos = deadlineNanos;
    stopping = true;
    LockSupport.unpark(thread);
  }

  /** The shutdown budget is spent: unblock the sender thread wherever it is. */
  void abort() {
    aborted = true;
    Connection current = connection;
    if (current != null) {
      current.close();
    }
    Thread sender = thread;
    if (sender != null) {
      sender.interrupt();
    }
  }

  private void connectToCurrent() {
    Endpoint target = planner.current();
    Connection opened;
    try {
      opened = open(target, connector.connect(target));
    } catch (IOException e) {
      attemptFailed(target, e);
      return;
    }
    planner.connected();
    backoff.reset();
    connected(opened);
  }

  /** Makes a connection of the configured transport on a connected channel (F6e: probes' too). */
  private Connection open(Endpoint server, SocketChannel channel) throws IOException {
    if (config.tls().isPresent()) {
      return TlsConnection.open(server, channel, config.tls().get(), config.connectTimeout(), config.writeTimeout());
    }
    return new PlainTcpConnection(server, channel, config.writeTimeout());
  }

  private void attemptFailed(Endpoint target, IOException cause) {
    listener.connectFailed(target, cause);
    if (failingFrom == null) {
      failingFrom = target;
      failingCause = cause;
    }
    boolean passComplete = planner.attemptFailed();
    startProbingIfPrimaryLeft();
    if (!passComplete) {
      return; // F4: the next server is tried at once.
    }
    if (stopping) {
      // Every server failed during the stop's flush: waiting longer cannot help within the budget.
      aborted = true;
      return;
    }
    long delayNanos = backoff.nextDelayNanos();
    listener.allServersDown(planner.rotationSize(), java.time.Duration.ofNanos(delayNanos));
    pauseUntil(System.nanoTime() + delayNanos);
  }

  /**
   * Waits for the backoff to pass, waking early for a stop, a hand-off to a successor, or a
   * connection handed over by probes.
   */
  private void pauseUntil(long deadlineNanos) {
    long remaining;
    while ((remaining = deadlineNanos - System.nanoTime()) > 0 && !stopping && !handingOff && !aborted
        && handover.get() == null) {
      // Wake at least every idle check, so that drops are reported during a long backoff too.
      LockSupport.parkNanos(this, Math.min(remaining, IDLE_CHECK_NANOS));
      drops.report(listener);
    }
  }

  private void connected(Connection opened) {
    Endpoint server = opened.server();
    connection = opened;
    listener.connected(server, opened.remoteAddress());
    if (failingFrom != null && !failingFrom.equals(server)) {
      listener.failedOver(failingFrom, server, failingCause);
    }
    failingFrom = null;
    failingCause = null;
    if (planner.isOnPrimary() && prober != null) {
      prober.stop();
    }
  }

  private void adoptHandedOverPrimary() {
    SocketChannel channel = handover.getAndSet(null);
    if (channel == null) {
      return;
    }
    Endpoint primary = config.primary();
    Connection toPrimary;
    try {
      toPrimary = open(primary, channel);
    } catch (IOException e) {
      listener.connectFailed(primary, e);
      prober.start();
      return;
    }
    // A failed attempt since the hand-over may have started a new round of probes: end it.
    prober.stop();
    Connection previous = connection;
    planner.returnedToPrimary();
    backoff.reset();
    connection = toPrimary;
    failingFrom = null;
    failingCause = null;
    listener.connected(primary, toPrimary.remoteAddress());
    listener.failedBack(previous == null ? null : previous.server(), primary);
    if (previous != null) {
      // Everything written to it was accepted by its kernel, which goes on delivering it after close.
      previous.close();
    }
  }

  private void checkIdleConnection() {
    try {
      connection.checkAlive();
    } catch (IOException e) {
      connectionFailed(e);
    }
  }

  private void sendOutbox() {
    try {
      connection.checkAlive();
      connection.send(outbox);
    } catch (IOException e) {
      connectionFailed(e);
    } finally {
      int released = outbox.takeReleasedCount();
      if (released > 0) {
        listener.eventsSent(released);
      }
    }
  }

  private void connectionFailed(IOException cause) {
    Connection failed = connection;
    closeConnection();
    outbox.rewindToFirstUnreleased();
    listener.connectionLost(failed.server(), cause);
    failingFrom = failed.server();
    failingCause = cause;
    planner.connectionLost();
    startProbingIfPrimaryLeft();
  }

  private void startProbingIfPrimaryLeft() {
    if (prober != null && planner.isPrimaryAwaitingProbes() && !stopping) {
      prober.start();
    }
  }

  private void closeConnection() {
    Connection current = connection;
    connection = null;
    if (current != null) {
      current.close();
    }
  }

}
