package dev.logfailover.internal.transport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The batch of records taken from the queue and not yet sent. A record stays here, owned by the
 * engine, until the session releases it: plain TCP once the kernel accepted all its bytes, an
 * acknowledging transport once the server acknowledged it. Between the two marks are the records
 * a session wrote in full but has not released; after a failure they, and everything after them,
 * go again in order to the next server ({@link #rewind()}), which is where duplicates can come
 * from, and why they are counted as resent.
 *
 * <p>Invariant: {@code 0 <= released <= written <= size}.
 *
 * <p>Not thread-safe: confined to the sender thread.
 */
public final class Outbox {
  /** The arena a batch starts with, and the most it keeps between batches. */
  private static final int INITIAL_ARENA_BYTES = 64 * 1024;
  private static final int RETAINED_ARENA_BYTES = 4 * 1024 * 1024;

  private final int maxRecords;
  /**
   * The batch's records, copied back to back as they are taken: a source may reuse its memory
   * once a record is taken, and a batch in steady state allocates nothing.
   */
  private byte[] arena = new byte[INITIAL_ARENA_BYTES];
  private int arenaUsed;
  private final int[] offsets;
  private final int[] lengths;
  /** Made once: what sources copy records into. */
  private final RecordSink intoArena = this::append;
  private int size;
  private int written;
  private int released;
  private int releasedSinceLastTake;
  /** The record a server refused once ({@link #refuseOldest}), or -1. */
  private int refusedOnce = -1;
  /** Records written again on the same server since the previous take ({@link #writtenAgain}). */
  private int writtenAgainSinceLastTake;
  /** Where the current batch came from, for {@link #topUp()}. */
  private RecordSource source;
  /** Batches a server refused as bad requests since the previous take, with why (F16). */
  private final List<Rejection> rejections = new ArrayList<>();

  /** Records a server refused as a bad request: they leave the outbox unsent, counted as rejected. */
  public record Rejection(int count, String reason) {}

  public Outbox(int maxRecords) {
    this.maxRecords = maxRecords;
    this.offsets = new int[maxRecords];
    this.lengths = new int[maxRecords];
  }

  /** Every record taken has been released. */
  public boolean isEmpty() {
    return released == size;
  }

  /** Records taken and not yet released. */
  public int pending() {
    return size - released;
  }

  /** Where records come from: the engine's queue, its spill, or what a predecessor handed over. */
  @FunctionalInterface
  public interface RecordSource {
    /** Gives up to {@code maxRecords} records, oldest first, to {@code into}; returns how many. */
    int drainTo(RecordSink into, int maxRecords);
  }

  /** Takes one record, {@code length} bytes of {@code bytes} from {@code offset}, which it copies. */
  @FunctionalInterface
  public interface RecordSink {
    void add(byte[] bytes, int offset, int length);
  }

  /** When empty, takes up to a batch of records from {@code source}, without waiting; returns how many. */
  public int fill(RecordSource source) {
    if (!isEmpty()) {
      return 0;
    }
    this.source = source;
    size = written = released = 0;
    refusedOnce = -1;
    arenaUsed = 0;
    if (arena.length > RETAINED_ARENA_BYTES) {
      arena = new byte[INITIAL_ARENA_BYTES]; // a batch of large records does not hold its memory for good
    }
    return source.drainTo(intoArena, maxRecords);
  }

  private void append(byte[] bytes, int offset, int length) {
    if (size == maxRecords) {
      throw new IllegalStateException("a source gave more records than it was asked for");
    }
    if (arena.length - arenaUsed < length) {
      arena = Arrays.copyOf(arena, (int) Math.min(Integer.MAX_VALUE - 8,
          Math.max(2L * arena.length, (long) arenaUsed + length)));
    }
    System.arraycopy(bytes, offset, arena, arenaUsed, length);
    offsets[size] = arenaUsed;
    lengths[size] = length;
    arenaUsed += length;
    size++;
  }

  /**
   * Adds to the batch what its source holds now, up to the batch's capacity, without waiting;
   * returns how many (a transport that lingers for a fuller batch, F16's {@code lingerTime}).
   */
  public int topUp() {
    if (source == null || size == maxRecords) {
      return 0;
    }
    return source.drainTo(intoArena, maxRecords - size);
  }

  /** How many records a batch holds at most. */
  public int capacity() {
    return maxRecords;
  }

  /** Records in this batch. */
  public int size() {
    return size;
  }

  /**
   * The array that holds record {@code index}, at {@link #recordOffset}; valid until the next
   * {@link #fill} or {@link #topUp}, which may move the records to a larger one.
   */
  public byte[] recordBytes(int index) {
    return arena;
  }

  public int recordOffset(int index) {
    return offsets[index];
  }

  public int recordLength(int index) {
    return lengths[index];
  }

  /** Index of the first record this session has not written in full. */
  public int written() {
    return written;
  }

  /** Index of the first record not released. */
  public int released() {
    return released;
  }

  /** Records before {@code end} were written in full on the current session. */
  public void markWritten(int end) {
    written = Math.max(written, Math.min(end, size));
  }

  /** Records before {@code end} are sent in the transport's meaning: they leave the outbox. */
  public void release(int end) {
    int bounded = Math.min(end, size);
    if (bounded > released) {
      releasedSinceLastTake += bounded - released;
      released = bounded;
      written = Math.max(written, released);
    }
  }

  /**
   * Records before {@code end} were refused by the server as a bad request (an HTTP 4xx, F16): they
   * leave the outbox without counting as sent, and are never sent again.
   */
  public void reject(int end, String reason) {
    int bounded = Math.min(end, size);
    if (bounded > released) {
      rejections.add(new Rejection(bounded - released, reason));
      released = bounded;
      written = Math.max(written, released);
    }
  }

  /**
   * A server refused the oldest unreleased record by itself (a RELP {@code rsp} other than 200):
   * the first time, this returns false and the server is failed, so the record goes to the next
   * one (F2); refused again, by whichever server, the record is rejected (counted, with {@code
   * reason}), returns true, and the session goes on. A record no server takes is not resent for
   * ever.
   */
  public boolean refuseOldest(String reason) {
    if (refusedOnce == released) {
      refusedOnce = -1;
      reject(released + 1, reason);
      return true;
    }
    refusedOnce = released;
    return false;
  }

  /**
   * Records from the first unreleased one up to {@code end} go again on the same server (a request
   * retried on a fresh connection): the server may have had them, so they count as resent.
   */
  public void writtenAgain(int end) {
    writtenAgainSinceLastTake += Math.max(0, Math.min(end, size) - released);
  }

  /** How many records were written again since the previous call (for the resent counter). */
  public int takeWrittenAgainCount() {
    int taken = writtenAgainSinceLastTake;
    writtenAgainSinceLastTake = 0;
    return taken;
  }

  /** The rejections since the previous call (for the rejected counter and its report). */
  public List<Rejection> takeRejections() {
    if (rejections.isEmpty()) {
      return List.of();
    }
    List<Rejection> taken = List.copyOf(rejections);
    rejections.clear();
    return taken;
  }

  /** How many records were released since the previous call (for the sent counter). */
  public int takeReleasedCount() {
    int taken = releasedSinceLastTake;
    releasedSinceLastTake = 0;
    return taken;
  }

  /**
   * After a failed session: the next session starts again at the first unreleased record. Returns
   * how many records had been written in full and not released: they are sent again (F14's
   * {@code resent}).
   */
  public int rewind() {
    int resent = written - released;
    written = released;
    return resent;
  }

  /**
   * Removes every unreleased record and returns them, raw and in order, so that another sender
   * can send them (a reconfiguration hands them over) or count them as dropped.
   */
  public List<byte[]> takeUnreleased() {
    List<byte[]> unreleased = new ArrayList<>(size - released);
    for (int i = released; i < size; i++) {
      unreleased.add(Arrays.copyOfRange(arena, offsets[i], offsets[i] + lengths[i]));
    }
    size = written = released = 0;
    refusedOnce = -1;
    return unreleased;
  }
}
