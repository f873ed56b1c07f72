package dev.logfailover.internal.transport;

import dev.logfailover.Framing;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes one record with its framing (SPEC section 4). One trailing line separator ({@code \n} or
 * {@code \r\n}) that the encoder or layout appended ends the record: it is dropped first, never
 * escaped or doubled. Stateless; thread-safe.
 */
public final class Framer {
  private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;
  /** {@code '\r' + 1} in every byte. */
  private static final long BELOW_LINE_BREAKS = 0x0101010101010101L * ('\r' + 1);

  private final Framing framing;

  public Framer(Framing framing) {
    this.framing = framing;
  }

  /** The most bytes {@link #frame} can write for a record of {@code length} bytes. */
  public int maxFramedLength(int length) {
    return framing == Framing.OCTET_COUNTING ? length + 11 : 2 * length + 1;
  }

  /** Appends the record of {@code length} bytes at {@code offset}, framed, to {@code out}, which has room for {@link #maxFramedLength}. */
  public void frame(byte[] bytes, int offset, int length, ByteBuffer out) {
    int kept = withoutTrailingLineSeparator(bytes, offset, length);
    if (framing == Framing.OCTET_COUNTING) {
      putDecimal(kept, out);
      out.put((byte) ' ').put(bytes, offset, kept);
    } else {
      putEscaped(bytes, offset, kept, out);
      out.put((byte) '\n');
    }
  }

  /**
   * The length of the record ({@code length} bytes at {@code offset}) without one trailing line
   * separator: the event as the encoder or layout wrote it, minus the end of line it may have
   * added (SPEC section 4, F15).
   */
  public static int withoutTrailingLineSeparator(byte[] bytes, int offset, int length) {
    if (length > 0 && bytes[offset + length - 1] == '\n') {
      length--;
      if (length > 0 && bytes[offset + length - 1] == '\r') {
        length--;
      }
    }
    return length;
  }

  /**
   * Whether the record is empty once its trailing line separator is dropped: an event with no
   * content. Octet counting cannot frame it (rsyslog takes a length of 0 as a framing error and
   * runs the next events together), so it is never queued. Reads no byte of a longer record.
   */
  public static boolean isEmpty(byte[] bytes, int offset, int length) {
    return length <= 2 && withoutTrailingLineSeparator(bytes, offset, length) == 0;
  }

  /** CR and LF inside a record become {@code \r} and {@code \n}, so one event stays one line. */
  private static void putEscaped(byte[] bytes, int offset, int length, ByteBuffer out) {
    int runStart = offset;
    int end = offset + length;
    int lineBreak;
    while ((lineBreak = indexOfLineBreak(bytes, runStart, end)) < end) {
      out.put(bytes, runStart, lineBreak - runStart).put((byte) '\\').put((byte) (bytes[lineBreak] == '\n' ? 'n' : 'r'));
      runStart = lineBreak + 1;
    }
    out.put(bytes, runStart, end - runStart);
  }

  /**
   * The index of the first CR or LF in {@code [from, end)}, or {@code end}. Eight bytes at a time,
   * looking closer only at a word with a byte below 14 (LF is 10, CR 13; a tab also stops it): the
   * scan ran byte by byte on every record framed by newline and was the sender's largest cost.
   */
  static int indexOfLineBreak(byte[] bytes, int from, int end) {
    int i = from;
    for (; i <= end - Long.BYTES; i += Long.BYTES) {
      if (hasByteBelowCarriageReturnPlusOne((long) WORDS.get(bytes, i))) {
        int lineBreak = firstLineBreak(bytes, i, i + Long.BYTES);
        if (lineBreak >= 0) {
          return lineBreak;
        }
      }
    }
    int lineBreak = firstLineBreak(bytes, i, end);
    return lineBreak >= 0 ? lineBreak : end;
  }

  /**
   * Whether a byte of {@code word} is below {@code '\r' + 1} (the classic bit trick, exact for
   * "any": bytes of 0x80 and above never count).
   */
  private static boolean hasByteBelowCarriageReturnPlusOne(long word) {
    return ((word - BELOW_LINE_BREAKS) & ~word & HIGH_BITS) != 0;
  }

  private static int firstLineBreak(byte[] bytes, int from, int end) {
    for (int i = from; i < end; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        return i;
      }
    }
    return -1;
  }

  private static void putDecimal(int value, ByteBuffer out) {
    if (value >= 10) {
      putDecimal(value / 10, out);
    }
    out.put((byte) ('0' + value % 10));
  }
}
