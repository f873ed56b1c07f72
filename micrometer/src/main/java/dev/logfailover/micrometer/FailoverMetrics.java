package dev.logfailover.micrometer;

import dev.logfailover.FailoverStatus.ServerState;
import dev.logfailover.FailoverStatusMXBean;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import javax.management.JMException;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Micrometer meters for every logfailover appender running in this JVM, Logback's and Log4j2's
 * alike, read from the status MBeans they publish (SPEC section 5), so this module needs neither
 * framework and the core needs no Micrometer. Each meter carries the tag {@code appender} (the
 * appender's name):
 *
 * <ul>
 *   <li>counters {@code logfailover.events.sent}, {@code .dropped}, {@code .resent}, {@code
 *       .oversized}, {@code .rejected}, {@code logfailover.failovers}, {@code logfailover.failbacks}, and {@code
 *       logfailover.probes} with tag {@code result} ({@code succeeded} or {@code failed});
 *   <li>gauges {@code logfailover.queue.events} and {@code logfailover.queue.bytes};
 *   <li>{@code logfailover.server.state} with tags {@code server} and {@code state}: 1 for the
 *       state each server is in, 0 for the others; and {@code logfailover.server.current} with tag
 *       {@code server}: 1 for the server the appender sends to now.
 * </ul>
 *
 * <p>Meters read the appender's MBean at each scrape, so a reconfigured appender of the same name
 * goes on under the same meters (its counters start again from zero, as counters of a restarted
 * process do). Appenders started after {@link #bindTo} are not seen; the servers of an appender are
 * those it had then. While no appender of a name runs, its meters read NaN.
 *
 * <p>Thread-safe.
 */
public final class FailoverMetrics implements MeterBinder {
  private static final String APPENDERS = "dev.logfailover:type=FailoverSocketAppender,*";

  private final MBeanServer server;

  /** Meters for the appenders on the platform MBean server, where they publish their status. */
  public FailoverMetrics() {
    this(ManagementFactory.getPlatformMBeanServer());
  }

  FailoverMetrics(MBeanServer server) {
    this.server = server;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Set<ObjectName> appenders;
    try {
      appenders = server.queryNames(new ObjectName(APPENDERS), null);
    } catch (JMException e) {
      throw new IllegalStateException("cannot list the logfailover appenders", e);
    }
    for (ObjectName name : appenders) {
      bindAppender(registry, name);
    }
  }

  private void bindAppender(MeterRegistry registry, ObjectName name) {
    FailoverStatusMXBean bean = JMX.newMXBeanProxy(server, name, FailoverStatusMXBean.class);
    String written = name.getKeyProperty("name");
    String appender = written.startsWith("\"") ? ObjectName.unquote(written) : written;
    Tags tags = Tags.of("appender", appender);
    counter(registry, "logfailover.events.sent", "events sent (written for tcp/tls, acknowledged for relp)", tags,
        bean, FailoverStatusMXBean::getEventsSent);
    counter(registry, "logfailover.events.dropped", "events dropped and counted (queue full, stopping, undelivered)",
        tags, bean, FailoverStatusMXBean::getEventsDropped);
    counter(registry, "logfailover.events.resent", "events sent again to the next server after a failure", tags,
        bean, FailoverStatusMXBean::getResent);
    counter(registry, "logfailover.events.oversized", "events larger than maxRecordSize, not sent", tags, bean,
        FailoverStatusMXBean::getOversized);
    counter(registry, "logfailover.events.rejected", "events in batches a server refused as bad requests (HTTP 4xx)",
        tags, bean, FailoverStatusMXBean::getRejected);
    counter(registry, "logfailover.failovers", "switches away from a failed server", tags, bean,
        FailoverStatusMXBean::getFailovers);
    counter(registry, "logfailover.failbacks", "returns to the primary after its probes", tags, bean,
        FailoverStatusMXBean::getFailbacks);
    counter(registry, "logfailover.probes", "TCP probes of the primary", tags.and("result", "succeeded"), bean,
        FailoverStatusMXBean::getProbesSucceeded);
    counter(registry, "logfailover.probes", "TCP probes of the primary", tags.and("result", "failed"), bean,
        FailoverStatusMXBean::getProbesFailed);
    gauge(registry, "logfailover.queue.events", "events waiting in the queue", tags, bean,
        FailoverStatusMXBean::getQueuedEvents);
    gauge(registry, "logfailover.queue.bytes", "bytes waiting in the queue", tags, bean,
        FailoverStatusMXBean::getQueuedBytes);
    gauge(registry, "logfailover.spill.events", "events in the disk spill, not yet sent", tags, bean,
        FailoverStatusMXBean::getSpilledEvents);
    gauge(registry, "logfailover.spill.bytes", "bytes of the disk spill's files", tags, bean,
        FailoverStatusMXBean::getSpilledBytes);
    gauge(registry, "logfailover.spill.oldest.age", "milliseconds since the oldest spilled event was logged", tags,
        bean, FailoverStatusMXBean::getOldestSpilledAgeMillis);
    for (String server : serversOf(bean)) {
      Tags serverTags = tags.and("server", server);
      gauge(registry, "logfailover.server.current", "1 for the server the appender sends to now", serverTags, bean,
          current -> current.getCurrentServer().equals(server) ? 1 : 0);
      for (ServerState state : ServerState.values()) {
        gauge(registry, "logfailover.server.state", "1 for the state the server is in",
            serverTags.and("state", state.name()), bean, status -> state.name().equals(stateOf(status, server)) ? 1 : 0);
      }
    }
  }

  /*
   * Micrometer holds a meter's state object weakly: the MBean server, which lives as long as the
   * JVM, is that object, and the function holds the appender's proxy.
   */
  private void counter(MeterRegistry registry, String name, String description, Tags tags,
      FailoverStatusMXBean bean, ToDoubleFunction<FailoverStatusMXBean> read) {
    FunctionCounter.builder(name, server, readOrNaN(bean, read)).description(description).tags(tags)
        .register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String description, Tags tags,
      FailoverStatusMXBean bean, ToDoubleFunction<FailoverStatusMXBean> read) {
    Gauge.builder(name, server, readOrNaN(bean, read)).description(description).tags(tags).register(registry);
  }

  /** A stopped appender's bean is gone until its successor registers: NaN rather than an exception. */
  private static ToDoubleFunction<MBeanServer> readOrNaN(FailoverStatusMXBean bean,
      ToDoubleFunction<FailoverStatusMXBean> read) {
    return ignored -> {
      try {
        return read.applyAsDouble(bean);
      } catch (RuntimeException gone) {
        return Double.NaN;
      }
    };
  }

  /** Each entry of {@link FailoverStatusMXBean#getServers()} is "host:port STATE ...". */
  private static String[] serversOf(FailoverStatusMXBean bean) {
    return Arrays.stream(bean.getServers()).map(entry -> entry.split(" ", 2)[0]).toArray(String[]::new);
  }

  private static String stateOf(FailoverStatusMXBean bean, String server) {
    return Arrays.stream(bean.getServers()).map(entry -> entry.split(" ", 3))
        .filter(parts -> parts.length > 1 && parts[0].equals(server)).map(parts -> parts[1]).findFirst().orElse("");
  }
}
