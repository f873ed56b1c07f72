package dev.logfailover.log4j2;

import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;

/**
 * {@code <Server host="..." port="..."/>}: one failover server. Values are kept as written and
 * checked with every other option when the appender is built.
 */
@Plugin(name = "Server", category = Node.CATEGORY, printObject = true)
public final class ServerElement {
  private final String host;
  private final String port;

  private ServerElement(String host, String port) {
    this.host = host;
    this.port = port;
  }

  @PluginFactory
  public static ServerElement create(@PluginAttribute("host") String host, @PluginAttribute("port") String port) {
    return new ServerElement(host, port);
  }

  /** {@code host}, {@code host:port} or {@code [v6]:port}: the form the shared parser reads. */
  String asText() {
    String name = host == null ? "" : host.trim();
    if (port == null) {
      return name;
    }
    return (name.indexOf(':') >= 0 && !name.startsWith("[") ? "[" + name + "]" : name) + ":" + port.trim();
  }

  @Override
  public String toString() {
    return asText();
  }
}
