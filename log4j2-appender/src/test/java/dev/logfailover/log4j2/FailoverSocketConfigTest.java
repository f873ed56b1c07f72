package dev.logfailover.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Endpoint;
import dev.logfailover.Failback;
import dev.logfailover.FailoverConfig;
import dev.logfailover.Framing;
import dev.logfailover.Transport;
import dev.logfailover.testing.FakeServer;
import dev.logfailover.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** log4j2.xml files as users write them, and what the FailoverSocket plugin makes of them. */
class FailoverSocketConfigTest {
  @TempDir Path directory;

  @Test
  void theSpecExampleLoadsWithEveryOptionInPlace() throws Exception {
    Path trustStore = TestCertificates.writeTrustStore(directory.resolve("collectors-ca.p12"), "changeit",
        TestCertificates.newAuthority("collectors CA"));
    // SPEC section 3, Log4j2, as written there; only the trust store's location is this test's file.
    String xml = Log4j2Fixture.configuration("""
        <FailoverSocket name="collectors" host="primary.example.com" port="6514" transport="tls">
          <Servers>
            <Server host="failover1.example.com"/>
            <Server host="failover2.example.com" port="6514"/>
          </Servers>
          <Failback successfulProbesRequired="3" tcpProbeInterval="10s"/>
          <Ssl><TrustStore location="%s" password="changeit"/></Ssl>
          <Rfc5424Layout appName="orders" facility="LOCAL0"/>
        </FailoverSocket>""".formatted(trustStore), "collectors");
    try (Log4j2Fixture log4j = Log4j2Fixture.start(xml)) {
      FailoverSocketAppender appender = log4j.appender("collectors");
      assertThat(appender).isNotNull();
      assertThat(appender.isStarted()).as("F12: unresolvable names are no configuration error").isTrue();
      FailoverConfig config = appender.getFailoverConfig();
      assertThat(config.servers()).extracting(Endpoint::toString).containsExactly(
          "primary.example.com:6514", "failover1.example.com:6514", "failover2.example.com:6514");
      assertThat(config.transport()).isEqualTo(Transport.TLS);
      assertThat(config.tls()).hasValueSatisfying(tls -> assertThat(tls.hostnameVerification()).isTrue());
      assertThat(config.failback()).contains(Failback.of(3, Duration.ofSeconds(10)));
      assertThat(config.framing()).as("octet counting is the default with Rfc5424Layout").isEqualTo(Framing.OCTET_COUNTING);
      assertThat(log4j.statusMessages(Level.ERROR)).as("no configuration error (run-time ones may come: no such hosts)")
          .noneMatch(message -> message.contains("Invalid value") || message.contains("not created"));
    }
  }

  @Test
  void F16_httpOptionsAndPropertyHeadersAreReadAndAHeadersValueNeverAppearsInStatusOrToString() throws Exception {
    String xml = Log4j2Fixture.configuration("""
        <FailoverSocket name="collectors" host="collector.example" transport="http" path="/ingest"
                        maxBatchEvents="200" compression="gzip">
          <Property name="Authorization" value="Bearer s3cret"/>
          <PatternLayout pattern="%m"/>
        </FailoverSocket>""", "collectors");
    try (Log4j2Fixture log4j = Log4j2Fixture.start(xml)) {
      FailoverSocketAppender appender = log4j.appender("collectors");
      FailoverConfig config = appender.getFailoverConfig();
      assertThat(config.primary().port()).as("http's default port").isEqualTo(80);
      dev.logfailover.HttpSettings http = config.http().orElseThrow();
      assertThat(http.path()).isEqualTo("/ingest");
      assertThat(http.maxBatchEvents()).isEqualTo(200);
      assertThat(http.compression()).isEqualTo(dev.logfailover.HttpSettings.Compression.GZIP);
      assertThat(http.headers()).containsEntry("Authorization", "Bearer s3cret");
      assertThat(config.toString()).contains("Authorization").doesNotContain("s3cret");
      assertThat(log4j.statusMessages(Level.INFO)).noneMatch(message -> message.contains("s3cret"));
    }
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("host=\"h\" port=\"0\"", "", "port", "0"),
        Arguments.of("host=\"h\" port=\"70000\"", "", "port", "70000"),
        Arguments.of("host=\"\"", "", "host", "''"),
        Arguments.of("host=\"h\"", "<Servers><Server host=\"f1\"/></Servers><Failback successfulProbesRequired=\"0\"/>",
            "successfulProbesRequired", "0"),
        Arguments.of("host=\"h\" connectTimeout=\"-5 seconds\"", "", "connectTimeout", "-5 seconds"),
        Arguments.of("host=\"h\" writeTimeout=\"10 parsecs\"", "", "writeTimeout", "10 parsecs"),
        Arguments.of("host=\"h\" transport=\"udp\"", "", "transport", "udp"),
        Arguments.of("host=\"h\"", "<Servers><Server host=\"f1\" port=\"99999\"/></Servers>", "server", "f1:99999"),
        Arguments.of("host=\"h\" queueSize=\"many\"", "", "queueSize", "many"),
        Arguments.of("host=\"h\" maxQueueBytes=\"2147483648\"", "", "maxQueueBytes", "2147483648"),
        // Issue 13: the spill's options.
        Arguments.of("host=\"h\" spillDirectory=\"/tmp/x\" spillSync=\"sometimes\"", "", "spillSync", "sometimes"),
        Arguments.of("host=\"h\" spillDirectory=\"/tmp/x\" maxSpillSize=\"1 KiB\"", "", "maxSpillSize", "1 KiB"),
        Arguments.of("host=\"h\" maxSpillSize=\"10 MiB\"", "", "spillDirectory", "''"),
        // Issue 14: a lookup Log4j2 could not resolve stays as written (Spring's without its property).
        Arguments.of("host=\"${spring:collector.host}\"", "", "host", "${spring:collector.host}"),
        Arguments.of("host=\"h\"", "<Servers><Server host=\"${spring:collector.failover-host}\"/></Servers>", "server",
            "${spring:collector.failover-host}"));
  }

  @ParameterizedTest(name = "{2} = {3}")
  @MethodSource("badValues")
  void aBadValueIsAStatusErrorNamingTheOptionAndTheValueAndTheRestStillLoads(String attributes, String elements,
      String option, String value) throws Exception {
    try (FakeServer other = FakeServer.start("other", Framing.NEWLINE)) {
      String xml = Log4j2Fixture.configuration(
          "<FailoverSocket name=\"bad\" " + attributes + ">" + elements + "<PatternLayout pattern=\"%m\"/></FailoverSocket>"
              + "<FailoverSocket name=\"good\" host=\"127.0.0.1\" port=\"" + other.port() + "\">"
              + "<PatternLayout pattern=\"%m\"/></FailoverSocket>", "bad", "good");
      try (Log4j2Fixture log4j = Log4j2Fixture.start(xml)) {
        assertThat((Object) log4j.appender("bad")).as("not created").isNull();
        assertThat(log4j.statusMessages(Level.ERROR)).anySatisfy(message ->
            assertThat(message).contains("'" + option + "'").contains(value.replace("''", "")));
        log4j.logger("app").info("still logging");
        other.awaitRecords(1);
        assertThat(other.records()).containsExactly("still logging");
      }
    }
  }

  @Test
  void aMissingLayoutIsAnError() throws Exception {
    try (Log4j2Fixture log4j = Log4j2Fixture.start(
        Log4j2Fixture.configuration("<FailoverSocket name=\"x\" host=\"h\"/>", "x"))) {
      assertThat((Object) log4j.appender("x")).isNull();
      assertThat(log4j.statusMessages(Level.ERROR)).anyMatch(message -> message.contains("no layout"));
    }
  }

  @Test
  void ourElementsLiveBesideLog4j2sOwnFailoverAppender() throws Exception {
    try (FakeServer stockTarget = FakeServer.start("stock", Framing.NEWLINE);
        FakeServer ours = FakeServer.start("ours", Framing.NEWLINE)) {
      String xml = Log4j2Fixture.configuration("""
          <Socket name="socket" host="127.0.0.1" port="%d" protocol="TCP"><PatternLayout pattern="stock %%m%%n"/></Socket>
          <Console name="console"><PatternLayout pattern="%%m%%n"/></Console>
          <Failover name="stockFailover" primary="socket">
            <Failovers><AppenderRef ref="console"/></Failovers>
          </Failover>
          <FailoverSocket name="collectors" host="127.0.0.1" port="%d">
            <Servers><Server host="127.0.0.1" port="1"/></Servers>
            <Failback successfulProbesRequired="2" tcpProbeInterval="5s"/>
            <PatternLayout pattern="ours %%m%%n"/>
          </FailoverSocket>""".formatted(stockTarget.port(), ours.port()), "stockFailover", "collectors");
      try (Log4j2Fixture log4j = Log4j2Fixture.start(xml)) {
        log4j.logger("app").info("both");
        stockTarget.awaitRecords(1);
        ours.awaitRecords(1);
        assertThat(stockTarget.records()).containsExactly("stock both");
        assertThat(ours.records()).containsExactly("ours both");
        assertThat(log4j.statusMessages(Level.ERROR)).isEmpty();
      }
    }
  }
}
