package dev.logfailover.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Framing;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeServer;
import dev.logfailover.testing.FakeServer.Behaviour;
import dev.logfailover.testing.TestCertificates;
import dev.logfailover.testing.TestCertificates.Authority;
import dev.logfailover.testing.TestCertificates.Held;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F7 end to end, written once and run against both appenders, each configured with its
 * framework's own TLS element and PKCS12 stores written at test time. The primary is "localhost"
 * (a DNS name) and the failover server 127.0.0.1 (an address), so both kinds of subject
 * alternative name are checked.
 */
abstract class TlsBehaviourTest {
  private static final String PASSWORD = "store-secret-42";
  @TempDir Path directory;
  private Authority authority;
  private Path trustStore;
  private final List<FakeServer> servers = new ArrayList<>();
  private AppenderDriver driver;

  abstract AppenderDriver newDriver();

  @BeforeEach
  void certificates() throws Exception {
    authority = TestCertificates.newAuthority("collectors CA");
    trustStore = TestCertificates.writeTrustStore(directory.resolve("collectors-ca.p12"), PASSWORD, authority);
  }

  @AfterEach
  void tearDown() {
    if (driver != null) {
      driver.close();
    }
    servers.forEach(FakeServer::close);
  }

  private FakeServer collector(String name, Held identity, boolean needClientAuth) throws Exception {
    FakeServer server = FakeServer.startTls(name, Framing.NEWLINE, TestCertificates.context(identity, authority),
        needClientAuth);
    servers.add(server);
    return server;
  }

  private FakeServer validPrimary(boolean needClientAuth) throws Exception {
    return collector("primary", authority.issue("localhost", "localhost"), needClientAuth);
  }

  private FakeServer validFailover(boolean needClientAuth) throws Exception {
    return collector("failover1", authority.issue("loopback", "127.0.0.1"), needClientAuth);
  }

  private void start(FakeServer primary, FakeServer failover, Path keyStore) throws Exception {
    driver = newDriver();
    driver.start(new Setup("localhost", primary.port()).server(failover.hostAndPort())
        .tls(trustStore, keyStore, PASSWORD));
  }

  /** The primary's certificate fails verification: it gets no event byte, the failover server gets them. */
  private void assertSkipped(FakeServer primary, FakeServer failover) {
    driver.log("over TLS");
    failover.awaitRecords(1);
    assertThat(failover.records()).containsExactly("over TLS");
    assertThat(primary.recordCount()).isZero();
    Await.until(() -> !primary.handshakeFailures().isEmpty(), () -> "the primary saw the handshake fail");
    assertThat(driver.status().servers().get(0).lastFailure()).hasValueSatisfying(failure ->
        assertThat(failure).contains("TLS handshake with localhost:" + primary.port()));
  }

  /** One event to the primary, a reset of the primary, one event to the failover server. */
  private void logAcrossAFailover(FakeServer primary, FakeServer failover) {
    driver.log("first");
    primary.awaitRecords(1);
    primary.kill();
    Await.until(() -> driver.status().failovers() == 1, () -> "a failover: " + driver.status());
    driver.log("second");
    failover.awaitRecords(1);
  }

  @Test
  void F7_validChainsAreAcceptedAndEachServerGetsItsOwnName() throws Exception {
    FakeServer primary = validPrimary(false);
    FakeServer failover = validFailover(false);
    start(primary, failover, null);
    logAcrossAFailover(primary, failover);
    assertThat(primary.serverNamesPerConnection()).containsExactly(List.of("localhost"));
    assertThat(failover.serverNamesPerConnection()).as("an address sends no SNI").containsExactly(List.of());
  }

  @Test
  void F7_aCertificateForAnotherNameIsSkipped() throws Exception {
    start(collector("primary", authority.issue("elsewhere", "elsewhere.example"), false), validFailover(false), null);
    assertSkipped(servers.get(0), servers.get(1));
  }

  @Test
  void F7_aCertificateFromAnUnknownCaIsSkipped() throws Exception {
    Authority stranger = TestCertificates.newAuthority("stranger CA");
    start(collector("primary", stranger.issue("localhost", "localhost"), false), validFailover(false), null);
    assertSkipped(servers.get(0), servers.get(1));
  }

  @Test
  void F7_anExpiredCertificateIsSkipped() throws Exception {
    Instant now = Instant.now();
    Held expired = authority.issue("localhost", now.minus(10, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS), "localhost");
    start(collector("primary", expired, false), validFailover(false), null);
    assertSkipped(servers.get(0), servers.get(1));
  }

  @Test
  void F7_mutualTlsPresentsTheSameClientCertificateToEveryServer() throws Exception {
    Path keyStore = TestCertificates.writeKeyStore(directory.resolve("client.p12"), authority.issue("orders-service"),
        PASSWORD);
    FakeServer primary = validPrimary(true);
    FakeServer failover = validFailover(true);
    start(primary, failover, keyStore);
    logAcrossAFailover(primary, failover);
    assertThat(primary.clientPrincipalsPerConnection()).containsExactly("CN=orders-service");
    assertThat(failover.clientPrincipalsPerConnection()).containsExactly("CN=orders-service");
    assertThat(driver.problems()).noneMatch(message -> message.contains(PASSWORD));
  }

  @Test
  void F7_aServerThatNeverAnswersTheHandshakeFailsWithinConnectTimeout() throws Exception {
    FakeServer silent = FakeServer.start("primary", Framing.NEWLINE);
    silent.behave(Behaviour.STALL);
    servers.add(silent);
    FakeServer failover = validFailover(false);
    driver = newDriver();
    driver.start(new Setup("localhost", silent.port()).server(failover.hostAndPort()).option("connectTimeout", "300ms")
        .tls(trustStore, null, PASSWORD));
    driver.log("after the silent one");
    failover.awaitRecords(1);
    assertThat(driver.status().servers().get(0).lastFailure()).hasValueSatisfying(failure ->
        assertThat(failure).contains("timed out"));
  }

  @Test
  void F6e_failbackOverTlsHandshakesOnTheLastProbeSocket() throws Exception {
    FakeServer primary = validPrimary(false);
    FakeServer failover = validFailover(false);
    driver = newDriver();
    driver.start(new Setup("localhost", primary.port()).server(failover.hostAndPort()).failback("2", "200ms")
        .tls(trustStore, null, PASSWORD));
    driver.log("first");
    primary.awaitRecords(1);
    primary.kill();
    Await.until(() -> driver.status().failovers() == 1, () -> "a failover: " + driver.status());
    int before = primary.connectionCount();
    primary.restart();
    Await.until(() -> driver.status().failbacks() == 1, () -> "a failback: " + driver.status());
    driver.log("back");
    primary.awaitRecords(2);
    Await.until(() -> primary.connectionCount() - before == 2, () -> "two probe connections");
    assertThat(primary.recordsPerConnection().subList(before, before + 2)).containsExactly(0, 1);
  }
}
