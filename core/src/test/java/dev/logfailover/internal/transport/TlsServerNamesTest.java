package dev.logfailover.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.FailoverConfig;
import dev.logfailover.Framing;
import dev.logfailover.TlsOptions;
import dev.logfailover.Transport;
import dev.logfailover.internal.sender.Engine;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeResolver;
import dev.logfailover.testing.FakeServer;
import dev.logfailover.testing.RecordingFailoverListener;
import dev.logfailover.testing.ScriptedPeer;
import dev.logfailover.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * F18: server names that Java's SNI class refuses (an {@code _}, common in container and Compose
 * service names; an absolute name's trailing dot) are reached and verified by their name over
 * every TLS transport, and a certificate for another name is still a failure of that server.
 */
class TlsServerNamesTest {
  private final RecordingFailoverListener listener = new RecordingFailoverListener();
  private final FakeResolver resolver = new FakeResolver();
  private AutoCloseable server;
  private AutoCloseable failover;
  private Engine engine;

  @AfterEach
  void tearDown() throws Exception {
    if (engine != null) {
      engine.stop();
    }
    for (AutoCloseable each : new AutoCloseable[] {server, failover}) {
      if (each != null) {
        each.close();
      }
    }
  }

  /** A collector of {@code transport} presenting {@code context}; its port, and how many events it received. */
  private record Collector(int port, IntSupplier received) {}

  private Collector collector(Transport transport, SSLContext context, boolean asFailover) throws Exception {
    AutoCloseable started;
    Collector collector;
    switch (transport) {
      case TLS -> {
        FakeServer tls = FakeServer.startTls("collector", Framing.NEWLINE, context, false);
        started = tls::close;
        collector = new Collector(tls.port(), tls::recordCount);
      }
      case RELP_TLS -> {
        FakeServer relp = FakeServer.startRelp("collector", context, false);
        started = relp::close;
        collector = new Collector(relp.port(), relp::recordCount);
      }
      default -> {
        ScriptedPeer https = ScriptedPeer.tls(context, conversation -> {
          while (conversation.readHttpRequest()) {
            conversation.send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
          }
        });
        started = https;
        collector = new Collector(https.port(), () -> https.received.size());
      }
    }
    if (asFailover) {
      failover = started;
    } else {
      server = started;
    }
    return collector;
  }

  @ParameterizedTest
  @CsvSource({"TLS, log_collector", "RELP_TLS, log_collector", "HTTPS, log_collector",
      "TLS, localhost.", "RELP_TLS, localhost.", "HTTPS, localhost."})
  void aNameTheSniClassRefusesIsReachedAndVerified(Transport transport, String name) throws Exception {
    TestCertificates.Authority authority = TestCertificates.newAuthority("names CA");
    Collector collector = collector(transport,
        TestCertificates.context(authority.issue("collector", "log_collector", "localhost"), authority), false);
    resolver.map(name, "127.0.0.1");
    start(transport, authority, name, collector.port(), null);
    engine.send("event\n".getBytes(StandardCharsets.UTF_8));
    Await.until(() -> collector.received().getAsInt() == 1, listener::describe);
    assertThat(listener.events()).noneMatch(event -> event.startsWith("connectFailed"));
  }

  @Test
  void aCertificateForAnotherNameFailsAServerWhoseNameTheSniClassRefuses() throws Exception {
    TestCertificates.Authority authority = TestCertificates.newAuthority("names CA");
    Collector impostor = collector(Transport.TLS,
        TestCertificates.context(authority.issue("other", "other_collector"), authority), false);
    Collector honest = collector(Transport.TLS,
        TestCertificates.context(authority.issue("failover", "failover.test"), authority), true);
    resolver.map("log_collector", "127.0.0.1").map("failover.test", "127.0.0.1");
    start(Transport.TLS, authority, "log_collector", impostor.port(), "failover.test:" + honest.port());
    engine.send("event\n".getBytes(StandardCharsets.UTF_8));
    Await.until(() -> honest.received().getAsInt() == 1, listener::describe);
    assertThat(impostor.received().getAsInt()).isZero();
    assertThat(listener.describe()).contains("connectFailed log_collector", "matches log_collector (it names [other_collector])");
  }

  @Test
  void aWildcardStandsForExactlyTheLeftmostLabel() {
    assertThat(ServerIdentity.matches("log_a.example.com", "*.example.com")).isTrue();
    assertThat(ServerIdentity.matches("LOG_A.Example.com", "log_a.EXAMPLE.com")).isTrue();
    assertThat(ServerIdentity.matches("a.b_c.example.com", "*.example.com")).isFalse();
    assertThat(ServerIdentity.matches("example.com", "*.example.com")).isFalse();
    assertThat(ServerIdentity.matches("log_a.com", "*.com")).as("no wildcard for a whole top-level domain").isFalse();
  }

  private void start(Transport transport, TestCertificates.Authority authority, String host, int port,
      String failoverServer) throws Exception {
    FailoverConfig.Builder config = FailoverConfig.builder().transport(transport).host(host).port(port)
        .resolver(resolver).tls(TlsOptions.builder(TestCertificates.context(null, authority)).build())
        .reconnectDelay(Duration.ofMillis(50)).maxReconnectDelay(Duration.ofMillis(100));
    if (failoverServer != null) {
      config.addFailoverServer(failoverServer);
    }
    engine = Engine.create(config.build(), "names", listener);
    engine.start();
  }
}
