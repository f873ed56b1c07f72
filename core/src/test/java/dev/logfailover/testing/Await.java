package dev.logfailover.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition with a bounded deadline: the one way end-to-end tests wait on real time. */
public final class Await {
  private Await() {}

  /** Polls every few milliseconds until {@code condition} holds, failing after {@code timeout}. */
  public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> whatWasExpected) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for: " + whatWasExpected.get());
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + whatWasExpected.get(), e);
      }
    }
  }

  public static void until(BooleanSupplier condition, Supplier<String> whatWasExpected) {
    until(Duration.ofSeconds(10), condition, whatWasExpected);
  }
}
