package dev.logfailover.logback;

/**
 * The {@code <failover>} element: the failover servers and, optionally, failback. Joran creates it
 * from the setter's type, so the XML needs no {@code class} attribute.
 */
public class FailoverSettings {
  private ServerList servers;
  private FailbackSettings failback;

  /** {@code <servers>}: the failover servers, in order. */
  public void setServers(ServerList servers) {
    this.servers = servers;
  }

  public ServerList getServers() {
    return servers;
  }

  /** {@code <failback>}: turns on failback mode (F6). */
  public void setFailback(FailbackSettings failback) {
    this.failback = failback;
  }

  public FailbackSettings getFailback() {
    return failback;
  }
}
