package dev.logfailover.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Framing;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Spring Boot web application with the actuator and this module on its class path, its
 * Logback configured with our appender: the meters appear under /actuator/metrics with no code of
 * the application's own.
 */
class ActuatorTest {
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class Application {}

  @Test
  void theAppendersMetersAreListedUnderActuatorMetricsWithNoCodeFromTheUser() throws Exception {
    try (FakeServer collector = FakeServer.start("collector", Framing.NEWLINE);
        ConfigurableApplicationContext context = SpringApplication.run(Application.class,
            "--server.port=0", "--server.address=127.0.0.1", "--logging.config=classpath:logback-metrics.xml",
            "--collector.port=" + collector.port(), "--management.endpoints.web.exposure.include=metrics")) {
      LoggerFactory.getLogger("app").info("hello");
      collector.awaitRecords(1);
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      HttpClient http = HttpClient.newHttpClient();
      String names = get(http, "http://127.0.0.1:" + port + "/actuator/metrics");
      assertThat(names).contains("\"logfailover.events.sent\"", "\"logfailover.failovers\"",
          "\"logfailover.queue.events\"", "\"logfailover.server.state\"");
      Await.until(() -> get(http, "http://127.0.0.1:" + port
          + "/actuator/metrics/logfailover.events.sent?tag=appender:METRICS").contains("\"value\":1.0"),
          () -> "logfailover.events.sent = 1 for the appender METRICS: " + get(http, "http://127.0.0.1:" + port
              + "/actuator/metrics/logfailover.events.sent?tag=appender:METRICS"));
    }
  }

  private static String get(HttpClient http, String url) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(url).isEqualTo(200);
      return response.body();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
