package dev.logfailover.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.FailoverConfig;
import dev.logfailover.FailoverStatus;
import dev.logfailover.OverflowPolicy;
import dev.logfailover.SpillSettings;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FaultyDisk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * F17 when it counts: a burst far faster than any writer thread, a full spill under {@code block},
 * a disk that fills up, a spill that cannot be read, a flush that hangs, and a stop while the disk
 * is slow. Faults come through {@link FaultyDisk}; time through the fixture's fake clock.
 */
class SpillUnderPressureTest {
  @TempDir Path spillDirectory;
  private final FaultyDisk disk = new FaultyDisk();
  private SenderFixture fixture;

  @AfterEach
  void tearDown() {
    disk.flushFreely();
    if (fixture != null) {
      fixture.close();
    }
  }

  /** Every server down, a spill behind a queue of {@code queueSize}, {@code overflowPolicy drop}. */
  private FailoverConfig.Builder allDownSpilling(int queueSize) throws Exception {
    fixture = new SenderFixture(1);
    fixture.spillIo = disk;
    fixture.server(0).stop();
    FailoverConfig.Builder builder = fixture.config().queueSize(queueSize).overflowPolicy(OverflowPolicy.DROP);
    builder.spill().directory(spillDirectory);
    return builder;
  }

  private static byte[] event(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> numbered(int from, int count) {
    List<String> names = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      names.add("event-" + i);
    }
    return names;
  }

  private FailoverStatus status() {
    return fixture.sender.status();
  }

  private void primaryBackUntil(int count) throws Exception {
    fixture.server(0).restart();
    fixture.advanceUntil(Duration.ofMillis(100), () -> fixture.server(0).recordCount() >= count,
        count + " records at the primary, has " + fixture.server(0).recordCount() + "; status " + status());
  }

  /** Each delivered record once, and each logging thread's records in the order it logged them. */
  private static void assertOnceAndInOrderPerThread(List<String> delivered) {
    assertThat(new HashSet<>(delivered)).as("no duplicates").hasSize(delivered.size());
    java.util.Map<String, Integer> last = new java.util.HashMap<>();
    for (String record : delivered) {
      String[] parts = record.split("-");
      int number = Integer.parseInt(parts[1]);
      Integer before = last.put(parts[0], number);
      assertThat(before == null || before < number).as("%s after %s-%s", record, parts[0], before).isTrue();
    }
  }

  @ParameterizedTest(name = "{0} logging thread(s)")
  @ValueSource(ints = {1, 2})
  void aBurstOfThirtyQueuesWorthInATightLoopWithEveryServerDownIsSpilledWholeNothingDroppedAllDeliveredInOrder(
      int threads) throws Exception {
    fixture = null;
    fixture = startedWith(allDownSpilling(1_000).build());
    int perThread = 30_000 / threads;
    List<Thread> loggers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String name = "t" + t;
      loggers.add(new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          fixture.sender.send(event(name + "-" + i));
        }
      }));
    }
    loggers.forEach(Thread::start);
    for (Thread logger : loggers) {
      logger.join(TimeUnit.SECONDS.toMillis(60));
    }
    Await.until(() -> status().spilledEvents() + status().queuedEvents() == 30_000,
        () -> "all 30000 held; status " + status());
    assertThat(status().eventsDropped()).as("dropped").isZero();

    primaryBackUntil(30_000);
    List<String> delivered = fixture.server(0).records();
    assertThat(delivered).hasSize(30_000);
    assertOnceAndInOrderPerThread(delivered);
  }

  /** The smallest spill (64 KiB, some 2,500 short events) behind a queue of 100, every server down. */
  private FailoverConfig smallSpillBehindAQueueOf100() throws Exception {
    FailoverConfig.Builder builder = allDownSpilling(100);
    builder.spill().maxSize(64 << 10);
    return builder.build();
  }

  private SenderFixture startedWith(FailoverConfig config) {
    fixture.start(config);
    return fixture;
  }

  @Test
  void underBlockWithTheSpillFullCallersWaitUpToMaxBlockAndWhatTheSpillCannotTakeStaysInMemory() throws Exception {
    FailoverConfig.Builder builder = allDownSpilling(100).overflowPolicy(OverflowPolicy.BLOCK)
        .maxBlock(Duration.ofMillis(100));
    builder.spill().maxSize(64 << 10);
    startedWith(builder.build());
    int logged = 2_800; // The spill holds about 2,560 of them, the queue 100: some 140 find no room.
    CompletableFuture<Void> logging = CompletableFuture.runAsync(() -> fixture.sendEvents(logged));
    Await.until(() -> status().queuedEvents() == 100 && status().spilledEvents() > 1_000,
        () -> "the spill full and the queue behind it; status " + status());
    assertThat(logging).as("the caller waits for room").isNotDone();
    assertThat(status().eventsDropped()).as("nothing dropped before maxBlock").isZero();

    fixture.advanceUntil(Duration.ofMillis(100), logging::isDone, "the caller gives up after maxBlock each time");
    FailoverStatus full = status();
    assertThat(full.queuedEvents()).as("the queue still holds what the spill cannot take").isEqualTo(100);
    assertThat(full.eventsDropped() + full.spilledEvents() + full.queuedEvents()).isEqualTo(logged);
    int kept = (int) (full.spilledEvents() + full.queuedEvents());
    primaryBackUntil(kept);
    assertThat(fixture.server(0).records()).isEqualTo(numbered(0, kept));
  }

  @Test
  void aDiskThatFillsUpDropsOnlyWhatCouldNotBeWrittenCountedAndTheSpillResumesOnceThereIsRoom() throws Exception {
    startedWith(allDownSpilling(1_000).build());
    disk.fillUpAfter(200_000); // About 6,000 events of ~20 bytes.
    fixture.sendEvents(20_000);
    Await.until(() -> disk.failedWrites() > 0 && status().eventsDropped() + status().spilledEvents()
        + status().queuedEvents() == 20_000, () -> "the disk full, every event accounted for; status " + status());
    assertThat(status().eventsDropped()).as("dropped for the full disk").isPositive();

    disk.makeRoom();
    fixture.advanceUntil(Duration.ofMillis(200), () -> status().queuedEvents() == 0,
        "the writer tries again a second later and moves the queue; status " + status());
    fixture.sendEvents(5_000);
    Await.until(() -> status().eventsDropped() + status().spilledEvents() + status().queuedEvents() == 25_000,
        () -> "accounted; status " + status());
    long dropped = status().eventsDropped();
    primaryBackUntil(25_000 - (int) dropped);
    List<String> delivered = fixture.server(0).records();
    assertThat(delivered).as("delivered + dropped = logged").hasSize(25_000 - (int) dropped);
    assertOnceAndInOrderPerThread(delivered);
    assertThat(delivered.subList(delivered.size() - 5_000, delivered.size())).isEqualTo(numbered(20_000, 5_000));
  }

  @Test
  void aSpillThatCannotBeReadHoldsDeliveryBackInOrderAndResumesWhenItCan() throws Exception {
    startedWith(allDownSpilling(1_000).build());
    fixture.sendEvents(3_000);
    Await.until(() -> status().spilledEvents() == 3_000, () -> "spilled; status " + status());
    disk.failReads(true);
    fixture.server(0).restart();
    fixture.advanceUntil(Duration.ofMillis(100), () -> !fixture.listener.events("spillUnavailable").isEmpty(),
        "the failed read reported");
    fixture.sendEvents(500); // Newer than everything on disk: they must not pass it.
    fixture.ticker.advance(Duration.ofMillis(500));
    disk.failReads(false);
    fixture.advanceUntil(Duration.ofMillis(100), () -> fixture.server(0).recordCount() >= 3_500,
        "delivery resumes; status " + status());
    assertThat(fixture.server(0).records()).isEqualTo(numbered(0, 3_500));
    assertThat(status().eventsDropped()).isZero();
  }

  @Test
  void aFlushThatHangsEndsTheCallersWaitsTheyDropCountedAndTheSpillGoesOnWhenItReturns() throws Exception {
    FailoverConfig.Builder builder = allDownSpilling(100);
    builder.spill().sync(SpillSettings.Sync.ALWAYS);
    startedWith(builder.build());
    disk.holdForces();
    CompletableFuture<Void> logging = CompletableFuture.runAsync(() -> fixture.sendEvents(2_000));
    Await.until(() -> disk.forcesWaiting() == 1 && status().queuedEvents() == 100,
        () -> "the writer waits for its flush and the queue is full; status " + status());
    assertThat(logging).as("the caller waits for a writer that is still within its bound").isNotDone();

    fixture.ticker.advance(Duration.ofNanos(SpillWriter.STALLED_WRITE_NANOS).plusMillis(1));
    logging.get(30, TimeUnit.SECONDS);
    assertThat(status().eventsDropped()).as("dropped while the disk hung").isPositive();

    disk.flushFreely();
    Await.until(() -> status().eventsDropped() + status().spilledEvents() + status().queuedEvents() == 2_000,
        () -> "accounted; status " + status());
    fixture.sendEvents(1_000);
    Await.until(() -> status().spilledEvents() + status().queuedEvents() == 3_000 - status().eventsDropped(),
        () -> "the spill takes the next ones; status " + status());
  }

  @Test
  void withASpillStopReturnsWithinShutdownTimeoutWhileTheDiskHangsAndWhatItHeldIsKeptForTheNextStart()
      throws Exception {
    FailoverConfig.Builder builder = allDownSpilling(1_000).shutdownTimeout(Duration.ofMillis(500));
    builder.spill().sync(SpillSettings.Sync.ALWAYS);
    FailoverConfig config = builder.build();
    startedWith(config);
    fixture.sendEvents(500);
    Await.until(() -> status().spilledEvents() == 500, () -> "spilled; status " + status());
    disk.holdForces();
    fixture.sendEvents(300);
    Await.until(() -> disk.forcesWaiting() == 1, () -> "the writer waits for its flush");

    long before = System.nanoTime();
    fixture.sender.stop();
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
    assertThat(tookMillis).as("stop() within shutdownTimeout (500 ms), and a margin for a busy machine")
        .isLessThan(1_500);

    disk.flushFreely();
    Await.until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(thread -> thread.getName().startsWith("logfailover-sender-")), () -> "the sender kept its spill");
    assertThat(status().eventsDropped()).isZero();
    fixture.sender = fixture.newEngine(config, fixture.scheduler);
    fixture.sender.start();
    primaryBackUntil(800);
    assertThat(fixture.server(0).records()).isEqualTo(numbered(0, 800));
  }

  @Test
  void aSpillThatWasFullTakesEventsAgainInTheNextOutageOnceItsEventsWereSent() throws Exception {
    startedWith(smallSpillBehindAQueueOf100());
    fixture.sendEvents(5_000);
    Await.until(() -> status().eventsDropped() + status().spilledEvents() + status().queuedEvents() == 5_000,
        () -> "the spill full; status " + status());
    long dropped = status().eventsDropped();
    assertThat(dropped).isPositive();
    primaryBackUntil(5_000 - (int) dropped);
    Await.until(() -> status().spilledEvents() == 0, () -> "all sent; status " + status());

    fixture.server(0).stop();
    fixture.advanceUntil(Duration.ofMillis(100), () -> !fixture.listener.events("connectionLost").isEmpty(),
        "the outage noticed");
    fixture.sendEvents(1_000);
    Await.until(() -> status().spilledEvents() + status().queuedEvents() == 1_000 || status().eventsDropped() > dropped,
        () -> "the second outage held; status " + status());
    assertThat(status().eventsDropped()).as("nothing more dropped: the spill takes events again").isEqualTo(dropped);
  }

  @Test
  void anEventLargerThanTheWholeSpillIsDroppedCountedAndTheSpillGoesOn() throws Exception {
    startedWith(smallSpillBehindAQueueOf100());
    fixture.sendEvents(10);
    Await.until(() -> status().spilledEvents() == 10, () -> "spilled; status " + status());
    fixture.sender.send(("big " + "b".repeat(100_000)).getBytes(StandardCharsets.UTF_8));
    fixture.sendEvents(1_000);
    Await.until(() -> status().spilledEvents() + status().queuedEvents() == 1_010,
        () -> "the small ones held; status " + status());
    assertThat(status().eventsDropped()).isEqualTo(1);
    fixture.advanceUntil(Duration.ofMillis(100), () -> fixture.listener.droppedTotal() == 1, "the drop reported");
    assertThat(fixture.listener.events("eventsDropped"))
        .containsExactly("eventsDropped 1 (an event larger than the spill can hold (maxSpillSize))");
  }

  @Test
  void aWriteThatBreaksWithAnUncheckedErrorCostsItsBatchCountedAndTheWriterGoesOn() throws Exception {
    startedWith(allDownSpilling(1_000).build());
    disk.breakWrites(true);
    fixture.sendEvents(600); // Past half the queue: the writer moves them, and the write breaks.
    Await.until(() -> status().eventsDropped() > 0, () -> "the broken batch counted; status " + status());
    long dropped = status().eventsDropped();
    disk.breakWrites(false);
    fixture.sendEvents(600);
    fixture.advanceUntil(Duration.ofMillis(200), () -> status().spilledEvents() + status().eventsDropped() == 1_200,
        "the writer goes on a second later; status " + status());
    assertThat(status().eventsDropped()).as("only the broken batch").isEqualTo(dropped);
    assertThat(fixture.listener.events("eventsDropped")).allMatch(event -> event.contains("the spill's writer failed")
        || event.contains("could not be written"), fixture.listener.describe());
  }
}
