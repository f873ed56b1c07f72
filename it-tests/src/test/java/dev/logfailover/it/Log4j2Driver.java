package dev.logfailover.it;

import dev.logfailover.FailoverStatus;
import dev.logfailover.log4j2.FailoverSocketAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;

/** Drives the Log4j2 plugin through log4j2.xml text written to a file. */
final class Log4j2Driver implements AppenderDriver {
  private final List<String> problems = new ArrayList<>();
  private final StatusListener recorder = new StatusListener() {
    @Override
    public void log(StatusData data) {
      if (data.getLevel().isMoreSpecificThan(Level.WARN)) {
        synchronized (problems) {
          problems.add(data.getMessage().getFormattedMessage());
        }
      }
    }

    @Override
    public Level getStatusLevel() {
      return Level.WARN;
    }

    @Override
    public void close() {
      // Nothing held.
    }
  };
  private LoggerContext context;
  private FailoverSocketAppender appender;
  private final List<FailoverStatus> replaced = new ArrayList<>();

  @Override
  public String configuration(Setup setup) {
    StringBuilder xml = new StringBuilder("<Configuration status=\"warn\">\n  <Appenders>\n")
        .append("    <FailoverSocket name=\"collectors\" host=\"").append(setup.host).append("\" port=\"")
        .append(setup.port).append('"');
    setup.options.forEach((name, value) -> xml.append(' ').append(name).append("=\"").append(value).append('"'));
    xml.append(">\n");
    setup.headers.forEach((name, value) -> xml.append("      <Property name=\"").append(name).append("\" value=\"")
        .append(value).append("\"/>\n"));
    if (!setup.servers.isEmpty()) {
      xml.append("      <Servers>\n");
      for (String server : setup.servers) {
        int colon = server.lastIndexOf(':');
        xml.append("        <Server host=\"").append(colon < 0 ? server : server.substring(0, colon)).append('"');
        if (colon >= 0) {
          xml.append(" port=\"").append(server.substring(colon + 1)).append('"');
        }
        xml.append("/>\n");
      }
      xml.append("      </Servers>\n");
    }
    if (setup.hasFailback()) {
      xml.append("      <Failback");
      if (setup.successfulProbesRequired != null) {
        xml.append(" successfulProbesRequired=\"").append(setup.successfulProbesRequired).append('"');
      }
      if (setup.tcpProbeInterval != null) {
        xml.append(" tcpProbeInterval=\"").append(setup.tcpProbeInterval).append('"');
      }
      xml.append("/>\n");
    }
    if (setup.trustStore != null) {
      xml.append("      <Ssl protocol=\"TLS\">\n        <TrustStore location=\"").append(setup.trustStore)
          .append("\" password=\"").append(setup.storePassword).append("\"/>\n");
      if (setup.keyStore != null) {
        xml.append("        <KeyStore location=\"").append(setup.keyStore).append("\" password=\"")
            .append(setup.storePassword).append("\"/>\n");
      }
      xml.append("      </Ssl>\n");
    }
    xml.append(switch (setup.format) {
      case PATTERN -> "      <PatternLayout pattern=\"%m%n\"/>\n";
      case RFC5424 -> "      <Rfc5424Layout appName=\"orders\" facility=\"LOCAL0\" includeMDC=\"true\" exceptionPattern=\"%ex\"/>\n";
      case RFC3164 -> "      <SyslogLayout facility=\"LOCAL0\"/>\n";
    });
    return xml.append("    </FailoverSocket>\n  </Appenders>\n")
        .append("  <Loggers>\n    <Logger name=\"app\" level=\"info\" additivity=\"false\"><AppenderRef ref=\"collectors\"/></Logger>\n")
        .append("    <Root level=\"off\"/>\n  </Loggers>\n</Configuration>\n").toString();
  }

  @Override
  public void start(Setup setup) throws Exception {
    StatusLogger.getLogger().registerListener(recorder);
    Path file = Files.createTempFile("log4j2-it", ".xml");
    Files.writeString(file, configuration(setup));
    context = new LoggerContext("it-log4j2-" + UUID.randomUUID(), null, file.toUri());
    context.start();
    appender = context.getConfiguration().getAppender("collectors");
  }

  /** As a reload does: the new configuration's appender starts (taking the backlog over), then the old one stops. */
  @Override
  public void reload(Setup setup) throws Exception {
    FailoverSocketAppender previous = appender;
    Path file = Files.createTempFile("log4j2-it", ".xml");
    Files.writeString(file, configuration(setup));
    context.setConfigLocation(file.toUri());
    appender = context.getConfiguration().getAppender("collectors");
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
  public void log(String message, Map<String, String> threadContext, Throwable error) {
    ThreadContext.putAll(threadContext);
    try {
      context.getLogger("app").error(message, error);
    } finally {
      ThreadContext.clearMap();
    }
  }

  @Override
  public FailoverStatus status() {
    return appender.getStatus();
  }

  @Override
  public List<String> problems() {
    synchronized (problems) {
      return List.copyOf(problems);
    }
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
    StatusLogger.getLogger().removeListener(recorder);
  }

  @Override
  public String toString() {
    return "Log4j2";
  }
}
