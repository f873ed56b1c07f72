package dev.logfailover.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.internal.spill.SpillStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** F17: the spill confirms only the spilled records that left the batch, and keeps the rest in order. */
class BatchSourcesTest {
  private static List<byte[]> records(String... texts) {
    List<byte[]> records = new ArrayList<>();
    for (String text : texts) {
      records.add(text.getBytes(StandardCharsets.UTF_8));
    }
    return records;
  }

  private static String text(SpillStore.Held held) {
    StringBuilder text = new StringBuilder(held.afterReadRecords() + ":");
    held.records().forEach(record -> text.append(new String(record, StandardCharsets.UTF_8)));
    return text.toString();
  }

  @Test
  void F17_releasedRecordsCountOnlyThoseReadFromDiskAcrossRuns() {
    BatchSources sources = new BatchSources();
    sources.handedOut(true, 2);
    sources.handedOut(true, 1); // one run of three from disk
    sources.handedOut(false, 4);
    sources.handedOut(true, 2);
    assertThat(sources.released(2)).isEqualTo(2);
    assertThat(sources.released(3)).as("one from disk, then two from memory").isEqualTo(1);
    assertThat(sources.released(4)).as("two from memory, then two from disk").isEqualTo(2);
    assertThat(sources.released(1)).as("nothing is left").isZero();
  }

  @Test
  void F17_whatTheBatchStillHoldsFromMemoryGoesBackAfterTheSpilledRecordsItFollowed() {
    BatchSources sources = new BatchSources();
    sources.handedOut(false, 1);
    sources.handedOut(true, 2);
    sources.handedOut(false, 2);
    sources.handedOut(true, 1);
    sources.handedOut(false, 3);
    List<byte[]> unreleased = records("m1", "d1", "d2", "m2", "m3", "d3", "m4");
    assertThat(sources.heldFromMemory(unreleased)).extracting(BatchSourcesTest::text)
        .as("the last run is cut where the batch ends").containsExactly("0:m1", "2:m2m3", "3:m4");
    assertThat(sources.heldFromMemory(records("x"))).as("the runs are forgotten").isEmpty();
  }
}
