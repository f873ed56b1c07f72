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
 * The durable spill (F17): first its rate beside the tcp transport's ({@link #rates}); then, while
 * every server is down, side by side with the same appender without
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
    rates();
    System.out.printf("%nEvery server down: the same appender without and with a spill (default queue, drop)%n");
    System.out.printf("%-10s %14s %12s %10s %10s %14s %12s%n", "spill", "burst calls/s", "worst (us)", "kept",
        "dropped", "steady p99.9", "steady max");
    for (boolean spill : new boolean[] {false, true}) {
      measure(spill);
    }
  }

  private static void measure(boolean spill) throws Exception {
    int refusedPort = refusedPort();
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

  private static final int RATE_EVENTS = 500_000;
  private static final int RATE_ROUNDS = 9;

  /**
   * How fast the spill takes a burst beside how fast the tcp transport sends one, in the same run:
   * one logging thread, {@value #RATE_EVENTS} events of ~150 bytes, {@code queueSize} 1000 (a
   * queue far smaller than the burst, so that the rate is the spill's or the network's, not the
   * queue's), rounds interleaved, the median reported. A round ends when every event is at the
   * counting sink, or on disk.
   */
  static void rates() throws Exception {
    System.out.printf("%nSpill rate beside the tcp transport: one logging thread, %,d events of ~150 bytes, queueSize"
        + " 1000, median of %d rounds (first is warm-up)%n", RATE_EVENTS, RATE_ROUNDS - 1);
    System.out.printf("%-34s %14s %10s %10s%n", "destination", "events/s", "MB/s", "dropped");
    String[] names = {"tcp, to a counting sink", "spill, spillSync none", "spill, spillSync always"};
    double[][] eventsPerSecond = new double[names.length][RATE_ROUNDS - 1];
    double[][] megabytesPerSecond = new double[names.length][RATE_ROUNDS - 1];
    long[] dropped = new long[names.length];
    for (int round = 0; round < RATE_ROUNDS; round++) {
      for (int row = 0; row < names.length; row++) {
        double[] rate = row == 0 ? tcpRate() : spillRate(row == 2 ? "always" : "none");
        if (round > 0) {
          eventsPerSecond[row][round - 1] = rate[0];
          megabytesPerSecond[row][round - 1] = rate[1];
          dropped[row] += (long) rate[2];
        }
      }
    }
    for (int row = 0; row < names.length; row++) {
      System.out.printf("%-34s %,14.0f %,10.1f %,10d%n", names[row], median(eventsPerSecond[row]),
          median(megabytesPerSecond[row]), dropped[row]);
    }
    System.out.printf("=> the spill (spillSync none) takes a burst at %.0f%% of the tcp transport's rate%n",
        100 * median(eventsPerSecond[1]) / median(eventsPerSecond[0]));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** Events/s, MB/s (of encoded events) and drops of one round into a counting sink over tcp. */
  private static double[] tcpRate() throws Exception {
    try (CountingSink sink = new CountingSink()) {
      LoggerContext context = Benchmarks.configure("<appender name=\"OUT\" class=\"dev.logfailover.logback."
          + "FailoverSocketAppender\"><host>127.0.0.1</host><port>" + sink.port() + "</port><queueSize>1000</queueSize>"
          + "<overflowPolicy>block</overflowPolicy><maxBlock>1 minute</maxBlock>" + ENCODER + "</appender>");
      Logger logger = context.getLogger("dev.logfailover.benchmarks.Orders");
      long start = System.nanoTime();
      for (int i = 0; i < RATE_EVENTS; i++) {
        logger.info(Candidate.MESSAGE, i);
      }
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (sink.records() < RATE_EVENTS && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      FailoverSocketAppender<?> appender = (FailoverSocketAppender<?>) context.getLogger("ROOT").getAppender("OUT");
      long dropped = appender.getStatus().eventsDropped();
      context.stop();
      return new double[] {RATE_EVENTS / seconds, sink.bytes() / seconds / 1e6, dropped};
    }
  }

  /** The same with every server down and a spill: the round ends when every event is on disk. */
  private static double[] spillRate(String sync) throws Exception {
    int refusedPort = refusedPort();
    Path directory = Files.createTempDirectory("logfailover-spill-rate");
    LoggerContext context = Benchmarks.configure("<appender name=\"OUT\" class=\"dev.logfailover.logback."
        + "FailoverSocketAppender\"><host>127.0.0.1</host><port>" + refusedPort + "</port><queueSize>1000</queueSize>"
        + "<shutdownTimeout>0s</shutdownTimeout><spillDirectory>" + directory + "</spillDirectory><spillSync>" + sync
        + "</spillSync>" + ENCODER + "</appender>");
    Logger logger = context.getLogger("dev.logfailover.benchmarks.Orders");
    FailoverSocketAppender<?> appender = (FailoverSocketAppender<?>) context.getLogger("ROOT").getAppender("OUT");
    long start = System.nanoTime();
    for (int i = 0; i < RATE_EVENTS; i++) {
      logger.info(Candidate.MESSAGE, i);
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    FailoverStatus status = appender.getStatus();
    while (status.spilledEvents() + status.eventsDropped() < RATE_EVENTS && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      status = appender.getStatus();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    context.stop();
    deleteTree(directory);
    long recordBytes = status.spilledBytes() - status.spilledEvents() * 16; // Less each record's 16-byte header.
    return new double[] {RATE_EVENTS / seconds, recordBytes / seconds / 1e6, status.eventsDropped()};
  }

  /**
   * Deletes the round's spill once the appender's sender has let it go: with a spill, a stop
   * returns at shutdownTimeout (0 here) while the sender still writes what it held to disk.
   */
  private static void deleteTree(Path directory) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try (java.util.stream.Stream<Path> files = Files.walk(directory)) {
        for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
        return;
      } catch (java.io.IOException | java.io.UncheckedIOException stillWritten) {
        if (System.nanoTime() > deadline) {
          throw stillWritten;
        }
        Thread.sleep(10);
      }
    }
  }

  /** A loopback port nothing listens on: every server down. */
  private static int refusedPort() throws java.io.IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
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
