package dev.logfailover.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import dev.logfailover.Framing;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters, on a SimpleMeterRegistry, across a failover and a failback of a real Logback appender. */
class FailoverMetricsTest {
  private final LoggerContext logback = new LoggerContext();
  private FakeServer primary;
  private FakeServer failover1;

  @AfterEach
  void tearDown() {
    logback.stop();
    primary.close();
    failover1.close();
  }

  private void configure(String xml) throws Exception {
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(logback);
    configurator.doConfigure(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static double value(SimpleMeterRegistry registry, String meter, String... tags) {
    return registry.find(meter).tags("appender", "METERED").tags(tags).meters().stream()
        .mapToDouble(found -> found.measure().iterator().next().getValue()).sum();
  }

  @Test
  void countersMoveAcrossAFailoverAndAFailback() throws Exception {
    primary = FakeServer.start("primary", Framing.NEWLINE);
    failover1 = FakeServer.start("failover1", Framing.NEWLINE);
    configure("<configuration><appender name=\"METERED\" class=\"dev.logfailover.logback.FailoverSocketAppender\">"
        + "<host>127.0.0.1</host><port>" + primary.port() + "</port><reconnectDelay>50ms</reconnectDelay>"
        + "<encoder><pattern>%msg%n</pattern></encoder><failover><servers><server>" + failover1.hostAndPort()
        + "</server></servers><failback><successfulProbesRequired>2</successfulProbesRequired>"
        + "<tcpProbeInterval>100ms</tcpProbeInterval></failback></failover></appender>"
        + "<root level=\"INFO\"><appender-ref ref=\"METERED\"/></root></configuration>");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new FailoverMetrics().bindTo(registry);
    System.gc(); // Micrometer holds a meter's state weakly: the meters must survive a collection.
    String primaryServer = "127.0.0.1:" + primary.port();

    logback.getLogger("app").info("one");
    primary.awaitRecords(1);
    Await.until(() -> value(registry, "logfailover.events.sent") == 1, () -> "sent = 1");
    assertThat(value(registry, "logfailover.server.current", "server", primaryServer)).isEqualTo(1);
    assertThat(value(registry, "logfailover.server.state", "server", primaryServer, "state", "CONNECTED")).isEqualTo(1);

    primary.kill();
    Await.until(() -> value(registry, "logfailover.failovers") == 1, () -> "a failover counted");
    logback.getLogger("app").info("two");
    failover1.awaitRecords(1);
    assertThat(value(registry, "logfailover.server.current", "server", failover1.hostAndPort())).isEqualTo(1);
    assertThat(value(registry, "logfailover.server.state", "server", primaryServer, "state", "FAILED")).isEqualTo(1);

    primary.restart();
    Await.until(() -> value(registry, "logfailover.failbacks") == 1, () -> "a failback counted");
    assertThat(value(registry, "logfailover.probes", "result", "succeeded")).isGreaterThanOrEqualTo(2);
    logback.getLogger("app").info("three");
    primary.awaitRecords(2);
    assertThat(value(registry, "logfailover.events.sent")).isEqualTo(3);
    assertThat(value(registry, "logfailover.events.dropped")).isZero();
    assertThat(value(registry, "logfailover.queue.events")).isZero();
    assertThat(value(registry, "logfailover.server.current", "server", primaryServer)).isEqualTo(1);
  }
}
