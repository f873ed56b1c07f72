package dev.logfailover.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.logfailover.FailoverStatus;
import dev.logfailover.Framing;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The durable spill (SPEC F17) end to end through real configuration files, written once and run
 * against both appenders: collectors are {@link FakeServer}s on loopback that refuse while down.
 */
abstract class SpillBehaviourTest {
  @TempDir Path spillDirectory;
  private final List<FakeServer> servers = new ArrayList<>();
  private AppenderDriver driver;
  private Process otherProcess;

  abstract AppenderDriver newDriver();

  /** The appender's name in the driver's configuration: the spill's sub-directory. */
  abstract String appenderName();

  @AfterEach
  void tearDown() throws Exception {
    if (driver != null) {
      driver.close();
    }
    servers.forEach(FakeServer::close);
    if (otherProcess != null) {
      otherProcess.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private FakeServer collector(String name) throws Exception {
    FakeServer server = FakeServer.start(name, Framing.NEWLINE);
    servers.add(server);
    return server;
  }

  private AppenderDriver start(Setup setup) throws Exception {
    driver = newDriver();
    driver.start(setup);
    return driver;
  }

  private Setup spilling(FakeServer primary, FakeServer... failovers) {
    Setup setup = new Setup("127.0.0.1", primary.port()).option("spillDirectory", spillDirectory.toString());
    for (FakeServer failover : failovers) {
      setup.server(failover.hostAndPort());
    }
    return setup;
  }

  private static List<String> events(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "event " + i).toList();
  }

  private List<Path> segments() {
    try (Stream<Path> files = Files.walk(spillDirectory)) {
      return files.filter(file -> file.toString().endsWith(".seg")).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0} logging thread(s)")
  @ValueSource(ints = {1, 2})
  void F17_everyServerDownThirtyThousandEventsInATightLoopBehindAQueueOf1000AreAllKeptThenArriveInOrderOnce(
      int threads) throws Exception {
    FakeServer primary = collector("primary");
    FakeServer failover1 = collector("failover1");
    primary.stop();
    failover1.stop();
    start(spilling(primary, failover1).option("queueSize", "1000"));
    int perThread = 30_000 / threads;
    List<Thread> loggers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String thread = "t" + t;
      loggers.add(new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          driver.log(thread + " " + i);
        }
      }));
    }
    loggers.forEach(Thread::start);
    for (Thread logger : loggers) {
      logger.join(TimeUnit.MINUTES.toMillis(1));
    }
    Await.until(() -> driver.status().spilledEvents() + driver.status().queuedEvents() == 30_000,
        () -> "all 30000 held; status " + driver.status());
    FailoverStatus down = driver.status();
    assertThat(down.eventsDropped()).as(down.toString()).isZero();
    assertThat(down.oldestSpilledAge()).isPositive();

    primary.restart();
    failover1.restart();
    Await.until(() -> primary.recordCount() + failover1.recordCount() >= 30_000,
        () -> "30000 received; primary " + primary.recordCount() + ", failover1 " + failover1.recordCount()
            + "; status " + driver.status());
    List<String> received = new ArrayList<>(primary.records());
    received.addAll(failover1.records());
    assertThat(received).as("every event once").hasSize(30_000).doesNotHaveDuplicates();
    for (int t = 0; t < threads; t++) {
      String thread = "t" + t + " ";
      assertThat(received.stream().filter(record -> record.startsWith(thread)).toList()).as("%sin order", thread)
          .containsExactlyElementsOf(IntStream.range(0, perThread).mapToObj(i -> thread + i).toList());
    }
    Await.until(() -> segments().isEmpty(), () -> "segments deleted once sent");
    assertThat(driver.status().eventsDropped()).isZero();
  }

  @RepeatedTest(value = 10, name = "run {currentRepetition} of {totalRepetitions}")
  void F17_aReloadWithTwentyThousandEventsOfOneKibWaitingWithSpillSyncAlwaysDeliversEveryOneOnceCountingNone()
      throws Exception {
    FakeServer primary = collector("primary");
    primary.stop();
    Setup setup = spilling(primary).option("spillSync", "always");
    start(setup);
    String padding = " " + "k".repeat(1000);
    for (int i = 0; i < 20_000; i++) {
      driver.log("event " + i + padding);
    }
    driver.reload(setup);
    primary.restart();
    Await.until(() -> primary.recordCount() >= 20_000, () -> "20000 received, has " + primary.recordCount()
        + "; status " + driver.status() + "; problems " + driver.problems());
    assertThat(primary.records()).containsExactlyElementsOf(
        IntStream.range(0, 20_000).mapToObj(i -> "event " + i + padding).toList());
    assertThat(driver.replacedStatuses()).allSatisfy(replaced -> assertThat(replaced.eventsDropped()).isZero());
    assertThat(driver.status().eventsDropped()).isZero();
    assertThat(driver.problems()).noneMatch(problem -> problem.contains("Dropped"));
  }

  @Test
  void F17_aCorruptLastRecordIsSkippedAndReportedWithItsSizeAndEverythingBeforeItArrives() throws Exception {
    FakeServer primary = collector("primary");
    primary.stop();
    start(spilling(primary).option("shutdownTimeout", "200ms"));
    for (int i = 0; i < 1_000; i++) {
      driver.log("event " + i);
    }
    Await.until(() -> driver.status().spilledEvents() + driver.status().queuedEvents() == 1_000,
        () -> "held; " + driver.status());
    driver.shutdown();
    assertThat(driver.status().eventsDropped()).as("kept in the spill, not dropped").isZero();
    driver.close();
    List<Path> segments = segments();
    Path last = segments.get(segments.size() - 1);
    try (FileChannel channel = FileChannel.open(last, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap("#".getBytes(StandardCharsets.US_ASCII)), Files.size(last) - 3);
    }

    primary.restart();
    start(spilling(primary));
    primary.awaitRecords(999);
    assertThat(primary.records()).containsExactlyElementsOf(events(0, 999));
    assertThat(driver.problems()).anyMatch(problem -> problem.contains("Skipped the last")
        && problem.contains(" bytes of spill segment " + last) && problem.contains("a checksum mismatch"));
  }

  @Test
  void F17_aSecondProcessOnTheSameDirectoryRunsWithoutASpillAndSaysWhy() throws Exception {
    int refusedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      refusedPort = socket.getLocalPort();
    }
    otherProcess = SpillApp.command(spillDirectory, refusedPort, "none", 10, appenderName()).start();
    BufferedReader lines = new BufferedReader(new InputStreamReader(otherProcess.getInputStream(),
        StandardCharsets.UTF_8));
    String started = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      String line;
      do {
        line = lines.readLine();
      } while (line != null && !line.equals("STARTED"));
      return line;
    });
    assertThat(started).as("the other process holds the spill").isEqualTo("STARTED");

    FakeServer primary = collector("primary");
    start(spilling(primary));
    assertThat(driver.problems()).anyMatch(problem -> problem.contains("is not used")
        && problem.contains("in use by another process or appender"));
    driver.log("event 0");
    primary.awaitRecords(1);
    assertThat(driver.status().spilledEvents()).isZero();
  }
}
