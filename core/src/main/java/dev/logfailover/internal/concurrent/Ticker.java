package dev.logfailover.internal.concurrent;

/** A monotonic clock in nanoseconds. Tests inject {@code FakeTicker}. Thread-safe. */
@FunctionalInterface
public interface Ticker {
  Ticker SYSTEM = System::nanoTime;

  long nanoTime();
}
