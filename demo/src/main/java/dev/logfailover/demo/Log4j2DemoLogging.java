package dev.logfailover.demo;

import dev.logfailover.FailoverStatus;
import dev.logfailover.log4j2.FailoverSocketAppender;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;

/** Log4j2, configured from demo-log4j2.xml. */
final class Log4j2DemoLogging implements DemoLogging {
  private final LoggerContext context;
  private final Logger logger;
  private final FailoverSocketAppender appender;
  private final StatusListener listener;

  Log4j2DemoLogging(int[] ports, StatusReceiver receiver) throws Exception {
    System.setProperty("demo.primaryPort", Integer.toString(ports[0]));
    System.setProperty("demo.failover1Port", Integer.toString(ports[1]));
    System.setProperty("demo.failover2Port", Integer.toString(ports[2]));
    listener = new StatusListener() {
      @Override
      public void log(StatusData data) {
        String message = data.getMessage().getFormattedMessage();
        if (message.startsWith("[COLLECTORS] ")) {
          receiver.receive(data.getLevel().name(), message.substring("[COLLECTORS] ".length()));
        }
      }

      @Override
      public Level getStatusLevel() {
        return Level.INFO;
      }

      @Override
      public void close() {
        // Nothing held.
      }
    };
    StatusLogger.getLogger().registerListener(listener);
    context = new LoggerContext("demo", null, Log4j2DemoLogging.class.getResource("/demo-log4j2.xml").toURI());
    context.start();
    logger = context.getLogger("demo");
    appender = context.getConfiguration().getAppender("COLLECTORS");
  }

  @Override
  public void log(int eventNumber) {
    logger.info("event {}", eventNumber);
  }

  @Override
  public FailoverStatus status() {
    return appender.getStatus();
  }

  @Override
  public void shutdown() {
    context.stop();
    StatusLogger.getLogger().removeListener(listener);
  }
}
