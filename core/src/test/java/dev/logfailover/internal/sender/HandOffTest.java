package dev.logfailover.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.FailoverConfig;
import dev.logfailover.testing.Await;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reconfiguration replaces the engine: the successor starts at the primary (F1) and sends first
 * every record its predecessor had not delivered, so nothing queued is lost or duplicated.
 */
class HandOffTest {
  private SenderFixture fixture;
  private volatile Engine current;

  @AfterEach
  void tearDown() {
    if (current != null) {
      current.stop();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  /** What an adapter does: send to the current engine, again to its successor if it retired meanwhile. */
  private void log(int number) {
    byte[] record = ("event-" + number).getBytes(StandardCharsets.UTF_8);
    Engine target = current;
    while (!target.send(record) && target.isRetired()) {
      Thread.onSpinWait();
      target = current;
    }
  }

  private Engine successorOf(Engine predecessor, FailoverConfig config) {
    Engine successor = fixture.newEngine(config, null);
    current = successor;
    successor.carryOver(predecessor.handOff());
    successor.start();
    return successor;
  }

  @Test
  void F1_theSuccessorStartsAtThePrimaryAndSendsThePredecessorsBacklogFirst() throws Exception {
    fixture = new SenderFixture(2);
    fixture.server(0).stop();
    fixture.server(1).stop();
    FailoverConfig config = fixture.config().build();
    current = fixture.start(config);
    IntStream.range(0, 100).forEach(this::log);
    fixture.listener.awaitEvent("connectFailed failover1");
    Engine predecessor = current;

    fixture.server(0).restart();
    Engine successor = successorOf(predecessor, config);
    IntStream.range(100, 150).forEach(this::log);
    Await.until(() -> fixture.server(0).recordCount() >= 150, () -> "150 records at the primary, has "
        + fixture.server(0).recordCount() + "; events " + fixture.listener.events() + "; predecessor "
        + predecessor.status() + "; successor " + successor.status());
    assertThat(fixture.server(0).records()).containsExactlyElementsOf(
        IntStream.range(0, 150).mapToObj(i -> "event-" + i).toList());
    assertThat(predecessor.status().eventsDropped()).isZero();
    assertThat(predecessor.isRetired()).isTrue();
  }

  @Test
  void aHandOffWhileAnotherThreadLogsLosesAndDuplicatesNothing() throws Exception {
    fixture = new SenderFixture(2);
    FailoverConfig config = fixture.config().queueSize(100_000).build();
    current = fixture.start(config);
    Thread application = new Thread(() -> IntStream.range(0, 50_000).forEach(this::log));
    application.start();
    Await.until(() -> fixture.server(0).recordCount() > 1000, () -> "logging under way");
    Engine first = current;
    Engine second = successorOf(first, config);
    successorOf(second, config);
    application.join();
    Await.until(() -> fixture.server(0).recordCount() >= 50_000, () -> "all 50000, have " + fixture.server(0).recordCount());
    List<Integer> numbers = fixture.server(0).records().stream().map(SenderFixture::number).toList();
    assertThat(numbers).doesNotHaveDuplicates().hasSize(50_000);
    assertThat(first.status().eventsDropped() + second.status().eventsDropped() + current.status().eventsDropped())
        .isZero();
  }
}
