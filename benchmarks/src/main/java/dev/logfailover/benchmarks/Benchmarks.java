package dev.logfailover.benchmarks;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import dev.logfailover.logback.FailoverSocketAppender;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Delivered events per second, side by side, for three ways to ship Logback events over loopback
 * TCP into the same counting sink, with the same encoder for all three in each table (a pattern
 * of ~150-byte lines, then logstash-logback-encoder's own JSON encoder), from one and from two
 * logging threads:
 * a plain buffered socket (Logback's OutputStreamAppender, no flush per event), logstash-logback-
 * encoder's LogstashTcpSocketAppender, and ours. All three are set to wait rather than drop when
 * their buffer is full, so "delivered" is every event. Then the failover time: from the primary's
 * reset to the first event at the failover server, while logging goes on.
 */
public final class Benchmarks {
  private static final int EVENTS = 2_000_000;
  private static final int ROUNDS = 7;
  private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{20} - %msg%n";

  /** The encoders compared: the same one for every appender in a table. */
  private static final String PATTERN_ENCODER = "<encoder><pattern>" + PATTERN + "</pattern></encoder>";
  private static final String JSON_ENCODER = "<encoder class=\"net.logstash.logback.encoder.LogstashEncoder\"/>";

  public static void main(String[] args) throws Exception {
    throughputTables();
    failoverLatency();
    HttpBenchmark.run();
    IdleCostBenchmark.run();
    TailLatencyBenchmark.run();
    RsyslogBenchmark.run();
    SpillBenchmark.run();
  }

  /** The throughput tables alone: Logback with two encoders, then Log4j2; one and two threads each. */
  static void throughputTables() throws Exception {
    System.out.printf("Throughput: %,d events per round, %d rounds (first is warm-up), the appenders' rounds "
        + "interleaved, %d cores%n", EVENTS, ROUNDS, Runtime.getRuntime().availableProcessors());
    for (String encoder : List.of(PATTERN_ENCODER, JSON_ENCODER)) {
      for (int threads : new int[] {1, 2}) {
        compare(encoder, threads);
      }
    }
    for (int threads : new int[] {1, 2}) {
      compareLog4j2(threads);
    }
  }

  private static void compare(String encoder, int threads) throws Exception {
    String encoderName = encoder == PATTERN_ENCODER ? "PatternLayoutEncoder, ~150-byte lines" : "LogstashEncoder (JSON)";
    System.out.printf("%n%s, %d logging thread%s%n", encoderName, threads, threads == 1 ? "" : "s");
    System.out.printf("%-40s %15s %15s%n", "appender", "median events/s", "best events/s");
    double[] medians = compareInterleaved(threads,
        new Contender("plain buffered socket", port -> Candidate.logback(plainSocket(port, encoder))),
        new Contender("logstash-logback-encoder TCP appender", port -> Candidate.logback(logstash(port, encoder))),
        new Contender("logfailover FailoverSocketAppender", port -> Candidate.logback(ours(port, encoder))));
    System.out.printf("=> logfailover: %.2fx logstash-logback-encoder, %.0f%% of a plain buffered socket%n",
        medians[2] / medians[1], 100 * medians[2] / medians[0]);
  }

  /**
   * The same for Log4j2, with its PatternLayout of the same pattern: its OutputStreamAppender over
   * a buffered socket (the ceiling), its Socket appender buffered and without a flush per event,
   * and ours.
   */
  private static void compareLog4j2(int threads) throws Exception {
    System.out.printf("%nLog4j2, PatternLayout, ~150-byte lines, %d logging thread%s%n", threads, threads == 1 ? "" : "s");
    System.out.printf("%-40s %15s %15s%n", "appender", "median events/s", "best events/s");
    double[] medians = compareInterleaved(threads,
        new Contender("plain buffered socket", port -> Candidate.start(Candidate.LOG4J2_PLAIN, port)),
        new Contender("Log4j2 Socket (bufferedIo, no flush)", port -> Candidate.start("log4j2+Socket", port)),
        new Contender("logfailover FailoverSocket", port -> Candidate.start("log4j2+logfailover", port)));
    System.out.printf("=> logfailover: %.2fx Log4j2 Socket, %.0f%% of a plain buffered socket%n",
        medians[2] / medians[1], 100 * medians[2] / medians[0]);
  }

  /** One appender of a throughput table, by the name it is printed with. */
  record Contender(String name, Starter starter) {}

  /** Starts a candidate that ships to the sink on {@code port}. */
  @FunctionalInterface
  interface Starter {
    Candidate start(int port) throws Exception;
  }

  static String plainSocket(int port, String encoder) {
    return "<appender name=\"OUT\" class=\"dev.logfailover.benchmarks.BufferedSocketAppender\"><port>" + port
        + "</port><immediateFlush>false</immediateFlush>" + encoder + "</appender>";
  }

  static String logstash(int port, String encoder) {
    return "<appender name=\"OUT\" class=\"net.logstash.logback.appender.LogstashTcpSocketAppender\"><destination>127.0.0.1:"
        + port + "</destination><appendTimeout>-1</appendTimeout>" + encoder + "</appender>";
  }

  static String ours(int port, String encoder) {
    return "<appender name=\"OUT\" class=\"dev.logfailover.logback.FailoverSocketAppender\"><host>127.0.0.1</host><port>"
        + port + "</port><overflowPolicy>block</overflowPolicy><maxBlock>1 minute</maxBlock>" + encoder + "</appender>";
  }

  /** A Logback context with {@code appenderXml} (an appender named OUT) at the root. */
  static LoggerContext configure(String appenderXml) throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    String xml = "<configuration>" + appenderXml + "<root level=\"INFO\"><appender-ref ref=\"OUT\"/></root></configuration>";
    configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    return context;
  }

  /**
   * Logs {@code message} with the numbers 0 to {@code events - 1}, shared out over {@code threads}
   * logging threads, and returns once every thread is done.
   */
  static void logNumbered(LongConsumer log, int events, int threads) throws InterruptedException {
    List<Thread> loggers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread thread = new Thread(() -> {
        for (int i = first; i < events; i += threads) {
          log.accept(i);
        }
      }, "logging-" + t);
      loggers.add(thread);
      thread.start();
    }
    for (Thread thread : loggers) {
      thread.join();
    }
  }

  /**
   * Runs {@code ROUNDS} rounds in which each contender, in turn, ships {@code EVENTS} events (the
   * first round a warm-up), prints each one's median and best rate, and returns the medians.
   * Interleaved rounds, not one contender's rounds after another's: this VM's speed drifts over
   * minutes, and the drift then falls on every contender alike.
   */
  private static double[] compareInterleaved(int threads, Contender... contenders) throws Exception {
    double[][] rates = new double[contenders.length][ROUNDS - 1];
    for (int round = 0; round < ROUNDS; round++) {
      for (int c = 0; c < contenders.length; c++) {
        double rate = throughput(contenders[c], threads);
        if (round > 0) {
          rates[c][round - 1] = rate;
        }
      }
    }
    double[] medians = new double[contenders.length];
    for (int c = 0; c < contenders.length; c++) {
      Arrays.sort(rates[c]);
      medians[c] = rates[c][rates[c].length / 2];
      System.out.printf("%-40s %,15.0f %,15.0f%n", contenders[c].name(), medians[c], rates[c][rates[c].length - 1]);
    }
    return medians;
  }

  /** One round of one contender: events per second, from the first call to the last event at the sink. */
  private static double throughput(Contender contender, int threads) throws Exception {
    try (CountingSink sink = new CountingSink()) {
      Candidate candidate = contender.starter().start(sink.port());
      long start = System.nanoTime();
      logNumbered(candidate::log, EVENTS, threads);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      if (!contender.name().startsWith("logfailover")) {
        candidate.close(); // the others' last bytes sit in a buffer until flushed
      }
      while (sink.records() < EVENTS && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      long elapsed = System.nanoTime() - start;
      candidate.close();
      if (sink.records() < EVENTS) {
        throw new IllegalStateException(contender.name() + " delivered " + sink.records() + " of " + EVENTS);
      }
      return EVENTS / (elapsed / 1e9);
    }
  }

  /** Time from a reset of the primary to the first event at failover1, logging every 50 microseconds. */
  private static void failoverLatency() throws Exception {
    List<Double> millis = new ArrayList<>();
    for (int trial = 0; trial < 21; trial++) {
      try (CountingSink primary = new CountingSink(); CountingSink failover = new CountingSink()) {
        LoggerContext context = configure("<appender name=\"OUT\" class=\"dev.logfailover.logback.FailoverSocketAppender\">"
            + "<host>127.0.0.1</host><port>" + primary.port() + "</port><encoder><pattern>%msg%n</pattern></encoder>"
            + "<failover><servers><server>127.0.0.1:" + failover.port() + "</server></servers></failover></appender>");
        Logger logger = context.getLogger("latency");
        FailoverSocketAppender<?> appender = (FailoverSocketAppender<?>) context.getLogger("ROOT").getAppender("OUT");
        while (primary.records() < 100) {
          logger.info("warm");
          java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        }
        long resetAt = System.nanoTime();
        primary.kill();
        long deadline = resetAt + Duration.ofSeconds(5).toNanos();
        while (failover.firstRecordAt() == 0 && System.nanoTime() < deadline) {
          logger.info("after reset");
          java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        }
        if (trial > 0 && failover.firstRecordAt() != 0) {
          millis.add((failover.firstRecordAt() - resetAt) / 1e6);
        }
        if (appender.getStatus().failovers() != 1) {
          throw new IllegalStateException("expected one failover: " + appender.getStatus());
        }
        context.stop();
      }
    }
    millis.sort(Double::compare);
    System.out.printf("%nFailover after a reset, while logging every 50 us (%d trials): median %.2f ms, p90 %.2f ms, max %.2f ms%n",
        millis.size(), millis.get(millis.size() / 2), millis.get((int) (millis.size() * 0.9)), millis.get(millis.size() - 1));
  }
}
