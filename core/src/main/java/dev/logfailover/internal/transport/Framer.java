package dev.logfailover.internal.transport;

import dev.logfailover.Framing;
import java.nio.ByteBuffer;

/**
 * Writes one record with its framing (SPEC section 4). One trailing line separator ({@code \n} or
 * {@code \r\n}) that the encoder or layout appended ends the record: it is dropped first, never
 * escaped or doubled. Stateless; thread-safe.
 */
public final class Framer {
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

  /** CR and LF inside a record become {@code \r} and {@code \n}, so one event stays one line. */
  private static void putEscaped(byte[] bytes, int offset, int length, ByteBuffer out) {
    int runStart = offset;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      byte b = bytes[i];
      if (b == '\n' || b == '\r') {
        out.put(bytes, runStart, i - runStart).put((byte) '\\').put((byte) (b == '\n' ? 'n' : 'r'));
        runStart = i + 1;
      }
    }
    out.put(bytes, runStart, end - runStart);
  }

  private static void putDecimal(int value, ByteBuffer out) {
    if (value >= 10) {
      putDecimal(value / 10, out);
    }
    out.put((byte) ('0' + value % 10));
  }
}
