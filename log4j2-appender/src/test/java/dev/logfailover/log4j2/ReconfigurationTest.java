package dev.logfailover.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Framing;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeServer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A reload of log4j2.xml (what monitorInterval does) keeps every queued event and starts at the primary. */
class ReconfigurationTest {
  private final List<FakeServer> servers = new ArrayList<>();
  private Log4j2Fixture log4j;

  @AfterEach
  void tearDown() {
    if (log4j != null) {
      log4j.close();
    }
    servers.forEach(FakeServer::close);
  }

  private FakeServer server(String name) throws Exception {
    FakeServer server = FakeServer.start(name, Framing.NEWLINE);
    servers.add(server);
    return server;
  }

  private static String config(FakeServer primary, FakeServer failover) {
    return Log4j2Fixture.configuration("<FailoverSocket name=\"collectors\" host=\"127.0.0.1\" port=\"" + primary.port()
        + "\" reconnectDelay=\"1 minute\" maxReconnectDelay=\"1 minute\"><Servers><Server host=\"127.0.0.1\" port=\""
        + failover.port() + "\"/></Servers><PatternLayout pattern=\"%m%n\"/></FailoverSocket>", "collectors");
  }

  private void log(int from, int to) {
    IntStream.range(from, to).forEach(i -> log4j.logger("app").info("event {}", i));
  }

  @Test
  void F1_aReloadWithNewServersSendsTheQueuedBacklogToTheNewPrimaryFirst() throws Exception {
    FakeServer oldPrimary = server("old-primary");
    FakeServer oldFailover = server("old-failover");
    oldPrimary.stop();
    oldFailover.stop();
    log4j = Log4j2Fixture.start(config(oldPrimary, oldFailover));
    log(0, 100);
    FailoverSocketAppender before = log4j.appender("collectors");
    Await.until(() -> before.getStatus().servers().get(1).lastFailure().isPresent(), () -> "both old servers tried");

    FakeServer newPrimary = server("new-primary");
    FakeServer newFailover = server("new-failover");
    log4j.reconfigure(config(newPrimary, newFailover));
    log(100, 150);
    newPrimary.awaitRecords(150);
    assertThat(newPrimary.records()).containsExactlyElementsOf(
        IntStream.range(0, 150).mapToObj(i -> "event " + i).toList());
    assertThat(newFailover.connectionCount()).isZero();
    FailoverSocketAppender after = log4j.appender("collectors");
    assertThat(after.getStatus().eventsDropped()).isZero();
  }

  @Test
  void F1_aReloadWhileOnAFailoverServerStartsAgainAtThePrimary() throws Exception {
    FakeServer primary = server("primary");
    FakeServer failover1 = server("failover1");
    primary.stop();
    log4j = Log4j2Fixture.start(config(primary, failover1));
    log(0, 5);
    failover1.awaitRecords(5);
    primary.restart();
    log4j.reconfigure(config(primary, failover1));
    log(5, 10);
    primary.awaitRecords(5);
    assertThat(primary.records()).containsExactly("event 5", "event 6", "event 7", "event 8", "event 9");
    assertThat(failover1.records()).hasSize(5);
  }
}
