package dev.logfailover.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.logfailover.FailoverStatus;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.TestCertificates;
import dev.logfailover.testing.TestCertificates.Authority;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HTTP collectors (SPEC F16) end to end, written once and run against both appenders through
 * real configuration files: WireMock servers on loopback as primary and failover, failing as told.
 * Every test ends with the books: each logged event is in exactly one 2xx-acknowledged request
 * body, or counted as rejected or dropped; a second copy only where a server may have taken a
 * batch whose answer was lost (at most what the appender counted as resent).
 */
abstract class HttpBehaviourTest {
  private static final String TOKEN = "Bearer t0ken-that-must-not-leak";
  private static final String PASSWORD = "changeit";
  @TempDir Path directory;
  private final List<WireMockServer> servers = new ArrayList<>();
  private AppenderDriver driver;

  abstract AppenderDriver newDriver();

  @AfterEach
  void tearDown() {
    if (driver != null) {
      driver.close();
    }
    servers.forEach(WireMockServer::stop);
  }

  private WireMockServer collector(ResponseDefinitionBuilder answer) {
    return collectorOn(0, answer);
  }

  private WireMockServer collectorOn(int port, ResponseDefinitionBuilder answer) {
    WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").port(port)
        .containerThreads(16).jettyAcceptors(1));
    server.start();
    server.stubFor(post(anyUrl()).willReturn(answer));
    servers.add(server);
    return server;
  }

  /**
   * An https collector presenting a certificate for {@code certifiedName} from {@code issuer};
   * with {@code clientsFrom} it requires a client certificate that authority issued.
   */
  private WireMockServer httpsCollector(String name, Authority issuer, String certifiedName, Authority clientsFrom)
      throws Exception {
    Path keyStore = TestCertificates.writeKeyStore(directory.resolve(name + ".p12"),
        issuer.issue(certifiedName, certifiedName), PASSWORD);
    WireMockConfiguration options = options().bindAddress("127.0.0.1").httpDisabled(true).httpsPort(0)
        .containerThreads(16).jettyAcceptors(1).keystorePath(keyStore.toString()).keystoreType("PKCS12")
        .keystorePassword(PASSWORD).keyManagerPassword(PASSWORD);
    if (clientsFrom != null) {
      Path trust = TestCertificates.writeTrustStore(directory.resolve(name + "-clients.p12"), PASSWORD, clientsFrom);
      options.needClientAuth(true).trustStorePath(trust.toString()).trustStoreType("PKCS12")
          .trustStorePassword(PASSWORD);
    }
    WireMockServer server = new WireMockServer(options);
    server.start();
    server.stubFor(post(anyUrl()).willReturn(ok()));
    servers.add(server);
    return server;
  }

  private static ResponseDefinitionBuilder ok() {
    return aResponse().withStatus(200);
  }

  private Setup setup(WireMockServer primary, WireMockServer... failovers) {
    Setup setup = new Setup("127.0.0.1", primary.port()).option("transport", "http").option("path", "/logs")
        .option("writeTimeout", "2s").header("Authorization", TOKEN);
    for (WireMockServer failover : failovers) {
      setup.server("127.0.0.1:" + failover.port());
    }
    return setup;
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

  private static List<String> acknowledged(WireMockServer server) {
    return WireMockCollector.acknowledged(server);
  }

  private void awaitAcknowledged(int count, WireMockServer... all) {
    Await.until(() -> java.util.Arrays.stream(all).mapToLong(server -> acknowledged(server).size()).sum()
        + driver.status().rejected() + driver.status().eventsDropped() >= count,
        () -> count + " events acknowledged, rejected or dropped; status " + driver.status());
  }

  /**
   * Every logged event once in a 2xx-acknowledged body or counted as rejected or dropped; copies
   * only where the appender counted resent events.
   */
  private void assertEveryEventAccountedFor(int logged, WireMockServer... all) {
    Map<String, Integer> seen = new HashMap<>();
    for (WireMockServer server : all) {
      acknowledged(server).forEach(line -> seen.merge(line, 1, Integer::sum));
    }
    long copies = seen.values().stream().mapToLong(count -> count - 1).sum();
    long received = seen.size();
    assertThat(received + driver.status().rejected() + driver.status().eventsDropped())
        .as("received + rejected + dropped, status " + driver.status()).isEqualTo(logged);
    assertThat(copies).as("copies, at most what was resent").isLessThanOrEqualTo(driver.status().resent());
  }

  @Test
  void F16_batchesArePostedAsLinesToThePathWithTheHeadersAndTheTokenNeverLeaks() throws Exception {
    WireMockServer primary = collector(ok());
    start(setup(primary));
    log(0, 50);
    awaitAcknowledged(50, primary);
    assertThat(acknowledged(primary)).containsExactlyElementsOf(events(0, 50));
    assertThat(primary.getAllServeEvents()).allSatisfy(event -> {
      assertThat(event.getRequest().getUrl()).isEqualTo("/logs");
      assertThat(event.getRequest().getHeader("Authorization")).isEqualTo(TOKEN);
      assertThat(event.getRequest().getHeader("Content-Type")).isEqualTo("application/x-ndjson");
    });
    assertThat(driver.status().toString()).doesNotContain("t0ken");
    assertThat(driver.problems()).noneMatch(problem -> problem.contains("t0ken"));
    assertEveryEventAccountedFor(50, primary);
  }

  @Test
  void F16_gzipBodiesAndJsonArraysDecodeToTheEvents() throws Exception {
    WireMockServer primary = collector(ok());
    start(setup(primary).option("compression", "gzip").option("batchFormat", "json-array")
        .option("contentType", "application/json"));
    for (int i = 0; i < 20; i++) {
      driver.log("{\"n\":" + i + "}");
    }
    Await.until(() -> driver.status().eventsSent() == 20, () -> "20 sent: " + driver.status());
    StringBuilder all = new StringBuilder();
    List<ServeEvent> served = new ArrayList<>(primary.getAllServeEvents());
    java.util.Collections.reverse(served);
    for (ServeEvent event : served) {
      assertThat(event.getRequest().getHeader("Content-Encoding")).isEqualTo("gzip");
      String body = WireMockCollector.body(event);
      assertThat(body).startsWith("[").endsWith("]");
      all.append(body, 1, body.length() - 1).append(',');
    }
    assertThat(all.toString().split(",")).containsExactlyElementsOf(
        IntStream.range(0, 20).mapToObj(i -> "{\"n\":" + i + "}").toList());
  }

  /** WireMock's faults: the connection breaks in each way before a complete answer. */
  @ParameterizedTest
  @EnumSource(value = Fault.class, names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "MALFORMED_RESPONSE_CHUNK",
      "RANDOM_DATA_THEN_CLOSE"})
  void F16_aBrokenResponseFailsTheServerAndTheBatchGoesToTheNext(Fault fault) throws Exception {
    WireMockServer primary = collector(aResponse().withFault(fault));
    WireMockServer failover1 = collector(ok());
    start(setup(primary, failover1));
    log(0, 30);
    awaitAcknowledged(30, primary, failover1);
    assertThat(acknowledged(failover1)).as("status " + driver.status() + ", primary saw " + primary.getAllServeEvents().size())
        .containsExactlyElementsOf(events(0, 30));
    assertThat(driver.status().failovers()).isPositive();
    assertEveryEventAccountedFor(30, primary, failover1);
  }

  @Test
  void F16_noAnswerWithinWriteTimeoutFailsTheServer() throws Exception {
    WireMockServer primary = collector(ok().withFixedDelay(6_000));
    WireMockServer failover1 = collector(ok());
    start(setup(primary, failover1).option("writeTimeout", "500ms"));
    log(0, 10);
    // The late primary journals its 200 at once, but the appender gave up on it after 500 ms.
    Await.until(() -> acknowledged(failover1).size() == 10, () -> "10 events on failover1: " + driver.status());
    assertThat(acknowledged(failover1)).containsExactlyElementsOf(events(0, 10));
    assertEveryEventAccountedFor(10, primary, failover1);
  }

  @Test
  void F16_503And3xxFailTheServerWhileA429WithRetryAfterAlsoKeepsItOutOfUse() throws Exception {
    WireMockServer unavailable = collector(aResponse().withStatus(503));
    WireMockServer redirecting = collector(aResponse().withStatus(302).withHeader("Location", "http://127.0.0.1:1/"));
    WireMockServer busy = collector(aResponse().withStatus(429).withHeader("Retry-After", "120"));
    WireMockServer healthy = collector(ok());
    start(setup(unavailable, redirecting, busy, healthy));
    log(0, 20);
    awaitAcknowledged(20, unavailable, redirecting, busy, healthy);
    assertThat(acknowledged(healthy)).containsExactlyElementsOf(events(0, 20));
    assertThat(busy.getAllServeEvents()).as("the busy server was tried once").isNotEmpty();
    assertEveryEventAccountedFor(20, unavailable, redirecting, busy, healthy);
    // Now every server fails: passes over the list go on, and each skips the busy one for 120 s.
    for (WireMockServer server : List.of(unavailable, redirecting, busy)) {
      server.resetRequests();
    }
    healthy.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(503)));
    healthy.resetRequests();
    log(20, 30);
    Await.until(() -> unavailable.getAllServeEvents().size() >= 2 && redirecting.getAllServeEvents().size() >= 2
        && healthy.getAllServeEvents().size() >= 2, () -> "two passes over the list: " + driver.status());
    assertThat(busy.getAllServeEvents()).as("no request while it rests").isEmpty();
  }

  @Test
  void F16_a400RejectsTheBatchCountedAndReportedWithoutFailover() throws Exception {
    WireMockServer primary = collector(aResponse().withStatus(400).withBody("malformed event: expected JSON"));
    WireMockServer failover1 = collector(ok());
    start(setup(primary, failover1));
    log(0, 10);
    Await.until(() -> driver.status().rejected() == 10, () -> "10 rejected: " + driver.status());
    assertThat(failover1.getAllServeEvents()).as("no failover for a bad request").isEmpty();
    Await.until(() -> driver.problems().stream().anyMatch(problem -> problem.contains("HTTP 400")
        && problem.contains("malformed event: expected JSON")), () -> "the rejection reported: " + driver.problems());
    assertEveryEventAccountedFor(10, primary, failover1);
  }

  @Test
  void F7_httpsVerifiesEachServerAgainstItsOwnNameAndPresentsTheClientCertificate() throws Exception {
    Authority authority = TestCertificates.newAuthority("collectors CA");
    Authority stranger = TestCertificates.newAuthority("stranger CA");
    WireMockServer wrongName = httpsCollector("wrong-name", authority, "elsewhere.example", null);
    WireMockServer unknownIssuer = httpsCollector("unknown-issuer", stranger, "127.0.0.1", null);
    WireMockServer valid = httpsCollector("valid", authority, "127.0.0.1", authority);
    Path trustStore = TestCertificates.writeTrustStore(directory.resolve("ca.p12"), PASSWORD, authority);
    Path keyStore = TestCertificates.writeKeyStore(directory.resolve("client.p12"), authority.issue("orders-service"),
        PASSWORD);
    Setup setup = new Setup("127.0.0.1", wrongName.httpsPort()).tls(trustStore, keyStore, PASSWORD)
        .option("transport", "https").option("path", "/logs").option("writeTimeout", "2s")
        .server("127.0.0.1:" + unknownIssuer.httpsPort()).server("127.0.0.1:" + valid.httpsPort());
    start(setup);
    log(0, 20);
    Await.until(() -> acknowledged(valid).size() == 20, () -> "20 events on the valid server: " + driver.status());
    assertThat(acknowledged(valid)).containsExactlyElementsOf(events(0, 20));
    assertThat(wrongName.getAllServeEvents()).as("a certificate for another name gets nothing").isEmpty();
    assertThat(unknownIssuer.getAllServeEvents()).as("an unknown issuer gets nothing").isEmpty();
    assertThat(driver.status().servers()).filteredOn(server -> server.state() == FailoverStatus.ServerState.FAILED)
        .as("the wrong name and the unknown issuer failed").hasSize(2);
    assertThat(driver.problems()).as("no store password in any status message")
        .noneMatch(problem -> problem.contains(PASSWORD));
    assertThat(driver.status().toString()).doesNotContain(PASSWORD);
    assertEveryEventAccountedFor(20, wrongName, unknownIssuer, valid);
  }

  @Test
  void F16_aPrimaryThatFlapsBetween503And200FailsOverAndBackWithEveryEventAccountedFor() throws Exception {
    WireMockServer primary = collector(ok());
    // A WireMock scenario: the primary's answers alternate, 503 then 200, request after request.
    primary.resetMappings();
    primary.stubFor(post(anyUrl()).inScenario("flapping").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
    primary.stubFor(post(anyUrl()).inScenario("flapping").whenScenarioStateIs("up")
        .willReturn(ok()).willSetStateTo(Scenario.STARTED));
    WireMockServer failover1 = collector(ok());
    start(setup(primary, failover1).failback("1", "100ms"));
    for (int i = 0; i < 200; i++) {
      driver.log("event " + i);
      if (i % 20 == 19) {
        int sent = i + 1;
        // Let the probe bring the primary back before the next burst.
        Await.until(() -> driver.status().eventsSent() == sent, () -> sent + " sent: " + driver.status());
        Await.until(() -> driver.status().currentServer().map(server -> server.port() == primary.port()).orElse(false),
            () -> "back on the primary: " + driver.status());
      }
    }
    awaitAcknowledged(200, primary, failover1);
    assertThat(driver.status().failovers()).as("failovers at the 503s").isGreaterThanOrEqualTo(2);
    assertThat(driver.status().failbacks()).as("failbacks after the probes").isGreaterThanOrEqualTo(2);
    assertEveryEventAccountedFor(200, primary, failover1);
  }

  @Test
  void F6e_afterTheLastSuccessfulProbeTheNextBatchGoesToThePrimary() throws Exception {
    WireMockServer primary = collector(ok());
    WireMockServer failover1 = collector(ok());
    int primaryPort = primary.port();
    start(setup(primary, failover1).failback("2", "200ms"));
    log(0, 5);
    awaitAcknowledged(5, primary);
    primary.stop();
    log(5, 10);
    awaitAcknowledged(10, primary, failover1);
    WireMockServer back = collectorOn(primaryPort, ok());
    Await.until(() -> driver.status().failbacks() == 1, () -> "failed back: " + driver.status());
    log(10, 15);
    Await.until(() -> acknowledged(back).size() == 5, () -> "5 events on the primary again: " + driver.status());
    assertThat(acknowledged(back)).containsExactlyElementsOf(events(10, 15));
    assertThat(driver.status().probesSucceeded()).isGreaterThanOrEqualTo(2);
    assertEveryEventAccountedFor(15, primary, failover1, back);
  }
}
