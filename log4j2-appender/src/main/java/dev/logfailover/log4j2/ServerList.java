package dev.logfailover.log4j2;

import java.util.List;
import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginElement;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;

/** {@code <Servers>}: the failover servers, in order. */
@Plugin(name = "Servers", category = Node.CATEGORY, printObject = true)
public final class ServerList {
  private final List<ServerElement> servers;

  private ServerList(List<ServerElement> servers) {
    this.servers = servers;
  }

  @PluginFactory
  public static ServerList create(@PluginElement("Server") ServerElement[] servers) {
    return new ServerList(servers == null ? List.of() : List.of(servers));
  }

  List<ServerElement> servers() {
    return servers;
  }

  @Override
  public String toString() {
    return servers.toString();
  }
}
