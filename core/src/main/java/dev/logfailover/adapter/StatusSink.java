package dev.logfailover.adapter;

/**
 * A logging framework's own status system (Logback's StatusManager, Log4j2's StatusLogger), as
 * the adapters implement it. Must be thread-safe and must not throw.
 */
public interface StatusSink {
  void info(String message);

  void warn(String message, Throwable cause);

  void error(String message, Throwable cause);
}
