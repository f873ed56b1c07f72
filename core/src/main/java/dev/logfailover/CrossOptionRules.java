package dev.logfailover;

import java.time.Duration;

/** The rules of {@link FailoverConfig.Builder#build()} that tie options to each other. */
final class CrossOptionRules {
  private CrossOptionRules() {}

  /** Options that apply only to some transports, and failback's need for a failover server. */
  static void check(Transport transport, boolean tlsGiven, Integer relpWindowSize, boolean httpGiven,
      Failback failback, int serverCount) {
    if (tlsGiven && !transport.usesTls()) {
      throw new ConfigException("transport", transport,
          "TLS settings are given, so the transport must be 'tls', 'relp-tls' or 'https'");
    }
    if (relpWindowSize != null && !transport.isRelp()) {
      throw new ConfigException("relpWindowSize", relpWindowSize, "applies only to transport 'relp' or 'relp-tls'");
    }
    if (httpGiven && !transport.isHttp()) {
      throw new ConfigException("transport", transport,
          "HTTP settings (path, headers, batches) are given, so the transport must be 'http' or 'https'");
    }
    if (failback != null && serverCount == 1) {
      throw new ConfigException("failback", failback, "failback needs at least one failover server to fall back from");
    }
  }

  /** Bounds that must not contradict each other. */
  static void checkBounds(int maxRecordSize, long maxQueueBytes, Duration reconnectDelay,
      Duration maxReconnectDelay) {
    if (maxRecordSize > maxQueueBytes) {
      throw new ConfigException("maxRecordSize", maxRecordSize,
          "must not be more than maxQueueBytes (" + maxQueueBytes + "): such an event could never be queued");
    }
    if (maxReconnectDelay.compareTo(reconnectDelay) < 0) {
      throw new ConfigException("maxReconnectDelay", maxReconnectDelay,
          "must not be less than reconnectDelay (" + reconnectDelay + ")");
    }
  }
}
