package dev.logfailover.it;

import dev.logfailover.FailoverStatus;
import java.util.List;

/**
 * One framework's appender under test: it renders a {@link Setup} into that framework's real
 * configuration file text (logback.xml or log4j2.xml), configures the framework from it, and logs
 * through the framework's own API. The behaviour tests see only this interface, so each test
 * runs unchanged against both appenders.
 */
interface AppenderDriver extends AutoCloseable {
  /** The configuration file text this driver renders for {@code setup}. */
  String configuration(Setup setup);

  /** Configures the framework from {@link #configuration}. */
  void start(Setup setup) throws Exception;

  /**
   * Reconfigures the running framework from {@code setup}, as its own reload does (Logback's scan:
   * reset, then configure; Log4j2: the new configuration starts before the old one stops).
   */
  void reload(Setup setup) throws Exception;

  /** The status of each appender a {@link #reload} replaced, as it ended, oldest first. */
  List<FailoverStatus> replacedStatuses();

  /** Logs {@code message} at INFO through the framework's logger "app". */
  void log(String message);

  /**
   * Logs {@code message} at ERROR with {@code error}, with {@code context} in the MDC (Logback) or
   * ThreadContext (Log4j2) for this one call.
   */
  void log(String message, java.util.Map<String, String> context, Throwable error);

  /** The appender's {@link FailoverStatus}. */
  FailoverStatus status();

  /** Status messages of WARN or ERROR level the appender reported through the framework. */
  List<String> problems();

  /** Shuts the logging framework down, as an application's exit does (F10). */
  void shutdown();

  @Override
  void close();
}
