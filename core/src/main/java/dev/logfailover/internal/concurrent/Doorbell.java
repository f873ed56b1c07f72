package dev.logfailover.internal.concurrent;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.BooleanSupplier;

/**
 * The sender thread's one place to wait: a {@link Selector} on which the current connection's
 * channel is registered, measured on the engine's {@link Ticker}. A connected, idle sender sleeps
 * here with no timer at all: a FIN, a reset or bytes from the server wake it (the channel becomes
 * readable), and so does a logging thread that queued an event ({@link #ring()}) or a control
 * signal (stop, hand-off, a probe's hand-over: {@link #wake()}). At a hand-off every wait on a
 * channel ends ({@link #endChannelWaits()}).
 *
 * <p>{@link #ring()} costs a logging thread one volatile read unless the sender is asleep: only
 * then does it make the system call that wakes it. The sender announces its sleep before it checks
 * for work one last time, and a logging thread queues (or counts a drop, which the sender reports)
 * before it reads the announcement, so one of them always sees the other (and a wake-up given
 * before the select makes it return at once).
 *
 * <p>Threading: {@link #ring()} and {@link #wake()} from any thread; everything else on the sender
 * thread only.
 */
public final class Doorbell implements Closeable {
  /** For {@link #sleep}: no deadline, only a ring, a wake or a ready channel ends the sleep. */
  public static final long NO_DEADLINE = Long.MIN_VALUE;

  private final Selector selector;
  private final Ticker ticker;
  private volatile boolean asleep;
  private volatile boolean channelWaitsEnded;

  private Doorbell(Selector selector, Ticker ticker) {
    this.selector = selector;
    this.ticker = ticker;
  }

  public static Doorbell open(Ticker ticker) throws IOException {
    return new Doorbell(Selector.open(), ticker);
  }

  public Ticker ticker() {
    return ticker;
  }

  /** From a logging thread after it queued an event: wakes the sender only if it sleeps. */
  public void ring() {
    if (asleep) {
      selector.wakeup();
    }
  }

  /** From a control thread: the sender must look at its signals now, wherever it waits. */
  public void wake() {
    selector.wakeup();
  }

  /**
   * From a control thread at a hand-off: every wait on a channel (a stalled write, an
   * acknowledgement, a handshake), now and from now on, ends at once with an {@link
   * InterruptedIOException}. The sender gives its connection up without being interrupted, which
   * would close the channel under a write and make the caller wait for the sender to get a core.
   */
  public void endChannelWaits() {
    channelWaitsEnded = true;
    selector.wakeup();
  }

  /**
   * Sleeps until woken, until {@code key}'s channel (null: none) becomes ready for {@code
   * operation}, or until {@code deadlineNanos} on the ticker ({@link #NO_DEADLINE}: none). {@code
   * hasNoWork} is asked after the sleep is announced; if it says there is work, the sleep ends at
   * once. May return early; the caller checks why it woke.
   *
   * @return true if it did wait on the selector with {@code key} registered and woke with that
   *     channel not ready: the kernel said so at the wake-up, and no system call is needed to know it
   */
  public boolean sleep(SelectionKey key, int operation, long deadlineNanos, BooleanSupplier hasNoWork)
      throws IOException {
    asleep = true;
    try {
      if (!hasNoWork.getAsBoolean()) {
        return false;
      }
      if (key == null) {
        select(deadlineNanos);
        return false;
      }
      return !await(key, operation, deadlineNanos);
    } finally {
      asleep = false;
    }
  }

  /**
   * Sleeps until {@code deadlineNanos} on the ticker or a {@link #wake()}, unless {@code stillPaused}
   * says otherwise first: a pause that new work does not end (a backoff while every server is
   * down), so {@link #ring()} leaves it alone and a logging thread pays no system call per event
   * meanwhile. May return early.
   */
  public void pause(long deadlineNanos, BooleanSupplier stillPaused) throws IOException {
    if (stillPaused.getAsBoolean()) {
      select(deadlineNanos);
    }
  }

  /**
   * Waits until {@code key}'s channel is ready for {@code operation} (or a wake, or the deadline);
   * the caller checks which. May return early. Returns whether the channel was ready at the wake-up.
   */
  public boolean await(SelectionKey key, int operation, long deadlineNanos) throws IOException {
    checkChannelWaitsAllowed();
    key.interestOps(operation);
    boolean ready;
    try {
      ready = select(deadlineNanos, key);
    } finally {
      if (key.isValid()) {
        key.interestOps(0);
      }
    }
    checkChannelWaitsAllowed();
    return ready;
  }

  /** Throws once a hand-off ended the waits on the connection ({@link #endChannelWaits()}). */
  public void checkChannelWaitsAllowed() throws InterruptedIOException {
    if (channelWaitsEnded) {
      throw new InterruptedIOException("the sender is handing its work to a successor");
    }
  }

  /** Registers a connected channel, which must be in non-blocking mode, with no interest yet. */
  public SelectionKey register(java.nio.channels.SocketChannel channel) throws IOException {
    return channel.register(selector, 0);
  }

  private void select(long deadlineNanos) throws IOException {
    select(deadlineNanos, null);
  }

  /** Returns whether {@code key} (null: none) was among the ready ones. */
  private boolean select(long deadlineNanos, SelectionKey key) throws IOException {
    if (deadlineNanos == NO_DEADLINE) {
      selector.select();
    } else {
      long realNanos = ticker.realWaitNanos(deadlineNanos);
      if (realNanos <= 0) {
        selector.selectNow();
      } else {
        selector.select(Math.max(1, (realNanos + 999_999) / 1_000_000));
      }
    }
    boolean keyReady = key != null && selector.selectedKeys().contains(key);
    selector.selectedKeys().clear();
    return keyReady;
  }

  @Override
  public void close() {
    try {
      selector.close();
    } catch (IOException ignored) {
      // Only its own file descriptors are at stake, and they are released either way.
    }
  }
}
