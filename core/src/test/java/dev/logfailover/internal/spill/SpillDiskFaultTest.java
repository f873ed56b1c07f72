package dev.logfailover.internal.spill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logfailover.SpillSettings;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FaultyDisk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F17 under disk faults, injected through {@link SpillIo}: a full disk, reads and deletes that
 * fail, flushes that hang. Whatever fails, no record is counted twice or lost uncounted, order is
 * kept, and the spill goes on once the fault ends.
 */
class SpillDiskFaultTest {
  @TempDir Path directory;
  private final FaultyDisk disk = new FaultyDisk();

  /**
   * Every test event takes 128 bytes on disk; the smallest segment (64 KiB) holds 512 of them: it
   * takes records until it has reached its size.
   */
  private static final int RECORD_BYTES = 128;
  private static final int PER_SEGMENT = 512;

  private SpillStore open(SpillSettings.Sync sync, SpillIo io) throws IOException {
    return SpillStore.open(directory, SpillSettings.builder().directory(directory).maxSize(1L << 20).sync(sync).build(),
        () -> 1_000_000L, io);
  }

  private static List<byte[]> events(int from, int count) {
    List<byte[]> events = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      events.add((String.format("event-%05d ", i) + "x".repeat(100)).getBytes(StandardCharsets.UTF_8));
    }
    return events;
  }

  private static List<String> names(int from, int count) {
    List<String> names = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      names.add(String.format("event-%05d", i));
    }
    return names;
  }

  private static List<String> readAll(SpillStore store) throws IOException {
    List<byte[]> read = new ArrayList<>();
    while (store.read(read, 100) > 0) {
      // Reads in batches until nothing is left.
    }
    return read.stream().map(bytes -> new String(bytes, StandardCharsets.UTF_8).split(" ")[0]).toList();
  }

  private long segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(SegmentNames::isSegment).count();
    }
  }

  @Test
  void aDiskThatFillsUpMidAppendKeepsWhatWasWrittenCountsItExactlyAndTheSpillResumesOnceThereIsRoom() throws Exception {
    List<String> kept = new ArrayList<>();
    try (SpillStore store = open(SpillSettings.Sync.NONE, disk)) {
      disk.fillUpAfter(64 * 1024 + 1_000); // The first segment fits, the second is cut short.
      SpillWriteException full = assertThrows(SpillWriteException.class, () -> store.append(events(0, 1_000)));
      assertEquals(PER_SEGMENT, full.written(), "the whole first segment is written, nothing of the second");
      assertEquals(PER_SEGMENT, store.pendingRecords(), "pending counts what is on disk, never more or less");
      assertThrows(SpillWriteException.class, () -> store.append(events(1_000, 10)));

      disk.makeRoom();
      assertEquals(10, store.append(events(2_000, 10)), "the spill resumes once the disk has room");
      assertEquals(PER_SEGMENT + 10, store.pendingRecords());
      kept.addAll(names(0, PER_SEGMENT));
      kept.addAll(names(2_000, 10));
      assertEquals(kept, readAll(store));
      store.closeKeeping(List.of(), List.of());
    }
    try (SpillStore recovered = open(SpillSettings.Sync.NONE, SpillIo.DISK)) {
      assertEquals(List.of(), recovered.damage(), "a failed write is cut back: no torn tail for the next start");
      assertEquals(kept, readAll(recovered), "nothing counted as not spilled comes back after a restart");
    }
  }

  @Test
  void aSentSegmentThatCannotBeDeletedIsEmptiedTheRestGoesOnAndTheNextStartSendsNothingAgain() throws Exception {
    try (SpillStore store = open(SpillSettings.Sync.NONE, disk)) {
      store.append(events(0, 3 * PER_SEGMENT));
      disk.failDeletes(true, false);
      List<byte[]> first = new ArrayList<>();
      store.read(first, PER_SEGMENT + 5);
      store.confirm(PER_SEGMENT + 5);
      assertEquals(2 * PER_SEGMENT - 5, store.pendingRecords());
      assertEquals(names(PER_SEGMENT + 5, 2 * PER_SEGMENT - 5), readAll(store), "the rest of the spill still comes");
      store.closeKeeping(List.of(), List.of());
    }
    disk.failDeletes(false, false);
    try (SpillStore recovered = open(SpillSettings.Sync.NONE, SpillIo.DISK)) {
      assertEquals(List.of(), recovered.damage(), "an emptied segment is no damage");
      assertEquals(names(PER_SEGMENT + 5, 2 * PER_SEGMENT - 5), readAll(recovered), "nothing sent comes back");
    }
  }

  @Test
  void aSentSegmentThatCanBeNeitherDeletedNorEmptiedIsReportedAndTheRestOfTheSpillStillGoes() throws Exception {
    try (SpillStore store = open(SpillSettings.Sync.NONE, disk)) {
      store.append(events(0, 2 * PER_SEGMENT));
      disk.failDeletes(true, true);
      store.read(new ArrayList<>(), PER_SEGMENT);
      assertThrows(IOException.class, () -> store.confirm(PER_SEGMENT), "reported: it would go again after a restart");
      assertEquals(PER_SEGMENT, store.pendingRecords());
      assertEquals(names(PER_SEGMENT, PER_SEGMENT), readAll(store));
      disk.failDeletes(false, false);
      store.confirm(PER_SEGMENT);
      assertEquals(0, store.pendingRecords());
      assertEquals(1, segmentFiles(), "only the one that could not go is left");
    }
  }

  @Test
  void aReadThatFailsMovesNothingOnAndTheSameRecordsComeOnceItWorks() throws Exception {
    try (SpillStore store = open(SpillSettings.Sync.NONE, disk)) {
      store.append(events(0, 2 * PER_SEGMENT));
      List<byte[]> read = new ArrayList<>();
      store.read(read, PER_SEGMENT - 3); // Three records short of the segment's end.
      disk.failReads(true);
      assertThrows(IOException.class, () -> store.read(new ArrayList<>(), 10));
      disk.failReads(false);
      read.clear();
      store.read(read, 10);
      assertEquals(names(PER_SEGMENT - 3, 10), read.stream()
          .map(bytes -> new String(bytes, StandardCharsets.UTF_8).split(" ")[0]).toList());
      assertEquals(2 * PER_SEGMENT, store.pendingRecords());
    }
  }

  @Test
  void withSpillSyncAlwaysEveryAppendAndTheCheckpointAreForcedBeforeTheyReturnWithNoneTheyAreNot() throws Exception {
    try (SpillStore store = open(SpillSettings.Sync.ALWAYS, disk)) {
      for (int i = 0; i < 5; i++) {
        store.append(events(i * 300, 300));
        assertEquals(0, disk.unforcedBytes(), "append " + i + " returned with bytes not forced");
      }
      store.read(new ArrayList<>(), 10);
      store.confirm(10);
      store.closeKeeping(List.of(), events(9_000, 3));
      assertEquals(0, disk.unforcedBytes(), "the stop's records and checkpoint are forced too");
    }
    assertTrue(Files.exists(directory.resolve(Checkpoint.FILE)));
    FaultyDisk lazy = new FaultyDisk();
    try (SpillStore store = open(SpillSettings.Sync.NONE, lazy)) {
      store.append(events(0, 300));
      assertTrue(lazy.unforcedBytes() > 300 * 100, "spillSync none leaves flushing to the system");
    }
  }

  @Test
  void theViewsOfTheSpillAnswerWhileAWriteWaitsForItsFlush() throws Exception {
    try (SpillStore store = open(SpillSettings.Sync.ALWAYS, disk)) {
      store.append(events(0, 100));
      disk.holdForces();
      CompletableFuture<Integer> flushing = CompletableFuture.supplyAsync(() -> {
        try {
          return store.append(events(100, 100));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      Await.until(() -> disk.forcesWaiting() == 1, () -> "the writer waits for its flush");
      assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
        assertEquals(100, store.pendingRecords());
        assertTrue(store.bytesOnDisk() >= 100 * RECORD_BYTES);
        assertEquals(1_000_000L, store.oldestPendingMillis());
      }, "a status read waited behind the flush");
      disk.flushFreely();
      assertEquals(100, flushing.get(10, TimeUnit.SECONDS));
      assertEquals(200, store.pendingRecords());
    }
  }

  @Test
  void aRecordDamagedSinceItWasWrittenEndsItsSegmentTheRestIsCountedAndReadingGoesOnWithTheNext() throws Exception {
    try (SpillStore store = open(SpillSettings.Sync.NONE, disk)) {
      store.append(events(0, 2 * PER_SEGMENT));
      Path first;
      try (Stream<Path> files = Files.list(directory)) {
        first = files.filter(SegmentNames::isSegment).sorted().findFirst().orElseThrow();
      }
      try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(first,
          java.nio.file.StandardOpenOption.WRITE)) {
        // The fourth record's length, now negative.
        channel.write(java.nio.ByteBuffer.allocate(4).putInt(0, -5), SegmentFile.HEADER_BYTES + 3L * RECORD_BYTES);
      }
      List<String> read = readAll(store);
      List<String> expected = new ArrayList<>(names(0, 3));
      expected.addAll(names(PER_SEGMENT, PER_SEGMENT));
      assertEquals(expected, read, "the whole records before it, then the next segment");
      List<SpillStore.Skip> skips = store.takeSkips();
      assertEquals(1, skips.size());
      assertEquals(PER_SEGMENT - 3, skips.get(0).records(), "the records it cut off, to be counted");
      assertEquals(3 + PER_SEGMENT, store.pendingRecords(), "they are no longer pending");
      store.confirm(3 + PER_SEGMENT);
      assertEquals(0, store.pendingRecords());
      assertEquals(0, segmentFiles(), "the damaged segment goes once what it held is done");
    }
  }

  @Test
  void aWriteThatBreaksWithAnUncheckedErrorMidAppendCountsExactlyWhatWasWritten() throws Exception {
    try (SpillStore store = open(SpillSettings.Sync.NONE, disk)) {
      disk.breakAfter(64 * 1024 + 1_000); // The first segment fits, the second breaks.
      SpillWriteException broken = assertThrows(SpillWriteException.class, () -> store.append(events(0, 1_000)));
      assertEquals(PER_SEGMENT, broken.written());
      assertEquals(PER_SEGMENT, store.pendingRecords());
      disk.makeRoom();
      assertEquals(names(0, PER_SEGMENT), readAll(store));
    }
  }

  @Test
  void aSegmentNameLeftBehindIsNeverMadeAgainSoAppendsGoOn() throws Exception {
    disk.failDeletes(true, false);
    try (SpillStore store = open(SpillSettings.Sync.NONE, disk)) {
      store.append(events(0, 10));
      store.read(new ArrayList<>(), 10);
      store.confirm(10); // Emptied, not deleted.
      store.closeKeeping(List.of(), List.of());
    }
    assertEquals(1, segmentFiles());
    try (SpillStore store = open(SpillSettings.Sync.NONE, disk)) { // Still cannot delete it.
      assertEquals(10, store.append(events(10, 10)));
      assertEquals(names(10, 10), readAll(store));
    }
  }
}
