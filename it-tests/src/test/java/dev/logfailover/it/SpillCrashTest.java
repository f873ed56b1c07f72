package dev.logfailover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.logfailover.Framing;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * F17 against a crash: a child JVM ({@link SpillApp}) spills with every server down and is killed
 * with SIGKILL; the next start (here, Logback through {@link LogbackDriver}, on the same directory
 * and appender name) sends what the spill held. Asserted: what arrives is a prefix of what was
 * logged, in order, without a gap or a copy, and holds at least every event the child had reported
 * as spilled before the kill. What is lost is what was still in memory (the queue) at the kill.
 */
class SpillCrashTest {
  private static final Pattern REPORT = Pattern.compile("LOGGED=(\\d+) SPILLED=(\\d+) DROPPED=(\\d+)");
  @TempDir Path directory;
  private Process child;
  private FakeServer collector;
  private LogbackDriver driver;

  @AfterEach
  void tearDown() throws Exception {
    if (child != null) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (driver != null) {
      driver.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  /** The child's last report before {@code until} held: {logged, spilled, dropped}. */
  private long[] runChildUntil(String spillSync, long limit, java.util.function.Predicate<long[]> until,
      boolean awaitAllSpilled) throws Exception {
    int refusedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      refusedPort = socket.getLocalPort();
    }
    child = SpillApp.command(directory, refusedPort, spillSync, limit, "COLLECTORS").start();
    StringBuilder output = new StringBuilder();
    BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    long[] last = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      long[] latest = {0, 0, 0};
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        output.append(line).append('\n');
        Matcher report = REPORT.matcher(line);
        if (report.find()) {
          latest = new long[] {Long.parseLong(report.group(1)), Long.parseLong(report.group(2)),
              Long.parseLong(report.group(3))};
          if (!awaitAllSpilled && until.test(latest)) {
            return latest;
          }
        }
        if (awaitAllSpilled && line.equals("ALL SPILLED")) {
          return latest;
        }
      }
      throw new AssertionError("the child ended early:\n" + output);
    }, () -> "the child's reports:\n" + output);
    // SIGKILL: nothing of the child runs after this, no shutdown hook, no flush.
    child.destroyForcibly();
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(last[2]).as("the child dropped nothing:\n" + output).isZero();
    return last;
  }

  /** Starts Logback on the same spill with a live collector; returns what arrived once all is sent. */
  private List<String> recover(long atLeast) throws Exception {
    collector = FakeServer.start("collector", Framing.NEWLINE);
    driver = new LogbackDriver();
    driver.start(new Setup("127.0.0.1", collector.port()).option("spillDirectory", directory.toString()));
    Await.until(() -> collector.recordCount() >= atLeast && driver.status().spilledEvents() == 0
        && driver.status().queuedEvents() == 0, () -> "the spill sent; received " + collector.recordCount()
        + "; status " + driver.status() + "; problems " + driver.problems());
    return collector.records();
  }

  private static List<String> events(long count) {
    return IntStream.range(0, (int) count).mapToObj(i -> "event " + i).toList();
  }

  @ParameterizedTest(name = "spillSync {0}")
  @ValueSource(strings = {"none", "always"})
  void F17_aChildKilledInTheMiddleOfSpillingHasItsSpillSentAtTheNextStart(String spillSync) throws Exception {
    long[] atKill = runChildUntil(spillSync, Long.MAX_VALUE, report -> report[1] >= 20_000, false);

    List<String> received = recover(atKill[1]);
    assertThat(received).as("a prefix of what was logged, in order, no gap, no copy")
        .containsExactlyElementsOf(events(received.size()));
    assertThat((long) received.size()).as("at least every event reported spilled before the kill")
        .isGreaterThanOrEqualTo(atKill[1]);
    System.out.printf("Spill crash (spillSync %s): the last report before SIGKILL said logged %d, spilled %d; after"
        + " the restart %d arrived in order (what the child logged between that report and the kill is all that"
        + " could be lost)%n", spillSync, atKill[0], atKill[1], received.size());
  }

  @Test
  void F17_withSpillSyncAlwaysAChildKilledAfterSpillingLosesNothing() throws Exception {
    long[] atKill = runChildUntil("always", 20_000, report -> false, true);
    assertThat(atKill[1]).isEqualTo(20_000);

    assertThat(recover(20_000)).containsExactlyElementsOf(events(20_000));
  }
}
