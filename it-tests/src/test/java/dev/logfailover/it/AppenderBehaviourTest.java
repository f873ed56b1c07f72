package dev.logfailover.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.FailoverStatus;
import dev.logfailover.Framing;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeServer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The failover contract (SPEC section 2) end to end, written once and run against both appenders:
 * each subclass supplies its framework's {@link AppenderDriver}, which configures the appender from
 * real configuration file text. Collectors are {@link FakeServer}s on loopback; waits are bounded
 * polls. Probe timing here is real (short intervals); its fine rules are tested on a fake clock in
 * core.
 */
abstract class AppenderBehaviourTest {
  private final List<FakeServer> servers = new ArrayList<>();
  private AppenderDriver driver;

  abstract AppenderDriver newDriver();

  @AfterEach
  void tearDown() {
    if (driver != null) {
      driver.close();
    }
    servers.forEach(FakeServer::close);
  }

  private FakeServer collector(String name) throws Exception {
    FakeServer server = FakeServer.start(name, Framing.NEWLINE);
    servers.add(server);
    return server;
  }

  private void start(Setup setup) throws Exception {
    driver = newDriver();
    driver.start(setup);
  }

  private void log(int from, int to) {
    IntStream.range(from, to).forEach(i -> driver.log("event " + i));
  }

  private static List<String> events(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "event " + i).toList();
  }

  private void awaitCurrent(FakeServer server) {
    Await.until(() -> driver.status().currentServer().map(current -> current.toString().equals(server.hostAndPort()))
            .orElse(false),
        () -> "current server " + server + ", status: " + driver.status());
  }

  private static Setup setup(FakeServer primary, FakeServer... failovers) {
    Setup setup = new Setup("127.0.0.1", primary.port());
    for (FakeServer failover : failovers) {
      setup.server(failover.hostAndPort());
    }
    return setup;
  }

  @Test
  void F1_theFirstEventGoesToThePrimary() throws Exception {
    FakeServer primary = collector("primary");
    FakeServer failover1 = collector("failover1");
    start(setup(primary, failover1));
    log(0, 3);
    primary.awaitRecords(3);
    assertThat(primary.records()).containsExactlyElementsOf(events(0, 3));
    assertThat(failover1.connectionCount()).isZero();
  }

  @Test
  void F2_aFailoverServerWithoutAPortUsesThePrimarysPort() throws Exception {
    FakeServer primary = collector("primary");
    FakeServer samePort = FakeServer.start("failover1", Framing.NEWLINE, "127.0.0.2", primary.port());
    servers.add(samePort);
    start(new Setup("127.0.0.1", primary.port()).server("127.0.0.2"));
    primary.awaitConnections(1);
    primary.kill();
    awaitCurrent(samePort);
    log(0, 2);
    samePort.awaitRecords(2);
  }

  @Test
  void F3_aWorkingConnectionIsKeptAndNoEventGoesToTwoServers() throws Exception {
    FakeServer primary = collector("primary");
    FakeServer failover1 = collector("failover1");
    start(setup(primary, failover1).option("queueSize", "10000"));
    log(0, 5000);
    primary.awaitRecords(5000);
    assertThat(primary.records()).containsExactlyElementsOf(events(0, 5000));
    assertThat(primary.connectionCount()).isEqualTo(1);
    assertThat(failover1.connectionCount()).isZero();
  }

  @Test
  void F4_aRefusedPrimaryIsFollowedAtOnceByTheNextServer() throws Exception {
    FakeServer primary = collector("primary");
    FakeServer failover1 = collector("failover1");
    primary.stop();
    start(setup(primary, failover1).option("reconnectDelay", "5 minutes").option("maxReconnectDelay", "5 minutes"));
    log(0, 3);
    failover1.awaitRecords(3);
    assertThat(driver.status().failovers()).isEqualTo(1);
  }

  @Test
  void F5_roundRobinWrapsToThePrimaryAndLosesNothingOnAFin() throws Exception {
    FakeServer primary = collector("primary");
    FakeServer failover1 = collector("failover1");
    start(setup(primary, failover1));
    log(0, 2);
    primary.awaitRecords(2);
    primary.stop();
    awaitCurrent(failover1);
    log(2, 4);
    failover1.awaitRecords(2);
    primary.restart();
    failover1.stop();
    awaitCurrent(primary);
    log(4, 6);
    primary.awaitRecords(4);
    assertThat(primary.records()).containsExactlyElementsOf(List.of("event 0", "event 1", "event 4", "event 5"));
    assertThat(failover1.records()).containsExactly("event 2", "event 3");
    assertThat(driver.status().failovers()).isEqualTo(2);
  }

  @Test
  void F6_failbackReturnsToThePrimaryOnTheLastOfTheRequiredProbes() throws Exception {
    FakeServer primary = collector("primary");
    FakeServer failover1 = collector("failover1");
    start(setup(primary, failover1).failback("2", "200ms"));
    log(0, 2);
    primary.awaitRecords(2);
    primary.kill();
    awaitCurrent(failover1);
    log(2, 4);
    failover1.awaitRecords(2);
    int before = primary.connectionCount();
    primary.restart();
    awaitCurrent(primary);
    log(4, 6);
    primary.awaitRecords(4);
    Await.until(() -> primary.connectionCount() - before == 2, () -> "two probe connections");
    assertThat(primary.recordsPerConnection().subList(before, before + 2)).containsExactly(0, 2);
    FailoverStatus status = driver.status();
    assertThat(status.failbacks()).isEqualTo(1);
    assertThat(status.probesSucceeded()).isEqualTo(2);
  }

  @Test
  void F9_aFullQueueDropsAndEveryDropIsCountedAndReported() throws Exception {
    FakeServer primary = collector("primary");
    primary.stop();
    start(setup(primary).option("queueSize", "10"));
    log(0, 1000);
    Await.until(() -> driver.status().eventsDropped() >= 990, () -> "drops counted: " + driver.status());
    Await.until(() -> driver.problems().stream().anyMatch(message -> message.contains("Dropped")),
        () -> "a drop report in " + driver.problems());
  }

  @Test
  void F10_shuttingTheFrameworkDownFlushesTheQueue() throws Exception {
    FakeServer primary = collector("primary");
    start(setup(primary).option("queueSize", "20000"));
    log(0, 10_000);
    driver.shutdown();
    assertThat(driver.status().eventsSent()).isEqualTo(10_000);
    primary.awaitRecords(10_000);
  }

  @Test
  void F11_everySwitchIsReportedWithTheServerAndTheCause() throws Exception {
    FakeServer primary = collector("primary");
    FakeServer failover1 = collector("failover1");
    start(setup(primary, failover1));
    awaitCurrent(primary);
    primary.awaitConnections(1);
    primary.kill();
    awaitCurrent(failover1);
    Await.until(() -> driver.problems().stream().anyMatch(message -> message.contains("Failed over from 127.0.0.1:"
        + primary.port() + " to " + failover1.hostAndPort() + "; cause: ")), () -> "a failover report in " + driver.problems());
  }

  @Test
  void F12_aNameThatDoesNotResolveIsARunTimeFailureNotAConfigurationError() throws Exception {
    FakeServer failover1 = collector("failover1");
    start(new Setup("no-such-host.invalid", 601).server(failover1.hostAndPort()));
    log(0, 2);
    failover1.awaitRecords(2);
    assertThat(driver.status().servers().get(0).lastFailure()).hasValueSatisfying(failure ->
        assertThat(failure).contains("no-such-host.invalid"));
  }
}
