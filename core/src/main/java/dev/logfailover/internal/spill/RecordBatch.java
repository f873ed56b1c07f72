package dev.logfailover.internal.spill;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Records on their way to the spill, framed as a segment stores them ({@link SegmentFile}: a
 * 16-byte header, then the bytes) one after the other in one reused direct buffer, each stamped
 * with the batch's millis. The spill's writer copies a burst from the queue straight into it, and
 * a segment writes a run of it with one system call: no array per event, no second copy.
 *
 * <p>Not thread-safe: one writer fills and appends it.
 */
public final class RecordBatch {
  private static final int INITIAL_BYTES = 256 << 10;
  /** A buffer grown past this (a burst of large events) is let go once the batch is cleared. */
  private static final int RETAINED_BYTES = 8 << 20;

  private ByteBuffer framed = ByteBuffer.allocateDirect(INITIAL_BYTES);
  /** Where each framed record ends in {@code framed}. */
  private int[] ends = new int[256];
  private int size;
  private long millis;
  private final CRC32C crc = new CRC32C();
  private final ByteBuffer millisBytes = ByteBuffer.allocate(Long.BYTES);

  /** A batch of {@code records}, in order, stamped {@code millis}. */
  public static RecordBatch of(List<byte[]> records, long millis) {
    RecordBatch batch = new RecordBatch();
    batch.stamp(millis);
    for (byte[] record : records) {
      batch.add(record, 0, record.length);
    }
    return batch;
  }

  /** The written-at millis of the records added from now on (before the first). */
  public void stamp(long writtenAtMillis) {
    this.millis = writtenAtMillis;
    millisBytes.putLong(0, writtenAtMillis);
  }

  /** Frames {@code length} bytes of {@code source} from {@code offset} in as the next record. */
  public void add(byte[] source, int offset, int length) {
    int needed = SegmentFile.RECORD_HEADER_BYTES + length;
    if (framed.remaining() < needed) {
      ByteBuffer larger = ByteBuffer.allocateDirect(Math.max(framed.position() + needed, 2 * framed.capacity()));
      larger.put(framed.flip());
      framed = larger;
    }
    if (size == ends.length) {
      ends = java.util.Arrays.copyOf(ends, 2 * size);
    }
    int checksum = SegmentFile.checksum(crc, millisBytes.array(), source, offset, length);
    framed.putInt(length).putInt(checksum).putLong(millis).put(source, offset, length);
    ends[size++] = framed.position();
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Bytes record {@code index} takes on disk, its header included. */
  long framedBytes(int index) {
    return ends[index] - start(index);
  }

  private int start(int index) {
    return index == 0 ? 0 : ends[index - 1];
  }

  /** Records {@code from} (inclusive) to {@code to} (exclusive), framed: a view to write out. */
  ByteBuffer framed(int from, int to) {
    return framed.duplicate().limit(start(to)).position(start(from));
  }

  public void clear() {
    size = 0;
    framed.clear();
    if (framed.capacity() > RETAINED_BYTES) {
      framed = ByteBuffer.allocateDirect(INITIAL_BYTES);
    }
  }
}
