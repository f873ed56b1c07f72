package dev.logfailover.internal.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logfailover.FailoverConfig;
import dev.logfailover.FailoverStatus;
import dev.logfailover.OverflowPolicy;
import dev.logfailover.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** F17 through the engine: what the queue cannot hold goes to disk and comes back in order, once. */
class SpillEngineTest {
  @TempDir Path spillDirectory;
  private SenderFixture fixture;

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
  }

  /**
   * A spill behind a small queue. The tests log in a tight loop, faster than any disk: {@code block}
   * makes them wait for the spill's writer instead of dropping what the queue cannot hold meanwhile.
   */
  private FailoverConfig.Builder spilling(int queueSize) {
    FailoverConfig.Builder builder = fixture.config().queueSize(queueSize)
        .overflowPolicy(OverflowPolicy.BLOCK).maxBlock(Duration.ofSeconds(10));
    builder.spill().directory(spillDirectory);
    return builder;
  }

  private static List<String> numbered(int from, int count) {
    List<String> names = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      names.add("event-" + i);
    }
    return names;
  }

  private long segmentFiles() {
    try (Stream<Path> files = Files.walk(spillDirectory)) {
      return files.filter(file -> file.toString().endsWith(".seg")).count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String threads() {
    StringBuilder dump = new StringBuilder();
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      if (thread.getName().startsWith("logfailover")) {
        dump.append("\nTHREAD ").append(thread.getName());
        for (StackTraceElement frame : stack) {
          dump.append("\n   ").append(frame);
        }
      }
    });
    return dump.toString();
  }

  /** Brings the stopped primary back and lets the fake clock run until {@code count} records arrived. */
  private void primaryBackUntil(int count) throws IOException {
    fixture.server(0).restart();
    fixture.advanceUntil(Duration.ofMillis(100), () -> fixture.server(0).recordCount() >= count,
        count + " records at the primary, has " + fixture.server(0).recordCount() + "; status " + fixture.sender.status()
        + "; events " + fixture.listener.describe() + threads());
  }

  @Test
  void F17_everyServerDownWhileTwentyQueuesWorthAreLoggedThenBackEveryEventArrivesInOrderOnceAndTheSpillEmpties()
      throws Exception {
    fixture = new SenderFixture(1);
    fixture.server(0).stop();
    fixture.start(spilling(1000).build());

    fixture.sendEvents(20_000);
    Await.until(() -> fixture.sender.status().spilledEvents() + fixture.sender.status().queuedEvents() == 20_000,
        () -> "all 20000 held; status " + fixture.sender.status());
    FailoverStatus whileDown = fixture.sender.status();
    assertEquals(0, whileDown.eventsDropped(), whileDown.toString());
    assertTrue(whileDown.spilledEvents() >= 19_000, whileDown.toString());
    assertTrue(whileDown.spilledBytes() > 19_000 * 20, whileDown.toString());
    assertTrue(segmentFiles() > 0);

    primaryBackUntil(20_000);
    assertEquals(numbered(0, 20_000), fixture.server(0).records());
    Await.until(() -> fixture.sender.status().spilledEvents() == 0, () -> "spill confirmed; " + fixture.sender.status());
    Await.until(() -> segmentFiles() == 0, () -> "every segment deleted once sent");
    assertEquals(0, fixture.sender.status().eventsDropped());
    assertEquals(20_000, fixture.sender.status().eventsSent());
  }

  @Test
  void F17_eventsLoggedAfterTheSpillBeganAndWhileItDrainsStillArriveAfterEverySpilledOne() throws Exception {
    fixture = new SenderFixture(1);
    fixture.server(0).stop();
    fixture.start(spilling(500).build());
    fixture.sendEvents(5_000);
    Await.until(() -> fixture.sender.status().spilledEvents() > 4_000, () -> "spilled; " + fixture.sender.status());
    fixture.server(0).restart();
    fixture.sendEvents(5_000); // While the sender reconnects and reads the spill back.
    fixture.advanceUntil(Duration.ofMillis(100), () -> fixture.server(0).recordCount() >= 10_000,
        "10000 records; status " + fixture.sender.status());
    assertEquals(numbered(0, 10_000), fixture.server(0).records());
  }

  @Test
  void F17_aStopWithEveryServerDownKeepsTheEventsOnDiskAndTheNextStartSendsThemFirstInOrder() throws Exception {
    fixture = new SenderFixture(1);
    fixture.server(0).stop();
    FailoverConfig config = spilling(1000).shutdownTimeout(Duration.ZERO).build();
    fixture.start(config);
    fixture.sendEvents(3_000);
    Await.until(() -> fixture.sender.status().spilledEvents() + fixture.sender.status().queuedEvents() == 3_000,
        () -> "held; " + fixture.sender.status());
    fixture.sender.stop();
    // stop() returns at shutdownTimeout (0 here); the sender keeps the spill on disk in the background.
    Await.until(() -> !fixture.listener.events("spillKept").isEmpty(), () -> "kept; " + fixture.listener.describe());
    assertEquals(0, fixture.sender.status().eventsDropped(), fixture.sender.status() + "; " + fixture.listener.describe());
    assertEquals(List.of("spillKept 3000"), fixture.listener.events("spillKept"));

    Engine next = fixture.newEngine(spilling(1000).build(), fixture.scheduler);
    fixture.sender = next;
    next.start();
    assertEquals(List.of("spillRecovered 3000"), fixture.listener.events("spillRecovered"));
    fixture.sendEvents(10);
    primaryBackUntil(3_010);
    assertEquals(numbered(0, 3_010), fixture.server(0).records());
  }

  @Test
  void F17_aFullSpillKeepsTheOldestAndCountsTheNewestWithItsReason() throws Exception {
    fixture = new SenderFixture(1);
    fixture.server(0).stop();
    FailoverConfig.Builder builder = spilling(100).overflowPolicy(OverflowPolicy.DROP);
    builder.spill().maxSize(64 << 10);
    fixture.start(builder.build());
    fixture.sendEvents(10_000);
    Await.until(() -> fixture.sender.status().eventsDropped() + fixture.sender.status().spilledEvents()
        + fixture.sender.status().queuedEvents() == 10_000, () -> "accounted; " + fixture.sender.status());
    FailoverStatus full = fixture.sender.status();
    assertTrue(full.eventsDropped() > 5_000, full.toString());
    assertEquals(100, full.queuedEvents(), "what the spill cannot take waits in memory: " + full);
    assertTrue(full.spilledBytes() <= 64 << 10, full.toString());
    // The sender reports drops between its attempts, which wait on the fake clock.
    fixture.advanceUntil(Duration.ofMillis(100), () -> fixture.listener.droppedTotal() == full.eventsDropped(),
        "drops reported");
    assertTrue(fixture.listener.events("eventsDropped").stream()
        .allMatch(event -> event.endsWith("(" + Spill.FULL + ")")), fixture.listener.describe());

    int kept = (int) (full.spilledEvents() + full.queuedEvents());
    primaryBackUntil(kept);
    assertEquals(numbered(0, kept), fixture.server(0).records(), "the oldest are kept");
  }

  @Test
  void F17_aSecondEngineOnTheSameDirectoryRunsWithoutASpillAndSaysWhy() throws Exception {
    fixture = new SenderFixture(1);
    fixture.start(spilling(1000).build());
    Engine second = fixture.newEngine(spilling(1000).build(), fixture.scheduler);
    try {
      second.start();
      List<String> refused = fixture.listener.events("spillUnavailable");
      assertEquals(1, refused.size(), fixture.listener.describe());
      assertTrue(refused.get(0).contains("in use by another process or appender"), refused.get(0));
      second.send("to the second".getBytes(StandardCharsets.UTF_8));
      fixture.awaitRecords(0, 1);
      assertEquals(0, second.status().spilledEvents());
    } finally {
      second.stop();
    }
  }

  @Test
  void F17_aHandOffLeavesTheBacklogInTheSpillAndTheSuccessorOnTheSameDirectorySendsItFirst() throws Exception {
    fixture = new SenderFixture(1);
    fixture.server(0).stop();
    fixture.start(spilling(1000).build());
    fixture.sendEvents(3_000);
    Await.until(() -> fixture.sender.status().spilledEvents() + fixture.sender.status().queuedEvents() == 3_000,
        () -> "held; " + fixture.sender.status());

    Engine successor = fixture.newEngine(spilling(1000).build(), fixture.scheduler);
    List<byte[]> handed = fixture.sender.handOff();
    assertEquals(List.of(), handed, "the predecessor kept its backlog in the spill");
    assertEquals(0, fixture.sender.status().eventsDropped());
    successor.carryOver(handed);
    fixture.sender = successor;
    successor.start();
    assertEquals(List.of("spillRecovered 3000"), fixture.listener.events("spillRecovered"));
    fixture.sendEvents(10);
    primaryBackUntil(3_010);
    assertEquals(numbered(0, 3_010), fixture.server(0).records());
  }
}
