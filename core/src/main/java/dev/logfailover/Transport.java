package dev.logfailover;

import java.util.Locale;

/** How bytes reach a server. Only TCP-based transports can fail over (F8). */
public enum Transport {
  TCP("tcp", 601),
  TLS("tls", 6514);

  private final String configName;
  private final int defaultPort;

  Transport(String configName, int defaultPort) {
    this.configName = configName;
    this.defaultPort = defaultPort;
  }

  /** The port used when none is configured: 601 for TCP (RFC 6587), 6514 for TLS (RFC 5425). */
  public int defaultPort() {
    return defaultPort;
  }

  /**
   * Parses {@code tcp} or {@code tls}. UDP is refused with its reason: a datagram has no
   * connection, so a dead server cannot be noticed and there is nothing to fail over from.
   */
  public static Transport parse(String option, String text) {
    String name = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (Transport transport : values()) {
      if (transport.configName.equals(name)) {
        return transport;
      }
    }
    if (name.equals("udp")) {
      throw new ConfigException(option, text,
          "UDP cannot fail over (a datagram never reports a dead server); use 'tcp' or 'tls'");
    }
    throw new ConfigException(option, text, "expected 'tcp' or 'tls'");
  }

  @Override
  public String toString() {
    return configName;
  }
}
