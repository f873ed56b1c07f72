package dev.logfailover.internal.transport;

import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads RELP frames from a server (librelp's doc/relp.md): {@code TXNR SP COMMAND SP DATALEN [SP
 * DATA] LF}. Parsing happens in place: a frame is exposed through {@link #txnr()}, {@link
 * #command()} and {@link #status()} without allocating, since a RELP client reads one response
 * per event; only {@link #text()} (for the open exchange and error messages) makes a string.
 *
 * <p>Not thread-safe: the sender thread's.
 */
final class RelpFrameReader {
  /** Responses carry a status and a short text; the open response its offers. Larger is an error. */
  private static final int MAX_DATA = 64 * 1024;
  /** TXNR and DATALEN have at most 9 digits (librelp's own bound). */
  private static final int MAX_DIGITS = 9;
  /** The longest header there is ({@link #checkPartial}), the data, its space and the LF. */
  private static final int MAX_FRAME = 64 + MAX_DIGITS + 1 + MAX_DATA + 2;

  private ByteBuffer in = ByteBuffer.allocate(8 * 1024);
  private int txnr;
  private final StringBuilder command = new StringBuilder(16);
  private int dataStart;
  private int dataLength;
  private int frameEnd = -1;

  /**
   * Reads what the wire has now; throws at the end of the stream. The buffer grows only while the
   * frame in it is not complete, and no valid frame is longer than {@link #MAX_FRAME} (F18).
   */
  void readFrom(Wire wire) throws IOException {
    if (in.position() == in.capacity()) {
      if (in.capacity() >= MAX_FRAME) {
        throw new ProtocolException(wire.server() + " sent a RELP frame longer than " + MAX_FRAME + " bytes");
      }
      ByteBuffer larger = ByteBuffer.allocate(Math.min(in.capacity() * 2, MAX_FRAME));
      in.flip();
      in = larger.put(in);
    }
    if (wire.readNow(in) < 0) {
      throw new EOFException(wire.server() + " closed the connection");
    }
  }

  /**
   * Moves to the next complete frame read so far; false if there is none yet. The previous frame
   * is gone after this call.
   */
  boolean next() throws ProtocolException {
    if (frameEnd >= 0) {
      in.flip().position(frameEnd);
      in.compact();
      frameEnd = -1;
    }
    int end = in.position();
    int at = 0;
    int txnrEnd = indexOf(' ', at, end);
    if (txnrEnd < 0) {
      return checkPartial(end);
    }
    txnr = number(at, txnrEnd, "TXNR");
    int commandEnd = indexOf(' ', txnrEnd + 1, end);
    if (commandEnd < 0) {
      return checkPartial(end - txnrEnd);
    }
    command.setLength(0);
    for (int i = txnrEnd + 1; i < commandEnd; i++) {
      command.append((char) in.get(i));
    }
    int lengthEnd = commandEnd + 1;
    while (lengthEnd < end && isDigit(in.get(lengthEnd))) {
      if (++lengthEnd - commandEnd > MAX_DIGITS + 1) {
        throw new ProtocolException("malformed RELP DATALEN: '" + text(commandEnd + 1, lengthEnd) + "'");
      }
    }
    if (lengthEnd == end) {
      return false;
    }
    dataLength = number(commandEnd + 1, lengthEnd, "DATALEN");
    if (dataLength > MAX_DATA) {
      throw new ProtocolException("a RELP response of " + dataLength + " bytes is larger than any response can be");
    }
    dataStart = dataLength == 0 ? lengthEnd : lengthEnd + 1;
    int trailer = dataStart + dataLength;
    if (trailer >= end) {
      return false;
    }
    if ((dataLength > 0 && in.get(lengthEnd) != ' ') || in.get(trailer) != '\n') {
      throw new ProtocolException("malformed RELP frame: '" + text(0, Math.min(end, 80)) + "'");
    }
    frameEnd = trailer + 1;
    return true;
  }

  /** A partial header longer than any real one is not RELP. */
  private boolean checkPartial(int headerBytes) throws ProtocolException {
    if (headerBytes > 64) {
      throw new ProtocolException("not a RELP frame: '" + text(0, 64) + "'");
    }
    return false;
  }

  private int indexOf(char c, int from, int end) {
    for (int i = from; i < end; i++) {
      if (in.get(i) == c) {
        return i;
      }
    }
    return -1;
  }

  private int number(int from, int to, String what) throws ProtocolException {
    if (to == from || to - from > MAX_DIGITS) {
      throw new ProtocolException("malformed RELP " + what + ": '" + text(from, to) + "'");
    }
    int value = 0;
    for (int i = from; i < to; i++) {
      byte digit = in.get(i);
      if (!isDigit(digit)) {
        throw new ProtocolException("malformed RELP " + what + ": '" + text(from, to) + "'");
      }
      value = value * 10 + (digit - '0');
    }
    return value;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  int txnr() {
    return txnr;
  }

  boolean isCommand(String name) {
    return command.length() == name.length() && command.indexOf(name) == 0;
  }

  String command() {
    return command.toString();
  }

  /** A response's status code (200 is OK), or -1 when its data does not start with one. */
  int status() {
    if (dataLength < 3) {
      return -1;
    }
    int status = 0;
    for (int i = dataStart; i < dataStart + 3; i++) {
      byte digit = in.get(i);
      if (digit < '0' || digit > '9') {
        return -1;
      }
      status = status * 10 + (digit - '0');
    }
    return status;
  }

  /** The frame's data as text, for the open exchange and for messages. */
  String text() {
    return text(dataStart, dataStart + dataLength);
  }

  private String text(int from, int to) {
    byte[] bytes = new byte[Math.max(0, to - from)];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = in.get(from + i);
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
