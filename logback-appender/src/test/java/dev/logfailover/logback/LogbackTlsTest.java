package dev.logfailover.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.core.status.Status;
import dev.logfailover.Framing;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeServer;
import dev.logfailover.testing.TestCertificates;
import dev.logfailover.testing.TestCertificates.Authority;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logback's own {@code <ssl>} element as our appender reads it, key stores written as users do.
 * The F7 behaviour itself runs for both appenders in it-tests ({@code TlsBehaviourTest}).
 */
class LogbackTlsTest {
  private static final String PASSWORD = "s3cret-changeit";
  @TempDir Path directory;
  private Authority authority;
  private Path trustStore;
  private final List<FakeServer> servers = new ArrayList<>();
  private LogbackFixture logback;

  @BeforeEach
  void certificates() throws Exception {
    authority = TestCertificates.newAuthority("collectors CA");
    trustStore = TestCertificates.writeTrustStore(directory.resolve("collectors-ca.p12"), PASSWORD, authority);
  }

  @AfterEach
  void tearDown() {
    if (logback != null) {
      logback.close();
    }
    servers.forEach(FakeServer::close);
  }

  /** A TLS collector whose certificate names only {@code certificateName}. */
  private FakeServer collector(String name, String certificateName, boolean needClientAuth) throws Exception {
    FakeServer server = FakeServer.startTls(name, Framing.OCTET_COUNTING,
        TestCertificates.context(authority.issue(certificateName, certificateName), authority), needClientAuth);
    servers.add(server);
    return server;
  }

  private String appender(FakeServer primary, FakeServer failover, String extra) {
    return LogbackFixture.configuration("<host>localhost</host><port>" + primary.port() + "</port>"
        + "<transport>tls</transport>"
        + "<encoder class=\"dev.logfailover.logback.Rfc5424Encoder\"><appName>orders</appName></encoder>"
        + "<failover><servers><server>" + failover.hostAndPort() + "</server></servers></failover>"
        + "<ssl><trustStore><location>" + trustStore.toUri() + "</location><password>" + PASSWORD
        + "</password></trustStore>" + extra + "</ssl>");
  }

  @Test
  void logbacksKeyStoreAndIncludedProtocolsAreUsedAndThePasswordNeverShows() throws Exception {
    Path keyStore = TestCertificates.writeKeyStore(directory.resolve("client.p12"),
        authority.issue("orders-service"), PASSWORD);
    FakeServer primary = collector("primary", "localhost", true);
    FakeServer failover1 = collector("failover1", "127.0.0.1", true);
    logback = LogbackFixture.fromXml(appender(primary, failover1, "<keyStore><location>" + keyStore.toUri()
        + "</location><password>" + PASSWORD + "</password></keyStore>"
        + "<protocol>TLS</protocol><parameters><includedProtocols>TLSv1.3</includedProtocols></parameters>"));
    assertThat(logback.appender().getFailoverConfig().tls().orElseThrow().protocols()).containsExactly("TLSv1.3");
    logback.context.getLogger("orders").info("first");
    Await.until(() -> primary.recordCount() == 1, () -> "first at primary; status: " + logback.statuses());
    primary.kill();
    Await.until(() -> logback.appender().getStatus().failovers() == 1, () -> "a failover");
    logback.context.getLogger("orders").info("second");
    failover1.awaitRecords(1);
    assertThat(primary.clientPrincipalsPerConnection()).containsExactly("CN=orders-service");
    assertThat(failover1.clientPrincipalsPerConnection()).containsExactly("CN=orders-service");
    assertThat(logback.statuses()).noneMatch(status -> status.getMessage().contains(PASSWORD));
    assertThat(logback.appender().getFailoverConfig().toString()).doesNotContain(PASSWORD);
  }

  @Test
  void turningHostnameVerificationOffIsExplicitAndWarned() throws Exception {
    FakeServer primary = collector("primary", "not-localhost.example", false);
    FakeServer failover1 = collector("failover1", "127.0.0.1", false);
    String xml = appender(primary, failover1, "").replace("<transport>tls</transport>",
        "<transport>tls</transport><hostnameVerification>false</hostnameVerification>");
    logback = LogbackFixture.fromXml(xml);
    assertThat(logback.statusMessages(Status.WARN)).anyMatch(message -> message.contains("hostnameVerification is off"));
    logback.context.getLogger("orders").info("accepted without name check");
    primary.awaitRecords(1);
  }

  @Test
  void protocolsThatCannotHandshakeAreRefusedAtStart() throws Exception {
    FakeServer primary = collector("primary", "localhost", false);
    FakeServer failover1 = collector("failover1", "127.0.0.1", false);
    // Logback's <protocol> defaults to TLSv1.2, whose context has no TLS 1.3 cipher suite.
    logback = LogbackFixture.fromXml(appender(primary, failover1,
        "<parameters><includedProtocols>TLSv1.3</includedProtocols></parameters>"));
    assertThat(logback.appender().isStarted()).isFalse();
    assertThat(logback.statusMessages(Status.ERROR)).anyMatch(message -> message.contains("'protocols'")
        && message.contains("TLSv1.3") && message.contains("TLSv1.2 context"));
  }

  @Test
  void anUnreadableTrustStoreStopsTheAppenderWithAnErrorNamingSsl() throws Exception {
    FakeServer primary = collector("primary", "localhost", false);
    FakeServer failover1 = collector("failover1", "127.0.0.1", false);
    String xml = appender(primary, failover1, "").replace(PASSWORD + "</password>", "wrong-password</password>");
    logback = LogbackFixture.fromXml(xml);
    assertThat(logback.appender().isStarted()).isFalse();
    assertThat(logback.statusMessages(Status.ERROR)).anyMatch(message -> message.contains("'ssl'")
        && message.contains("collectors-ca.p12"));
    assertThat(logback.statuses()).noneMatch(status -> status.getMessage().contains("wrong-password"));
  }
}
