package dev.logfailover.testing;

import dev.logfailover.internal.concurrent.Ticker;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when told to. A thread that waits on it blocks for a
 * millisecond of real time at most, then looks at the clock again, so a test that advances the
 * clock past a deadline sees the waiter go on at once; every deadline waited for is remembered, so
 * a test can see that a wait (a backoff, a timeout) was really entered, and for how long.
 * Thread-safe.
 */
public final class FakeTicker implements Ticker {
  private static final long REAL_WAIT_SLICE_NANOS = 1_000_000;

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Set<Long> deadlinesWaitedFor = new ConcurrentSkipListSet<>();

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  public FakeTicker advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
    return this;
  }

  @Override
  public long realWaitNanos(long deadlineNanos) {
    long remaining = deadlineNanos - nanoTime();
    if (remaining > 0) {
      deadlinesWaitedFor.add(deadlineNanos);
    }
    return Math.min(remaining, REAL_WAIT_SLICE_NANOS);
  }

  /** Whether some thread has waited for this clock to reach {@code deadlineNanos}. */
  public boolean wasWaitedFor(long deadlineNanos) {
    return deadlinesWaitedFor.contains(deadlineNanos);
  }

  /** The latest deadline any thread waited for, or 0. */
  public long latestDeadlineWaitedFor() {
    return deadlinesWaitedFor.isEmpty() ? 0 : ((ConcurrentSkipListSet<Long>) deadlinesWaitedFor).last();
  }
}
