package dev.logfailover.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.it.Setup.Format;
import dev.logfailover.it.SyslogNg.Source;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.TestCertificates;
import dev.logfailover.testing.TestCertificates.Authority;
import dev.logfailover.testing.TestCertificates.Held;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the collectors our users run: syslog-ng and rsyslog processes, configured by the test,
 * on loopback ports. Written once, run for Logback and for Log4j2. Each kill comes after the
 * events before it are written by the collector, so nothing is in flight and nothing may be lost;
 * losses under faults mid-stream are measured by the fault matrix instead.
 */
abstract class RealCollectorsTest {
  @TempDir Path directory;
  private final List<Collector> collectors = new ArrayList<>();
  private final List<AppenderDriver> drivers = new ArrayList<>();
  private AppenderDriver driver;
  private int next;

  abstract AppenderDriver newDriver();

  @AfterEach
  void tearDown() {
    drivers.forEach(AppenderDriver::close);
    collectors.forEach(Collector::close);
  }

  private <C extends Collector> C started(C collector) throws Exception {
    collectors.add(collector);
    collector.start();
    return collector;
  }

  private SyslogNg syslogNg(String name) throws Exception {
    return started(new SyslogNg(name, directory, Source.SYSLOG));
  }

  private void start(Setup setup) throws Exception {
    driver = newDriver();
    drivers.add(driver);
    driver.start(setup);
  }

  private static Setup rfc5424(Collector primary, Collector... failovers) {
    Setup setup = new Setup("127.0.0.1", primary.port).format(Format.RFC5424);
    for (Collector failover : failovers) {
      setup.server(failover.hostAndPort());
    }
    return setup;
  }

  /** Logs the next {@code count} numbered events and waits until {@code collector} has written them. */
  private void logTo(Collector collector, int count) throws Exception {
    int before = collector.count();
    int first = next;
    IntStream.range(0, count).forEach(i -> driver.log("event " + next++));
    collector.awaitMessages(before + count);
    assertThat(collector.texts().subList(before, before + count))
        .containsExactlyElementsOf(IntStream.range(first, first + count).mapToObj(i -> "event " + i).toList());
  }

  private void awaitCurrent(Collector collector) {
    Await.until(() -> driver.status().currentServer().map(server -> server.toString().equals(collector.hostAndPort()))
        .orElse(false), () -> "current server " + collector + "; status " + driver.status());
  }

  @Test
  void syslogNgParsesTheRfc5424HeaderTheStructuredDataAndAMultiLineStackTrace() throws Exception {
    SyslogNg primary = syslogNg("primary");
    start(rfc5424(primary));
    driver.log("payment failed", Map.of("order", "42", "note", "say \"hi\" ] \\ now"),
        new IllegalStateException("card declined"));
    primary.awaitMessages(1);
    Map<String, String> message = primary.messages().get(0);
    assertThat(message.get("program")).isEqualTo("orders");
    assertThat(message.get("pid")).isEqualTo(Long.toString(ProcessHandle.current().pid()));
    assertThat(message.get("sdata")).contains("order=\"42\"").contains("note=\"say \\\"hi\\\" \\] \\\\ now\"");
    assertThat(message.get("message")).startsWith("payment failed\njava.lang.IllegalStateException: card declined\n")
        .contains("\n\tat dev.logfailover.it.");
  }

  @Test
  void syslogNgsNetworkSourceReadsNewlineFramedRfc3164() throws Exception {
    SyslogNg collector = started(new SyslogNg("network", directory, Source.NETWORK));
    start(new Setup("127.0.0.1", collector.port).format(Format.RFC3164));
    driver.log("first");
    driver.log("forged\n<13>Nov  4 09:05:03 evil evil: injected");
    collector.awaitMessages(2);
    assertThat(collector.count()).as("an LF inside a record cannot start a second one").isEqualTo(2);
    Map<String, String> forged = collector.messages().get(1);
    // Log4j2's SyslogLayout writes no TAG: the first word becomes the program, so read both.
    assertThat(forged.get("program") + " " + forged.get("message")).contains("forged\\n<13>");
  }

  @Test
  void threeSyslogNgsKillAfterKillAndRoundRobinWrapsToThePrimary() throws Exception {
    SyslogNg primary = syslogNg("primary");
    SyslogNg failover1 = syslogNg("failover1");
    SyslogNg failover2 = syslogNg("failover2");
    start(rfc5424(primary, failover1, failover2));
    logTo(primary, 5);
    primary.kill();
    awaitCurrent(failover1);
    logTo(failover1, 5);
    primary.restart();
    failover1.kill();
    awaitCurrent(failover2);
    logTo(failover2, 5);
    failover2.kill();
    awaitCurrent(primary);
    logTo(primary, 5);
    assertThat(driver.status().eventsDropped()).isZero();
    assertThat(driver.status().failovers()).isEqualTo(3);
  }

  @Test
  void failbackReturnsToTheRestartedPrimaryAfterThreeProbesASecondApart() throws Exception {
    SyslogNg primary = syslogNg("primary");
    SyslogNg failover1 = syslogNg("failover1");
    start(rfc5424(primary, failover1).failback("3", "1s"));
    logTo(primary, 3);
    primary.kill();
    awaitCurrent(failover1);
    logTo(failover1, 3);
    primary.restart();
    awaitCurrent(primary);
    logTo(primary, 3);
    assertThat(driver.status().failbacks()).isEqualTo(1);
    assertThat(driver.status().probesSucceeded()).isEqualTo(3);
  }

  @Test
  void F7_syslogNgOverTlsWrongNameSkippedAndOurClientCertificateAccepted() throws Exception {
    Authority authority = TestCertificates.newAuthority("collectors CA");
    Path ca = directory.resolve("ca.pem");
    TestCertificates.writePem(authority, ca);
    SyslogNg wrongName = tlsSyslogNg("primary", authority.issue("elsewhere", "elsewhere.example"), ca);
    SyslogNg valid = tlsSyslogNg("failover1", authority.issue("loopback", "127.0.0.1"), ca);
    Path trustStore = TestCertificates.writeTrustStore(directory.resolve("ca.p12"), "changeit", authority);
    Path keyStore = TestCertificates.writeKeyStore(directory.resolve("client.p12"), authority.issue("orders-service"),
        "changeit");
    start(new Setup("localhost", wrongName.port).server(valid.hostAndPort()).format(Format.RFC5424)
        .tls(trustStore, keyStore, "changeit"));
    logTo(valid, 3);
    assertThat(wrongName.count()).isZero();
    assertThat(driver.status().servers().get(0).lastFailure()).hasValueSatisfying(failure ->
        assertThat(failure).contains("TLS handshake with localhost:" + wrongName.port));
  }

  private SyslogNg tlsSyslogNg(String name, Held identity, Path clientCa) throws Exception {
    Path[] files = pemFiles(name, identity);
    return started(new SyslogNg(name, directory, Source.SYSLOG_TLS).tls(files[0], files[1], clientCa));
  }

  /** Writes {@code identity} as the certificate and key PEM files a collector reads. */
  private Path[] pemFiles(String name, Held identity) throws Exception {
    Path certificate = directory.resolve(name + "-cert.pem");
    Path key = directory.resolve(name + "-key.pem");
    TestCertificates.writePem(identity, certificate, key);
    return new Path[] {certificate, key};
  }

  @Test
  void rsyslogReadsRfc5424WithOctetCounting() throws Exception {
    Rsyslog rsyslog = started(new Rsyslog("rsyslog", directory));
    start(rfc5424(rsyslog));
    driver.log("multi\nline", Map.of("order", "7"), new IllegalArgumentException("bad"));
    rsyslog.awaitMessages(1);
    Map<String, String> message = rsyslog.messages().get(0);
    assertThat(message.get("program")).isEqualTo("orders");
    assertThat(message.get("sdata")).contains("order=\"7\"");
    assertThat(message.get("message")).startsWith("multi\nline\njava.lang.IllegalArgumentException: bad\n\tat ");
  }

  /**
   * rsyslog takes an octet count of 0 as a framing error and runs the next two events together
   * into one: an empty event (a pattern of {@code %msg%n} and an empty message) is dropped and
   * counted instead, and its neighbours arrive intact.
   */
  @Test
  void anEmptyEventIsDroppedAndCountedSoRsyslogReadsTheOctetCountedEventsAfterIt() throws Exception {
    Rsyslog rsyslog = started(new Rsyslog("rsyslog", directory));
    start(new Setup("127.0.0.1", rsyslog.port).option("framing", "octet-counting"));
    for (String message : List.of("first", "", "second", "third")) {
      driver.log(message.isEmpty() ? "" : "<14>1 - host orders - - - " + message);
    }
    rsyslog.awaitMessages(3);
    assertThat(rsyslog.messages()).extracting(message -> message.get("message"))
        .containsExactly("first", "second", "third");
    Await.until(() -> driver.status().eventsDropped() == 1, () -> "one empty event dropped: " + driver.status());
  }

  @Test
  void rsyslogReadsRfc3164WithNewlineFraming() throws Exception {
    Rsyslog rsyslog = started(new Rsyslog("rsyslog", directory));
    start(new Setup("127.0.0.1", rsyslog.port).format(Format.RFC3164));
    driver.log("disk low");
    driver.log("two\nlines");
    rsyslog.awaitMessages(2);
    // Log4j2's SyslogLayout writes no TAG, so rsyslog reads the message's first word as the program.
    List<String> lines = rsyslog.messages().stream()
        .map(message -> (message.get("program") + " " + message.get("message")).replaceAll(" +", " ").strip()).toList();
    assertThat(lines.get(0)).endsWith("disk low");
    assertThat(lines.get(1)).as("newline framing escapes the LF: one record").endsWith("two\\nlines");
  }

  @Test
  void aRestartedLoggingFrameworkStartsAtThePrimary() throws Exception {
    SyslogNg primary = syslogNg("primary");
    SyslogNg failover1 = syslogNg("failover1");
    Setup setup = rfc5424(primary, failover1);
    start(setup);
    primary.kill();
    awaitCurrent(failover1);
    logTo(failover1, 2);
    driver.shutdown();
    primary.restart();
    start(setup);
    logTo(primary, 2);
  }

  private Rsyslog relpRsyslog(String name) throws Exception {
    return started(new Rsyslog(name, directory, Rsyslog.Input.RELP));
  }

  /** Every event text of every collector, in collector order then arrival order. */
  private static List<String> allTexts(Collector... collectors) throws Exception {
    List<String> all = new ArrayList<>();
    for (Collector collector : collectors) {
      all.addAll(collector.texts());
    }
    return all;
  }

  private static int distinct(Collector... collectors) {
    try {
      return new java.util.HashSet<>(allTexts(collectors)).size();
    } catch (Exception notYetReadable) {
      return 0;
    }
  }

  @Test
  void F14_relpToRsyslogLosesNothingWhenTheCollectorIsKilledMidStream() throws Exception {
    Rsyslog primary = relpRsyslog("primary");
    Rsyslog failover1 = relpRsyslog("failover1");
    start(rfc5424(primary, failover1).option("transport", "relp").option("writeTimeout", "2s"));
    for (int i = 0; i < 3000; i++) {
      if (i == 1500) {
        primary.kill(); // mid-stream: events are in flight, some written and not yet acknowledged
      }
      driver.log("event " + i);
      if (i % 10 == 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      }
    }
    Await.until(java.time.Duration.ofSeconds(20), () -> driver.status().eventsSent() >= 3000,
        () -> "3000 acknowledged; status " + driver.status());
    // imrelp acknowledges once rsyslog queued the event; its file is written a moment later.
    Await.until(java.time.Duration.ofSeconds(20), () -> distinct(primary, failover1) >= 3000,
        () -> "3000 distinct events written, have " + distinct(primary, failover1));
    List<String> received = allTexts(primary, failover1);
    assertThat(new java.util.HashSet<>(received)).as("every event, at one collector or the other")
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 3000).mapToObj(i -> "event " + i).toList());
    assertThat((long) received.size() - 3000).as("duplicates, at most what was resent")
        .isLessThanOrEqualTo(driver.status().resent());
    assertThat(failover1.texts()).as("in order at the failover server").isSortedAccordingTo(
        java.util.Comparator.comparingInt(text -> Integer.parseInt(text.substring("event ".length()))));
    assertThat(driver.status().eventsDropped()).isZero();
  }

  @Test
  void F15_relpFailbackClosesTheFailoverSessionAndLosesNothing() throws Exception {
    Rsyslog primary = relpRsyslog("primary");
    Rsyslog failover1 = relpRsyslog("failover1");
    start(rfc5424(primary, failover1).option("transport", "relp").failback("2", "1s"));
    logTo(primary, 3);
    primary.kill();
    awaitCurrent(failover1);
    logTo(failover1, 3);
    primary.restart();
    awaitCurrent(primary);
    logTo(primary, 3);
    assertThat(driver.status().failbacks()).isEqualTo(1);
    assertThat(driver.status().resent()).isZero();
  }

  @Test
  void F15_relpTlsToRsyslogVerifiesEachServerAndPresentsOurClientCertificate() throws Exception {
    Authority authority = TestCertificates.newAuthority("collectors CA");
    Path ca = directory.resolve("ca.pem");
    TestCertificates.writePem(authority, ca);
    Rsyslog wrongName = relpTlsRsyslog("primary", authority.issue("elsewhere", "elsewhere.example"), ca);
    Rsyslog valid = relpTlsRsyslog("failover1", authority.issue("loopback", "127.0.0.1"), ca);
    Path trustStore = TestCertificates.writeTrustStore(directory.resolve("ca.p12"), "changeit", authority);
    Path keyStore = TestCertificates.writeKeyStore(directory.resolve("client.p12"), authority.issue("orders-service"),
        "changeit");
    start(new Setup("localhost", wrongName.port).server(valid.hostAndPort()).format(Format.RFC5424)
        .tls(trustStore, keyStore, "changeit").option("transport", "relp-tls"));
    logTo(valid, 3);
    assertThat(wrongName.count()).isZero();
    assertThat(driver.status().servers().get(0).lastFailure()).hasValueSatisfying(failure ->
        assertThat(failure).contains("TLS handshake with localhost:" + wrongName.port));
  }

  private Rsyslog relpTlsRsyslog(String name, Held identity, Path clientCa) throws Exception {
    Path[] files = pemFiles(name, identity);
    return started(new Rsyslog(name, directory, Rsyslog.Input.RELP).tls(clientCa, files[0], files[1]));
  }
}
