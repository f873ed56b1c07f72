package dev.logfailover.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.logfailover.internal.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** F9's wait for room under {@code block}, on a clock that may pass the deadline between two looks. */
class OverflowWaitTest {
  @Test
  void aDeadlineThatPassesBetweenTwoLooksAtTheClockEndsTheWaitNeitherForEverNorWithAnException() {
    RecordQueue full = new RecordQueue(1, 1024, 1024);
    byte[] record = "queued".getBytes();
    full.offer(record, 0, record.length);
    // Every look moves the clock on by a microsecond: a maxBlock of 2 us passes between two looks.
    AtomicLong nanos = new AtomicLong();
    Ticker moving = () -> nanos.addAndGet(1_000);
    OverflowWait wait = new OverflowWait(full, 2_000, moving);
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      for (int i = 0; i < 10_000; i++) {
        assertThat(wait.offer(record, 0, record.length, null)).isEqualTo(-1);
      }
    });
  }
}
