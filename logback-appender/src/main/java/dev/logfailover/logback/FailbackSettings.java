package dev.logfailover.logback;

/**
 * The {@code <failback>} element. Values are kept as written and checked when the appender starts,
 * so that a bad one is reported with its option name and text.
 */
public class FailbackSettings {
  private String successfulProbesRequired;
  private String tcpProbeInterval;

  /** Consecutive successful probes before returning to the primary; default 3. */
  public void setSuccessfulProbesRequired(String successfulProbesRequired) {
    this.successfulProbesRequired = successfulProbesRequired;
  }

  public String getSuccessfulProbesRequired() {
    return successfulProbesRequired;
  }

  /** Time between probe starts, e.g. {@code 10 seconds} or {@code 10s}; default 60 seconds. */
  public void setTcpProbeInterval(String tcpProbeInterval) {
    this.tcpProbeInterval = tcpProbeInterval;
  }

  public String getTcpProbeInterval() {
    return tcpProbeInterval;
  }
}
