package dev.logfailover.internal.concurrent;

/**
 * The engine's one clock: monotonic nanoseconds, and how long a real wait may last. Every wait of
 * the engine (backoff, write and acknowledgement timeouts, the stop's budget, probe schedules) is
 * measured on it, so tests drive them all with {@code FakeTicker}. Thread-safe.
 */
public interface Ticker {
  Ticker SYSTEM = System::nanoTime;

  long nanoTime();

  /**
   * How long a thread may block in real time while it waits for this clock to reach {@code
   * deadlineNanos}; the waiter checks the clock again afterwards. The system clock answers the
   * whole remaining time; a test clock answers a short slice, so waiters notice when it is moved.
   */
  default long realWaitNanos(long deadlineNanos) {
    return deadlineNanos - nanoTime();
  }
}
