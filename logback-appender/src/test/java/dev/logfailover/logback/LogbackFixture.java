package dev.logfailover.logback;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A fresh Logback context configured from real logback.xml text, as an application would be. */
final class LogbackFixture implements AutoCloseable {
  final LoggerContext context = new LoggerContext();

  static LogbackFixture fromXml(String xml) throws JoranException {
    return from(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  static LogbackFixture fromResource(String name) throws JoranException {
    return from(LogbackFixture.class.getResourceAsStream("/" + name));
  }

  private static LogbackFixture from(InputStream xml) throws JoranException {
    LogbackFixture fixture = new LogbackFixture();
    fixture.context.setName("test");
    // Logback's SLF4J provider sets this for the real context; a context made by hand needs it too.
    fixture.context.setMDCAdapter(new LogbackMDCAdapter());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(fixture.context);
    configurator.doConfigure(xml);
    return fixture;
  }

  /** Configures the context again from {@code xml}, as a scan or Spring Boot does: reset, then configure. */
  void reconfigure(String xml) throws JoranException {
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  /** Wraps an appender element (and its loggers) in a configuration that sends root to it. */
  static String configuration(String appenderXml) {
    return "<configuration><appender name=\"COLLECTORS\" class=\"dev.logfailover.logback.FailoverSocketAppender\">"
        + appenderXml + "</appender><root level=\"DEBUG\"><appender-ref ref=\"COLLECTORS\"/></root></configuration>";
  }

  @SuppressWarnings("unchecked")
  FailoverSocketAppender<Object> appender() {
    return (FailoverSocketAppender<Object>) (Object) context.getLogger("ROOT").getAppender("COLLECTORS");
  }

  List<Status> statuses() {
    return context.getStatusManager().getCopyOfStatusList();
  }

  List<String> statusMessages(int level) {
    return statuses().stream().filter(status -> status.getLevel() == level).map(Status::getMessage).toList();
  }

  @Override
  public void close() {
    context.stop();
  }
}
