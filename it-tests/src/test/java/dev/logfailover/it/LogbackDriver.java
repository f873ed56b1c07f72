package dev.logfailover.it;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import dev.logfailover.FailoverStatus;
import dev.logfailover.logback.FailoverSocketAppender;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Drives the Logback appender through logback.xml text. */
final class LogbackDriver implements AppenderDriver {
  private LoggerContext context;
  private FailoverSocketAppender<?> appender;
  private final List<FailoverStatus> replaced = new java.util.ArrayList<>();

  @Override
  public String configuration(Setup setup) {
    StringBuilder xml = new StringBuilder("<configuration>\n")
        .append("  <appender name=\"COLLECTORS\" class=\"dev.logfailover.logback.FailoverSocketAppender\">\n")
        .append("    <host>").append(setup.host).append("</host>\n")
        .append("    <port>").append(setup.port).append("</port>\n");
    setup.options.forEach((name, value) -> xml.append("    <").append(name).append('>').append(value)
        .append("</").append(name).append(">\n"));
    setup.headers.forEach((name, value) -> xml.append("    <header><name>").append(name).append("</name><value>")
        .append(value).append("</value></header>\n"));
    xml.append(switch (setup.format) {
      case PATTERN -> "    <encoder><pattern>%msg%n</pattern></encoder>\n";
      case RFC5424 -> "    <encoder class=\"dev.logfailover.logback.Rfc5424Encoder\"><appName>orders</appName>"
          + "<facility>LOCAL0</facility></encoder>\n";
      case RFC3164 -> "    <encoder class=\"dev.logfailover.logback.Rfc3164Encoder\"><appName>orders</appName>"
          + "<facility>LOCAL0</facility></encoder>\n";
    });
    if (!setup.servers.isEmpty() || setup.hasFailback()) {
      xml.append("    <failover>\n      <servers>\n");
      setup.servers.forEach(server -> xml.append("        <server>").append(server).append("</server>\n"));
      xml.append("      </servers>\n");
      if (setup.hasFailback()) {
        xml.append("      <failback>");
        if (setup.successfulProbesRequired != null) {
          xml.append("<successfulProbesRequired>").append(setup.successfulProbesRequired)
              .append("</successfulProbesRequired>");
        }
        if (setup.tcpProbeInterval != null) {
          xml.append("<tcpProbeInterval>").append(setup.tcpProbeInterval).append("</tcpProbeInterval>");
        }
        xml.append("</failback>\n");
      }
      xml.append("    </failover>\n");
    }
    if (setup.trustStore != null) {
      xml.append("    <ssl>\n      <protocol>TLS</protocol>\n")
          .append("      <trustStore><location>").append(setup.trustStore.toUri()).append("</location><password>")
          .append(setup.storePassword).append("</password></trustStore>\n");
      if (setup.keyStore != null) {
        xml.append("      <keyStore><location>").append(setup.keyStore.toUri()).append("</location><password>")
            .append(setup.storePassword).append("</password></keyStore>\n");
      }
      xml.append("    </ssl>\n");
    }
    return xml.append("  </appender>\n")
        .append("  <logger name=\"app\" level=\"INFO\" additivity=\"false\"><appender-ref ref=\"COLLECTORS\"/></logger>\n")
        .append("  <root level=\"OFF\"/>\n</configuration>\n").toString();
  }

  @Override
  public void start(Setup setup) throws Exception {
    context = new LoggerContext();
    context.setName("it-logback");
    context.setMDCAdapter(new LogbackMDCAdapter());
    configure(setup);
  }

  private void configure(Setup setup) throws Exception {
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(new ByteArrayInputStream(configuration(setup).getBytes(StandardCharsets.UTF_8)));
    appender = (FailoverSocketAppender<?>) context.getLogger("app").getAppender("COLLECTORS");
  }

  /** As a scan does: reset (the appender stops, keeping its backlog), then configure again. */
  @Override
  public void reload(Setup setup) throws Exception {
    FailoverSocketAppender<?> previous = appender;
    context.reset();
    configure(setup);
    replaced.add(previous.getStatus());
  }

  @Override
  public List<FailoverStatus> replacedStatuses() {
    return List.copyOf(replaced);
  }

  @Override
  public void log(String message) {
    context.getLogger("app").info(message);
  }

  @Override
  public void log(String message, Map<String, String> mdc, Throwable error) {
    mdc.forEach(context.getMDCAdapter()::put);
    try {
      context.getLogger("app").error(message, error);
    } finally {
      context.getMDCAdapter().clear();
    }
  }

  @Override
  public FailoverStatus status() {
    return appender.getStatus();
  }

  @Override
  public List<String> problems() {
    return context.getStatusManager().getCopyOfStatusList().stream()
        .filter(status -> status.getLevel() >= Status.WARN).map(Status::getMessage).toList();
  }

  @Override
  public void shutdown() {
    context.stop();
  }

  @Override
  public void close() {
    if (context != null) {
      context.stop();
    }
  }

  @Override
  public String toString() {
    return "Logback";
  }
}
