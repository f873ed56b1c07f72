package dev.logfailover;

/**
 * The JMX view of one appender's {@link FailoverStatus} (SPEC section 5), registered as {@code
 * dev.logfailover:type=FailoverSocketAppender,name=<appender name>} while the appender runs.
 */
public interface FailoverStatusMXBean {
  /** ROUND_ROBIN or FAILBACK. */
  String getMode();

  /** The server the connection goes to, or "none". */
  String getCurrentServer();

  /** One line per server: "host:port STATE (last failure: ...)". */
  String[] getServers();

  long getEventsSent();

  long getEventsDropped();

  /** Events sent again after a failure: an upper bound of duplicates. */
  long getResent();

  /** Events larger than maxRecordSize, not queued. */
  long getOversized();

  /** Events in batches a server refused as bad requests (HTTP 4xx, F16). */
  long getRejected();

  long getQueuedEvents();

  long getQueuedBytes();

  long getFailovers();

  long getFailbacks();

  long getProbesSucceeded();

  long getProbesFailed();

  /** Events in the spill (F17), not yet sent; 0 without a spill. */
  long getSpilledEvents();

  /** Bytes of the spill's files on disk. */
  long getSpilledBytes();

  /** How long ago the oldest spilled event was logged, in milliseconds; 0 when none is spilled. */
  long getOldestSpilledAgeMillis();
}
