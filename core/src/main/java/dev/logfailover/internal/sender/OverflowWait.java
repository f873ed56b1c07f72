package dev.logfailover.internal.sender;

import dev.logfailover.internal.concurrent.Ticker;

/**
 * What a logging call does when the queue is full (F9, F17). Under {@code block} it waits up to
 * {@code maxBlock} for a drain to make room. With a spill that takes records ({@link
 * SpillWriter#isAbsorbing}), it waits for the spill's writer whatever the policy: the writer moves the
 * queue to the page cache at memory speed (with {@code spillSync always}, one flush per batch of
 * up to 4,096 events), so a burst costs the caller that speed, not events. The spill stops taking
 * records when it is full, when a write failed a moment ago, or when a write has stalled for
 * {@link SpillWriter#STALLED_WRITE_NANOS} (a frozen disk): the policy applies again at once.
 *
 * <p>Threading: logging threads; immutable.
 */
final class OverflowWait {
  private final RecordQueue queue;
  /** {@code maxBlock} under {@code block}, else 0. */
  private final long maxBlockNanos;
  private final Ticker ticker;

  OverflowWait(RecordQueue queue, long maxBlockNanos, Ticker ticker) {
    this.queue = queue;
    this.maxBlockNanos = maxBlockNanos;
    this.ticker = ticker;
  }

  /** Queues the record once there is room, as above; its sequence number, or -1 to drop it. */
  long offer(byte[] bytes, int offset, int length, SpillWriter spill) {
    long now = ticker.nanoTime();
    long deadline = now + maxBlockNanos;
    // However the spill looks, one call waits for it at most this long: a writer that makes no room goes unwaited for.
    long spillDeadline = now + SpillWriter.STALLED_WRITE_NANOS;
    try {
      while (true) {
        long sequence = queue.offer(bytes, offset, length);
        if (sequence >= 0) {
          return sequence;
        }
        // The clock is read once per round: a deadline that passes between two reads must not
        // turn into a wait of zero (for ever) or less (an exception).
        long at = ticker.nanoTime();
        if (spill != null && spill.isAbsorbing() && spillDeadline - at > 0) {
          spill.wakeUp();
          queue.awaitRoom(length, Math.min(spillDeadline - at, ticker.realWaitNanos(spillDeadline)));
        } else if (deadline - at > 0) {
          queue.awaitRoom(length, Math.min(deadline - at, ticker.realWaitNanos(deadline)));
        } else {
          return -1;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
