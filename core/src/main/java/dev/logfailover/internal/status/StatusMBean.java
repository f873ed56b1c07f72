package dev.logfailover.internal.status;

import dev.logfailover.Endpoint;
import dev.logfailover.FailoverStatus;
import dev.logfailover.FailoverStatusMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Publishes an appender's {@link FailoverStatus} on the platform MBean server while it runs. Each
 * attribute reads a fresh snapshot. Thread-safe.
 */
public final class StatusMBean implements FailoverStatusMXBean {
  private final Supplier<FailoverStatus> status;
  private final ObjectName name;

  private StatusMBean(Supplier<FailoverStatus> status, ObjectName name) {
    this.status = status;
    this.name = name;
  }

  /** The object name of the appender called {@code appenderName}. */
  public static ObjectName objectName(String appenderName) throws JMException {
    return new ObjectName("dev.logfailover:type=FailoverSocketAppender,name=" + ObjectName.quote(appenderName));
  }

  /**
   * Registers the bean; an older one of the same name (an appender of a previous configuration)
   * is replaced.
   */
  public static StatusMBean register(String appenderName, Supplier<FailoverStatus> status) throws JMException {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    StatusMBean bean = new StatusMBean(status, objectName(appenderName));
    try {
      server.registerMBean(bean, bean.name);
    } catch (InstanceAlreadyExistsException e) {
      server.unregisterMBean(bean.name);
      server.registerMBean(bean, bean.name);
    }
    return bean;
  }

  /** Removes the bean; harmless if already gone. */
  public void unregister() {
    try {
      ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
    } catch (JMException ignored) {
      // Already unregistered, or replaced by a newer appender of the same name.
    }
  }

  @Override
  public String getMode() {
    return status.get().mode().name();
  }

  @Override
  public String getCurrentServer() {
    return status.get().currentServer().map(Endpoint::toString).orElse("none");
  }

  @Override
  public String[] getServers() {
    return status.get().servers().stream()
        .map(server -> server.server() + " " + server.state()
            + server.lastFailure().map(failure -> " (last failure: " + failure + ")").orElse(""))
        .toArray(String[]::new);
  }

  @Override
  public long getEventsSent() {
    return status.get().eventsSent();
  }

  @Override
  public long getEventsDropped() {
    return status.get().eventsDropped();
  }

  @Override
  public long getFailovers() {
    return status.get().failovers();
  }

  @Override
  public long getFailbacks() {
    return status.get().failbacks();
  }

  @Override
  public long getProbesSucceeded() {
    return status.get().probesSucceeded();
  }

  @Override
  public long getProbesFailed() {
    return status.get().probesFailed();
  }
}
