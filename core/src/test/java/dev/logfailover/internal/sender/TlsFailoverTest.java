package dev.logfailover.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Failback;
import dev.logfailover.FailoverConfig;
import dev.logfailover.Framing;
import dev.logfailover.TlsOptions;
import dev.logfailover.Transport;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeServer;
import dev.logfailover.testing.TestCertificates;
import dev.logfailover.testing.TestCertificates.Authority;
import dev.logfailover.testing.TestCertificates.Held;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * F7 on real TLS: each server presents a certificate made at test time; the client trusts the
 * test CA and must verify each server against its own name, send that name as SNI, and treat any
 * handshake failure as a failure of that server.
 */
class TlsFailoverTest {
  private Authority authority;
  private Held client;
  private SenderFixture fixture;

  @BeforeEach
  void makeAuthority() throws Exception {
    authority = TestCertificates.newAuthority("logfailover test CA");
    client = authority.issue("logfailover client");
  }

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private FakeServer tlsServer(int index, Held identity, boolean needClientAuth) throws Exception {
    return FakeServer.startTls(SenderFixture.name(index), Framing.OCTET_COUNTING,
        TestCertificates.context(identity, authority), needClientAuth);
  }

  private Held certificateFor(int index) throws Exception {
    String name = SenderFixture.name(index) + ".test";
    return authority.issue(name, name);
  }

  private FailoverConfig.Builder tlsConfig(SSLContext clientContext) {
    return fixture.config().transport(Transport.TLS).tls(TlsOptions.builder(clientContext).build());
  }

  private void start(List<FakeServer> servers, FailoverConfig config) {
    fixture = new SenderFixture(servers);
    fixture.start(config);
  }

  @Test
  void F7_eachServerIsVerifiedAgainstItsOwnNameAndGetsItsOwnSni() throws Exception {
    fixture = new SenderFixture(List.of(tlsServer(0, certificateFor(0), false), tlsServer(1, certificateFor(1), false)));
    fixture.start(tlsConfig(TestCertificates.context(null, authority)).build());
    fixture.sendEvents(3);
    fixture.server(0).awaitRecords(3);
    fixture.server(0).kill();
    fixture.listener.awaitEvent("connected failover1");
    fixture.sendEvents(3);
    fixture.server(1).awaitRecords(3);
    assertThat(fixture.server(0).serverNamesPerConnection()).containsExactly(List.of("primary.test"));
    assertThat(fixture.server(1).serverNamesPerConnection()).as("never the primary's name")
        .containsExactly(List.of("failover1.test"));
    assertThat(fixture.server(1).records()).containsExactly("event-3", "event-4", "event-5");
  }

  @Test
  void F7_aCertificateForAnotherNameIsAFailureOfThatServerAndNoEventReachesIt() throws Exception {
    Held wrongName = authority.issue("somewhere-else.test", "somewhere-else.test");
    startWithBadPrimary(wrongName);
  }

  @Test
  void F7_aCertificateFromAnUnknownCaIsAFailureOfThatServer() throws Exception {
    Authority stranger = TestCertificates.newAuthority("unknown CA");
    startWithBadPrimary(stranger.issue("primary.test", "primary.test"));
  }

  @Test
  void F7_anExpiredCertificateIsAFailureOfThatServer() throws Exception {
    Instant now = Instant.now();
    startWithBadPrimary(authority.issue("primary.test", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)),
        "primary.test"));
  }

  private void startWithBadPrimary(Held primaryIdentity) throws Exception {
    fixture = new SenderFixture(List.of(tlsServer(0, primaryIdentity, false), tlsServer(1, certificateFor(1), false)));
    fixture.start(tlsConfig(TestCertificates.context(null, authority)).build());
    fixture.sendEvents(5);
    fixture.server(1).awaitRecords(5);
    assertThat(fixture.listener.events()).containsSubsequence("connectFailed primary", "connected failover1",
        "failedOver primary -> failover1");
    assertThat(fixture.server(0).recordCount()).as("no event byte to an unverified server").isZero();
    assertThat(fixture.server(0).handshakeFailures()).isNotEmpty();
  }

  @Test
  void F7_anAddressIsVerifiedAgainstTheCertificatesIpSan() throws Exception {
    FakeServer byAddress = FakeServer.startTls("primary", Framing.OCTET_COUNTING,
        TestCertificates.context(authority.issue("loopback", TestCertificates.loopback()), authority), false);
    fixture = new SenderFixture(List.of(byAddress));
    fixture.start(FailoverConfig.builder().host(TestCertificates.loopback()).port(byAddress.port())
        .framing(Framing.OCTET_COUNTING).transport(Transport.TLS)
        .tls(TlsOptions.builder(TestCertificates.context(null, authority)).build()).build());
    fixture.sendEvents(2);
    byAddress.awaitRecords(2);
    assertThat(byAddress.serverNamesPerConnection()).as("no SNI for an address (RFC 6066)").containsExactly(List.of());
  }

  @Test
  void F7_mutualTlsPresentsTheSameClientCertificateToEveryServer() throws Exception {
    fixture = new SenderFixture(List.of(tlsServer(0, certificateFor(0), true), tlsServer(1, certificateFor(1), true)));
    fixture.start(tlsConfig(TestCertificates.context(client, authority)).build());
    fixture.sendEvents(2);
    fixture.server(0).awaitRecords(2);
    fixture.server(0).kill();
    fixture.listener.awaitEvent("connected failover1");
    fixture.sendEvents(2);
    fixture.server(1).awaitRecords(2);
    List<String> principals = new ArrayList<>(fixture.server(0).clientPrincipalsPerConnection());
    principals.addAll(fixture.server(1).clientPrincipalsPerConnection());
    assertThat(principals).containsOnly("CN=logfailover client").hasSize(2);
  }

  @Test
  void F7_anIdleTlsConnectionSurvivesPostHandshakeMessagesAndNoticesTheServerClosing() throws Exception {
    fixture = new SenderFixture(List.of(tlsServer(0, certificateFor(0), false), tlsServer(1, certificateFor(1), false)));
    fixture.start(tlsConfig(TestCertificates.context(null, authority)).build());
    fixture.sendEvents(1);
    fixture.server(0).awaitRecords(1);
    // A TLS 1.3 server sends session tickets right after the handshake, so they are in the
    // client's socket by now: the check before the next write must read past them.
    fixture.sendEvents(1);
    fixture.server(0).awaitRecords(2);
    assertThat(fixture.listener.events("connectionLost")).isEmpty();
    fixture.server(0).closeConnections();
    fixture.listener.awaitEvent("connected failover1");
    fixture.sendEvents(2);
    fixture.server(1).awaitRecords(2);
    assertThat(fixture.server(1).records()).containsExactly("event-2", "event-3");
  }

  @Test
  void F6e_failbackOverTlsRunsTheHandshakeOnTheLastProbeSocket() throws Exception {
    fixture = new SenderFixture(List.of(tlsServer(0, certificateFor(0), false), tlsServer(1, certificateFor(1), false)));
    FakeServer primary = fixture.server(0);
    fixture.start(tlsConfig(TestCertificates.context(null, authority)).failback(Failback.of(2, Duration.ofSeconds(5)))
        .build());
    fixture.sendEvents(2);
    primary.awaitRecords(2);
    primary.kill();
    fixture.listener.awaitEvent("connected failover1");
    primary.restart();
    int before = primary.connectionCount();
    fixture.scheduler.advanceBy(Duration.ofSeconds(5));
    fixture.listener.awaitEvent("failedBack failover1 -> primary");
    fixture.sendEvents(3);
    primary.awaitRecords(5);
    Await.until(() -> primary.connectionCount() - before == 2, () -> "two probe connections");
    assertThat(primary.recordsPerConnection().subList(before, before + 2)).containsExactly(0, 3);
    assertThat(primary.serverNamesPerConnection().get(before + 1)).containsExactly("primary.test");
  }
}
