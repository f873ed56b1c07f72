package dev.logfailover.internal.concurrent;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** A {@link Scheduler} on one daemon thread of its own. Thread-safe. */
public final class RealScheduler implements Scheduler {
  private final ScheduledThreadPoolExecutor executor;

  public RealScheduler(String threadName) {
    executor = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, threadName);
      thread.setDaemon(true);
      return thread;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    var future = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public void shutdown() {
    // A probe in progress is bounded by connectTimeout; interrupting it closes its channel at once.
    executor.shutdownNow();
  }
}
