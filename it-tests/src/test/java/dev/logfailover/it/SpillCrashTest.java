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
import java.util.concurrent.locks.LockSupport;
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
  private static final Pattern REPORT = Pattern.compile("LOGGED=(\\d+) SPILLED=(\\d+) DROPPED=(\\d+) SENT=(\\d+)");
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

  /**
   * Runs the child against a refused port (every server down), or against {@link #collector} when
   * one is started; returns its last report before {@code until} held: {logged, spilled, dropped,
   * sent}. {@code onReport} sees each report as it comes (a test may stall the collector then).
   */
  private long[] runChildUntil(String spillSync, long limit, java.util.function.Predicate<long[]> until,
      boolean awaitAllSpilled) throws Exception {
    return runChildUntil(spillSync, limit, until, awaitAllSpilled, 0, report -> { });
  }

  private long[] runChildUntil(String spillSync, long limit, java.util.function.Predicate<long[]> until,
      boolean awaitAllSpilled, int padding, java.util.function.Consumer<long[]> onReport) throws Exception {
    int port;
    if (collector != null) {
      port = collector.port();
    } else {
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
    }
    child = SpillApp.command(directory, port, spillSync, limit, "COLLECTORS", padding).start();
    StringBuilder output = new StringBuilder();
    BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    long[] last = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      long[] latest = {0, 0, 0, 0};
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        output.append(line).append('\n');
        Matcher report = REPORT.matcher(line);
        if (report.find()) {
          latest = new long[] {Long.parseLong(report.group(1)), Long.parseLong(report.group(2)),
              Long.parseLong(report.group(3)), Long.parseLong(report.group(4))};
          onReport.accept(latest);
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

  /**
   * Starts Logback on the same spill with a live collector (the child's, if it had one); returns
   * what arrived, from both runs, once all is sent.
   */
  private List<String> recover(long atLeast) throws Exception {
    if (collector == null) {
      collector = FakeServer.start("collector", Framing.NEWLINE);
    }
    driver = new LogbackDriver();
    driver.start(new Setup("127.0.0.1", collector.port()).option("spillDirectory", directory.toString()));
    Await.until(() -> collector.recordCount() >= atLeast && driver.status().spilledEvents() == 0
        && driver.status().queuedEvents() == 0, () -> "the spill sent; received " + collector.recordCount()
        + "; status " + driver.status() + "; problems " + driver.problems());
    awaitCollectorDone();
    return collector.records();
  }

  /** Sent is written, not read: waits until the collector has read what the sockets still held. */
  private void awaitCollectorDone() {
    int[] last = {-1};
    Await.until(() -> {
      int now = collector.recordCount();
      boolean stable = now == last[0];
      last[0] = now;
      LockSupport.parkNanos(200_000_000);
      return stable;
    }, () -> "the collector to stop receiving");
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

  /**
   * SIGKILL at a random moment (of the seed) while the child is connected and sending, its
   * collector now and then pausing its reads long enough for the spill to begin. Whatever the
   * moment: every event the child had reported sent arrives, and so does every event it had on
   * disk; what is lost is at most what it held in memory (the queue, 8192, and the batch in hand,
   * 1024); none arrives more than twice (a crash resends what the first segment had sent since the
   * last clean stop); and the restarted appender's own arrivals are in order.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void F17_aChildKilledAtARandomMomentWhileSendingWithASpillLosesNothingItHadSentOrSpilled(long seed)
      throws Exception {
    java.util.Random random = new java.util.Random(seed);
    collector = FakeServer.start("collector", Framing.NEWLINE);
    long killAt = 5_000 + random.nextInt(40_000);
    java.util.concurrent.atomic.AtomicBoolean paused = new java.util.concurrent.atomic.AtomicBoolean();
    // Events of ~1 KB, 20 MB/s: a pause fills the kernel's buffers, then half the queue, and the spill begins.
    long[] atKill = runChildUntil("none", Long.MAX_VALUE, report -> report[0] >= killAt, false, 1_000, report -> {
      // At each report (every 20 ms): now and then the collector stops reading, for 0.5 s on average,
      // long enough at 20,000 events/s to fill half the queue and start the spill.
      if (!paused.get() && random.nextInt(8) == 0) {
        paused.set(true);
        collector.pauseReading();
      } else if (paused.get() && random.nextInt(25) == 0) {
        paused.set(false);
        collector.resumeReading();
      }
    });
    collector.resumeReading();
    awaitCollectorDone(); // What the killed child's sockets held arrives before the restart.
    int beforeRestart = collector.recordCount();

    List<String> received = recover(Math.max(0, atKill[1] + atKill[3] - 1024));
    java.util.Map<Integer, Long> copies = received.stream().map(event -> Integer.parseInt(event.split(" ")[1]))
        .collect(java.util.stream.Collectors.groupingBy(event -> event, java.util.stream.Collectors.counting()));
    int distinct = copies.size();
    assertThat(copies.keySet()).as("every event reported sent before the kill").containsAll(
        IntStream.range(0, (int) atKill[3]).boxed().toList());
    // A record is counted sent a moment before its spilled copy is confirmed: one batch may count twice.
    assertThat((long) distinct).as("every event reported sent (%d) or spilled (%d) arrives; problems %s", atKill[3],
            atKill[1], driver.problems())
        .isGreaterThanOrEqualTo(atKill[3] + atKill[1] - 1024);
    int highest = copies.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
    assertThat(highest + 1 - distinct).as("lost: at most what was in memory").isLessThanOrEqualTo(8192 + 1024);
    assertThat(copies.values()).as("none more than twice").allMatch(count -> count <= 2);
    List<Integer> afterRestart = received.subList(beforeRestart, received.size()).stream()
        .map(event -> Integer.parseInt(event.split(" ")[1])).toList();
    assertThat(afterRestart).as("the restarted appender's arrivals in order").isSorted();
    System.out.printf("Spill crash while sending (seed %d): killed at logged %d, sent %d, spilled %d; %d distinct"
        + " arrived (highest %d), %d twice%n", seed, atKill[0], atKill[3], atKill[1], distinct, highest,
        received.size() - distinct);
  }

  @Test
  void F17_withSpillSyncAlwaysAChildKilledAfterSpillingLosesNothing() throws Exception {
    long[] atKill = runChildUntil("always", 20_000, report -> false, true);
    assertThat(atKill[1]).isEqualTo(20_000);

    assertThat(recover(20_000)).containsExactlyElementsOf(events(20_000));
  }
}
