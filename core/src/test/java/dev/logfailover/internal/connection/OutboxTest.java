package dev.logfailover.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Framing;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/** Records stay owned by the outbox until the transport accepted them whole. */
class OutboxTest {

  @Test
  void aRecordIsReleasedOnlyOnceAllItsBytesAreAcceptedAndIsResentWholeAfterAFailure() throws Exception {
    BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(10);
    for (String record : new String[] {"aaa", "bbb", "ccc"}) {
      queue.add(record.getBytes(StandardCharsets.UTF_8));
    }
    Outbox outbox = new Outbox(new Framer(Framing.NEWLINE), 10);
    assertThat(outbox.fill(queue, 0)).isEqualTo(3);
    assertThat(outbox.bytes().remaining()).isEqualTo(12);

    outbox.bytes().position(6); // "aaa\nbb" accepted by the kernel, then the connection failed
    assertThat(outbox.releaseAccepted()).isEqualTo(1);
    outbox.rewindToFirstUnreleased();
    assertThat(outbox.bytes().position()).as("bbb is resent whole").isEqualTo(4);
    assertThat(outbox.pending()).isEqualTo(2);

    outbox.bytes().position(12);
    assertThat(outbox.releaseAccepted()).isEqualTo(2);
    assertThat(outbox.isEmpty()).isTrue();
    assertThat(outbox.takeReleasedCount()).isEqualTo(3);
  }

  @Test
  void batchesOfAnySizeFollowEachOtherAndTheUnreleasedRecordsCanBeTakenBackRaw() throws Exception {
    BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(100);
    Outbox outbox = new Outbox(new Framer(Framing.NEWLINE), 100);
    for (int batch : new int[] {1, 5, 2, 7}) {
      for (int i = 0; i < batch; i++) {
        queue.add(("r" + i + "\n").getBytes(StandardCharsets.UTF_8));
      }
      assertThat(outbox.fill(queue, 0)).isEqualTo(batch);
      outbox.bytes().position(outbox.bytes().limit());
      assertThat(outbox.releaseAccepted()).isEqualTo(batch);
    }
    queue.add("kept\n".getBytes(StandardCharsets.UTF_8));
    queue.add("also kept".getBytes(StandardCharsets.UTF_8));
    outbox.fill(queue, 0);
    assertThat(outbox.takeUnreleased()).extracting(bytes -> new String(bytes, StandardCharsets.UTF_8))
        .as("raw, as the encoder made them, for a successor with its own framing")
        .containsExactly("kept\n", "also kept");
    assertThat(outbox.isEmpty()).isTrue();
  }

  @Test
  void aRecordLargerThanTheBufferGrowsIt() throws Exception {
    BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(10);
    queue.add(new byte[1024 * 1024]);
    Outbox outbox = new Outbox(new Framer(Framing.OCTET_COUNTING), 10);
    outbox.fill(queue, 0);
    assertThat(outbox.bytes().remaining()).isEqualTo(1024 * 1024 + "1048576 ".length());
  }
}
