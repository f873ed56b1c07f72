package dev.logfailover.internal.spill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logfailover.SpillSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** F17's files: order, deletion once sent, recovery after a crash, damage, the bound and the lock. */
class SpillStoreTest {
  @TempDir Path directory;
  private final AtomicLong clock = new AtomicLong(1_000_000);

  /** Every test event takes 128 bytes on disk: a 16-byte header and 112 bytes. */
  private static final int RECORD_BYTES = 128;

  private SpillStore open(long maxSize) throws IOException {
    return SpillStore.open(directory, SpillSettings.builder().directory(directory).maxSize(maxSize).build(),
        clock::get);
  }

  private static List<byte[]> events(int from, int count) {
    List<byte[]> events = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      events.add((String.format("event-%05d ", i) + "x".repeat(100)).getBytes(StandardCharsets.UTF_8));
    }
    return events;
  }

  private static List<String> readAll(SpillStore store) throws IOException {
    List<byte[]> read = new ArrayList<>();
    while (store.read(read, 1000) > 0) {
      // Reads in batches until nothing is left.
    }
    return read.stream().map(bytes -> new String(bytes, StandardCharsets.UTF_8).split(" ")[0]).toList();
  }

  private static List<String> names(int from, int count) {
    List<String> names = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      names.add(String.format("event-%05d", i));
    }
    return names;
  }

  private long segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(SegmentNames::isSegment).count();
    }
  }

  @Test
  void F17b_theSpillsDirectoryAndFilesAreOurUsersAloneWhateverTheUmask() throws Exception {
    Path spill = directory.resolve("appender");
    try (SpillStore store = SpillStore.open(spill, SpillSettings.builder().directory(spill).build(), clock::get)) {
      store.append(events(0, 10));
      store.read(new ArrayList<>(), 1);
      store.closeKeeping(List.of(), List.of());
    }
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(spill)));
    try (Stream<Path> files = Files.list(spill)) {
      for (Path file : files.toList()) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
      }
    }
    assertTrue(Files.exists(spill.resolve(Checkpoint.FILE)), "a checkpoint was written");
  }

  @Test
  void F17b_aCheckpointLinkPlantedInTheSpillIsReplacedNeverFollowed() throws Exception {
    Path victim = Files.writeString(directory.resolve("victim.txt"), "precious\n");
    Path spill = Files.createDirectories(directory.resolve("appender"));
    Files.createSymbolicLink(spill.resolve(Checkpoint.FILE), victim);
    try (SpillStore store = SpillStore.open(spill, SpillSettings.builder().directory(spill).build(), clock::get)) {
      store.append(events(0, 10));
      store.read(new ArrayList<>(), 1);
      store.closeKeeping(List.of(), List.of());
    }
    assertEquals("precious\n", Files.readString(victim));
    assertFalse(Files.isSymbolicLink(spill.resolve(Checkpoint.FILE)));
  }

  @Test
  void F17b_aSpillDirectoryThatIsALinkOrAnotherUsersIsRefused() throws Exception {
    Path elsewhere = Files.createDirectories(directory.resolve("elsewhere"));
    Path link = Files.createSymbolicLink(directory.resolve("link"), elsewhere);
    assertThrows(PrivateFiles.UntrustedDirectoryException.class,
        () -> SpillStore.open(link, SpillSettings.builder().directory(link).build(), clock::get));
    Path foreign = Files.createDirectories(directory.resolve("foreign"));
    UserPrincipal nobody;
    try {
      nobody = foreign.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
      Files.setOwner(foreign, nobody);
    } catch (IOException notRootOrNoSuchUser) {
      Assumptions.abort("cannot give a directory to another user here: " + notRootOrNoSuchUser);
      return;
    }
    IOException refused = assertThrows(PrivateFiles.UntrustedDirectoryException.class,
        () -> SpillStore.open(foreign, SpillSettings.builder().directory(foreign).build(), clock::get));
    assertTrue(refused.getMessage().contains("owned by nobody"), refused.getMessage());
  }

  @Test
  void F17b_aSpillDirectoryWhoseParentAnotherUserOwnsIsRefused() throws Exception {
    Path theirs = Files.createDirectories(directory.resolve("theirs"));
    try {
      Files.setOwner(theirs, theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    } catch (IOException notRootOrNoSuchUser) {
      Assumptions.abort("cannot give a directory to another user here: " + notRootOrNoSuchUser);
    }
    Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path spill = theirs.resolve("appender");
    IOException refused = assertThrows(PrivateFiles.UntrustedDirectoryException.class,
        () -> SpillStore.open(spill, SpillSettings.builder().directory(spill).build(), clock::get));
    assertTrue(refused.getMessage().contains("who could replace"), refused.getMessage());
  }

  @Test
  void F17b_aStatusReadOnAnInterruptedThreadLeavesTheSpillWhole() throws Exception {
    try (SpillStore store = open(1 << 20)) {
      store.append(events(0, 3));
      Thread.currentThread().interrupt();
      try {
        assertTrue(store.oldestPendingMillis() != 0);
      } finally {
        Thread.interrupted();
      }
      assertEquals(2, store.append(events(3, 2)), "the segment still takes writes");
      assertEquals(names(0, 5), readAll(store));
    }
  }

  @Test
  void F17b_aLinkOrAFifoNamedLikeASegmentOrTheCheckpointIsSkippedAndReportedNeverOpened() throws Exception {
    Path elsewhere = Files.writeString(directory.resolve("elsewhere.txt"), "not a segment");
    Files.createSymbolicLink(directory.resolve("0000000000000000001.seg"), elsewhere);
    mkfifo(directory.resolve("0000000000000000002.seg"));
    mkfifo(directory.resolve(Checkpoint.FILE));
    SpillStore store = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> open(1 << 20));
    try (store) {
      assertEquals(3, store.damage().stream().filter(damage -> damage.why().contains("not a regular file")).count(),
          store.damage().toString());
      assertEquals(1, store.append(events(0, 1)));
    }
  }

  private static void mkfifo(Path path) throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertTrue(mkfifo.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo " + path);
  }

  @Test
  void F17_recordsComeBackInOrderAcrossSegmentsAndEachSegmentIsDeletedOnceAllOfItIsConfirmed() throws Exception {
    try (SpillStore store = open(1 << 20)) { // 64 KiB segments
      assertEquals(5000, store.append(events(0, 5000)));
      assertTrue(segmentFiles() > 5, "several segments: " + segmentFiles());
      List<String> read = readAll(store);
      assertEquals(names(0, 5000), read);
      assertFalse(store.hasUnread());
      store.confirm(2500);
      assertEquals(2500, store.pendingRecords());
      long halfway = segmentFiles();
      store.confirm(2500);
      assertEquals(0, store.pendingRecords());
      assertEquals(0, segmentFiles(), "all sent: no segment left (" + halfway + " at half)");
      assertEquals(0, store.bytesOnDisk());
      assertEquals(3, store.append(events(5000, 3)), "appends go on after everything was deleted");
      assertEquals(names(5000, 3), readAll(store));
    }
  }

  @Test
  void F17_aSpillLeftByACrashIsRecoveredWholeAndItsAgeIsThatOfItsOldestEvent() throws Exception {
    SpillStore crashed = open(1 << 20);
    crashed.append(events(0, 300));
    clock.addAndGet(5_000);
    crashed.append(events(300, 300));
    readAll(crashed); // Read but never confirmed: the process dies with them in hand.
    crashed.confirm(100);
    crashed.close(); // Releases the lock as the death of the process would; no checkpoint written.

    try (SpillStore store = open(1 << 20)) {
      assertTrue(store.damage().isEmpty(), store.damage().toString());
      assertEquals(600, store.pendingRecords(), "without a clean close, a partly sent segment goes again");
      assertEquals(1_000_000, store.oldestPendingMillis());
      assertEquals(names(0, 600), readAll(store));
    }
  }

  @Test
  void F17_aCleanCloseKeepsWhatWasNotSentWithOlderRecordsFirstAndTheNextRunSendsNothingTwice() throws Exception {
    SpillStore first = open(1 << 20);
    first.append(events(10, 90));
    readAll(first);
    first.confirm(40); // event-10 .. event-49 sent
    assertEquals(new SpillStore.Closing(0, null), first.closeKeeping(List.of(new SpillStore.Held(0, events(0, 10))),
        events(100, 5)));

    try (SpillStore store = open(1 << 20)) {
      assertEquals(65, store.pendingRecords());
      List<String> expected = new ArrayList<>(names(0, 10));
      expected.addAll(names(50, 50));
      expected.addAll(names(100, 5));
      assertEquals(expected, readAll(store));
    }
  }

  @Test
  void F17_aCheckpointInsideARecordIsIgnoredAndReportedTheSegmentIsSentWholeNotDiscarded() throws Exception {
    SpillStore first = open(1 << 20);
    first.append(events(0, 50));
    readAll(first);
    first.confirm(10);
    first.closeKeeping(List.of(), List.of());
    String[] checkpoint = Files.readString(directory.resolve(Checkpoint.FILE)).trim().split(" ");
    Files.writeString(directory.resolve(Checkpoint.FILE), checkpoint[0] + " " + (Long.parseLong(checkpoint[1]) + 3));

    try (SpillStore store = open(1 << 20)) {
      assertEquals(names(0, 50), readAll(store), "resent whole: duplicates, never a loss");
      assertTrue(store.damage().stream().anyMatch(damage -> damage.why().contains("not at a record's start")),
          store.damage().toString());
    }
  }

  @Test
  void F17_recordsTheSenderTookFromMemoryBetweenTwoSpilledRunsGoBackBetweenThem() throws Exception {
    SpillStore first = open(1 << 20);
    first.append(events(0, 20)); // The first run, all read by the sender, five of it sent.
    readAll(first);
    first.confirm(5);
    // The sender then took event-20 .. event-29 from memory; the spill began again with event-30.
    first.startNewRun();
    first.append(events(30, 20));
    assertEquals(new SpillStore.Closing(0, null), first.closeKeeping(List.of(new SpillStore.Held(15, events(20, 10))),
        events(50, 3)));

    try (SpillStore store = open(1 << 20)) {
      assertEquals(names(5, 48), readAll(store));
    }
  }

  /** The one segment a run that spilled event-00000 .. event-00019 and died left behind. */
  private Path twentyEventsLeftByACrash() throws IOException {
    SpillStore crashed = open(1 << 20);
    crashed.append(events(0, 20));
    crashed.close();
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(SegmentNames::isSegment).findFirst().orElseThrow();
    }
  }

  @Test
  void F17_aTornLastRecordIsSkippedAndReportedWithItsSizeAndEverythingBeforeItIsKept() throws Exception {
    Path segment = twentyEventsLeftByACrash();
    long size = Files.size(segment);
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.truncate(size - 30); // The last write was cut off.
    }

    try (SpillStore store = open(1 << 20)) {
      assertEquals(19, store.pendingRecords());
      assertEquals(1, store.damage().size());
      assertEquals(size - 30 - (8 + 19 * RECORD_BYTES), store.damage().get(0).skippedBytes());
      assertEquals("a record cut short", store.damage().get(0).why());
      assertEquals(names(0, 19), readAll(store));
    }
  }

  @Test
  void F17_aCorruptLastRecordFailsItsChecksumAndIsSkipped() throws Exception {
    Path segment = twentyEventsLeftByACrash();
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(new byte[] {'#'}), Files.size(segment) - 5);
    }

    try (SpillStore store = open(1 << 20)) {
      assertEquals(19, store.pendingRecords());
      assertEquals("a checksum mismatch", store.damage().get(0).why());
      assertEquals(RECORD_BYTES, store.damage().get(0).skippedBytes());
      assertEquals(names(0, 19), readAll(store));
    }
  }

  @Test
  void F17_atMaxSpillSizeTheNewestAreRefusedAndTheSpillNeverGrowsBeyondIt() throws Exception {
    try (SpillStore store = open(64 << 10)) {
      int appended = store.append(events(0, 1000));
      assertTrue(appended > 400 && appended < 1000, "appended " + appended);
      assertTrue(store.bytesOnDisk() <= 64 << 10, "bytes " + store.bytesOnDisk());
      assertEquals(0, store.append(events(1000, 1)));
      assertEquals(names(0, appended), readAll(store));
    }
  }

  @Test
  void F17_oneOwnerPerDirectory() throws Exception {
    try (SpillStore owner = open(1 << 20)) {
      SpillStore.LockedException refused = assertThrows(SpillStore.LockedException.class, () -> open(1 << 20));
      assertTrue(refused.getMessage().contains(directory.toString()), refused.getMessage());
    }
    open(1 << 20).close(); // Free again once the owner closed.
  }
}
