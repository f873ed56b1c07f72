package dev.logfailover.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.util.Unbox;

/**
 * One way to ship a Logback or a Log4j2 event over loopback TCP to a port, configured from its own
 * framework's configuration text, with one call to log an order number through it. Every candidate
 * waits rather than drops when its buffer is full. The benchmarks that compare the logging call
 * ({@link LoggingCallBenchmark}, {@link TailLatencyBenchmark}) use these, so they compare the same.
 *
 * <p>Threading: {@link #log} from any number of threads; {@link #stop} once, after them.
 */
final class Candidate implements AutoCloseable {
  /** Every candidate, Logback's first. */
  static final List<String> NAMES = List.of("logback+logfailover", "logback+logstash-tcp",
      "logback+AsyncAppender+socket", "log4j2+logfailover", "log4j2+Socket", "log4j2+Async+Socket",
      "log4j2+AsyncLogger+logfailover");
  static final String MESSAGE = "order {} paid by customer 4711 with card ending 4242, amount 99.90 EUR";
  private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{20} - %msg%n";
  private static final String LOGBACK_ENCODER = "<encoder><pattern>" + PATTERN + "</pattern></encoder>";
  private static final String LOG4J2_LAYOUT = "<PatternLayout pattern=\"" + PATTERN + "\"/>";
  private static final String LOG4J2_ROOT = "<Root level=\"info\"><AppenderRef ref=\"OUT\"/></Root>";

  private final ch.qos.logback.classic.LoggerContext logback;
  private final ch.qos.logback.classic.Logger logbackLogger;
  private final org.apache.logging.log4j.core.LoggerContext log4j2;
  private final org.apache.logging.log4j.Logger log4j2Logger;

  private Candidate(ch.qos.logback.classic.LoggerContext logback, org.apache.logging.log4j.core.LoggerContext log4j2) {
    this.logback = logback;
    this.logbackLogger = logback == null ? null : logback.getLogger("dev.logfailover.benchmarks.Orders");
    this.log4j2 = log4j2;
    this.log4j2Logger = log4j2 == null ? null : log4j2.getLogger("dev.logfailover.benchmarks.Orders");
  }

  /** Starts candidate {@code name} (one of {@link #NAMES}) sending to loopback {@code port}. */
  static Candidate start(String name, int port) throws Exception {
    return switch (name) {
      case "logback+logfailover" -> logback(Benchmarks.ours(port, LOGBACK_ENCODER));
      case "logback+logstash-tcp" -> logback(Benchmarks.logstash(port, LOGBACK_ENCODER));
      case "logback+AsyncAppender+socket" -> logback("<appender name=\"OUT\" class=\"ch.qos.logback.classic."
          + "AsyncAppender\"><queueSize>8192</queueSize><discardingThreshold>0</discardingThreshold>"
          + "<appender-ref ref=\"SOCKET\"/></appender>"
          + Benchmarks.plainSocket(port, LOGBACK_ENCODER).replace("name=\"OUT\"", "name=\"SOCKET\""));
      case "log4j2+logfailover" -> log4j2(ours(port), LOG4J2_ROOT);
      case "log4j2+Socket" -> log4j2(socket("OUT", port), LOG4J2_ROOT);
      case "log4j2+Async+Socket" -> log4j2(socket("SOCKET", port) + "<Async name=\"OUT\" bufferSize=\"8192\">"
          + "<AppenderRef ref=\"SOCKET\"/></Async>", LOG4J2_ROOT);
      case "log4j2+AsyncLogger+logfailover" -> log4j2(ours(port),
          "<AsyncRoot level=\"info\"><AppenderRef ref=\"OUT\"/></AsyncRoot>");
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static Candidate logback(String appenders) throws Exception {
    return new Candidate(Benchmarks.configure(appenders), null);
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

  private static Candidate log4j2(String appenders, String root) throws Exception {
    Path file = Files.createTempFile("candidate", ".xml");
    Files.writeString(file, "<Configuration status=\"warn\"><Appenders>" + appenders + "</Appenders><Loggers>" + root
        + "</Loggers></Configuration>");
    org.apache.logging.log4j.core.LoggerContext context =
        new org.apache.logging.log4j.core.LoggerContext("bench-" + UUID.randomUUID(), null, file.toUri());
    context.start();
    return new Candidate(null, context);
  }

  /** One logging call with one parameter, as an application makes it. */
  void log(long order) {
    if (logbackLogger != null) {
      logbackLogger.info(MESSAGE, order);
    } else {
      // Log4j2's garbage-free way to pass a number.
      log4j2Logger.info(MESSAGE, Unbox.box(order));
    }
  }

  @Override
  public void close() {
    if (logback != null) {
      logback.stop();
    }
    if (log4j2 != null) {
      log4j2.stop();
    }
  }
}
