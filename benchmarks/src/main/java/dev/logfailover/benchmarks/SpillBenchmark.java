package dev.logfailover.benchmarks;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import dev.logfailover.FailoverStatus;
import dev.logfailover.logback.FailoverSocketAppender;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * The durable spill (F17) while every server is down, side by side with the same appender without
 * it (default queue, {@code overflowPolicy drop}, ~150-byte events): a burst of 500,000 events
 * from one thread in a tight loop (the caller's rate, its worst call, what was kept and what
 * dropped), then 100,000 events/s for 5 s (all of it about 140 MB, within the default 256 MiB) (the call's p99.9 and worst); and, with the spill, how
 * fast the backlog drains into a collector that comes up on the refused port.
 */
public final class SpillBenchmark {
  private static final int BURST = 500_000;
  private static final long RATE_PER_SECOND = 100_000;
  private static final Duration STEADY_FOR = Duration.ofSeconds(5);
  private static final String ENCODER = "<encoder><pattern>%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] "
      + "%logger{20} - %msg%n</pattern></encoder>";

  private SpillBenchmark() {}

  /** Runs this benchmark alone. */
  public static void main(String[] args) throws Exception {
    run();
  }

  static void run() throws Exception {
    System.out.printf("%nEvery server down: the same appender without and with a spill (default queue, drop)%n");
    System.out.printf("%-10s %14s %12s %10s %10s %14s %12s%n", "spill", "burst calls/s", "worst (us)", "kept",
        "dropped", "steady p99.9", "steady max");
    for (boolean spill : new boolean[] {false, true}) {
      measure(spill);
    }
  }

  private static void measure(boolean spill) throws Exception {
    int refusedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      refusedPort = socket.getLocalPort();
    }
    Path directory = Files.createTempDirectory("logfailover-spill-bench");
    LoggerContext context = Benchmarks.configure("<appender name=\"OUT\" class=\"dev.logfailover.logback."
        + "FailoverSocketAppender\"><host>127.0.0.1</host><port>" + refusedPort + "</port>"
        + "<shutdownTimeout>0s</shutdownTimeout><reconnectDelay>100ms</reconnectDelay>"
        + "<maxReconnectDelay>100ms</maxReconnectDelay>"
        + (spill ? "<spillDirectory>" + directory + "</spillDirectory>" : "") + ENCODER + "</appender>");
    Logger logger = context.getLogger("dev.logfailover.benchmarks.Orders");
    FailoverSocketAppender<?> appender = (FailoverSocketAppender<?>) context.getLogger("ROOT").getAppender("OUT");
    long worst = 0;
    long start = System.nanoTime();
    for (int i = 0; i < BURST; i++) {
      long before = System.nanoTime();
      logger.info(Candidate.MESSAGE, i);
      worst = Math.max(worst, System.nanoTime() - before);
    }
    double callsPerSecond = BURST / ((System.nanoTime() - start) / 1e9);
    Histogram steady = new Histogram(Duration.ofSeconds(10).toNanos(), 3);
    long interval = 1_000_000_000L / RATE_PER_SECOND;
    long next = System.nanoTime();
    long end = next + STEADY_FOR.toNanos();
    for (int i = 0; next < end; i++) {
      while (System.nanoTime() < next) {
        Thread.onSpinWait();
      }
      long before = System.nanoTime();
      logger.info(Candidate.MESSAGE, BURST + i);
      steady.recordValue(System.nanoTime() - before);
      next += interval;
    }
    FailoverStatus held = settled(appender);
    long logged = BURST + steady.getTotalCount();
    System.out.printf("%-10s %,14.0f %,12.1f %,10d %,10d %,11.1f us %,9.1f us%n", spill ? "on" : "off",
        callsPerSecond, worst / 1e3, held.spilledEvents() + held.queuedEvents(), held.eventsDropped(),
        steady.getValueAtPercentile(99.9) / 1e3, steady.getMaxValue() / 1e3);
    if (spill) {
      long backlog = held.spilledEvents() + held.queuedEvents();
      try (CountingSink collector = new CountingSink(refusedPort)) {
        long back = System.nanoTime();
        long deadline = back + Duration.ofMinutes(2).toNanos();
        while (collector.records() < backlog && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        double seconds = (System.nanoTime() - back) / 1e9;
        System.out.printf("=> spill on: kept %,d of %,d logged (%,d MiB on disk); once a collector came up, the"
            + " backlog arrived in %.1f s (%,.0f events/s, reconnect delay included)%n", backlog, logged,
            held.spilledBytes() >> 20, seconds, collector.records() / seconds);
        context.stop();
      }
    } else {
      context.stop();
    }
  }

  /** The status once the spill's writer has moved what the queue held. */
  private static FailoverStatus settled(FailoverSocketAppender<?> appender) throws InterruptedException {
    FailoverStatus previous = appender.getStatus();
    for (int i = 0; i < 100; i++) {
      Thread.sleep(20);
      FailoverStatus now = appender.getStatus();
      if (now.spilledEvents() == previous.spilledEvents() && now.queuedEvents() == previous.queuedEvents()) {
        return now;
      }
      previous = now;
    }
    return previous;
  }
}
