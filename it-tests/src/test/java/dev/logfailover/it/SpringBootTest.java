package dev.logfailover.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Framing;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Spring Boot 3.5 applications (in child JVMs, as users run them), one per framework: Logback
 * from logback-spring.xml with {@code <springProperty>}, Log4j2 from log4j2-spring.xml with {@code
 * ${spring:...}}, each child's class path holding that framework only. Spring Boot refuses to start
 * when the logging system's status holds an ERROR after configuring; an unreachable collector is a
 * run-time condition, never a configuration error (F12), so the application must start with every
 * collector down.
 */
class SpringBootTest {
  private static final Pattern EVENT = Pattern.compile("^event (\\d+)$");

  @TempDir Path directory;
  private Process application;
  private Path output;
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

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"logback", "log4j2"})
  void F12_theApplicationStartsWithEveryCollectorDownAndItsEventsArriveWhenOneComesUp(String framework)
      throws Exception {
    startCollectors();
    primary.stop();
    failover1.stop();
    launch(framework);
    awaitStarted();

    failover1.restart();
    Await.until(Duration.ofSeconds(20), () -> events(failover1).size() >= 20, () -> "events on failover1");
    assertThat(events(failover1)).as("the events logged while every collector was down come first, in order")
        .startsWith(0, 1, 2);
    stopAndAwaitCleanExit();
    assertNothingLostOrDuplicated(0);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"logback", "log4j2"})
  void aPrimaryKilledAndRestartedFailsOverAndBackWithOneSenderAndEveryStartupLineOnce(String framework)
      throws Exception {
    startCollectors();
    launch(framework);
    awaitStarted();
    assertThat(read(output)).as("one appender, one sender thread, whatever Spring initialized twice")
        .contains("SENDER THREADS 1");
    Await.until(Duration.ofSeconds(20), () -> events(primary).size() >= 20, () -> "events on the primary");
    assertThat(primary.connectionCount()).as("one connection").isEqualTo(1);

    primary.kill();
    Await.until(Duration.ofSeconds(20), () -> events(failover1).size() >= 20, () -> "events on failover1");
    int onPrimaryBeforeItsReturn = events(primary).size();
    primary.restart();
    Await.until(Duration.ofSeconds(20), () -> events(primary).size() >= onPrimaryBeforeItsReturn + 20,
        () -> "events on the primary again, after 2 probes");
    stopAndAwaitCleanExit();

    List<String> everything = new ArrayList<>(primary.records());
    everything.addAll(failover1.records());
    assertThat(everything.stream().filter(line -> line.startsWith("Started SpringBootApp")).count())
        .as("Spring Boot's startup line, once").isEqualTo(1);
    assertThat(everything.stream().filter(line -> line.startsWith("Starting SpringBootApp")).count())
        .as("Spring Boot's first line, once").isEqualTo(1);
    // A killed collector may take what its kernel had accepted and it had not yet read (F2).
    assertNothingLostOrDuplicated(3);
  }

  private void startCollectors() throws IOException {
    primary = FakeServer.start("primary", Framing.NEWLINE);
    failover1 = FakeServer.start("failover1", Framing.NEWLINE);
  }

  /** Starts the application on a class path with {@code framework}'s logging only. */
  private void launch(String framework) throws IOException {
    List<String> excluded = framework.equals("logback")
        // Without the Log4j API, Spring's own logging (spring-jcl) goes through SLF4J to Logback.
        ? List.of("log4j-core", "log4j-api", "logfailover-log4j2", "log4j2-appender")
        : List.of("logback-classic", "logback-core", "logfailover-logback", "logback-appender");
    String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> excluded.stream().noneMatch(entry::contains)).collect(Collectors.joining(File.pathSeparator));
    String configuration = framework.equals("logback") ? "logback-spring.xml" : "log4j2-spring.xml";
    output = directory.resolve("application.log");
    application = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dapp.framework=" + framework, "-cp", classPath, SpringBootApp.class.getName(),
        "--logging.config=classpath:springboot/" + configuration,
        "--collector.primary-port=" + primary.port(), "--collector.failover-port=" + failover1.port())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }

  private void awaitStarted() {
    Await.until(Duration.ofSeconds(60), () -> read(output).contains("SENDER THREADS") || !application.isAlive(),
        () -> "the application to start; its output:\n" + read(output));
    assertThat(read(output)).as("started, its output:\n" + read(output)).contains("APPLICATION STARTED")
        .doesNotContain("Logging system failed to initialize");
  }

  private void stopAndAwaitCleanExit() throws Exception {
    try (OutputStream commands = application.getOutputStream()) {
      commands.write("stop\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(application.waitFor(30, TimeUnit.SECONDS)).as("a clean exit").isTrue();
    assertThat(application.exitValue()).as(read(output)).isZero();
  }

  /**
   * Every event up to the last one logged (which the exit flushed) arrived once, over both
   * servers; at most {@code mayBeLost} missing.
   */
  private void assertNothingLostOrDuplicated(int mayBeLost) {
    Map<Integer, Integer> seen = new HashMap<>();
    Stream.concat(events(primary).stream(), events(failover1).stream())
        .forEach(event -> seen.merge(event, 1, Integer::sum));
    assertThat(seen.values()).as("no event twice").allMatch(count -> count == 1);
    int last = seen.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
    assertThat(last).as("events arrived").isPositive();
    assertThat(last + 1 - seen.size()).as("events missing up to the last one").isLessThanOrEqualTo(mayBeLost);
  }

  private static List<Integer> events(FakeServer server) {
    List<Integer> numbers = new ArrayList<>();
    for (String record : server.records()) {
      Matcher matcher = EVENT.matcher(record);
      if (matcher.matches()) {
        numbers.add(Integer.parseInt(matcher.group(1)));
      }
    }
    return numbers;
  }

  private static String read(Path file) {
    try {
      return file != null && Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
