package dev.logfailover.internal.transport;

import dev.logfailover.FailoverConfig;
import dev.logfailover.internal.connection.TcpConnector;

/** The transport a configuration names, as a {@link SessionFactory}. */
public final class Transports {
  private Transports() {}

  public static SessionFactory forConfig(FailoverConfig config) {
    return switch (config.transport()) {
      case TCP, TLS -> new StreamTransport(new Framer(config.framing()), config.tls().orElse(null),
          config.connectTimeout(), config.writeTimeout());
      case RELP, RELP_TLS -> new RelpTransport(config.tls().orElse(null), config.connectTimeout(),
          config.writeTimeout(), config.relpWindowSize());
      case HTTP, HTTPS -> new HttpTransport(config.http().orElseThrow(), config.tls().orElse(null),
          config.connectTimeout(), config.writeTimeout(),
          new TcpConnector(config.resolver(), config.connectTimeout(), config.keepAlive()));
    };
  }
}
