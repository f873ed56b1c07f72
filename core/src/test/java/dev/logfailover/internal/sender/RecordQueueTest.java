package dev.logfailover.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The queue is one ring of bytes: records in order and intact, both bounds (F13), no array per record. */
class RecordQueueTest {
  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static long offer(RecordQueue queue, String text) {
    byte[] record = bytes(text);
    return queue.offer(record, 0, record.length);
  }

  private static List<String> drain(RecordQueue queue, int maxRecords) {
    List<String> texts = new ArrayList<>();
    queue.drainTo((bytes, offset, length) -> texts.add(new String(bytes, offset, length, StandardCharsets.UTF_8)),
        maxRecords);
    return texts;
  }

  @Test
  void aRecordIsCopiedSoTheCallerMayReuseItsBufferAtOnce() {
    RecordQueue queue = new RecordQueue(10, 1000, 100);
    byte[] reused = new byte[16];
    for (char c = 'a'; c <= 'c'; c++) {
      Arrays.fill(reused, (byte) c);
      queue.offer(reused, 4, 3);
    }
    assertThat(drain(queue, 10)).containsExactly("aaa", "bbb", "ccc");
  }

  @Test
  void F13_bothBoundsHoldAndADrainMakesRoomAgain() {
    RecordQueue queue = new RecordQueue(3, 10, 10);
    assertThat(offer(queue, "12345")).isEqualTo(0);
    assertThat(offer(queue, "123456")).as("11 bytes would pass maxQueueBytes").isNegative();
    assertThat(offer(queue, "1234")).isEqualTo(1);
    assertThat(offer(queue, "")).isEqualTo(2);
    assertThat(offer(queue, "")).as("a fourth record would pass queueSize").isNegative();
    assertThat(queue.size()).isEqualTo(3);
    assertThat(queue.bytes()).isEqualTo(9);
    assertThat(drain(queue, 1)).containsExactly("12345");
    assertThat(offer(queue, "123456")).isEqualTo(3);
    assertThat(drain(queue, 10)).containsExactly("1234", "", "123456");
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void aRecordThatDoesNotFitBeforeTheEndStartsAgainAtTheBeginningAndOrderIsKept() {
    RecordQueue queue = new RecordQueue(100, 100, 40);
    Deque<String> expected = new ArrayDeque<>();
    Random random = new Random(12);
    int next = 0;
    // Every offer the bounds allow must succeed, however the ring has wrapped.
    for (int step = 0; step < 20_000; step++) {
      if (random.nextInt(3) > 0) {
        String text = (next++ + "-" + "x".repeat(40)).substring(0, random.nextInt(41));
        boolean allowed = expected.size() < 100 && queue.bytes() + text.length() <= 100;
        assertThat(offer(queue, text) >= 0).as("step %d: %d records, %d bytes, %d more", step, expected.size(),
            queue.bytes(), text.length()).isEqualTo(allowed);
        if (allowed) {
          expected.add(text);
        }
      } else {
        for (String text : drain(queue, 1 + random.nextInt(5))) {
          assertThat(text).isEqualTo(expected.poll());
        }
      }
    }
    assertThat(drain(queue, Integer.MAX_VALUE)).containsExactlyElementsOf(expected);
    assertThat(queue.ringCapacity()).as("the ring holds maxQueueBytes plus the largest record, no more")
        .isLessThanOrEqualTo(140);
  }

  @Test
  void anEmptyRecordThatClosesTheGapUpToTheOldestDoesNotLetTheNextOneOverwriteIt() {
    // A ring below its limit (64 KiB of 1 MiB) wraps with room left under the bounds, so the
    // records at its start can reach the oldest one exactly; an empty record then starts there.
    RecordQueue queue = new RecordQueue(1000, 1 << 20, 1024);
    byte[] record = new byte[1024];
    for (int i = 0; i < 64; i++) {
      Arrays.fill(record, (byte) i);
      queue.offer(record, 0, record.length);
    }
    assertThat(queue.ringCapacity()).isEqualTo(64 * 1024);
    assertThat(queue.drainTo(new ArrayList<>(), 2)).isEqualTo(2);
    Arrays.fill(record, (byte) 'X');
    queue.offer(record, 0, record.length);
    queue.offer(record, 0, record.length);
    queue.offer(record, 0, 0);
    queue.offer(bytes("after the empty one"), 0, 19);

    List<byte[]> drained = new ArrayList<>();
    queue.drainTo(drained, Integer.MAX_VALUE);
    assertThat(drained).hasSize(62 + 4);
    for (int i = 2; i < 64; i++) {
      byte[] expected = new byte[1024];
      Arrays.fill(expected, (byte) i);
      assertThat(Arrays.equals(drained.get(i - 2), expected)).as("record %d is intact", i).isTrue();
    }
    assertThat(drained.get(64)).isEmpty();
    assertThat(new String(drained.get(65), StandardCharsets.UTF_8)).isEqualTo("after the empty one");
  }

  @Test
  void theRingFollowsTheBacklogAndGivesAnOutagesMemoryBackOnceEmpty() {
    RecordQueue queue = new RecordQueue(1_000_000, 64L << 20, 1 << 20);
    byte[] record = new byte[1000];
    queue.offer(record, 0, record.length);
    assertThat(queue.ringCapacity()).as("a small backlog, a small ring").isEqualTo(64 * 1024);
    for (int i = 0; i < 9_999; i++) {
      queue.offer(record, 0, record.length);
    }
    assertThat(queue.ringCapacity()).isGreaterThan(RecordQueue.RETAINED_RING_BYTES);
    assertThat(queue.drainTo(new ArrayList<>(), Integer.MAX_VALUE)).isEqualTo(10_000);
    assertThat(queue.ringCapacity()).isZero();
    queue.offer(record, 0, record.length);
    assertThat(drain(queue, 1)).hasSize(1);
  }

  @Test
  void aRecordTakenBackBeforeAnyDrainIsSkippedAndOnlyOnce() {
    RecordQueue queue = new RecordQueue(10, 1000, 100);
    offer(queue, "first");
    long second = offer(queue, "second");
    offer(queue, "third");
    assertThat(queue.remove(second)).isTrue();
    assertThat(queue.remove(second)).as("already taken back").isFalse();
    assertThat(drain(queue, 10)).containsExactly("first", "third");
    long fourth = offer(queue, "fourth");
    assertThat(drain(queue, 10)).containsExactly("fourth");
    assertThat(queue.remove(fourth)).as("a drain took it first").isFalse();
  }

  @Test
  void loggingThreadsQueueWhileADrainCopiesItsBatchOutAndAGrowthMeanwhileKeepsThatBatchIntact() throws Exception {
    RecordQueue queue = new RecordQueue(1000, 1_000_000, 1000);
    offer(queue, "zero");
    offer(queue, "first");
    long second = offer(queue, "second");
    assertThat(drain(queue, 1)).as("so the batch does not start at the ring's start").containsExactly("zero");
    CountDownLatch copying = new CountDownLatch(1);
    CountDownLatch queuedMeanwhile = new CountDownLatch(1);
    List<String> drained = new ArrayList<>();
    Thread sender = new Thread(() -> queue.drainTo((bytes, offset, length) -> {
      drained.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
      copying.countDown();
      awaitOrFail(queuedMeanwhile);
    }, 10));
    sender.start();
    assertThat(copying.await(10, TimeUnit.SECONDS)).isTrue();
    boolean[] tookBack = {true};
    Thread racingHandOff = new Thread(() -> tookBack[0] = queue.remove(second));
    racingHandOff.start();
    awaitBlocked(racingHandOff);
    byte[] large = new byte[900];
    Arrays.fill(large, (byte) 'x');
    for (int i = 0; i < 100; i++) { // 90 KB: the 64 KiB ring grows while the batch is copied
      assertThat(queue.offer(large, 0, large.length)).isNotNegative();
    }
    assertThat(queue.ringCapacity()).isGreaterThan(64 * 1024);
    assertThat(racingHandOff.isAlive()).as("a take-back waits for the copy to end").isTrue();
    queuedMeanwhile.countDown();
    sender.join(10_000);
    racingHandOff.join(10_000);
    assertThat(tookBack[0]).as("the drain has taken it").isFalse();
    assertThat(drained).containsExactly("first", "second");
    assertThat(queue.size()).isEqualTo(100);
    assertThat(drain(queue, 1000)).hasSize(100).allMatch(text -> text.equals(new String(large, StandardCharsets.UTF_8)));
  }

  /** Gives {@code thread} up to 10 s to come to wait for a monitor, or to end. */
  private static void awaitBlocked(Thread thread) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.BLOCKED && thread.isAlive() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  private static void awaitOrFail(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void aSinkThatFailsMidwayLeavesTheRecordsItDidNotTakeQueuedInOrder() {
    RecordQueue queue = new RecordQueue(10, 1000, 100);
    offer(queue, "first");
    long second = offer(queue, "second");
    offer(queue, "third");
    offer(queue, "fourth");
    queue.remove(second);
    List<String> taken = new ArrayList<>();
    try {
      queue.drainTo((bytes, offset, length) -> {
        if (taken.size() == 2) {
          throw new IllegalStateException("sink full");
        }
        taken.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
      }, 10);
    } catch (IllegalStateException expected) {
      // the drain passes the sink's failure on
    }
    assertThat(taken).containsExactly("first", "third");
    assertThat(queue.size()).isEqualTo(1);
    assertThat(drain(queue, 10)).containsExactly("fourth");
  }

  @Test
  void aRecordTakenBackWhileADrainCopiesItIsTakenBackIfThatDrainsSinkFailsBeforeIt() throws Exception {
    RecordQueue queue = new RecordQueue(10, 1000, 100);
    offer(queue, "first");
    long second = offer(queue, "second");
    offer(queue, "third");
    boolean[] tookBack = new boolean[1];
    Thread racingHandOff = new Thread(() -> tookBack[0] = queue.remove(second));
    List<String> taken = new ArrayList<>();
    try {
      queue.drainTo((bytes, offset, length) -> {
        if (taken.isEmpty()) {
          taken.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
          racingHandOff.start();
          awaitBlocked(racingHandOff);
          return;
        }
        throw new IllegalStateException("sink full"); // before "second"
      }, 10);
    } catch (IllegalStateException expected) {
      // the drain passes the sink's failure on
    }
    racingHandOff.join(10_000);
    assertThat(taken).containsExactly("first");
    assertThat(tookBack[0]).as("second was never handed over, so it is still there to take back").isTrue();
    assertThat(drain(queue, 10)).containsExactly("third");
  }

  @Test
  void twoLoggingThreadsAndADrainingThreadLoseNothingAndKeepEachThreadsOrder() throws Exception {
    RecordQueue queue = new RecordQueue(500, 20_000, 200);
    int perThread = 100_000;
    List<Thread> loggers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      String thread = "t" + t;
      loggers.add(new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          byte[] record = bytes(thread + " " + i + " " + "y".repeat(i % 150));
          long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          try {
            long sequence;
            while ((sequence = queue.offer(record, 0, record.length)) < 0 && System.nanoTime() < giveUpAt) {
              queue.awaitRoom(record.length, TimeUnit.MILLISECONDS.toNanos(1));
            }
            assertThat(sequence).isNotNegative();
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
        }
      }));
    }
    loggers.forEach(Thread::start);
    int[] nextOf = new int[2];
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while ((nextOf[0] < perThread || nextOf[1] < perThread) && System.nanoTime() < deadline) {
      for (String text : drain(queue, 64)) {
        String[] parts = text.split(" ", 3);
        int thread = parts[0].charAt(1) - '0';
        int number = Integer.parseInt(parts[1]);
        assertThat(number).as("thread %d's next", thread).isEqualTo(nextOf[thread]);
        assertThat(parts.length == 3 ? parts[2] : "").isEqualTo("y".repeat(number % 150));
        nextOf[thread]++;
      }
    }
    for (Thread logger : loggers) {
      logger.join(10_000);
    }
    assertThat(nextOf).containsExactly(perThread, perThread);
    assertThat(queue.isEmpty()).isTrue();
  }
}
