package dev.logfailover.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/** Records stay owned by the outbox until the session releases them. */
class OutboxTest {
  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(100);
  private final Outbox outbox = new Outbox(10);

  private void queue(String... records) {
    for (String record : records) {
      queue.add(record.getBytes(StandardCharsets.UTF_8));
    }
  }

  private int drainQueue(Outbox.RecordSink into, int maxRecords) {
    int taken = 0;
    byte[] record;
    while (taken < maxRecords && (record = queue.poll()) != null) {
      into.add(record, 0, record.length);
      taken++;
    }
    return taken;
  }

  @Test
  void F14_writtenButUnreleasedRecordsAreSentAgainAfterAFailureAndCountedAsResent() {
    queue("a", "b", "c", "d");
    assertThat(outbox.fill(this::drainQueue)).isEqualTo(4);
    outbox.markWritten(3); // a, b, c written in full; the server acknowledged a only
    outbox.release(1);
    assertThat(outbox.rewind()).as("b and c may have reached the failed server").isEqualTo(2);
    assertThat(outbox.written()).as("the next session starts at b").isEqualTo(1);
    assertThat(outbox.released()).isEqualTo(1);
    assertThat(outbox.pending()).isEqualTo(3);

    outbox.release(4);
    assertThat(outbox.isEmpty()).isTrue();
    assertThat(outbox.takeReleasedCount()).isEqualTo(4);
    assertThat(outbox.rewind()).as("released records are never sent again").isZero();
  }

  @Test
  void aFullOutboxTakesNothingMoreAndBatchesAreBoundedByItsSize() {
    queue("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
    assertThat(outbox.fill(this::drainQueue)).isEqualTo(10);
    assertThat(outbox.fill(this::drainQueue)).as("nothing while records are pending").isZero();
    outbox.release(10);
    assertThat(outbox.fill(this::drainQueue)).isEqualTo(2);
    assertThat(new String(outbox.recordBytes(1), outbox.recordOffset(1), outbox.recordLength(1),
        StandardCharsets.UTF_8)).isEqualTo("12");
  }

  @Test
  void theUnreleasedRecordsCanBeTakenBackRawAndInOrder() {
    queue("sent\n", "kept\n", "also kept");
    outbox.fill(this::drainQueue);
    outbox.release(1);
    assertThat(outbox.takeUnreleased()).extracting(bytes -> new String(bytes, StandardCharsets.UTF_8))
        .as("raw, as the encoder made them, for a successor with its own framing")
        .containsExactly("kept\n", "also kept");
    assertThat(outbox.isEmpty()).isTrue();
  }

  @Test
  void recordsAreCopiedSoASourceMayReuseItsMemoryOnceARecordIsTaken() {
    byte[] reused = new byte[8];
    outbox.fill((into, maxRecords) -> {
      for (int i = 0; i < 3; i++) {
        Arrays.fill(reused, (byte) ('a' + i));
        into.add(reused, 2, 3 + i);
      }
      return 3;
    });
    assertThat(texts()).containsExactly("aaa", "bbbb", "ccccc");
  }

  @Test
  void aBatchLargerThanTheArenaGrowsItAndKeepsEveryRecordIntact() {
    String large = "x".repeat(100_000);
    queue("first", large);
    outbox.fill(this::drainQueue);
    queue("after a top-up");
    assertThat(outbox.topUp()).isEqualTo(1);
    assertThat(texts()).containsExactly("first", large, "after a top-up");
  }

  private List<String> texts() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < outbox.size(); i++) {
      texts.add(new String(outbox.recordBytes(i), outbox.recordOffset(i), outbox.recordLength(i),
          StandardCharsets.UTF_8));
    }
    return texts;
  }
}
