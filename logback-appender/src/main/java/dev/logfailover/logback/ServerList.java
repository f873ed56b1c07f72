package dev.logfailover.logback;

import java.util.ArrayList;
import java.util.List;

/** The {@code <servers>} element: one {@code <server>host[:port]</server>} per failover server. */
public class ServerList {
  private final List<String> servers = new ArrayList<>();

  /** Joran calls this once per {@code <server>} element, in document order. */
  public void addServer(String server) {
    servers.add(server);
  }

  public List<String> getServers() {
    return List.copyOf(servers);
  }
}
