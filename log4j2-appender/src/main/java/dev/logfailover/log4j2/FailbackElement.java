package dev.logfailover.log4j2;

import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;

/**
 * {@code <Failback successfulProbesRequired="3" tcpProbeInterval="10s"/>}: turns on failback mode
 * (F6). Values are checked with every other option when the appender is built.
 */
@Plugin(name = "Failback", category = Node.CATEGORY, printObject = true)
public final class FailbackElement {
  private final String successfulProbesRequired;
  private final String tcpProbeInterval;

  private FailbackElement(String successfulProbesRequired, String tcpProbeInterval) {
    this.successfulProbesRequired = successfulProbesRequired;
    this.tcpProbeInterval = tcpProbeInterval;
  }

  @PluginFactory
  public static FailbackElement create(@PluginAttribute("successfulProbesRequired") String successfulProbesRequired,
      @PluginAttribute("tcpProbeInterval") String tcpProbeInterval) {
    return new FailbackElement(successfulProbesRequired, tcpProbeInterval);
  }

  String successfulProbesRequired() {
    return successfulProbesRequired;
  }

  String tcpProbeInterval() {
    return tcpProbeInterval;
  }

  @Override
  public String toString() {
    return "Failback{successfulProbesRequired=" + successfulProbesRequired + ", tcpProbeInterval="
        + tcpProbeInterval + "}";
  }
}
