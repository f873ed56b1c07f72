package dev.logfailover.log4j2;

import dev.logfailover.adapter.StatusSink;
import org.apache.logging.log4j.status.StatusLogger;

/** Our status messages, to Log4j2's StatusLogger. Thread-safe. */
final class StatusLoggerSink implements StatusSink {
  private static final StatusLogger LOGGER = StatusLogger.getLogger();

  @Override
  public void info(String message) {
    LOGGER.info(message);
  }

  @Override
  public void warn(String message, Throwable cause) {
    LOGGER.warn(message, cause);
  }

  @Override
  public void error(String message, Throwable cause) {
    LOGGER.error(message, cause);
  }
}
