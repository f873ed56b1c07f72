package dev.logfailover.internal.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void F4_theDelayDoublesUpToTheCapAndResetsAfterASuccess() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertThat(backoff.nextDelayNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(backoff.nextDelayNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
    assertThat(backoff.nextDelayNanos()).isEqualTo(Duration.ofSeconds(4).toNanos());
    assertThat(backoff.nextDelayNanos()).isEqualTo(Duration.ofSeconds(5).toNanos());
    assertThat(backoff.nextDelayNanos()).isEqualTo(Duration.ofSeconds(5).toNanos());
    backoff.reset();
    assertThat(backoff.nextDelayNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void F4_doublingNeverOverflows() {
    Backoff backoff = new Backoff(Duration.ofDays(1000), Duration.ofNanos(Long.MAX_VALUE));
    for (int i = 0; i < 100; i++) {
      assertThat(backoff.nextDelayNanos()).isPositive();
    }
  }
}
