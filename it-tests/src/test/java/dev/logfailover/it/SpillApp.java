package dev.logfailover.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import dev.logfailover.FailoverStatus;
import dev.logfailover.logback.FailoverSocketAppender;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * For {@link SpillCrashTest} and {@link SpillBehaviourTest}, in a child JVM: Logback with our
 * appender (named as the test's driver names its own, so that both use the same spill
 * sub-directory), every server refusing, a spill in the given directory. It logs "event N" at about 20,000 a second and prints
 * {@code LOGGED=n SPILLED=s} every 20 ms, until it has logged {@code limit} events; then it prints
 * {@code ALL SPILLED} once the spill holds them all, and waits to be killed. Arguments: the spill
 * directory, a refused port, {@code spillSync}, the limit, the appender's name.
 */
public final class SpillApp {
  private SpillApp() {}

  /** The command that runs this in a child JVM on the test's class path. */
  static ProcessBuilder command(Path spillDirectory, int refusedPort, String spillSync, long limit,
      String appenderName) {
    return command(spillDirectory, refusedPort, spillSync, limit, appenderName, 0);
  }

  /** The same, each event padded with {@code padding} more bytes after a space. */
  static ProcessBuilder command(Path spillDirectory, int refusedPort, String spillSync, long limit,
      String appenderName, int padding) {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), SpillApp.class.getName(), spillDirectory.toString(),
        Integer.toString(refusedPort), spillSync, Long.toString(limit), appenderName, Integer.toString(padding))
        .redirectErrorStream(true);
  }

  public static void main(String[] args) throws Exception {
    String spillDirectory = args[0];
    int refusedPort = Integer.parseInt(args[1]);
    String spillSync = args[2];
    long limit = Long.parseLong(args[3]);
    String appenderName = args[4];
    String padding = args.length > 5 && !args[5].equals("0") ? " " + "p".repeat(Integer.parseInt(args[5])) : "";
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(new ByteArrayInputStream(("<configuration>"
        + "<appender name=\"" + appenderName + "\" class=\"dev.logfailover.logback.FailoverSocketAppender\">"
        + "<host>127.0.0.1</host><port>" + refusedPort + "</port><encoder><pattern>%msg%n</pattern></encoder>"
        + "<spillDirectory>" + spillDirectory + "</spillDirectory><spillSync>" + spillSync + "</spillSync>"
        + "</appender><root level=\"INFO\"><appender-ref ref=\"" + appenderName + "\"/></root></configuration>")
        .getBytes(StandardCharsets.UTF_8)));
    System.out.println("STARTED");
    Logger logger = context.getLogger("app");
    FailoverSocketAppender<?> appender = (FailoverSocketAppender<?>) context.getLogger("ROOT").getAppender(appenderName);
    long logged = 0;
    long nextReport = System.nanoTime();
    while (logged < limit) {
      logger.info("event " + logged++ + padding);
      if (logged % 20 == 0) {
        LockSupport.parkNanos(1_000_000);
      }
      if (System.nanoTime() - nextReport >= 0) {
        report(logged, appender.getStatus());
        nextReport = System.nanoTime() + 20_000_000;
      }
    }
    while (appender.getStatus().spilledEvents() < limit) {
      LockSupport.parkNanos(5_000_000);
    }
    report(logged, appender.getStatus());
    System.out.println("ALL SPILLED");
    LockSupport.parkNanos(60_000_000_000L);
  }

  private static void report(long logged, FailoverStatus status) {
    System.out.println("LOGGED=" + logged + " SPILLED=" + status.spilledEvents() + " DROPPED=" + status.eventsDropped()
        + " SENT=" + status.eventsSent());
  }
}
