package dev.logfailover;

import java.util.Locale;

/** How events reach a server. Only TCP-based transports can fail over (F8). */
public enum Transport {
  /** Framed records on a TCP stream (RFC 6587); sent once the kernel accepted them. */
  TCP("tcp", 601, false, false, false),
  /** The same inside TLS (RFC 5425), each server verified against its own name (F7). */
  TLS("tls", 6514, true, false, false),
  /** RELP (librelp's doc/relp.md): every event acknowledged by the server (F14, F15). */
  RELP("relp", 2514, false, true, false),
  /** RELP inside TLS, verified as F7. */
  RELP_TLS("relp-tls", 2514, true, true, false),
  /** Batches of events POSTed to an HTTP collector, each acknowledged by a 2xx (F14, F16). */
  HTTP("http", 80, false, false, true),
  /** The same over HTTPS, each server verified as F7. */
  HTTPS("https", 443, true, false, true);

  private static final String EXPECTED = "'tcp', 'tls', 'relp', 'relp-tls', 'http' or 'https'";

  private final String configName;
  private final int defaultPort;
  private final boolean tls;
  private final boolean relp;
  private final boolean http;

  Transport(String configName, int defaultPort, boolean tls, boolean relp, boolean http) {
    this.configName = configName;
    this.defaultPort = defaultPort;
    this.tls = tls;
    this.relp = relp;
    this.http = http;
  }

  /** The port used when none is configured: 601 (RFC 6587), 6514 (RFC 5425), 2514 (RELP), 80, 443. */
  public int defaultPort() {
    return defaultPort;
  }

  /** Whether every connection runs TLS, verified per server (F7). */
  public boolean usesTls() {
    return tls;
  }

  /** Whether the server acknowledges each event (RELP): an event counts as sent only then (F14). */
  public boolean isRelp() {
    return relp;
  }

  /** Whether batches go as HTTP requests, each acknowledged by a 2xx (F16). */
  public boolean isHttp() {
    return http;
  }

  /** Whether an event counts as sent only once the server acknowledged it (F14). */
  public boolean isAcknowledged() {
    return relp || http;
  }

  /**
   * Parses {@code tcp}, {@code tls}, {@code relp}, {@code relp-tls}, {@code http} or {@code https}. UDP is refused with its
   * reason: a datagram has no connection, so a dead server cannot be noticed and there is nothing
   * to fail over from.
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
          "UDP cannot fail over (a datagram never reports a dead server); use " + EXPECTED);
    }
    throw new ConfigException(option, text, "expected " + EXPECTED);
  }

  @Override
  public String toString() {
    return configName;
  }
}
