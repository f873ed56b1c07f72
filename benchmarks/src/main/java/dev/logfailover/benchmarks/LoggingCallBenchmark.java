package dev.logfailover.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.util.Unbox;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The logging call itself (issue 12), in JMH: its time and its allocation per call, for each way
 * of shipping a Logback or a Log4j2 event over loopback TCP into a sink that discards. Every
 * candidate waits rather than drops when its buffer is full, so at this rate (as fast as the
 * threads can log) the time per call includes what the whole pipeline costs; B/op counts every
 * thread's allocations (the appenders' own threads too) per call. Run by {@link
 * LoggingCallBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LoggingCallBenchmark {
  static final String MESSAGE = "order {} paid by customer 4711 with card ending 4242, amount 99.90 EUR";
  private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{20} - %msg%n";
  private static final String LOGBACK_ENCODER = "<encoder><pattern>" + PATTERN + "</pattern></encoder>";
  private static final String LOG4J2_LAYOUT = "<PatternLayout pattern=\"" + PATTERN + "\"/>";

  @Param({"logback+logfailover", "logback+logstash-tcp", "logback+AsyncAppender+socket", "log4j2+logfailover",
      "log4j2+Socket", "log4j2+Async+Socket", "log4j2+AsyncLogger+logfailover"})
  public String candidate;

  private CountingSink sink;
  private ch.qos.logback.classic.LoggerContext logback;
  private ch.qos.logback.classic.Logger logbackLogger;
  private org.apache.logging.log4j.core.LoggerContext log4j2;
  private org.apache.logging.log4j.Logger log4j2Logger;

  /** Each logging thread's own order numbers. */
  @State(Scope.Thread)
  public static class Orders {
    long next;
  }

  @Setup(Level.Trial)
  public void start() throws Exception {
    sink = new CountingSink();
    int port = sink.port();
    switch (candidate) {
      case "logback+logfailover" -> logback(Benchmarks.ours(port, LOGBACK_ENCODER));
      case "logback+logstash-tcp" -> logback(Benchmarks.logstash(port, LOGBACK_ENCODER));
      case "logback+AsyncAppender+socket" -> logback("<appender name=\"OUT\" class=\"ch.qos.logback.classic.AsyncAppender\">"
          + "<queueSize>8192</queueSize><discardingThreshold>0</discardingThreshold><appender-ref ref=\"SOCKET\"/>"
          + "</appender>" + Benchmarks.plainSocket(port, LOGBACK_ENCODER).replace("name=\"OUT\"", "name=\"SOCKET\""));
      case "log4j2+logfailover" -> log4j2(ours(port), "<Root level=\"info\"><AppenderRef ref=\"OUT\"/></Root>");
      case "log4j2+Socket" -> log4j2(socket("OUT", port), "<Root level=\"info\"><AppenderRef ref=\"OUT\"/></Root>");
      case "log4j2+Async+Socket" -> log4j2(socket("SOCKET", port) + "<Async name=\"OUT\" bufferSize=\"8192\">"
          + "<AppenderRef ref=\"SOCKET\"/></Async>", "<Root level=\"info\"><AppenderRef ref=\"OUT\"/></Root>");
      case "log4j2+AsyncLogger+logfailover" -> log4j2(ours(port),
          "<AsyncRoot level=\"info\"><AppenderRef ref=\"OUT\"/></AsyncRoot>");
      default -> throw new IllegalArgumentException(candidate);
    }
  }

  private void logback(String appenders) throws Exception {
    logback = Benchmarks.configure(appenders);
    logbackLogger = logback.getLogger("dev.logfailover.benchmarks.Orders");
  }

  private static String ours(int port) {
    return "<FailoverSocket name=\"OUT\" host=\"127.0.0.1\" port=\"" + port + "\" overflowPolicy=\"block\""
        + " maxBlock=\"1 minute\">" + LOG4J2_LAYOUT + "</FailoverSocket>";
  }

  /** Log4j2's own Socket appender, buffered and without a flush per event. */
  private static String socket(String name, int port) {
    return "<Socket name=\"" + name + "\" host=\"127.0.0.1\" port=\"" + port + "\" protocol=\"TCP\""
        + " immediateFlush=\"false\" bufferedIo=\"true\">" + LOG4J2_LAYOUT + "</Socket>";
  }

  private void log4j2(String appenders, String root) throws Exception {
    Path file = Files.createTempFile("logging-call", ".xml");
    Files.writeString(file, "<Configuration status=\"warn\"><Appenders>" + appenders + "</Appenders><Loggers>" + root
        + "</Loggers></Configuration>");
    log4j2 = new org.apache.logging.log4j.core.LoggerContext("bench-" + UUID.randomUUID(), null, file.toUri());
    log4j2.start();
    log4j2Logger = log4j2.getLogger("dev.logfailover.benchmarks.Orders");
  }

  @TearDown(Level.Trial)
  public void stop() {
    if (logback != null) {
      logback.stop();
    }
    if (log4j2 != null) {
      log4j2.stop();
    }
    sink.close();
  }

  /** One logging call with one parameter, as an application makes it. */
  @Benchmark
  public void log(Orders orders) {
    long order = orders.next++;
    if (logbackLogger != null) {
      logbackLogger.info(MESSAGE, order);
    } else {
      // Log4j2's garbage-free way to pass a number.
      log4j2Logger.info(MESSAGE, Unbox.box(order));
    }
  }
}
