package dev.logfailover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Endpoints, durations and the validating builder (SPEC section 3). */
class ConfigTest {

  @Test
  void endpointsParseEveryForm() {
    assertThat(Endpoint.parse("server", "collector.example.com", 601)).hasToString("collector.example.com:601");
    assertThat(Endpoint.parse("server", "collector.example.com:6514", 601)).hasToString("collector.example.com:6514");
    assertThat(Endpoint.parse("server", "[::1]:1514", 601)).isEqualTo(Endpoint.of("x", "::1", 1514));
    assertThat(Endpoint.parse("server", "[2001:db8::7]", 601)).hasToString("[2001:db8::7]:601");
    assertThat(Endpoint.parse("server", "2001:db8::7", 601).host()).isEqualTo("2001:db8::7");
    assertThat(Endpoint.parse("server", " 10.0.0.1:99 ", 601)).isEqualTo(Endpoint.of("x", "10.0.0.1", 99));
  }

  @Test
  void aHeaderTheAppenderWritesItselfIsRefusedByName() {
    for (String own : new String[] {"Host", "content-length", "Transfer-Encoding", "Connection", "Content-Type",
        "Content-Encoding", "Expect"}) {
      assertThatThrownBy(() -> HttpSettings.builder().header(own, "x")).isInstanceOf(ConfigException.class)
          .hasMessageContaining("'header'").hasMessageContaining(own).hasMessageContaining("written by the appender");
    }
    assertThat(HttpSettings.builder().header("Authorization", "Bearer x").build().headers()).containsKey("Authorization");
  }

  @Test
  void aRelpWindowBeyondItsBoundIsRefusedByName() {
    assertThatThrownBy(() -> FailoverConfig.builder().relpWindowSize(65_537)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("'relpWindowSize'").hasMessageContaining("65537").hasMessageContaining("at most 65536");
    assertThat(FailoverConfig.builder().transport(Transport.RELP).host("collector").relpWindowSize(65_536).build()
        .relpWindowSize()).isEqualTo(65_536);
  }

  @Test
  void badEndpointsNameTheOptionAndTheValue() {
    assertThatThrownBy(() -> Endpoint.parse("server", "host:70000", 601))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'server'").hasMessageContaining("70000");
    assertThatThrownBy(() -> Endpoint.parse("server", "host:abc", 601)).hasMessageContaining("host:abc");
    assertThatThrownBy(() -> Endpoint.parse("server", "[::1", 601)).hasMessageContaining("']'");
    assertThatThrownBy(() -> Endpoint.parse("server", "", 601)).hasMessageContaining("must not be empty");
  }

  @Test
  void durationsAcceptLongShortAndBareForms() {
    assertThat(Durations.parse("x", "500 milliseconds")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("x", "10 seconds")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("x", "2 minutes")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("x", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("x", "10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("x", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("x", "1 hour")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("x", "1.5 seconds")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("x", "30")).as("a bare number is seconds, as in syslog-ng").isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void F13_sizesAcceptBinaryUnitsWithOrWithoutASpaceAndABareNumberIsBytes() {
    assertThat(Sizes.parse("x", "512 KiB")).isEqualTo(512 * 1024);
    assertThat(Sizes.parse("x", "32MB")).as("MB is MiB, as in Logback's FileSize").isEqualTo(32L << 20);
    assertThat(Sizes.parse("x", "1 GiB")).isEqualTo(1L << 30);
    assertThat(Sizes.parse("x", "100")).isEqualTo(100);
    assertThat(Sizes.parse("x", "1.5 KiB")).isEqualTo(1536);
    assertThatThrownBy(() -> Sizes.parse("maxQueueBytes", "10 parsecs")).hasMessageContaining("maxQueueBytes")
        .hasMessageContaining("10 parsecs");
    assertThatThrownBy(() -> FailoverConfig.builder().host("h").maxQueueBytes(1024).maxRecordSize(2048).build())
        .hasMessageContaining("maxRecordSize").hasMessageContaining("maxQueueBytes");
    assertThatThrownBy(() -> FailoverConfig.builder().maxQueueBytes((1L << 30) + 1))
        .as("the queue is one array").hasMessageContaining("maxQueueBytes").hasMessageContaining("at most 1 GiB");
  }

  @Test
  void badDurationsNameTheOptionAndTheValue() {
    assertThatThrownBy(() -> Durations.parse("connectTimeout", "-5 seconds"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("connectTimeout").hasMessageContaining("-5 seconds").hasMessageContaining("negative");
    assertThatThrownBy(() -> Durations.parse("writeTimeout", "10 fortnights"))
        .hasMessageContaining("writeTimeout").hasMessageContaining("10 fortnights").hasMessageContaining("unknown unit");
    assertThatThrownBy(() -> Durations.parse("maxBlock", "soon")).hasMessageContaining("maxBlock");
  }

  @Test
  void defaultsAreThoseOfTheSpec() {
    FailoverConfig config = FailoverConfig.builder().host("primary.example.com").build();
    assertThat(config.primary()).isEqualTo(Endpoint.of("x", "primary.example.com", 601));
    assertThat(config.transport()).isEqualTo(Transport.TCP);
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.writeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.reconnectDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.maxReconnectDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.queueSize()).isEqualTo(8192);
    assertThat(config.overflowPolicy()).isEqualTo(OverflowPolicy.DROP);
    assertThat(config.maxBlock()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.keepAlive()).isTrue();
    assertThat(config.failback()).isEmpty();
    assertThat(Failback.of(Failback.DEFAULT_SUCCESSFUL_PROBES_REQUIRED, Failback.DEFAULT_TCP_PROBE_INTERVAL))
        .isEqualTo(Failback.of(3, Duration.ofSeconds(60)));
  }

  @Test
  void F2_failoverServersWithoutPortUseThePrimarysPort() {
    FailoverConfig config = FailoverConfig.builder().host("primary").port(1514)
        .addFailoverServer("failover1").addFailoverServer("failover2:2514").addFailoverServer("[::1]:3514").build();
    assertThat(config.servers()).extracting(Endpoint::toString)
        .containsExactly("primary:1514", "failover1:1514", "failover2:2514", "[::1]:3514");
  }

  @Test
  void F8_udpIsRefusedWithItsReason() {
    assertThatThrownBy(() -> Transport.parse("transport", "udp"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'transport'").hasMessageContaining("UDP cannot fail over");
  }

  @Test
  void contradictionsAreRefusedAtBuild() {
    assertThatThrownBy(() -> FailoverConfig.builder().host("p").failback(Failback.of(3, Duration.ofSeconds(1))).build())
        .hasMessageContaining("failback").hasMessageContaining("at least one failover server");
    assertThatThrownBy(() -> FailoverConfig.builder().host("p").addFailoverServer("p").build())
        .hasMessageContaining("already in the list");
    assertThatThrownBy(() -> FailoverConfig.builder().host("p").reconnectDelay(Duration.ofSeconds(10))
        .maxReconnectDelay(Duration.ofSeconds(5)).build()).hasMessageContaining("maxReconnectDelay");
    assertThatThrownBy(() -> FailoverConfig.builder().build()).hasMessageContaining("'host'");
    assertThatThrownBy(() -> FailoverConfig.builder().host(" ")).hasMessageContaining("'host'");
    assertThatThrownBy(() -> FailoverConfig.builder().port(0)).hasMessageContaining("'port'");
    assertThatThrownBy(() -> FailoverConfig.builder().connectTimeout(Duration.ZERO)).hasMessageContaining("positive");
    assertThatThrownBy(() -> Failback.of(0, Duration.ofSeconds(1))).hasMessageContaining("successfulProbesRequired");
    assertThatThrownBy(() -> FailoverConfig.builder().queueSize(0)).hasMessageContaining("queueSize");
  }
}
