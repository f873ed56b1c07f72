package dev.logfailover.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.FailoverStatus;
import dev.logfailover.OverflowPolicy;
import dev.logfailover.testing.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** F13: memory is bounded in bytes as well as events, for the queue and for what a reload carries over. */
class MemoryBoundsTest {
  private SenderFixture fixture;

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static byte[] record(String name, int size) {
    byte[] record = new byte[size];
    Arrays.fill(record, (byte) 'x');
    byte[] label = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(label, 0, record, 0, label.length);
    return record;
  }

  @Test
  void F13_anEventLargerThanMaxRecordSizeIsCountedAsOversizedReportedWithItsSizeAndNeverQueued() throws Exception {
    fixture = new SenderFixture(1);
    fixture.start(fixture.config().maxRecordSize(1024).build());
    assertThat(fixture.sender.send(record("event-0 ", 1024))).isTrue();
    assertThat(fixture.sender.send(record("huge ", 5000))).isFalse();
    assertThat(fixture.sender.send(record("event-1 ", 100))).isTrue();
    fixture.awaitRecords(0, 2);
    FailoverStatus status = fixture.sender.status();
    assertThat(status.oversized()).isEqualTo(1);
    assertThat(status.eventsDropped()).as("counted apart from the drops").isZero();
    fixture.listener.awaitEvent("eventsOversized 1 largest 5000");
    assertThat(fixture.server(0).records()).noneMatch(record -> record.startsWith("huge"));
  }

  @Test
  void F13_theQueueHoldsAtMostMaxQueueBytesWhateverItsEventCount() throws Exception {
    fixture = new SenderFixture(1);
    fixture.server(0).stop();
    fixture.start(fixture.config().queueSize(8192).maxQueueBytes(10 * 1024).maxRecordSize(1024)
        .reconnectDelay(Duration.ofMinutes(1)).maxReconnectDelay(Duration.ofMinutes(1)).build());
    int accepted = 0;
    for (int i = 0; i < 100; i++) {
      if (fixture.sender.send(record("event-" + i + " ", 1024))) {
        accepted++;
      }
    }
    FailoverStatus status = fixture.sender.status();
    assertThat(accepted).as("10 KiB of 1 KiB events").isEqualTo(10);
    assertThat(status.queuedBytes()).isLessThanOrEqualTo(10 * 1024);
    assertThat(status.eventsDropped()).isEqualTo(90);
  }

  @Test
  void F13_underBlockACallerWaitsForBytesToFreeThenItsEventIsQueued() throws Exception {
    fixture = new SenderFixture(1);
    fixture.start(fixture.config().maxQueueBytes(4 * 1024).maxRecordSize(1024)
        .overflowPolicy(OverflowPolicy.BLOCK).maxBlock(Duration.ofSeconds(30)).queueSize(10_000).build());
    for (int i = 0; i < 500; i++) {
      assertThat(fixture.sender.send(record("event-" + i + " ", 1000))).as("event " + i).isTrue();
    }
    fixture.awaitRecords(0, 500);
    assertThat(fixture.sender.status().eventsDropped()).isZero();
  }

  @Test
  void F13_whatAReconfigurationCarriesOverIsBoundedTheOldestKeptTheRestCountedAsDropped() throws Exception {
    fixture = new SenderFixture(1);
    List<byte[]> backlog = new ArrayList<>();
    IntStream.range(0, 100).forEach(i -> backlog.add(("event-" + i).getBytes(StandardCharsets.UTF_8)));
    Engine successor = fixture.newEngine(fixture.config().queueSize(10).build(), fixture.scheduler);
    fixture.sender = successor;
    successor.carryOver(backlog);
    successor.start();
    fixture.awaitRecords(0, 10);
    assertThat(fixture.server(0).records()).containsExactlyElementsOf(
        IntStream.range(0, 10).mapToObj(i -> "event-" + i).toList());
    Await.until(() -> successor.status().eventsDropped() == 90, () -> "90 dropped: " + successor.status());
    fixture.listener.awaitEvent("eventsDropped 90 (the predecessor handed over more than queueSize or "
        + "maxQueueBytes hold)");
  }
}
