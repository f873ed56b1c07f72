package dev.logfailover.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a test configures, independent of the framework: the primary, the failover servers as
 * users write them ({@code host} or {@code host:port}), optional failback, and further options by
 * their SPEC names.
 */
final class Setup {
  /** How records are laid out: {@code %m%n} (newline framing), RFC 5424 (octet counting) or RFC 3164. */
  enum Format { PATTERN, RFC5424, RFC3164 }

  final String host;
  final int port;
  final List<String> servers = new ArrayList<>();
  final Map<String, String> options = new LinkedHashMap<>();
  /** HTTP headers: Logback {@code <header>}, Log4j2 {@code <Property>}. */
  final Map<String, String> headers = new LinkedHashMap<>();
  String successfulProbesRequired;
  String tcpProbeInterval;
  /** TLS stores (PKCS12 files) and their password; null for plain TCP. */
  Format format = Format.PATTERN;
  Path trustStore;
  Path keyStore;
  String storePassword;

  Setup(String host, int port) {
    this.host = host;
    this.port = port;
    // Quick retries keep the tests short; tests that need the defaults set them back.
    options.put("reconnectDelay", "100ms");
    options.put("maxReconnectDelay", "200ms");
    options.put("connectTimeout", "2s");
  }

  /** RFC 5424 and RFC 3164 use the framework's own syslog encoder or layout, app name "orders", LOCAL0. */
  Setup format(Format format) {
    this.format = format;
    return this;
  }

  Setup server(String server) {
    servers.add(server);
    return this;
  }

  Setup option(String name, String value) {
    options.put(name, value);
    return this;
  }

  Setup header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  Setup failback(String successfulProbesRequired, String tcpProbeInterval) {
    this.successfulProbesRequired = successfulProbesRequired;
    this.tcpProbeInterval = tcpProbeInterval;
    return this;
  }

  /** Turns on TLS with the framework's own TLS element; {@code keyStore} may be null. */
  Setup tls(Path trustStore, Path keyStore, String storePassword) {
    this.trustStore = trustStore;
    this.keyStore = keyStore;
    this.storePassword = storePassword;
    options.put("transport", "tls");
    return this;
  }

  boolean hasFailback() {
    return successfulProbesRequired != null || tcpProbeInterval != null;
  }
}
