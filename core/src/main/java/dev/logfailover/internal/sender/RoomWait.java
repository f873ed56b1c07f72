package dev.logfailover.internal.sender;

/**
 * Where logging threads under {@code block} wait for a drain of the {@link RecordQueue} to make
 * room. A waiter announces itself and then looks at the room once more, so a drain that freed room
 * before that look sees the announcement and wakes it: no wake-up is lost. A waiter also looks
 * again at least every {@link #RECHECK_NANOS} in any case. A drain with nobody waiting pays one
 * volatile read.
 *
 * <p>Threading: {@link #await} from logging threads, {@link #roomFreed} from draining threads.
 */
final class RoomWait {
  /** A waiting caller looks again at least this often. */
  private static final long RECHECK_NANOS = 1_000_000;

  private final Object monitor = new Object();
  private volatile int waiting;

  /** Waits, up to {@code remainingNanos} and the recheck interval, unless {@code queue} has room for {@code length} bytes. */
  void await(RecordQueue queue, int length, long remainingNanos) throws InterruptedException {
    synchronized (monitor) {
      waiting++;
      try {
        long wait = Math.min(remainingNanos, RECHECK_NANOS);
        if (wait > 0 && !queue.hasRoomFor(length)) { // wait(0, 0) would wait for ever
          monitor.wait(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      } finally {
        waiting--;
      }
    }
  }

  /** From a drain that freed room: wakes the waiting callers, if any. */
  void roomFreed() {
    if (waiting > 0) {
      synchronized (monitor) {
        monitor.notifyAll();
      }
    }
  }
}
