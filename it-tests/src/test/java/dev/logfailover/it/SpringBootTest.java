package dev.logfailover.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Framing;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spring Boot 3.5 application (in a child JVM, as users run it) with our Logback appender
 * configured by logback-spring.xml. Spring Boot refuses to start when Logback's status holds an
 * ERROR after configuring; an unreachable collector is a run-time condition, never a
 * configuration error (F12), so the application must start with every collector down.
 */
class SpringBootTest {
  @TempDir Path directory;
  private Process application;
  private FakeServer primary;
  private FakeServer failover1;

  @AfterEach
  void tearDown() {
    if (application != null) {
      application.destroyForcibly();
    }
    if (primary != null) {
      primary.close();
    }
    if (failover1 != null) {
      failover1.close();
    }
  }

  @Test
  void F12_theApplicationStartsWithEveryCollectorDownAndItsEventsArriveWhenOneComesUp() throws Exception {
    primary = FakeServer.start("primary", Framing.NEWLINE);
    failover1 = FakeServer.start("failover1", Framing.NEWLINE);
    primary.stop();
    failover1.stop();
    Path output = directory.resolve("application.log");
    application = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
        SpringBootApp.class.getName(), "--logging.config=classpath:springboot/logback-spring.xml",
        "--collector.primary-port=" + primary.port(), "--collector.failover-port=" + failover1.port())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();

    Await.until(Duration.ofSeconds(60), () -> read(output).contains("APPLICATION STARTED") || !application.isAlive(),
        () -> "the application to start; its output:\n" + read(output));
    assertThat(read(output)).as("started, its output:\n" + read(output)).contains("APPLICATION STARTED")
        .doesNotContain("Logging system failed to initialize");

    failover1.restart();
    failover1.awaitRecords(20, Duration.ofSeconds(20));
    assertThat(failover1.records()).as("the events logged while every collector was down come first, in order")
        .startsWith("event 0", "event 1", "event 2");

    try (OutputStream commands = application.getOutputStream()) {
      commands.write("stop\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(application.waitFor(30, TimeUnit.SECONDS)).as("a clean exit").isTrue();
    assertThat(application.exitValue()).isZero();
    List<String> records = failover1.records();
    String last = records.get(records.size() - 1);
    assertThat(records).as("nothing lost or duplicated up to the last event, which the exit flushed")
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(0, number(last))
            .mapToObj(i -> "event " + i).toList());
  }

  private static int number(String event) {
    return Integer.parseInt(event.substring("event ".length()));
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
