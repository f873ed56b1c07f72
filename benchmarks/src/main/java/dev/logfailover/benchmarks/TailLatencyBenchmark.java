package dev.logfailover.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;

/**
 * The logging call's latency under a steady rate: 100,000 events per second for 30 s per
 * candidate (after 5 s of warm-up), each call timed and recorded in an HdrHistogram; p50, p99,
 * p99.9 and the worst call, side by side. The candidates are {@link Candidate}'s, Logback's and
 * Log4j2's, and each framework writing to a buffered socket on the calling thread as its reference.
 * The sink is the loopback counting sink; the calls are paced by the clock, so a slow call does not shift the ones after it (no coordinated omission
 * in the pacing, though a stalled call still hides the calls it delays).
 */
public final class TailLatencyBenchmark {
  private static final long RATE_PER_SECOND = 100_000;
  private static final Duration MEASURE_FOR = Duration.ofSeconds(Long.getLong("latency.seconds", 30));
  private static final Duration WARM_UP = Duration.ofSeconds(5);

  private TailLatencyBenchmark() {}

  /** Runs this benchmark alone. */
  public static void main(String[] args) throws Exception {
    run();
  }

  static void run() throws Exception {
    System.out.printf("%nThe logging call at a steady %,d events/s, %d s per candidate (after %d s of warm-up), in us%n",
        RATE_PER_SECOND, MEASURE_FOR.toSeconds(), WARM_UP.toSeconds());
    System.out.printf("%-40s %8s %8s %8s %10s%n", "appender", "p50", "p99", "p99.9", "max");
    List<String> candidates = new ArrayList<>(Candidate.NAMES);
    candidates.add(3, Candidate.LOGBACK_PLAIN);
    candidates.add(Candidate.LOG4J2_PLAIN);
    for (String candidate : candidates) {
      try (CountingSink sink = new CountingSink(); Candidate shipping = Candidate.start(candidate, sink.port())) {
        pace(shipping::log, WARM_UP, null);
        Histogram calls = new Histogram(Duration.ofSeconds(10).toNanos(), 3);
        pace(shipping::log, MEASURE_FOR, calls);
        System.out.printf("%-40s %8.1f %8.1f %8.1f %10.1f%n", candidate,
            calls.getValueAtPercentile(50) / 1e3, calls.getValueAtPercentile(99) / 1e3,
            calls.getValueAtPercentile(99.9) / 1e3, calls.getMaxValue() / 1e3);
      }
    }
  }

  /** Logs at the steady rate for {@code duration}, recording each call's time when {@code calls} is given. */
  private static void pace(LongConsumer log, Duration duration, Histogram calls) {
    long interval = 1_000_000_000L / RATE_PER_SECOND;
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long next = start;
    for (long i = 0; next < end; i++) {
      while (System.nanoTime() < next) {
        Thread.onSpinWait();
      }
      long before = System.nanoTime();
      log.accept(i);
      if (calls != null) {
        calls.recordValue(Math.min(System.nanoTime() - before, calls.getHighestTrackableValue()));
      }
      next += interval;
    }
  }
}
