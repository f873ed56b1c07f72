package dev.logfailover.logback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.core.status.Status;
import dev.logfailover.FailoverStatus;
import dev.logfailover.Framing;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The appender at run time, configured from logback.xml text, against loopback collectors. */
class FailoverSocketAppenderTest {
  private FakeServer primary;
  private FakeServer failover1;
  private LogbackFixture logback;

  @AfterEach
  void tearDown() {
    if (logback != null) {
      logback.close();
    }
    if (primary != null) {
      primary.close();
    }
    if (failover1 != null) {
      failover1.close();
    }
  }

  private Logger logger() {
    return logback.context.getLogger("orders");
  }

  @Test
  void F11_eventsFailOverAndEverySwitchIsReportedInLogbackStatus() throws Exception {
    primary = FakeServer.start("primary", Framing.NEWLINE);
    failover1 = FakeServer.start("failover1", Framing.NEWLINE);
    logback = LogbackFixture.fromXml(LogbackFixture.configuration(
        "<host>127.0.0.1</host><port>" + primary.port() + "</port>"
            + "<encoder><pattern>%msg%n</pattern></encoder>"
            + "<failover><servers><server>" + failover1.hostAndPort() + "</server></servers></failover>"));
    logger().info("first");
    primary.awaitRecords(1);
    primary.kill();
    Await.until(() -> logback.appender().getStatus().currentServer().map(server -> server.port() == failover1.port())
        .orElse(false), () -> "switch to failover1: " + logback.appender().getStatus());
    logger().info("second\nline");
    failover1.awaitRecords(1);
    assertThat(primary.records()).containsExactly("first");
    assertThat(failover1.records()).as("newline framing escapes the LF inside").containsExactly("second\\nline");

    FailoverStatus status = logback.appender().getStatus();
    assertThat(status.failovers()).isEqualTo(1);
    assertThat(status.servers().get(0).state()).isEqualTo(FailoverStatus.ServerState.FAILED);
    assertThat(status.servers().get(0).lastFailure()).isPresent();
    assertThat(logback.statusMessages(Status.WARN)).anyMatch(message -> message.contains("[COLLECTORS] Failed over from 127.0.0.1:"
        + primary.port() + " to " + failover1.hostAndPort() + "; cause: "));

    MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("dev.logfailover:type=FailoverSocketAppender,name=COLLECTORS");
    assertThat(jmx.getAttribute(name, "Failovers")).isEqualTo(1L);
    assertThat(jmx.getAttribute(name, "CurrentServer")).isEqualTo(failover1.hostAndPort());
    assertThat(((String[]) jmx.getAttribute(name, "Servers"))[0]).contains("FAILED (last failure: ");
    logback.context.stop();
    assertThat(jmx.isRegistered(name)).as("unregistered at stop").isFalse();
  }

  @Test
  void F9_noLoggingCallWaitsOnTheNetworkEvenWhenEveryConnectHangs() throws Exception {
    try (FakeServer.BlackHole hole1 = FakeServer.startBlackHole(); FakeServer.BlackHole hole2 = FakeServer.startBlackHole()) {
      logback = LogbackFixture.fromXml(LogbackFixture.configuration(
          "<host>127.0.0.1</host><port>" + hole1.port() + "</port><connectTimeout>5 seconds</connectTimeout>"
              + "<shutdownTimeout>100ms</shutdownTimeout>"
              + "<encoder><pattern>%msg%n</pattern></encoder>"
              + "<failover><servers><server>" + hole2.hostAndPort() + "</server></servers></failover>"));
      Logger logger = logger();
      long started = System.nanoTime();
      assertThatCode(() -> {
        for (int i = 0; i < 200_000; i++) {
          logger.info("event {}", i);
        }
      }).doesNotThrowAnyException();
      long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
      assertThat(elapsedMillis).as("a small fraction of one 5 s connect timeout").isLessThan(1_000);

      FailoverStatus status = logback.appender().getStatus();
      assertThat(status.eventsSent()).isZero();
      assertThat(status.eventsDropped()).as("all but the 8192 queued").isEqualTo(200_000 - 8192);
      Await.until(() -> logback.statusMessages(Status.WARN).stream().anyMatch(message ->
          message.contains("Dropped") && message.contains("the queue was full")), () -> "a drop report in status");
      assertThat(logback.statusMessages(Status.ERROR)).as("a run-time condition is never a configuration error")
          .isEmpty();
    }
  }

  @Test
  void anEventLoggedWhileTheAppenderStopsIsCountedNeverLostSilently() throws Exception {
    primary = FakeServer.start("primary", Framing.NEWLINE);
    primary.behave(FakeServer.Behaviour.STALL);
    logback = LogbackFixture.fromXml(LogbackFixture.configuration(
        "<host>127.0.0.1</host><port>" + primary.port() + "</port><queueSize>100000</queueSize>"
            + "<writeTimeout>1 minute</writeTimeout><shutdownTimeout>1 second</shutdownTimeout>"
            + "<encoder><pattern>%msg%n</pattern></encoder>"));
    String padding = "p".repeat(500);
    int logged = 0;
    for (; logged < 20_000; logged++) {
      logger().info("event {} {}", logged, padding);
    }
    FailoverSocketAppender<Object> appender = logback.appender();
    Thread stopper = new Thread(appender::stop, "stopper");
    stopper.start();
    // The stop waits for the stalled flush (shutdownTimeout, 1 s): these arrive meanwhile.
    Await.until(() -> stopper.getState() == Thread.State.TIMED_WAITING, () -> "the stop waiting for the flush");
    for (int i = 0; i < 1000; i++, logged++) {
      logger().info("during stop {}", i);
    }
    stopper.join();
    FailoverStatus status = appender.getStatus();
    int kept = Backlogs.claim(logback.context, "COLLECTORS").size();
    assertThat(status.eventsSent() + status.eventsDropped() + kept).as("every event sent, counted, or kept for a "
        + "successor").isEqualTo(logged);
  }

  @Test
  void aReconfigurationWhileEveryServerIsDownHandsTheQueuedEventsToTheNewAppender() throws Exception {
    primary = FakeServer.start("primary", Framing.NEWLINE);
    primary.stop();
    String xml = LogbackFixture.configuration("<host>127.0.0.1</host><port>" + primary.port() + "</port>"
        + "<reconnectDelay>100ms</reconnectDelay><maxReconnectDelay>100ms</maxReconnectDelay>"
        + "<encoder><pattern>%msg%n</pattern></encoder>");
    logback = LogbackFixture.fromXml(xml);
    for (int i = 0; i < 100; i++) {
      logger().info("event {}", i);
    }
    FailoverSocketAppender<Object> before = logback.appender();
    // What Logback's scan and Spring Boot's re-initialization do: reset (stops the appender), then configure.
    logback.reconfigure(xml);
    FailoverSocketAppender<Object> after = logback.appender();
    assertThat(after).isNotSameAs(before);
    for (int i = 100; i < 150; i++) {
      logger().info("event {}", i);
    }
    primary.restart();
    primary.awaitRecords(150);
    assertThat(primary.records()).containsExactlyElementsOf(
        java.util.stream.IntStream.range(0, 150).mapToObj(i -> "event " + i).toList());
    assertThat(before.getStatus().eventsDropped()).isZero();
    assertThat(after.getStatus().eventsDropped()).isZero();
  }

  @Test
  void aStopOfTheAppenderAloneCountsWhatItCouldNotDeliverInItsOwnBooksAndParksNothing() throws Exception {
    primary = FakeServer.start("primary", Framing.NEWLINE);
    primary.stop();
    logback = LogbackFixture.fromXml(LogbackFixture.configuration("<host>127.0.0.1</host><port>" + primary.port()
        + "</port><shutdownTimeout>0s</shutdownTimeout><encoder><pattern>%msg%n</pattern></encoder>"));
    for (int i = 0; i < 10; i++) {
      logger().info("event {}", i);
    }
    FailoverSocketAppender<Object> appender = logback.appender();
    appender.stop();
    assertThat(appender.getStatus().eventsDropped()).as("counted where its user looks").isEqualTo(10);
    assertThat(Backlogs.claim(logback.context, "COLLECTORS")).as("nothing parked for a successor").isEmpty();
  }

  @Test
  void whatNoNewAppenderTakesOverIsDroppedAndReportedWhenTheContextStops() throws Exception {
    primary = FakeServer.start("primary", Framing.NEWLINE);
    primary.stop();
    logback = LogbackFixture.fromXml(LogbackFixture.configuration("<host>127.0.0.1</host><port>" + primary.port()
        + "</port><encoder><pattern>%msg%n</pattern></encoder>"));
    for (int i = 0; i < 10; i++) {
      logger().info("event {}", i);
    }
    logback.context.stop();
    assertThat(logback.statusMessages(Status.WARN)).anyMatch(message -> message.contains("[COLLECTORS] Dropped 10 "
        + "events that no appender of this name took over before the logging context stopped"));
  }

  @Test
  void F10_stoppingTheContextFlushesWhatIsQueued() throws Exception {
    primary = FakeServer.start("primary", Framing.OCTET_COUNTING);
    logback = LogbackFixture.fromXml(LogbackFixture.configuration(
        "<host>127.0.0.1</host><port>" + primary.port() + "</port><queueSize>20000</queueSize>"
            + "<encoder class=\"dev.logfailover.logback.Rfc5424Encoder\"><appName>orders</appName></encoder>"));
    for (int i = 0; i < 10_000; i++) {
      logger().info("event {}", i);
    }
    FailoverSocketAppender<Object> appender = logback.appender();
    logback.context.stop();
    assertThat(appender.getStatus().eventsSent()).as("%s", logback.statuses()).isEqualTo(10_000);
    primary.awaitRecords(10_000);
    assertThat(primary.records().get(9_999)).startsWith("<14>1 ").endsWith(" orders " + ProcessHandle.current().pid()
        + " - - event 9999");
  }
}
