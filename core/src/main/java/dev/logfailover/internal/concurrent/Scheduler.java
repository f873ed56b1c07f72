package dev.logfailover.internal.concurrent;

/**
 * Runs tasks after a delay, one at a time. Production uses {@link RealScheduler}; tests use {@code
 * ManualScheduler}, which runs due tasks on the test thread as the fake clock advances.
 * Thread-safe.
 */
public interface Scheduler {
  /** Runs {@code task} once, {@code delayNanos} from now. */
  Cancellable schedule(Runnable task, long delayNanos);

  /**
   * Runs no further task. A task already running is interrupted (a probe's blocking connect then
   * ends at once and closes its channel). Idempotent.
   */
  void shutdown();

  /** A scheduled task that may be cancelled before it runs. */
  interface Cancellable {
    void cancel();
  }
}
