package dev.logfailover.log4j2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * A Log4j2 context of its own, configured from real log4j2.xml text written to a file, as an
 * application's would be; optionally all-async (the context AsyncLoggerContextSelector makes).
 * Records what reaches StatusLogger meanwhile.
 */
final class Log4j2Fixture implements AutoCloseable {
  final LoggerContext context;
  private final Path directory;
  private final Recorder status = new Recorder();

  private Log4j2Fixture(String xml, boolean allAsync) throws IOException {
    directory = Files.createTempDirectory("log4j2-fixture");
    StatusLogger.getLogger().registerListener(status);
    String name = "test-" + UUID.randomUUID();
    Path file = write(xml);
    context = allAsync ? new AsyncLoggerContext(name, null, file.toUri()) : new LoggerContext(name, null, file.toUri());
    context.start();
  }

  static Log4j2Fixture start(String xml) throws IOException {
    return new Log4j2Fixture(xml, false);
  }

  static Log4j2Fixture startAllAsync(String xml) throws IOException {
    return new Log4j2Fixture(xml, true);
  }

  /** A configuration whose root logger sends to the appenders given, the first one's name being the ref. */
  static String configuration(String appendersXml, String... rootRefs) {
    StringBuilder refs = new StringBuilder();
    for (String ref : rootRefs) {
      refs.append("<AppenderRef ref=\"").append(ref).append("\"/>");
    }
    return "<Configuration status=\"warn\"><Appenders>" + appendersXml + "</Appenders>"
        + "<Loggers><Root level=\"debug\">" + refs + "</Root></Loggers></Configuration>";
  }

  private Path write(String xml) throws IOException {
    return Files.writeString(directory.resolve("log4j2-" + UUID.randomUUID() + ".xml"), xml);
  }

  /** Loads a new configuration, as a monitorInterval reload would. */
  void reconfigure(String xml) throws IOException {
    context.setConfigLocation(write(xml).toUri());
  }

  Logger logger(String name) {
    return context.getLogger(name);
  }

  @SuppressWarnings("unchecked")
  <T extends Appender> T appender(String name) {
    return (T) context.getConfiguration().getAppender(name);
  }

  /** Status messages at {@code level} or more severe. */
  List<String> statusMessages(Level level) {
    return status.messages(level);
  }

  @Override
  public void close() {
    context.stop();
    StatusLogger.getLogger().removeListener(status);
  }

  private static final class Recorder implements StatusListener {
    private final List<StatusData> data = new ArrayList<>();

    @Override
    public synchronized void log(StatusData status) {
      data.add(status);
    }

    synchronized List<String> messages(Level level) {
      return data.stream().filter(status -> status.getLevel().isMoreSpecificThan(level))
          .map(status -> status.getMessage().getFormattedMessage()).toList();
    }

    @Override
    public Level getStatusLevel() {
      return Level.DEBUG;
    }

    @Override
    public void close() {
      // Nothing held.
    }
  }
}
