package dev.logfailover.internal.connection;

import java.util.concurrent.locks.LockSupport;

/**
 * How the sender waits for records without a producer ever having to wake it: a few spins, then
 * parks of 50 microseconds doubling to 10 ms. A burst after a pause is picked up within 10 ms;
 * an idle appender wakes about 100 times a second. Not thread-safe: the sender thread's own.
 */
final class IdleBackoff {
  private static final int SPINS = 100;
  private static final long FIRST_PARK_NANOS = 50_000;
  private static final long LONGEST_PARK_NANOS = 10_000_000;

  private int spins;
  private long parkNanos;

  void reset() {
    spins = 0;
    parkNanos = FIRST_PARK_NANOS;
  }

  /** Waits a little; returns false once {@code deadlineNanos} has passed. */
  boolean pause(long deadlineNanos) {
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      return false;
    }
    if (spins < SPINS) {
      spins++;
      Thread.onSpinWait();
      return true;
    }
    LockSupport.parkNanos(this, Math.min(parkNanos, remaining));
    parkNanos = Math.min(LONGEST_PARK_NANOS, parkNanos * 2);
    return true;
  }
}
