package dev.logfailover;

import java.time.Duration;
import java.util.Objects;

/**
 * Failback settings (F6): probe the primary with a TCP connect every {@code tcpProbeInterval} and
 * return to it after {@code successfulProbesRequired} consecutive successes. A value type.
 */
public final class Failback {
  public static final int DEFAULT_SUCCESSFUL_PROBES_REQUIRED = 3;
  public static final Duration DEFAULT_TCP_PROBE_INTERVAL = Duration.ofSeconds(60);

  private final int successfulProbesRequired;
  private final Duration tcpProbeInterval;

  private Failback(int successfulProbesRequired, Duration tcpProbeInterval) {
    this.successfulProbesRequired = successfulProbesRequired;
    this.tcpProbeInterval = tcpProbeInterval;
  }

  /** @throws ConfigException when the count is not positive or the interval not positive */
  public static Failback of(int successfulProbesRequired, Duration tcpProbeInterval) {
    if (successfulProbesRequired < 1) {
      throw new ConfigException("successfulProbesRequired", successfulProbesRequired,
          "must be a positive integer");
    }
    Durations.requirePositive("tcpProbeInterval", tcpProbeInterval);
    return new Failback(successfulProbesRequired, tcpProbeInterval);
  }

  public int successfulProbesRequired() {
    return successfulProbesRequired;
  }

  public Duration tcpProbeInterval() {
    return tcpProbeInterval;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Failback that
        && successfulProbesRequired == that.successfulProbesRequired
        && tcpProbeInterval.equals(that.tcpProbeInterval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(successfulProbesRequired, tcpProbeInterval);
  }

  @Override
  public String toString() {
    return "Failback{successfulProbesRequired=" + successfulProbesRequired
        + ", tcpProbeInterval=" + tcpProbeInterval + "}";
  }
}
