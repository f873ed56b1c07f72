package dev.logfailover.benchmarks;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.core.appender.OutputStreamAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;
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
  /** The references, not in {@link #NAMES}: each framework writing to a buffered socket on the calling thread. */
  static final String LOGBACK_PLAIN = "logback+plain buffered socket";
  static final String LOG4J2_PLAIN = "log4j2+plain buffered socket";
  static final String MESSAGE = "order {} paid by customer 4711 with card ending 4242, amount 99.90 EUR";
  private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{20} - %msg%n";
  private static final String LOGBACK_ENCODER = "<encoder><pattern>" + PATTERN + "</pattern></encoder>";
  private static final String LOG4J2_LAYOUT = "<PatternLayout pattern=\"" + PATTERN + "\"/>";
  private static final String LOG4J2_ROOT = "<Root level=\"info\"><AppenderRef ref=\"OUT\"/></Root>";

  private final ch.qos.logback.classic.LoggerContext logback;
  private final ch.qos.logback.classic.Logger logbackLogger;
  private final org.apache.logging.log4j.core.LoggerContext log4j2;
  private final org.apache.logging.log4j.Logger log4j2Logger;

  /** What the framework's stop leaves open, closed after it; null if nothing. */
  private Closeable closedAfterStop;

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
      case LOGBACK_PLAIN -> logback(Benchmarks.plainSocket(port, LOGBACK_ENCODER));
      case LOG4J2_PLAIN -> log4j2PlainSocket(port);
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** Logback with {@code appenders} (one named OUT) at the root. */
  static Candidate logback(String appenders) throws Exception {
    return new Candidate(Benchmarks.configure(appenders), null);
  }

  /**
   * Log4j2's own OutputStreamAppender over one buffered socket, laying out and writing on the
   * calling thread, no flush per event: the Log4j2 counterpart of {@link BufferedSocketAppender}.
   * Log4j2 has no XML element for an arbitrary stream, so it is added to the root in code; and
   * that appender flushes after every event, so the stream under it leaves flushing to its close.
   */
  private static Candidate log4j2PlainSocket(int port) throws Exception {
    Candidate candidate = log4j2("", "<Root level=\"info\"/>");
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setTcpNoDelay(true);
    OutputStream stream = new FlushedOnlyAtClose(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
    // Log4j2 leaves a stream it was given open at its stop.
    candidate.closedAfterStop = stream;
    Configuration configuration = candidate.log4j2.getConfiguration();
    OutputStreamAppender appender = OutputStreamAppender.newBuilder().setName("OUT").setTarget(stream)
        .setLayout(PatternLayout.newBuilder().withPattern(PATTERN).withConfiguration(configuration).build())
        .setImmediateFlush(false).build();
    appender.start();
    configuration.addAppender(appender);
    configuration.getRootLogger().addAppender(appender, null, null);
    candidate.log4j2.updateLoggers();
    return candidate;
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

  /** A buffered stream that writes out only when full or closed, whatever its writer flushes. */
  private static final class FlushedOnlyAtClose extends FilterOutputStream {
    FlushedOnlyAtClose(OutputStream buffered) {
      super(buffered);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
    }

    @Override
    public void flush() {
      // The ceiling buffers: no system call per event.
    }
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
    if (closedAfterStop != null) {
      try {
        closedAfterStop.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
