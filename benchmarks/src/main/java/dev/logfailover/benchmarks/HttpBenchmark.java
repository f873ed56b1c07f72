package dev.logfailover.benchmarks;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Delivered events per second over {@code http} (each batch acknowledged by a 200) next to
 * {@code tcp}, through our Logback appender, one and two logging threads, with and without gzip,
 * into minimal in-process sinks ({@link HttpSink}, {@link CountingSink}). The bar: the
 * acknowledged transports at half of TCP's speed or better.
 */
final class HttpBenchmark {
  private static final int EVENTS = 1_000_000;
  private static final int ROUNDS = 4;
  private static final String ENCODER = "<encoder><pattern>%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] "
      + "%logger{20} - %msg%n</pattern></encoder>";

  /**
   * One request is in flight at a time, so its round trip is what bounds the rate: larger batches
   * (and a queue that holds several) carry more events per round trip.
   */
  private static final String LARGER_BATCHES =
      "<maxBatchEvents>4000</maxBatchEvents><maxBatchBytes>4 MiB</maxBatchBytes><queueSize>40000</queueSize>";

  private HttpBenchmark() {}

  /** Runs this benchmark alone. */
  public static void main(String[] args) throws Exception {
    run();
  }

  static void run() throws Exception {
    System.out.printf("%nHTTP vs TCP, our appender, %,d events per round, %d rounds (first is warm-up)%n", EVENTS, ROUNDS);
    System.out.printf("%-36s %9s %15s %15s%n", "transport", "threads", "median events/s", "vs tcp");
    for (int threads : new int[] {1, 2}) {
      double tcp = tcp(threads);
      System.out.printf("%-36s %9d %,15.0f %15s%n", "tcp", threads, tcp, "1.00x");
      for (String compression : List.of("none", "gzip")) {
        for (String batches : List.of("", LARGER_BATCHES)) {
          double http = http(threads, compression, batches);
          System.out.printf("%-36s %9d %,15.0f %14.2fx%n", "http, " + compression + (batches.isEmpty()
              ? ", default batches" : ", 4000-event batches"), threads, http, http / tcp);
        }
      }
    }
  }

  private static double tcp(int threads) throws Exception {
    double[] rates = new double[ROUNDS - 1];
    for (int round = 0; round < ROUNDS; round++) {
      try (CountingSink sink = new CountingSink()) {
        double rate = deliver("<host>127.0.0.1</host><port>" + sink.port() + "</port>", threads, sink::records);
        if (round > 0) {
          rates[round - 1] = rate;
        }
      }
    }
    return median(rates);
  }

  private static double http(int threads, String compression, String batches) throws Exception {
    double[] rates = new double[ROUNDS - 1];
    for (int round = 0; round < ROUNDS; round++) {
      try (HttpSink sink = new HttpSink()) {
        double rate = deliver("<host>127.0.0.1</host><port>" + sink.port() + "</port><transport>http</transport>"
            + "<compression>" + compression + "</compression>" + batches, threads, sink::records);
        if (round > 0) {
          rates[round - 1] = rate;
        }
      }
    }
    return median(rates);
  }

  /** Logs EVENTS from {@code threads} threads and returns events/s until the sink counted them all. */
  private static double deliver(String options, int threads, LongSupplier delivered) throws Exception {
    LoggerContext context = Benchmarks.configure("<appender name=\"OUT\" class=\"dev.logfailover.logback."
        + "FailoverSocketAppender\">" + options + "<overflowPolicy>block</overflowPolicy><maxBlock>1 minute</maxBlock>"
        + ENCODER + "</appender>");
    Logger logger = context.getLogger("dev.logfailover.benchmarks.Orders");
    long start = System.nanoTime();
    Benchmarks.logNumbered(i -> logger.info(Candidate.MESSAGE, i), EVENTS, threads);
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (delivered.getAsLong() < EVENTS && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    long elapsed = System.nanoTime() - start;
    context.stop();
    if (delivered.getAsLong() < EVENTS) {
      throw new IllegalStateException("delivered " + delivered.getAsLong() + " of " + EVENTS + " with " + options);
    }
    return EVENTS / (elapsed / 1e9);
  }

  private static double median(double[] rates) {
    Arrays.sort(rates);
    return rates[rates.length / 2];
  }
}
