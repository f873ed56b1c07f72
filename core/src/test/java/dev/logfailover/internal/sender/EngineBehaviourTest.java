package dev.logfailover.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Failback;
import dev.logfailover.FailoverConfig;
import dev.logfailover.OverflowPolicy;
import dev.logfailover.internal.transport.SessionFactory;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeServer;
import dev.logfailover.testing.FakeServer.Behaviour;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole engine on real loopback sockets: real connects, resets, FINs and stalls against {@link
 * FakeServer}s, with failback probes stepped by the fixture's manual scheduler and every other wait
 * (backoff, write timeouts) on the fixture's fake clock. Waits on real events are bounded polls
 * ({@link Await}); nothing sleeps.
 *
 * <p>The same rules hold whatever the transport: each subclass names one ({@link #transport()}),
 * and the engine is not told which it has.
 */
abstract class EngineBehaviourTest {
  private SenderFixture fixture;

  /** Makes the transport under test for a configuration; null for the one it names (tcp). */
  abstract Function<FailoverConfig, SessionFactory> transport();

  /** Starts {@code servers} collectors that speak the transport under test, and a sender for them. */
  SenderFixture fixture(int servers) throws IOException {
    return new SenderFixture(servers, transport());
  }

  /** Makes {@code server} stop taking events while its connection stays open. */
  void stall(FakeServer server) {
    server.behave(Behaviour.STALL);
  }

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static List<Integer> numbers(List<String> records) {
    return records.stream().map(SenderFixture::number).toList();
  }

  /**
   * Every event 0..n-1 arrived, over all servers, each in order at its server, and no more copies
   * than the engine counted as resent (none over tcp).
   */
  private void assertAllArrivedOnceOrResent(int n) {
    Await.until(() -> new HashSet<>(numbers(fixture.allRecords())).size() >= n, () -> n + " distinct records, have "
        + fixture.totalRecords() + " per connection "
        + fixture.servers.stream().map(server -> server.recordsPerConnection()).toList()
        + "; " + fixture.sender.status() + "; events " + fixture.listener.events());
    List<Integer> all = numbers(fixture.allRecords());
    assertThat(new HashSet<>(all)).containsExactlyInAnyOrderElementsOf(IntStream.range(0, n).boxed().toList());
    assertThat((long) all.size() - n).as("duplicates, at most what was counted as resent")
        .isLessThanOrEqualTo(fixture.sender.status().resent());
  }

  @Test
  void F1_theFirstConnectionGoesToThePrimary() throws Exception {
    fixture = fixture(3);
    fixture.start(fixture.config().build());
    fixture.sendEvents(10);
    fixture.awaitRecords(0, 10);
    assertThat(fixture.listener.events()).first().isEqualTo("connected primary");
    assertThat(fixture.server(1).connectionCount()).isZero();
  }

  @Test
  void F3_aWorkingConnectionIsKeptAndEventsKeepTheirOrder() throws Exception {
    fixture = fixture(2);
    fixture.start(fixture.config().queueSize(10_000).build());
    for (int burst = 0; burst < 20; burst++) {
      fixture.sendEvents(500);
    }
    fixture.awaitRecords(0, 10_000);
    assertThat(numbers(fixture.server(0).records())).isSorted().hasSize(10_000);
    assertThat(fixture.server(0).connectionCount()).isEqualTo(1);
    assertThat(fixture.server(1).connectionCount()).isZero();
  }

  @Test
  void F3_aBatchThatTakesSeveralWritesArrivesWholeWhateverTheSizesOfItsRecords() throws Exception {
    fixture = fixture(1);
    // Not started yet: the whole burst is queued, so the sender takes it as one batch of 1,024
    // records: 1,000 short ones fill a first write, then long ones need two more writes with fewer
    // records each.
    fixture.sender = fixture.newEngine(fixture.config().build(), fixture.scheduler);
    for (int i = 0; i < 1024; i++) {
      String padding = (i < 1000 ? "s" : "L").repeat(i < 1000 ? 240 : 20_000);
      fixture.sender.send(("event-" + i + " " + padding).getBytes(StandardCharsets.UTF_8));
    }
    fixture.sender.start();
    fixture.awaitRecords(0, 1024);
    assertThat(fixture.server(0).records().stream().map(record -> record.substring(0, record.indexOf(' '))))
        .containsExactlyElementsOf(IntStream.range(0, 1024).mapToObj(i -> "event-" + i).toList());
  }

  @Test
  void F9_anEmptyEventIsDroppedCountedAndReportedAndItsNeighboursArriveIntact() throws Exception {
    fixture = fixture(1);
    fixture.start(fixture.config().build());
    for (String event : new String[] {"event-0\n", "\n", "", "\r\n", "event-1\n"}) {
      fixture.sender.send(event.getBytes(StandardCharsets.UTF_8));
    }
    fixture.awaitRecords(0, 2);
    assertThat(fixture.server(0).records()).containsExactly("event-0", "event-1");
    assertThat(fixture.sender.status().eventsDropped()).isEqualTo(3);
    awaitEmptyEventsReported(3);
    // Logged alone to an idle sender, one is reported at once, not at the next event.
    fixture.sender.send(new byte[] {'\n'});
    awaitEmptyEventsReported(4);
  }

  private void awaitEmptyEventsReported(long count) {
    Await.until(() -> fixture.listener.events("eventsDropped").stream()
        .filter(event -> event.contains("the event was empty"))
        .mapToLong(event -> Long.parseLong(event.split(" ")[1])).sum() == count,
        () -> count + " empty events reported: " + fixture.listener.events());
  }

  @Test
  void F4_aRefusedPrimaryIsFollowedAtOnceByTheNextServer() throws Exception {
    fixture = fixture(2);
    fixture.server(0).stop();
    // A reconnectDelay of minutes: any wait before the switch would fail this test.
    fixture.start(fixture.config().reconnectDelay(Duration.ofMinutes(5)).maxReconnectDelay(Duration.ofMinutes(5)).build());
    fixture.sendEvents(5);
    fixture.awaitRecords(1, 5);
    assertThat(fixture.listener.events()).containsSubsequence("connectFailed primary", "connected failover1",
        "failedOver primary -> failover1");
    assertThat(fixture.listener.events("allServersDown")).isEmpty();
  }

  @Test
  void F4_afterAWholePassFailsTheClientWaitsReconnectDelayDoublingToTheCapAndResetsOnceConnected()
      throws Exception {
    fixture = fixture(2);
    fixture.server(0).stop();
    fixture.server(1).stop();
    // reconnectDelay 50 ms, maxReconnectDelay 200 ms: waits of 50, 100, 200, 200 ms of fake time.
    fixture.start(fixture.config().build());
    long passEnd = fixture.ticker.nanoTime();
    for (long waitMillis : new long[] {50, 100, 200, 200}) {
      long deadline = passEnd + Duration.ofMillis(waitMillis).toNanos();
      awaitWaitUntil(deadline);
      int attempts = fixture.listener.events("connectFailed").size();
      fixture.ticker.advance(Duration.ofMillis(waitMillis - 1));
      awaitWaitUntil(deadline);
      assertThat(fixture.listener.events("connectFailed")).as("no attempt before the wait is over")
          .hasSize(attempts);
      fixture.ticker.advance(Duration.ofMillis(1));
      passEnd = fixture.ticker.nanoTime();
      Await.until(() -> fixture.listener.events("connectFailed").size() == attempts + 2,
          () -> "one more pass over both servers; events " + fixture.listener.events());
    }
    assertThat(fixture.listener.events("allServersDown")).startsWith("allServersDown retryIn 50ms",
        "allServersDown retryIn 100ms", "allServersDown retryIn 200ms", "allServersDown retryIn 200ms");

    int acceptedBefore = fixture.server(1).connectionCount();
    fixture.server(1).restart();
    fixture.ticker.advance(Duration.ofMillis(200));
    fixture.listener.awaitEvent("connected failover1");
    fixture.server(1).awaitConnections(acceptedBefore + 1);
    fixture.server(1).kill();
    fixture.listener.awaitEvent("connectionLost failover1 SocketException");
    long lostAt = fixture.ticker.nanoTime();
    awaitWaitUntil(lostAt + Duration.ofMillis(50).toNanos());
    assertThat(fixture.listener.events("allServersDown")).as("a connection resets the doubling")
        .endsWith("allServersDown retryIn 50ms");
  }

  private void awaitWaitUntil(long deadlineNanos) {
    Await.until(() -> fixture.ticker.wasWaitedFor(deadlineNanos), () -> "a wait until "
        + (deadlineNanos - fixture.ticker.nanoTime()) / 1_000_000 + " ms from now; latest wait ends "
        + (fixture.ticker.latestDeadlineWaitedFor() - fixture.ticker.nanoTime()) / 1_000_000
        + " ms from now; events " + fixture.listener.events());
  }

  @Test
  void failsOverOnAResetWithoutLosingEventsLoggedAfterIt() throws Exception {
    fixture = fixture(2);
    fixture.start(fixture.config().build());
    fixture.sendEvents(10);
    fixture.awaitRecords(0, 10);
    fixture.awaitSent(10);
    fixture.server(0).kill();
    fixture.listener.awaitEvent("connectionLost primary SocketException");
    fixture.sendEvents(10);
    fixture.awaitRecords(1, 10);
    assertAllArrivedOnceOrResent(20);
    assertThat(numbers(fixture.server(1).records())).containsExactly(10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
  }

  @Test
  void aFinIsNoticedWhileIdleAndEventsLoggedAfterItAllReachTheNextServer() throws Exception {
    fixture = fixture(2);
    fixture.start(fixture.config().build());
    fixture.sendEvents(10);
    fixture.awaitRecords(0, 10);
    long clockBefore = fixture.ticker.nanoTime();
    fixture.server(0).closeConnections();
    // Noticed with no event being written and no timer: the idle sender sleeps on its socket.
    fixture.listener.awaitEvent("connectionLost primary EOFException");
    assertThat(fixture.ticker.nanoTime()).as("the engine's clock never moved").isEqualTo(clockBefore);
    fixture.listener.awaitEvent("connected failover1");
    fixture.sendEvents(10);
    fixture.awaitRecords(1, 10);
    assertAllArrivedOnceOrResent(20);
  }

  @Test
  void aStalledServerIsAFailureAfterWriteTimeout() throws Exception {
    fixture = fixture(2);
    stall(fixture.server(0));
    fixture.start(fixture.config().writeTimeout(Duration.ofMillis(300)).queueSize(100_000).build());
    String padding = "x".repeat(200);
    for (int i = 0; i < 50_000; i++) {
      fixture.sender.send(("event-" + i + " " + padding).getBytes());
    }
    // The writes stall in real time; the timeout runs on the engine's clock.
    fixture.advanceUntil(Duration.ofMillis(100),
        () -> !fixture.listener.events("connectionLost primary WriteTimeoutException").isEmpty(),
        "the stalled write to time out");
    Await.until(() -> fixture.sender.status().eventsSent() == 50_000,
        () -> "all 50000 sent, status: " + fixture.sender.status());
    Await.until(() -> fixture.server(1).records().stream().anyMatch(record -> record.startsWith("event-49999 ")),
        () -> "the last event at failover1");
    List<Integer> atFailover = fixture.server(1).records().stream()
        .map(record -> SenderFixture.number(record.substring(0, record.indexOf(' ')))).toList();
    assertThat(atFailover).as("the failover server gets a gap-free tail, ending with the last event")
        .isNotEmpty().last().isEqualTo(49_999);
    assertThat(atFailover).containsExactlyElementsOf(
        IntStream.range(atFailover.get(0), 50_000).boxed().toList());
    assertThat(fixture.sender.status().eventsDropped()).isZero();
  }

  @Test
  void F5_roundRobinGoesOnToEachServerAndWrapsToThePrimary() throws Exception {
    fixture = fixture(3);
    fixture.start(fixture.config().build());
    fixture.sendEvents(5);
    fixture.awaitRecords(0, 5);
    fixture.server(0).kill();
    fixture.listener.awaitEvent("connected failover1");
    fixture.sendEvents(5);
    fixture.awaitRecords(1, 5);
    fixture.server(0).restart();
    fixture.server(1).kill();
    fixture.listener.awaitEvent("connected failover2");
    fixture.sendEvents(5);
    fixture.awaitRecords(2, 5);
    fixture.server(2).kill();
    fixture.listener.awaitEvent("failedOver failover2 -> primary");
    fixture.sendEvents(5);
    fixture.awaitRecords(0, 10);
    assertAllArrivedOnceOrResent(20);
    assertThat(fixture.listener.events("failedOver")).containsExactly("failedOver primary -> failover1",
        "failedOver failover1 -> failover2", "failedOver failover2 -> primary");
  }

  @Test
  void F6e_failbackReusesTheLastProbeSocketWithoutLosingDuplicatingOrReorderingEvents() throws Exception {
    fixture = fixture(2);
    FakeServer primary = fixture.server(0);
    fixture.start(fixture.config().failback(Failback.of(3, Duration.ofSeconds(10))).queueSize(20_000).build());
    fixture.sendEvents(10);
    primary.awaitRecords(10);
    primary.kill();
    fixture.listener.awaitEvent("connected failover1");
    fixture.scheduler.runDueTasks();
    assertThat(fixture.listener.events("probe")).as("F6a: first probe at once").containsExactly("probeFailed");

    fixture.sendEvents(10);
    fixture.awaitRecords(1, 10);
    primary.restart();
    int connectionsBefore = primary.connectionCount();
    // Events flow on another thread the whole time, so the switch happens mid-stream.
    Thread logger = new Thread(() -> {
      for (int i = 0; i < 200; i++) {
        fixture.sendEvents(50);
        Thread.yield();
      }
    });
    logger.start();
    fixture.scheduler.advanceBy(Duration.ofSeconds(10));
    fixture.scheduler.advanceBy(Duration.ofSeconds(10));
    fixture.scheduler.advanceBy(Duration.ofSeconds(10));
    fixture.listener.awaitEvent("failedBack failover1 -> primary");
    logger.join();
    fixture.sendEvents(10);
    assertAllArrivedOnceOrResent(10 + 10 + 200 * 50 + 10);

    assertThat(fixture.listener.events("probe")).containsExactly("probeFailed", "probeSucceeded 1/3",
        "probeSucceeded 2/3", "probeSucceeded 3/3");
    assertThat(primary.connectionCount() - connectionsBefore).as("exactly successfulProbesRequired connections")
        .isEqualTo(3);
    List<Integer> perConnection = primary.recordsPerConnection();
    assertThat(perConnection.subList(connectionsBefore, connectionsBefore + 2)).as("early probes carry no data")
        .containsOnly(0);
    assertThat(perConnection.get(connectionsBefore + 2)).as("the last probe's socket carries the events").isPositive();
    List<Integer> atFailover = numbers(fixture.server(1).records());
    List<Integer> atPrimaryAfter = numbers(primary.records().subList(10, primary.recordCount()));
    assertThat(atFailover).isSorted().isNotEmpty();
    assertThat(atPrimaryAfter).isSorted().isNotEmpty();
    assertThat(atFailover.get(atFailover.size() - 1)).as("no reordering across the switch")
        .isLessThan(atPrimaryAfter.get(0));
    Await.until(() -> fixture.server(1).connectionCount() == 1, () -> "one connection to failover1");
  }

  @Test
  void F6f_probingGoesOnWhileNoServerIsReachable() throws Exception {
    fixture = fixture(2);
    fixture.server(0).stop();
    fixture.server(1).stop();
    fixture.start(fixture.config().failback(Failback.of(2, Duration.ofSeconds(5)))
        .reconnectDelay(Duration.ofSeconds(30)).maxReconnectDelay(Duration.ofSeconds(30)).build());
    fixture.listener.awaitEvent("allServersDown retryIn 30000ms");
    fixture.sendEvents(5);
    fixture.scheduler.runDueTasks();
    fixture.server(0).restart();
    fixture.scheduler.advanceBy(Duration.ofSeconds(5));
    fixture.scheduler.advanceBy(Duration.ofSeconds(5));
    // The hand-over wakes the sender out of its 30 s backoff.
    fixture.listener.awaitEvent("failedBack none -> primary");
    fixture.awaitRecords(0, 5);
    assertThat(fixture.listener.events("probe")).containsExactly("probeFailed", "probeSucceeded 1/2",
        "probeSucceeded 2/2");
  }

  @Test
  void F6g_whenThePrimaryFailsAgainFailover1IsNextAndProbingRestarts() throws Exception {
    fixture = fixture(3);
    FakeServer primary = fixture.server(0);
    fixture.start(fixture.config().failback(Failback.of(1, Duration.ofSeconds(10))).build());
    fixture.listener.awaitEvent("connected primary");
    primary.awaitConnections(1);
    primary.kill();
    fixture.listener.awaitEvent("connected failover1");
    fixture.server(1).awaitConnections(1);
    fixture.server(1).kill();
    fixture.listener.awaitEvent("connected failover2");
    primary.restart();
    fixture.scheduler.advanceBy(Duration.ofSeconds(10));
    fixture.listener.awaitEvent("failedBack failover2 -> primary");
    fixture.server(1).restart();
    primary.awaitConnections(2); // The first connection and the probe's, handed over.
    primary.kill();
    fixture.listener.awaitEvent("failedOver primary -> failover1", 2);
    fixture.sendEvents(3);
    fixture.awaitRecords(1, 3);
    int probesBefore = fixture.listener.events("probe").size();
    fixture.scheduler.advanceBy(Duration.ofSeconds(10));
    assertThat(fixture.listener.events("probe")).as("probing restarted").hasSizeGreaterThan(probesBefore);
  }

  @Test
  void F9_aFullQueueDropsTheNewestAndCountsEveryDrop() throws Exception {
    fixture = fixture(1);
    fixture.server(0).stop();
    fixture.start(fixture.config().queueSize(100).reconnectDelay(Duration.ofMinutes(1))
        .maxReconnectDelay(Duration.ofMinutes(1)).build());
    int refused = 0;
    for (int i = 0; i < 1000; i++) {
      if (!fixture.sender.send(("event-" + i).getBytes())) {
        refused++;
      }
    }
    assertThat(refused).isGreaterThanOrEqualTo(900);
    assertThat(fixture.sender.status().eventsDropped()).isEqualTo(refused);
    int expected = refused;
    Await.until(() -> fixture.listener.droppedTotal() == expected,
        () -> "drops reported: " + fixture.listener.events("eventsDropped"));
  }

  @Test
  void F9_underBlockTheCallerWaitsForRoomUpToMaxBlockThenTheEventIsDropped() throws Exception {
    fixture = fixture(1);
    fixture.server(0).stop();
    fixture.start(fixture.config().queueSize(1).overflowPolicy(OverflowPolicy.BLOCK).maxBlock(Duration.ofMillis(100))
        .reconnectDelay(Duration.ofMinutes(1)).maxReconnectDelay(Duration.ofMinutes(1)).build());
    fixture.sendEvents(1);
    long deadline = fixture.ticker.nanoTime() + Duration.ofMillis(100).toNanos();
    java.util.concurrent.CompletableFuture<Boolean> late = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> fixture.sender.send("late".getBytes()));
    Await.until(() -> fixture.ticker.wasWaitedFor(deadline), () -> "the caller waits for room until maxBlock");
    assertThat(late).as("still waiting before maxBlock").isNotDone();
    fixture.ticker.advance(Duration.ofMillis(100));
    assertThat(late.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("dropped at maxBlock").isFalse();
    assertThat(fixture.sender.status().eventsDropped()).isEqualTo(1);
  }

  @Test
  void F9_orderIsKeptWithinOneSender() throws Exception {
    fixture = fixture(1);
    fixture.start(fixture.config().build());
    fixture.sendEvents(5000);
    fixture.awaitRecords(0, 5000);
    assertThat(numbers(fixture.server(0).records())).containsExactlyElementsOf(IntStream.range(0, 5000).boxed().toList());
  }

  @Test
  void F10_stopFlushesWhatIsQueued() throws Exception {
    fixture = fixture(1);
    fixture.start(fixture.config().build());
    fixture.sendEvents(5000);
    fixture.sender.stop();
    assertThat(fixture.sender.status().eventsSent()).isEqualTo(5000);
    fixture.awaitRecords(0, 5000);
  }

  @Test
  void F10_stopNeverHangsPastShutdownTimeoutAndCountsWhatIsLeft() throws Exception {
    fixture = fixture(1);
    stall(fixture.server(0));
    fixture.start(fixture.config().writeTimeout(Duration.ofMinutes(1)).shutdownTimeout(Duration.ofMillis(300))
        .queueSize(100_000).build());
    String padding = "y".repeat(500);
    for (int i = 0; i < 20_000; i++) {
      fixture.sender.send(("event-" + i + padding).getBytes());
    }
    long before = System.nanoTime();
    fixture.sender.stop();
    long stopMillis = Duration.ofNanos(System.nanoTime() - before).toMillis();
    assertThat(stopMillis).as("bounded by shutdownTimeout plus a short grace").isLessThan(2_000);
    var status = fixture.sender.status();
    assertThat(status.eventsSent() + status.eventsDropped()).isEqualTo(20_000);
    assertThat(status.eventsDropped()).isPositive();
    assertThat(fixture.listener.events("eventsDropped")).anyMatch(event -> event.contains("shutdownTimeout"));
  }

  @Test
  void F12_theNameIsResolvedAtEveryAttemptAndAnUnknownHostIsARunTimeFailure() throws Exception {
    fixture = fixture(3);
    fixture.resolver.unmap("failover1.test");
    fixture.start(fixture.config().build());
    fixture.listener.awaitEvent("connected primary");
    fixture.server(0).awaitConnections(1);
    fixture.server(0).kill();
    fixture.listener.awaitEvent("connectFailed failover1");
    fixture.listener.awaitEvent("connected failover2");
    int lookups = fixture.resolver.lookups("failover1.test");
    fixture.resolver.map("failover1.test", "127.0.0.1");
    // The primary is back before failover2 dies, so failover2's successor in the rotation is there.
    fixture.server(0).restart();
    fixture.server(2).awaitConnections(1);
    fixture.server(2).kill();
    fixture.listener.awaitEvent("failedOver failover2 -> primary");
    fixture.server(0).awaitConnections(2);
    fixture.server(0).kill();
    fixture.listener.awaitEvent("failedOver primary -> failover1");
    assertThat(fixture.resolver.lookups("failover1.test")).isGreaterThan(lookups);
  }

  @Test
  void F12_everyResolvedAddressIsTriedBeforeTheServerCountsAsFailed() throws Exception {
    fixture = fixture(2);
    // 127.0.0.2 has nothing on the primary's port: refused; 127.0.0.1 has the primary.
    fixture.resolver.map("primary.test", "127.0.0.2", "127.0.0.1");
    fixture.start(fixture.config().build());
    fixture.sendEvents(3);
    fixture.awaitRecords(0, 3);
    assertThat(fixture.listener.events()).first().isEqualTo("connected primary");
  }

  @Test
  void F12_aChangedDnsAnswerIsHonouredAtTheNextAttempt() throws Exception {
    fixture = fixture(1);
    FakeServer moved = fixture.startAnother("moved", "127.0.0.3", fixture.server(0).port());
    try {
      fixture.start(fixture.config().build());
      fixture.sendEvents(2);
      fixture.awaitRecords(0, 2);
      fixture.awaitSent(2);
      fixture.resolver.map("primary.test", "127.0.0.3");
      fixture.server(0).kill();
      fixture.listener.awaitEvent("connectionLost primary SocketException");
      fixture.sendEvents(2);
      moved.awaitRecords(2);
      assertThat(new ArrayList<>(moved.records())).containsExactly("event-2", "event-3");
    } finally {
      moved.close();
    }
  }
}
