package dev.logfailover.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.core.status.Status;
import dev.logfailover.Endpoint;
import dev.logfailover.Failback;
import dev.logfailover.FailoverConfig;
import dev.logfailover.Framing;
import dev.logfailover.Transport;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** logback.xml files as users write them, loaded by Joran, and what the appender makes of them. */
class FailoverSocketAppenderConfigTest {

  @Test
  void theSpecExampleLoadsAndStartsWithEveryOptionInPlace() throws Exception {
    try (LogbackFixture logback = LogbackFixture.fromResource("spec-example.xml")) {
      FailoverSocketAppender<Object> appender = logback.appender();
      assertThat(appender.isStarted()).as("F12: unresolvable names are no configuration error").isTrue();
      FailoverConfig config = appender.getFailoverConfig();
      assertThat(config.servers()).extracting(Endpoint::toString).containsExactly(
          "primary.example.com:6514", "failover1.example.com:6514", "failover2.example.com:6514");
      assertThat(config.failback()).contains(Failback.of(3, Duration.ofSeconds(10)));
      assertThat(config.transport()).isEqualTo(Transport.TLS);
      assertThat(config.tls()).hasValueSatisfying(tls -> assertThat(tls.hostnameVerification())
          .as("on by default").isTrue());
      assertThat(config.framing()).as("octet counting is the default with RFC 5424").isEqualTo(Framing.OCTET_COUNTING);
      assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(config.queueSize()).isEqualTo(8192);
      Rfc5424Encoder encoder = (Rfc5424Encoder) (Object) appender.getEncoder();
      assertThat(encoder.getAppName()).isEqualTo("orders");
      assertThat(encoder.getFacility()).isEqualTo(Facility.LOCAL0);
      assertThat(logback.statusMessages(Status.ERROR)).as("no configuration error (run-time ones may come: no such hosts)")
          .noneMatch(message -> message.contains("Invalid value") || message.contains("not started"));
    }
  }

  @Test
  void durationsAreReadOurWaySoTenSMeansTenSeconds() throws Exception {
    String xml = LogbackFixture.configuration("<host>localhost</host><connectTimeout>10s</connectTimeout>"
        + "<writeTimeout>500ms</writeTimeout><reconnectDelay>2</reconnectDelay>"
        + "<maxReconnectDelay>2 minutes</maxReconnectDelay><shutdownTimeout>1.5 seconds</shutdownTimeout>"
        + "<queueSize>100</queueSize><overflowPolicy>block</overflowPolicy><maxBlock>250 milliseconds</maxBlock>"
        + "<keepAlive>false</keepAlive><framing>newline</framing>"
        + "<encoder><pattern>%msg</pattern></encoder>");
    try (LogbackFixture logback = LogbackFixture.fromXml(xml)) {
      FailoverConfig config = logback.appender().getFailoverConfig();
      assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(config.writeTimeout()).isEqualTo(Duration.ofMillis(500));
      assertThat(config.reconnectDelay()).as("a bare number is seconds").isEqualTo(Duration.ofSeconds(2));
      assertThat(config.maxReconnectDelay()).isEqualTo(Duration.ofMinutes(2));
      assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofMillis(1500));
      assertThat(config.maxBlock()).isEqualTo(Duration.ofMillis(250));
      assertThat(config.queueSize()).isEqualTo(100);
      assertThat(config.keepAlive()).isFalse();
      assertThat(config.framing()).isEqualTo(Framing.NEWLINE);
      assertThat(config.primary().port()).as("tcp's default port").isEqualTo(601);
    }
  }

  @Test
  void F16_httpOptionsAndHeadersAreReadAndAHeadersValueNeverAppearsInStatusOrToString() throws Exception {
    String xml = LogbackFixture.configuration("<host>collector.example</host><transport>https</transport>"
        + "<path>/v1/logs</path><batchFormat>json-array</batchFormat><compression>gzip</compression>"
        + "<maxBatchEvents>500</maxBatchEvents><maxBatchBytes>256 KiB</maxBatchBytes><lingerTime>50ms</lingerTime>"
        + "<header><name>Authorization</name><value>Bearer s3cret</value></header>"
        + "<header><name>X-Tenant</name><value>orders</value></header>"
        + "<encoder><pattern>%msg</pattern></encoder>");
    try (LogbackFixture logback = LogbackFixture.fromXml(xml)) {
      FailoverConfig config = logback.appender().getFailoverConfig();
      assertThat(config.primary().port()).as("https's default port").isEqualTo(443);
      dev.logfailover.HttpSettings http = config.http().orElseThrow();
      assertThat(http.path()).isEqualTo("/v1/logs");
      assertThat(http.batchFormat()).isEqualTo(dev.logfailover.HttpSettings.BatchFormat.JSON_ARRAY);
      assertThat(http.contentType()).isEqualTo("application/json");
      assertThat(http.compression()).isEqualTo(dev.logfailover.HttpSettings.Compression.GZIP);
      assertThat(http.maxBatchEvents()).isEqualTo(500);
      assertThat(http.maxBatchBytes()).isEqualTo(256 * 1024);
      assertThat(http.lingerTime()).isEqualTo(Duration.ofMillis(50));
      assertThat(http.headers()).containsEntry("Authorization", "Bearer s3cret").containsEntry("X-Tenant", "orders");
      assertThat(config.toString()).contains("Authorization").doesNotContain("s3cret");
      assertThat(logback.statusMessages(Status.INFO)).noneMatch(message -> message.contains("s3cret"));
    }
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("<host>h</host><port>0</port>", "port", "0"),
        Arguments.of("<host>h</host><port>70000</port>", "port", "70000"),
        Arguments.of("<host></host>", "host", ""),
        Arguments.of("<host>h</host><failover><servers><server>f1</server></servers>"
            + "<failback><successfulProbesRequired>0</successfulProbesRequired></failback></failover>",
            "successfulProbesRequired", "0"),
        Arguments.of("<host>h</host><connectTimeout>-5 seconds</connectTimeout>", "connectTimeout", "-5 seconds"),
        Arguments.of("<host>h</host><writeTimeout>10 parsecs</writeTimeout>", "writeTimeout", "10 parsecs"),
        Arguments.of("<host>h</host><transport>udp</transport>", "transport", "udp"),
        Arguments.of("<host>h</host><failover><failback/></failover>", "failback", "Failback"),
        Arguments.of("<host>h</host><failover><servers><server>f1:99999</server></servers></failover>",
            "server", "f1:99999"),
        Arguments.of("<host>h</host><failover><servers><server>f1</server></servers>"
            + "<failback><tcpProbeInterval>0s</tcpProbeInterval></failback></failover>", "tcpProbeInterval", "0s"),
        Arguments.of("<host>h</host><queueSize>many</queueSize>", "queueSize", "many"),
        Arguments.of("<host>h</host><maxQueueBytes>2147483648</maxQueueBytes>", "maxQueueBytes", "2147483648"),
        Arguments.of("<host>h</host><overflowPolicy>wait</overflowPolicy>", "overflowPolicy", "wait"),
        Arguments.of("<host>h</host><keepAlive>yes</keepAlive>", "keepAlive", "yes"),
        Arguments.of("<host>h</host><path>/logs</path>", "transport", "tcp"),
        Arguments.of("<host>h</host><transport>http</transport><compression>zstd</compression>", "compression", "zstd"),
        Arguments.of("<host>h</host><transport>http</transport><path>logs</path>", "path", "logs"),
        // Issue 13: the spill's options.
        Arguments.of("<host>h</host><spillDirectory>/tmp/x</spillDirectory><spillSync>sometimes</spillSync>",
            "spillSync", "sometimes"),
        Arguments.of("<host>h</host><spillDirectory>/tmp/x</spillDirectory><maxSpillSize>1 KiB</maxSpillSize>",
            "maxSpillSize", "1 KiB"),
        Arguments.of("<host>h</host><maxSpillSize>10 MiB</maxSpillSize>", "spillDirectory", ""),
        // Issue 14: a variable Logback could not resolve (Spring's <springProperty> without its property).
        Arguments.of("<host>${collectorHost}</host>", "host", "collectorHost_IS_UNDEFINED"),
        Arguments.of("<host>h</host><failover><servers><server>${failoverHost}:601</server></servers></failover>",
            "server", "failoverHost_IS_UNDEFINED:601"));
  }

  @ParameterizedTest(name = "{1} = {2}")
  @MethodSource("badValues")
  void aBadValueIsAnErrorNamingTheOptionAndTheValueAndTheAppenderStaysStopped(String options, String option,
      String value) throws Exception {
    String xml = LogbackFixture.configuration(options + "<encoder><pattern>%msg</pattern></encoder>");
    try (LogbackFixture logback = LogbackFixture.fromXml(xml)) {
      assertThat(logback.appender().isStarted()).isFalse();
      assertThat(logback.statusMessages(Status.ERROR))
          .anySatisfy(message -> assertThat(message).contains("Invalid value '" + value).contains("for option '" + option + "'"));
    }
  }

  @Test
  void aMissingEncoderOrABadFacilityKeepsTheAppenderStopped() throws Exception {
    try (LogbackFixture logback = LogbackFixture.fromXml(LogbackFixture.configuration("<host>h</host>"))) {
      assertThat(logback.appender().isStarted()).isFalse();
      assertThat(logback.statusMessages(Status.ERROR)).anyMatch(message -> message.contains("no encoder"));
    }
    String badFacility = LogbackFixture.configuration(
        "<host>h</host><encoder class=\"dev.logfailover.logback.Rfc5424Encoder\"><facility>LOCAL9</facility></encoder>");
    try (LogbackFixture logback = LogbackFixture.fromXml(badFacility)) {
      assertThat(logback.appender().isStarted()).isFalse();
      assertThat(logback.statusMessages(Status.ERROR)).anyMatch(message -> message.contains("'facility'")
          && message.contains("LOCAL9"));
    }
  }
}
