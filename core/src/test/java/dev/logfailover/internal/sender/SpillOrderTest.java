package dev.logfailover.internal.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logfailover.SpillSettings;
import dev.logfailover.internal.concurrent.Doorbell;
import dev.logfailover.internal.spill.SpillStore;
import dev.logfailover.internal.transport.Outbox;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeTicker;
import dev.logfailover.testing.RecordingFailoverListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F17's order at a stop, step by step on the sender's side of {@link Spill}: the records the sender
 * still holds, some read from disk and some taken from memory between two spilled runs, are kept
 * in the order they were logged.
 */
class SpillOrderTest {
  @TempDir Path directory;

  private static byte[] event(int number) {
    return ("event-" + number).getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> texts(List<byte[]> records) {
    return records.stream().map(record -> new String(record, StandardCharsets.UTF_8)).toList();
  }

  private static List<String> numbered(int from, int to) {
    List<String> names = new ArrayList<>();
    for (int i = from; i < to; i++) {
      names.add("event-" + i);
    }
    return names;
  }

  @Test
  void F17_aStopKeepsTheSendersBatchInOrderBetweenTheSpilledRunsItCameBetween() throws Exception {
    RecordQueue queue = new RecordQueue(1000, 1 << 20, 1 << 16);
    SpillSettings settings = SpillSettings.builder().directory(directory).build();
    Spill spill = new Spill(queue, settings, 1 << 16, "app", dev.logfailover.internal.spill.SpillIo.DISK, Doorbell.open(new FakeTicker()), new DiskIoShield(), new DropCounter(),
        new RecordingFailoverListener(), System::currentTimeMillis);
    spill.open(List.of(), "spill-writer");
    // The first run: every server down, event-0 .. event-99 go to disk.
    for (int i = 0; i < 100; i++) {
      offer(queue, event(i));
    }
    Await.until(() -> spill.spilledEvents() == 100, () -> "the first run spilled: " + spill.spilledEvents());
    // Connected: the sender reads the run back, has event-0 .. event-29 acknowledged, then takes
    // event-100 .. event-109 from memory once the spill is read to its end.
    List<byte[]> batch = new ArrayList<>();
    assertEquals(100, spill.drainTo(into(batch), 1000));
    spill.released(30);
    assertEquals(0, spill.drainTo(into(batch), 1000), "the spill read to its end: the queue is the source again");
    for (int i = 100; i < 110; i++) {
      offer(queue, event(i));
    }
    assertEquals(10, spill.drainTo(into(batch), 1000));
    assertEquals(numbered(0, 110), texts(batch));
    // The connection fails with the batch in hand; the spill begins again with event-110.
    spill.spillWhileDisconnected();
    for (int i = 110; i < 150; i++) {
      offer(queue, event(i));
    }
    Await.until(() -> queue.isEmpty(), () -> "the second run spilled");
    for (int i = 150; i < 155; i++) {
      offer(queue, event(i)); // Still in the queue at the stop, or moved: either way the newest.
    }

    assertEquals(new SpillStore.Closing(0, null), spill.close(new ArrayList<>(batch.subList(30, 110))));

    try (SpillStore kept = SpillStore.open(directory.resolve("app"), settings, System::currentTimeMillis)) {
      List<byte[]> next = new ArrayList<>();
      while (kept.read(next, 1000) > 0) {
        // All of it.
      }
      assertEquals(numbered(30, 155), texts(next));
    }
  }

  /** A sink that keeps a copy of each record it is given. */
  private static Outbox.RecordSink into(List<byte[]> records) {
    return (bytes, offset, length) -> records.add(Arrays.copyOfRange(bytes, offset, offset + length));
  }

  private static void offer(RecordQueue queue, byte[] record) {
    assertTrue(queue.offer(record, 0, record.length) >= 0, "queued");
  }
}
