package dev.logfailover.demo;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.status.Status;
import dev.logfailover.FailoverStatus;
import dev.logfailover.logback.FailoverSocketAppender;

/** Logback, configured from demo-logback.xml. */
final class LogbackDemoLogging implements DemoLogging {
  private final LoggerContext context = new LoggerContext();
  private final Logger logger;
  private final FailoverSocketAppender<?> appender;

  LogbackDemoLogging(int[] ports, StatusReceiver receiver) throws Exception {
    context.setName("demo");
    context.setMDCAdapter(new LogbackMDCAdapter());
    context.putProperty("PRIMARY_PORT", Integer.toString(ports[0]));
    context.putProperty("FAILOVER1_PORT", Integer.toString(ports[1]));
    context.putProperty("FAILOVER2_PORT", Integer.toString(ports[2]));
    context.getStatusManager().add(status -> {
      if (status.getMessage().startsWith("[COLLECTORS] ")) {
        String level = status.getLevel() == Status.ERROR ? "ERROR" : status.getLevel() == Status.WARN ? "WARN" : "INFO";
        receiver.receive(level, status.getMessage().substring("[COLLECTORS] ".length()));
      }
    });
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogbackDemoLogging.class.getResource("/demo-logback.xml"));
    logger = context.getLogger("demo");
    appender = (FailoverSocketAppender<?>) logger.getAppender("COLLECTORS");
  }

  @Override
  public void log(int eventNumber) {
    logger.info("event {}", eventNumber);
  }

  @Override
  public FailoverStatus status() {
    return appender.getStatus();
  }

  @Override
  public void shutdown() {
    context.stop();
  }
}
