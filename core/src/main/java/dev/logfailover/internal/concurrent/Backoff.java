package dev.logfailover.internal.concurrent;

import java.time.Duration;

/**
 * The wait after a whole pass over the servers failed (F4): {@code reconnectDelay}, doubling on each
 * further failed pass up to {@code maxReconnectDelay}, back to the start once a connection
 * succeeds. Pure; thread-confined to the sender thread.
 */
public final class Backoff {
  private final long initialNanos;
  private final long maxNanos;
  private long nextNanos;

  public Backoff(Duration initial, Duration max) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.nextNanos = initialNanos;
  }

  /** The delay to wait now; the one after it is twice as long, up to the cap. */
  public long nextDelayNanos() {
    long delay = nextNanos;
    nextNanos = delay > maxNanos / 2 ? maxNanos : Math.min(maxNanos, delay * 2);
    return delay;
  }

  /** The longest wait there is ({@code maxReconnectDelay}): what a server may ask to be left alone for, at most (F16). */
  public long maxDelayNanos() {
    return maxNanos;
  }

  public void reset() {
    nextNanos = initialNanos;
  }
}
