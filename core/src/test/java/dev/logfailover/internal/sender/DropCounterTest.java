package dev.logfailover.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.testing.RecordingFailoverListener;
import org.junit.jupiter.api.Test;

/** What a sender about to sleep asks: is a drop counted that is not reported yet? */
class DropCounterTest {
  private final DropCounter drops = new DropCounter();
  private final RecordingFailoverListener listener = new RecordingFailoverListener();

  @Test
  void eachReportedKindOfDropIsUnreportedUntilTheNextReport() {
    assertThat(drops.hasUnreported()).isFalse();
    for (Runnable drop : new Runnable[] {drops::dropQueueFull, drops::dropEmpty, () -> drops.dropOversized(5000),
        () -> drops.dropCarriedOverExcess(2), () -> drops.dropNotSpilled(3, "the spill is full")}) {
      drop.run();
      assertThat(drops.hasUnreported()).isTrue();
      drops.report(listener);
      assertThat(drops.hasUnreported()).isFalse();
    }
    assertThat(listener.events()).hasSize(5);
  }
}
