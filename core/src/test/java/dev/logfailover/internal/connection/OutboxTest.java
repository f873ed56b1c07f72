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
  void aRecordLargerThanTheBufferGrowsIt() throws Exception {
    BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(10);
    queue.add(new byte[1024 * 1024]);
    Outbox outbox = new Outbox(new Framer(Framing.OCTET_COUNTING), 10);
    outbox.fill(queue, 0);
    assertThat(outbox.bytes().remaining()).isEqualTo(1024 * 1024 + "1048576 ".length());
  }
}
