package dev.logfailover;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A server as configured: a host name or literal address and a port. A value type; the name is
 * kept as written and is resolved afresh at every connection attempt and probe (F12).
 */
public final class Endpoint {
  private final String host;
  private final int port;

  private Endpoint(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /**
   * Returns the endpoint {@code host:port}.
   *
   * @throws ConfigException naming {@code option} when the host is empty or the port is outside
   *     1-65535
   */
  public static Endpoint of(String option, String host, int port) {
    if (host == null || host.isBlank()) {
      throw new ConfigException(option, host == null ? "" : host, "the host must not be empty");
    }
    if (host.chars().anyMatch(Character::isWhitespace)) {
      throw new ConfigException(option, host, "a host name cannot contain whitespace");
    }
    checkPort(option, port);
    return new Endpoint(host, port);
  }

  /**
   * Parses {@code host}, {@code host:port}, {@code [v6addr]} or {@code [v6addr]:port}. A bare IPv6
   * address without brackets is taken whole as the host.
   *
   * @param option the option's name, for the error message
   * @param defaultPort the port to use when the text names none (the primary's port, F2)
   */
  public static Endpoint parse(String option, String text, int defaultPort) {
    if (text == null || text.isBlank()) {
      throw new ConfigException(option, text == null ? "" : text, "the server must not be empty");
    }
    String trimmed = text.trim();
    if (trimmed.startsWith("[")) {
      int close = trimmed.indexOf(']');
      if (close < 0) {
        throw new ConfigException(option, text, "an IPv6 address in brackets lacks its ']'");
      }
      String host = trimmed.substring(1, close);
      String rest = trimmed.substring(close + 1);
      if (rest.isEmpty()) {
        return of(option, host, defaultPort);
      }
      if (!rest.startsWith(":")) {
        throw new ConfigException(option, text, "expected ':port' after ']'");
      }
      return of(option, host, parsePort(option, text, rest.substring(1)));
    }
    int colon = trimmed.indexOf(':');
    if (colon < 0) {
      return of(option, trimmed, defaultPort);
    }
    if (trimmed.indexOf(':', colon + 1) >= 0) {
      // Several colons and no brackets: an IPv6 literal without a port.
      return of(option, trimmed, defaultPort);
    }
    return of(option, trimmed.substring(0, colon), parsePort(option, text, trimmed.substring(colon + 1)));
  }

  /** Parses a port number, refusing anything outside 1-65535. */
  public static int parsePort(String option, String text) {
    return parsePort(option, text, text);
  }

  private static int parsePort(String option, String whole, String portText) {
    int port;
    try {
      port = Integer.parseInt(portText.trim());
    } catch (NumberFormatException | NullPointerException e) {
      throw new ConfigException(option, whole, "the port must be a number between 1 and 65535");
    }
    if (port < 1 || port > 65535) {
      throw new ConfigException(option, whole, "the port must be between 1 and 65535");
    }
    return port;
  }

  private static void checkPort(String option, int port) {
    if (port < 1 || port > 65535) {
      throw new ConfigException(option, port, "the port must be between 1 and 65535");
    }
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Endpoint that
        && port == that.port
        && host.toLowerCase(Locale.ROOT).equals(that.host.toLowerCase(Locale.ROOT));
  }

  @Override
  public int hashCode() {
    return Objects.hash(host.toLowerCase(Locale.ROOT), port);
  }

  /** {@code host:port}, with an IPv6 literal in brackets. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * The server list (SPEC section 2): the primary {@code host} on {@code primaryPort}, then each
   * failover server as written ({@code host}, {@code host:port}, {@code [v6]:port}), with the
   * primary's port where it names none. A server listed twice is refused.
   */
  static List<Endpoint> serverList(String host, int primaryPort, List<String> failoverServers) {
    List<Endpoint> servers = new ArrayList<>();
    servers.add(of("host", host, primaryPort));
    Set<Endpoint> seen = new HashSet<>(servers);
    for (String server : failoverServers) {
      Endpoint endpoint = parse("server", server, primaryPort);
      if (!seen.add(endpoint)) {
        throw new ConfigException("server", server, "this server is already in the list as " + endpoint);
      }
      servers.add(endpoint);
    }
    return servers;
  }
}
