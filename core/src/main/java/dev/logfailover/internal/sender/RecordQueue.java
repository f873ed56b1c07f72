package dev.logfailover.internal.sender;

import dev.logfailover.internal.transport.Outbox;
import java.util.Arrays;
import java.util.List;

/**
 * The bounded queue between the logging threads and the sender (F9, F13): at most {@code
 * queueSize} records and {@code maxQueueBytes} bytes, whichever is reached first. Records are
 * copied into one ring of bytes, so queueing an event allocates nothing: a logging thread may pass
 * a buffer it reuses (Log4j2's garbage-free layouts), and the sender copies records out into its
 * batch ({@link Outbox}). A record is never split: one that does not fit before the ring's end
 * starts again at its beginning, and the ring is {@code maxRecordSize} larger than {@code
 * maxQueueBytes}, so the space that skipping leaves never refuses a record the bounds allow.
 *
 * <p>The ring starts small and doubles, up to that size, when a record would not fit: memory
 * follows the largest backlog, not the bounds. A ring grown past {@link #RETAINED_RING_BYTES}
 * (an outage's backlog) is given back once it is empty again.
 *
 * <p>Thread-safe: {@link #offer} from any number of logging threads, and the drains from the
 * sender (and from the spill's writer, or a stopping or handing-off thread), take this queue's
 * monitor, held only to copy one record in, or to choose or free a batch. A drain copies its batch
 * out without it, so queueing an event never waits for that copy; the batch keeps its room until
 * then, and a ring grown meanwhile leaves the old one as it was. Drains take {@code
 * drainMonitor} too, one at a time, and so does the rare {@link #remove}, which waits for a drain's
 * copy to end. {@link #isHalfFull()}, {@link #size()} and {@link #bytes()} are one volatile read.
 */
final class RecordQueue implements Outbox.RecordSource {
  private static final int INITIAL_RING_BYTES = 64 * 1024;
  static final int RETAINED_RING_BYTES = 4 * 1024 * 1024;
  private static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  /** The occupancy word: records above this many bits, bytes below. */
  private static final int RECORD_SHIFT = 40;
  private static final long BYTES_MASK = (1L << RECORD_SHIFT) - 1;
  /** The largest {@code queueSize} the occupancy word holds. */
  static final int MAX_RECORDS = (1 << 23) - 1;

  private final int maxRecords;
  private final long maxBytes;
  /** The ring never grows beyond this: {@code maxQueueBytes} plus the largest record. */
  private final int ringLimit;

  // Guarded by this.
  private byte[] ring = new byte[0];
  /**
   * Each queued record's place (see {@link #place}), in queue order from {@code head}. One array,
   * not one for starts and one for lengths: a logging thread's {@link #offer} then writes one cache
   * line fewer that the others and the sender also write, which measured faster with two threads.
   * A record taken back by {@link #remove} keeps its place and its room, its length stored as
   * {@code ~length} (negative): drains skip it.
   */
  private final long[] slots;
  private int head;
  private int count;
  /** Where the oldest record starts, and where the next one's bytes go. */
  private int headByte;
  private int tailByte;
  private long bytes;
  /** The sequence number of the record at {@code head}; a record's number is given by {@link #offer}. */
  private long headSequence;
  /**
   * The sequence number of the record that last started again at the ring's beginning: while the
   * head is older than it, the records wrap past the ring's end. Kept rather than worked out from
   * where the records start, which an empty record makes ambiguous (it may start right at the
   * oldest one), and which would read a line of {@code slots} that another thread wrote.
   */
  private long wrapSequence;

  /** Held by a drain from choosing its batch to freeing it, and by {@link #remove}, which waits for that. */
  private final Object drainMonitor = new Object();
  /** The places of the batch being copied out; guarded by {@code drainMonitor}. */
  private long[] batch = new long[64];

  /** Records shifted by {@link #RECORD_SHIFT}, plus bytes: written under this queue's monitor, read anywhere. */
  private volatile long occupancy;
  /** Where callers under {@code block} wait for a drain to make room. */
  private final RoomWait roomWait = new RoomWait();

  RecordQueue(int maxRecords, long maxBytes, int maxRecordSize) {
    if (maxRecords > MAX_RECORDS || maxBytes > MAX_ARRAY_BYTES) {
      throw new IllegalArgumentException("queue bounds beyond what the configuration allows");
    }
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.ringLimit = (int) Math.min(MAX_ARRAY_BYTES, maxBytes + Math.min(maxRecordSize, maxBytes));
    this.slots = new long[maxRecords];
  }

  /**
   * Queues a copy of {@code length} bytes of {@code bytes} from {@code offset} if both bounds allow
   * it now; returns the record's sequence number (for {@link #remove}), or -1 if it did not fit.
   */
  synchronized long offer(byte[] bytes, int offset, int length) {
    if (count == maxRecords || this.bytes + length > maxBytes) {
      return -1;
    }
    int at = placeFor(length);
    if (at < 0) {
      return -1;
    }
    System.arraycopy(bytes, offset, ring, at, length);
    int slot = slot(count);
    slots[slot] = place(at, length);
    if (count == 0) {
      headByte = at;
    } else if (at != tailByte) {
      wrapSequence = headSequence + count;
    }
    tailByte = at + length;
    count++;
    this.bytes += length;
    publishOccupancy();
    return headSequence + count - 1;
  }

  /**
   * Waits until a drain makes room for a record of {@code length} bytes, or {@code nanos} pass, or
   * a millisecond in any case ({@link RoomWait}); the caller then offers again.
   */
  void awaitRoom(int length, long nanos) throws InterruptedException {
    roomWait.await(this, length, nanos);
  }

  /** Both bounds would take a record of {@code length} bytes now (one volatile read). */
  boolean hasRoomFor(int length) {
    long now = occupancy;
    return (now & BYTES_MASK) + length <= maxBytes && (now >>> RECORD_SHIFT) < maxRecords;
  }

  /** Where a record of {@code length} bytes goes, growing the ring if it must; -1 if it cannot. */
  private int placeFor(int length) {
    int at = freeRunFor(length);
    if (at < 0 && ring.length < ringLimit) {
      grow(length);
      at = freeRunFor(length);
    }
    return at;
  }

  /** The start of a free run of {@code length} bytes after the newest record, or -1. */
  private int freeRunFor(int length) {
    if (count == 0) {
      return length <= ring.length ? 0 : -1;
    }
    if (wrapSequence <= headSequence) {
      // In use: [headByte, tailByte). Free: the end, then (skipping what is left there) the start.
      if (ring.length - tailByte >= length) {
        return tailByte;
      }
      return headByte >= length ? 0 : -1;
    }
    // Wrapped: in use from headByte to the end's last record, and [0, tailByte).
    return headByte - tailByte >= length ? tailByte : -1;
  }

  /** A larger ring, the records copied to its start in order; room for {@code length} more at the end. */
  private void grow(int length) {
    long needed = bytes + length;
    byte[] larger = new byte[(int) Math.min(ringLimit, Math.max(needed, Math.max(INITIAL_RING_BYTES,
        2L * ring.length)))];
    int at = 0;
    for (int i = 0; i < count; i++) {
      int slot = slot(i);
      int recordLength = lengthOf(slot);
      System.arraycopy(ring, offsetOf(slot), larger, at, recordLength);
      slots[slot] = place(at, (int) slots[slot]);
      at += recordLength;
    }
    ring = larger;
    headByte = 0;
    tailByte = at;
    wrapSequence = headSequence;
  }

  private int slot(int index) {
    int slot = head + index;
    return slot >= maxRecords ? slot - maxRecords : slot;
  }

  /** A slot's value: where its record starts in the ring, above its length (or {@code ~length}, taken back). */
  private static long place(int offset, int length) {
    return (long) offset << 32 | (length & 0xFFFF_FFFFL);
  }

  private int offsetOf(int slot) {
    return (int) (slots[slot] >>> 32);
  }

  /** The bytes a slot's record takes in the ring, removed or not. */
  private int lengthOf(int slot) {
    int length = (int) slots[slot];
    return length < 0 ? ~length : length;
  }

  private void publishOccupancy() {
    occupancy = ((long) count << RECORD_SHIFT) | bytes;
  }

  /** Half of either bound is taken: the sender is falling behind, and a spill should begin (F17). */
  boolean isHalfFull() {
    long now = occupancy;
    return (now >>> RECORD_SHIFT) * 2 >= maxRecords || (now & BYTES_MASK) * 2 >= maxBytes;
  }

  /** Gives up to {@code maxRecords} records, oldest first, to {@code into}, which copies them outside the monitor. */
  @Override
  public int drainTo(Outbox.RecordSink into, int maxRecords) {
    return drainTo(into, maxRecords, Long.MAX_VALUE, 0);
  }

  /**
   * {@link #drainTo(Outbox.RecordSink, int)}, taking only the oldest records whose bytes, each
   * counted with {@code overheadPerRecord} more, add up to at most {@code maxBytes}.
   */
  int drainTo(Outbox.RecordSink into, int maxRecords, long maxBytes, int overheadPerRecord) {
    synchronized (drainMonitor) {
      byte[] from;
      int taken = 0;
      int inBatch = 0;
      long budget = maxBytes;
      synchronized (this) {
        from = ring;
        while (taken < maxRecords && inBatch < count) {
          long place = slots[slot(inBatch)];
          if ((int) place >= 0 && (budget -= (int) place + (long) overheadPerRecord) < 0) {
            break;
          }
          inBatch++;
          if ((int) place >= 0) {
            if (taken == batch.length) {
              batch = Arrays.copyOf(batch, 2 * taken);
            }
            batch[taken++] = place;
          }
        }
      }
      int handed = 0;
      try {
        while (handed < taken) {
          long place = batch[handed];
          into.add(from, (int) (place >>> 32), (int) place);
          handed++;
        }
      } finally {
        free(inBatch, handed);
      }
      return taken;
    }
  }

  /**
   * Frees the batch, the first {@code inBatch} records from the head, once the drain handed {@code
   * handed} of them over: all of it, or (if the sink failed) up to the first record not handed
   * over, which stays queued.
   */
  private void free(int inBatch, int handed) {
    synchronized (this) {
      int passed = 0;
      for (int i = 0; i < inBatch; i++) {
        if ((int) slots[head] >= 0 && passed++ == handed) {
          break;
        }
        takeHead();
      }
      afterDrain();
    }
    roomWait.roomFreed();
  }

  /** Moves up to {@code maxRecords} records, oldest first, to the end of {@code into} as arrays of their own. */
  int drainTo(List<byte[]> into, int maxRecords) {
    return drainTo((bytes, offset, length) -> into.add(Arrays.copyOfRange(bytes, offset, offset + length)),
        maxRecords);
  }

  private void takeHead() {
    int length = lengthOf(head);
    head = head + 1 == maxRecords ? 0 : head + 1;
    count--;
    bytes -= length;
    headSequence++;
    if (count > 0) {
      headByte = offsetOf(head);
    }
  }

  private void afterDrain() {
    if (count == 0) {
      headByte = tailByte = 0;
      if (ring.length > RETAINED_RING_BYTES) {
        ring = new byte[0]; // the outage's backlog is gone: so is its memory
      }
    }
    publishOccupancy();
  }

  /**
   * Takes back the record numbered {@code sequence} (a hand-off or a stop raced its caller) if no
   * drain took it yet; it keeps its room until a drain passes it. Waits for a drain copying its
   * batch out, so that the answer is exact: a record in that batch is taken once the copy is done,
   * unless the drain's sink failed before it, and then it is still here to be taken back.
   */
  boolean remove(long sequence) {
    synchronized (drainMonitor) {
      synchronized (this) {
        long index = sequence - headSequence;
        if (index < 0 || index >= count) {
          return false;
        }
        int slot = slot((int) index);
        int length = (int) slots[slot];
        if (length < 0) {
          return false;
        }
        slots[slot] = place(offsetOf(slot), ~length);
        return true;
      }
    }
  }

  /** The length of the oldest record still queued (one taken back is passed), or -1 if none is. */
  synchronized int headLength() {
    for (int i = 0; i < count; i++) {
      int length = (int) slots[slot(i)];
      if (length >= 0) {
        return length;
      }
    }
    return -1;
  }

  /** The ring's size now, for tests of its growth and release. */
  synchronized int ringCapacity() {
    return ring.length;
  }

  boolean isEmpty() {
    return occupancy == 0;
  }

  /** Records queued, a removed one included until a drain passes it. */
  int size() {
    return (int) (occupancy >>> RECORD_SHIFT);
  }

  long bytes() {
    return occupancy & BYTES_MASK;
  }
}
