package dev.logfailover.internal.connection;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;

/**
 * The batch of records taken from the queue and not yet delivered. A record stays here, owned by
 * the engine, until the transport releases it: plain TCP once the kernel accepted all its bytes, an
 * acknowledging transport once the server acknowledged it. After a failure the undelivered records
 * are sent again, whole, to the next server; so only bytes the kernel had already accepted can be
 * lost with a dead server, and a record cut short by a failure reaches the next server whole.
 *
 * <p>Records are framed once, as they are taken, into one reusable buffer (no per-record garbage);
 * the raw records are kept too until the next batch, for {@link #takeUnreleased()}.
 * {@link #bytes()} is positioned at the first byte not yet accepted by the current connection.
 *
 * <p>Not thread-safe: confined to the sender thread.
 */
public final class Outbox {
  private static final int INITIAL_CAPACITY = 256 * 1024;

  private final Framer framer;
  private final int maxRecords;
  private ByteBuffer framed = ByteBuffer.allocateDirect(INITIAL_CAPACITY);
  /** ends[i] is the offset in {@link #framed} just past record i. */
  private int[] ends;
  private int count;
  private int released;
  private int releasedSinceLastTake;
  private byte[][] drained;
  /** Reused to receive each drain. */
  private final ArrayList<byte[]> batch;
  private final IdleBackoff idle = new IdleBackoff();

  public Outbox(Framer framer, int maxRecords) {
    this.framer = framer;
    this.maxRecords = maxRecords;
    this.ends = new int[maxRecords];
    this.drained = new byte[maxRecords][];
    this.batch = new ArrayList<>(maxRecords);
    framed.flip();
  }

  public boolean isEmpty() {
    return released == count;
  }

  /** Records taken and not yet released. */
  public int pending() {
    return count - released;
  }

  /**
   * When empty, takes up to a batch of records from {@code queue}, waiting up to {@code waitNanos}
   * for the first one. Returns how many were taken.
   *
   * <p>The wait never blocks inside the queue: a consumer parked there must be woken by the next
   * producer's offer, which puts a system call on the logging path for nearly every event when
   * the sender keeps up. Instead it polls with its own backoff (see {@link IdleBackoff}); a stop or
   * a hand-over wakes the thread with {@code LockSupport.unpark}.
   */
  public int fill(BlockingQueue<byte[]> queue, long waitNanos) {
    if (!isEmpty()) {
      return 0;
    }
    queue.drainTo(batch, maxRecords);
    if (batch.isEmpty() && waitNanos > 0) {
      long deadline = System.nanoTime() + waitNanos;
      idle.reset();
      while (batch.isEmpty() && !Thread.currentThread().isInterrupted() && idle.pause(deadline)) {
        queue.drainTo(batch, maxRecords);
      }
    }
    if (batch.isEmpty()) {
      return 0;
    }
    int taken = batch.size();
    for (int i = 0; i < taken; i++) {
      drained[i] = batch.get(i);
    }
    batch.clear();
    frameAll(taken);
    return taken;
  }

  private void frameAll(int taken) {
    long needed = 0;
    for (int i = 0; i < taken; i++) {
      needed += framer.maxFramedLength(drained[i].length);
    }
    if (needed > framed.capacity()) {
      framed = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * framed.capacity())));
    }
    if (taken < count) {
      Arrays.fill(drained, taken, count, null);
    }
    framed.clear();
    for (int i = 0; i < taken; i++) {
      framer.frame(drained[i], framed);
      ends[i] = framed.position();
    }
    framed.flip();
    count = taken;
    released = 0;
  }

  /** The framed bytes still to be accepted by the transport. */
  public ByteBuffer bytes() {
    return framed;
  }

  /**
   * Releases every record whose bytes the transport has now accepted in full (up to the buffer's
   * position) and returns how many were released by this call.
   */
  public int releaseAccepted() {
    int position = framed.position();
    int before = released;
    while (released < count && ends[released] <= position) {
      released++;
    }
    releasedSinceLastTake += released - before;
    return released - before;
  }

  /** How many records were released since the previous call (for the sent counter). */
  public int takeReleasedCount() {
    int taken = releasedSinceLastTake;
    releasedSinceLastTake = 0;
    return taken;
  }

  /**
   * Gets ready to resend after a failed connection: rewinds to the start of the first unreleased
   * record, so it is sent again whole.
   */
  public void rewindToFirstUnreleased() {
    framed.position(released == 0 ? 0 : ends[released - 1]);
  }

  /**
   * Removes every unreleased record and returns them, raw and in order, so that another sender
   * can send them (a reconfiguration hands them over) or count them as dropped.
   */
  public List<byte[]> takeUnreleased() {
    List<byte[]> unreleased = new ArrayList<>(pending());
    for (int i = released; i < count; i++) {
      unreleased.add(drained[i]);
    }
    Arrays.fill(drained, 0, count, null);
    released = count = 0;
    framed.position(framed.limit());
    return unreleased;
  }
}
