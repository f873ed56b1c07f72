package dev.logfailover.adapter;

import dev.logfailover.Endpoint;
import dev.logfailover.FailoverStatus;
import dev.logfailover.FailoverStatusMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.function.Supplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Publishes an appender's {@link FailoverStatus} on the platform MBean server while it runs, as
 * {@code dev.logfailover:type=FailoverSocketAppender,name=<appender name>} (SPEC section 5). The
 * name is written as it is when JMX allows that, and quoted only when it holds a character JMX
 * reserves ({@code , = : " * ? \\} or a newline). Each attribute reads a fresh snapshot.
 *
 * <p>Logback and Log4j2 start a reconfiguration's new appender before they stop the old one of
 * the same name: the newer bean replaces the older, and the older one's {@link #unregister()}
 * leaves the newer in place.
 *
 * <p>Thread-safe.
 */
public final class StatusMBean implements FailoverStatusMXBean {
  /** Which bean holds each name now; guarded by itself. */
  private static final Map<ObjectName, StatusMBean> REGISTERED = new HashMap<>();
  private static final Pattern JMX_RESERVED = Pattern.compile("[,=:\"*?\\\\\\n]");

  private final Supplier<FailoverStatus> status;
  private final ObjectName name;

  private StatusMBean(Supplier<FailoverStatus> status, ObjectName name) {
    this.status = status;
    this.name = name;
  }

  /** The object name of the appender called {@code appenderName}. */
  public static ObjectName objectName(String appenderName) throws JMException {
    String value = appenderName.isEmpty() || JMX_RESERVED.matcher(appenderName).find()
        ? ObjectName.quote(appenderName) : appenderName;
    return new ObjectName("dev.logfailover:type=FailoverSocketAppender,name=" + value);
  }

  /** Registers the bean, replacing an older one of the same name (an appender being reconfigured). */
  public static StatusMBean register(String appenderName, Supplier<FailoverStatus> status) throws JMException {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    StatusMBean bean = new StatusMBean(status, objectName(appenderName));
    synchronized (REGISTERED) {
      try {
        server.registerMBean(bean, bean.name);
      } catch (InstanceAlreadyExistsException e) {
        server.unregisterMBean(bean.name);
        server.registerMBean(bean, bean.name);
      }
      REGISTERED.put(bean.name, bean);
    }
    return bean;
  }

  /** Removes the bean, unless a newer appender's bean has taken the name; harmless if already gone. */
  public void unregister() {
    synchronized (REGISTERED) {
      if (REGISTERED.get(name) != this) {
        return;
      }
      REGISTERED.remove(name);
      try {
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
      } catch (JMException ignored) {
        // Already unregistered by someone else: nothing of ours is left to remove.
      }
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
  public long getResent() {
    return status.get().resent();
  }

  @Override
  public long getOversized() {
    return status.get().oversized();
  }

  @Override
  public long getRejected() {
    return status.get().rejected();
  }

  @Override
  public long getQueuedEvents() {
    return status.get().queuedEvents();
  }

  @Override
  public long getQueuedBytes() {
    return status.get().queuedBytes();
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

  @Override
  public long getSpilledEvents() {
    return status.get().spilledEvents();
  }

  @Override
  public long getSpilledBytes() {
    return status.get().spilledBytes();
  }

  @Override
  public long getOldestSpilledAgeMillis() {
    return status.get().oldestSpilledAge().toMillis();
  }
}
