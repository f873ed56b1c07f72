package dev.logfailover.testing;

import dev.logfailover.internal.concurrent.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Scheduler} on a {@link FakeTicker}: tasks run on the test thread, in time order, when
 * {@link #advanceBy} moves the clock past their due time. A task may itself advance the ticker (a
 * slow probe) and schedule more tasks. Thread-safe for scheduling; run tasks from one test thread.
 */
public final class ManualScheduler implements Scheduler {
  private final FakeTicker ticker;
  private final List<Task> tasks = new ArrayList<>();
  private long sequence;
  private boolean shutdown;

  public ManualScheduler(FakeTicker ticker) {
    this.ticker = ticker;
  }

  private final class Task implements Cancellable {
    final long dueNanos;
    final long order;
    final Runnable runnable;

    Task(long dueNanos, long order, Runnable runnable) {
      this.dueNanos = dueNanos;
      this.order = order;
      this.runnable = runnable;
    }

    @Override
    public void cancel() {
      synchronized (ManualScheduler.this) {
        tasks.remove(this);
      }
    }
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, long delayNanos) {
    Task scheduled = new Task(ticker.nanoTime() + delayNanos, sequence++, task);
    if (!shutdown) {
      tasks.add(scheduled);
    }
    return scheduled;
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
    tasks.clear();
  }

  /** Runs every task due now. */
  public void runDueTasks() {
    advanceBy(Duration.ZERO);
  }

  /** Moves time forward by {@code duration}, running each task at its due time, in order. */
  public void advanceBy(Duration duration) {
    long end = ticker.nanoTime() + duration.toNanos();
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.stream()
            .filter(task -> task.dueNanos <= end)
            .min(Comparator.<Task>comparingLong(task -> task.dueNanos).thenComparingLong(task -> task.order))
            .orElse(null);
        if (next == null) {
          break;
        }
        tasks.remove(next);
      }
      long wait = next.dueNanos - ticker.nanoTime();
      if (wait > 0) {
        ticker.advance(Duration.ofNanos(wait));
      }
      next.runnable.run();
    }
    long rest = end - ticker.nanoTime();
    if (rest > 0) {
      ticker.advance(Duration.ofNanos(rest));
    }
  }


  public synchronized int pendingTasks() {
    return tasks.size();
  }
}
