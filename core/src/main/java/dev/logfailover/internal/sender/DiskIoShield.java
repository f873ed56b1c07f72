package dev.logfailover.internal.sender;

import java.io.IOException;

/**
 * Keeps an interrupt of the sender (an aborted stop or hand-off) out of its disk I/O: a FileChannel
 * closes itself when its thread is interrupted in the middle of a call, which would take the spill
 * down just when it must keep what was not sent (F17). An interrupt asked for while the sender is
 * inside {@link #run} is delivered when it leaves; one already pending is held back until then.
 *
 * <p>Thread-safe: {@link #interrupt} from any thread, {@link #run} on the thread it protects.
 */
final class DiskIoShield {
  /** Disk I/O that an interrupt would break. */
  @FunctionalInterface
  interface DiskAction<T> {
    T run() throws IOException;
  }

  /** Guarded by this: the thread inside {@link #run}, and whether an interrupt waits for it. */
  private Thread inside;
  private boolean held;

  /** Interrupts {@code thread} now, or as it leaves its disk I/O. */
  synchronized void interrupt(Thread thread) {
    if (thread == inside) {
      held = true;
    } else {
      thread.interrupt();
    }
  }

  <T> T run(DiskAction<T> action) throws IOException {
    Thread self = Thread.currentThread();
    synchronized (this) {
      inside = self;
      held |= Thread.interrupted();
    }
    try {
      return action.run();
    } finally {
      synchronized (this) {
        inside = null;
        if (held) {
          held = false;
          self.interrupt();
        }
      }
    }
  }
}
