package dev.logfailover.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.FailoverStatus;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.TestCertificates;
import dev.logfailover.testing.TestCertificates.Authority;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real nginx (Debian's package) in front of the collector, over http and https, as a newcomer
 * puts one: it ends every third request's connection ({@code keepalive_requests 3}, the last
 * answer with {@code Connection: close}), closes idle ones after a second, and refuses large
 * bodies with 413. Across all its closes nothing may be lost, duplicated or failed over (F16,
 * F18), and a 413 rejects the batch it refused, counted, without a failover. Written once, run
 * against both appenders through their real configuration files.
 */
abstract class NginxTest {
  private static final String PASSWORD = "changeit";
  private static final int EVENTS = Integer.getInteger("logfailover.nginx.events", 100_000);
  @TempDir Path directory;
  private WireMockCollector upstream;
  private Nginx nginx;
  private AppenderDriver driver;

  abstract AppenderDriver newDriver();

  @AfterEach
  void tearDown() {
    if (driver != null) {
      driver.close();
    }
    if (nginx != null) {
      nginx.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  /** nginx before a collector; {@code https} with a certificate for 127.0.0.1; returns the appender's setup. */
  private Setup nginxInFront(boolean https, int keepaliveRequests, String maxBody) throws Exception {
    upstream = WireMockCollector.start();
    nginx = new Nginx("nginx", directory, upstream.port()).keepalive(keepaliveRequests, "1s").clientMaxBodySize(maxBody);
    Setup setup = new Setup("127.0.0.1", nginx.port).option("transport", "http");
    if (https) {
      Authority authority = TestCertificates.newAuthority("nginx CA");
      Path certificate = directory.resolve("nginx.pem");
      Path key = directory.resolve("nginx-key.pem");
      TestCertificates.writePem(authority.issue("127.0.0.1", "127.0.0.1"), certificate, key);
      nginx.tls(certificate, key);
      setup.tls(TestCertificates.writeTrustStore(directory.resolve("ca.p12"), PASSWORD, authority), null, PASSWORD)
          .option("transport", "https");
    }
    nginx.start();
    return setup.option("overflowPolicy", "block").option("maxBlock", "60s").option("writeTimeout", "5s");
  }

  @ParameterizedTest(name = "https {0}")
  @ValueSource(booleans = {false, true})
  void everyEventArrivesOnceAcrossNginxEndingEveryThirdRequestsConnection(boolean https) throws Exception {
    Setup setup = nginxInFront(https, 3, "4m");
    driver = newDriver();
    driver.start(setup);
    for (int event = 0; event < EVENTS; event++) {
      driver.log("event " + event);
    }
    Await.until(Duration.ofSeconds(120), () -> driver.status().eventsSent() == EVENTS,
        () -> EVENTS + " sent: " + driver.status() + "; problems " + driver.problems());
    List<String> arrived = upstream.acknowledged();
    Set<String> distinct = new HashSet<>(arrived);
    FailoverStatus status = driver.status();
    assertThat(distinct).as("lost").hasSize(EVENTS);
    assertThat(arrived).as("duplicated").hasSize(EVENTS);
    assertThat(status.resent()).isZero();
    assertThat(status.failovers()).isZero();
    assertThat(status.eventsDropped()).isZero();
    assertThat(driver.problems()).noneMatch(problem -> problem.contains("closed the connection"));
  }

  @Test
  void aBodyBeyondNginxsLimitIsARejectionCountedNotAFailover() throws Exception {
    Setup setup = nginxInFront(false, 3, "1k").option("maxBatchEvents", "1");
    driver = newDriver();
    driver.start(setup);
    driver.log("x".repeat(8 * 1024));
    Await.until(() -> driver.status().rejected() == 1, () -> "a rejection: " + driver.status());
    driver.log("small event");
    Await.until(() -> driver.status().eventsSent() == 1, () -> "sent after it: " + driver.status());
    assertThat(upstream.acknowledged()).containsExactly("small event");
    assertThat(driver.status().failovers()).isZero();
    assertThat(driver.problems()).anyMatch(problem -> problem.contains("HTTP 413"));
  }
}
