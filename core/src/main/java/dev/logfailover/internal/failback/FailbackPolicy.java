package dev.logfailover.internal.failback;

import dev.logfailover.Failback;

/**
 * When to probe the primary and when its probes have earned a failback (F6a-F6e). Pure: time comes
 * in as {@code nowNanos}, and the answers are deadlines.
 *
 * <ul>
 *   <li>F6a: probing starts when the client leaves the primary, at once unless a probe started less
 *       than {@code tcpProbeInterval} ago.
 *   <li>F6c: probes never overlap; the next starts at max(previous start + interval, previous end).
 *   <li>F6d: each success counts one; a failure resets the count to 0.
 *   <li>F6e: reaching {@code successfulProbesRequired} hands the probe's socket over and resets the
 *       count; probing stops until the client leaves the primary again.
 * </ul>
 *
 * <p>Not thread-safe: {@link PrimaryProber} guards it.
 */
public final class FailbackPolicy {
  private final long intervalNanos;
  private final int required;
  private boolean active;
  private boolean probeInFlight;
  private boolean anyProbeStarted;
  private long lastStartNanos;
  private long nextStartNanos;
  private int successes;

  public FailbackPolicy(Failback failback) {
    this.intervalNanos = failback.tcpProbeInterval().toNanos();
    this.required = failback.successfulProbesRequired();
  }

  /** The client left the primary (F6a, F6g). */
  public void start(long nowNanos) {
    active = true;
    successes = 0;
    nextStartNanos = anyProbeStarted ? Math.max(nowNanos, lastStartNanos + intervalNanos) : nowNanos;
  }

  /** The client is back on the primary, or stopping: no more probes. */
  public void stop() {
    active = false;
    successes = 0;
  }

  public boolean isActive() {
    return active;
  }

  /** Nanoseconds until the next probe is due (0: now), or -1 when none is to be scheduled now. */
  public long nanosUntilNextProbe(long nowNanos) {
    if (!active || probeInFlight) {
      return -1;
    }
    return Math.max(0, nextStartNanos - nowNanos);
  }

  public void probeStarted(long nowNanos) {
    probeInFlight = true;
    anyProbeStarted = true;
    lastStartNanos = nowNanos;
  }

  /**
   * Records a probe's outcome. Returns true when this success reached {@code
   * successfulProbesRequired}: the probe's socket becomes the connection to the primary (F6e).
   */
  public boolean probeFinished(long nowNanos, boolean succeeded) {
    probeInFlight = false;
    nextStartNanos = Math.max(lastStartNanos + intervalNanos, nowNanos);
    if (!succeeded) {
      successes = 0;
      return false;
    }
    successes++;
    if (successes >= required) {
      successes = 0;
      active = false;
      return true;
    }
    return false;
  }

  /** Consecutive successful probes so far. */
  public int successes() {
    return successes;
  }

  public int required() {
    return required;
  }
}
