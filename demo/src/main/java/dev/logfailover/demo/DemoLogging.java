package dev.logfailover.demo;

import dev.logfailover.FailoverStatus;

/** The demo's logging framework, configured from its real XML file, whichever it is. */
interface DemoLogging {
  /** Receives each status message our appender reports, with its level. */
  interface StatusReceiver {
    void receive(String level, String message);
  }

  void log(int eventNumber);

  FailoverStatus status();

  /** Shuts the framework down, which flushes the appender's queue. */
  void shutdown();
}
