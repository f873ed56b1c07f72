package dev.logfailover.internal.transport;

import dev.logfailover.internal.concurrent.Ticker;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What one HTTP connection receives, read from its {@link Wire} with a deadline that every read
 * checks: lines of at most a given length, and bodies consumed as they come (only their start is
 * kept), so a server that keeps sending holds neither the sender past the deadline nor more than
 * about a line's bound of memory (F18).
 *
 * <p>Not thread-safe: confined to the sender thread.
 */
final class HttpInput {
  /** How much of a response body is kept (the start is quoted when a server refuses a batch). */
  static final int KEPT_BODY_BYTES = 1024;

  private final Wire wire;
  private final Ticker ticker;
  private final Duration responseTimeout;
  /** Received and not yet parsed: read mode, between position and limit. */
  private ByteBuffer in = ByteBuffer.allocate(8 * 1024).flip();
  /** False while reading what a server answered before a failed write: all of it has arrived by then. */
  private boolean mayWait;
  /** Whether any byte of the current answer arrived. */
  private boolean answerStarted;

  HttpInput(Wire wire, Ticker ticker, Duration responseTimeout) {
    this.wire = wire;
    this.ticker = ticker;
    this.responseTimeout = responseTimeout;
  }

  /** A new answer is expected; {@code mayWait} false: it is all here already, or it is not coming. */
  void expectAnswer(boolean mayWait) {
    this.mayWait = mayWait;
  }

  /** Forgets whether an answer started: a new request goes out. */
  void newRequest() {
    answerStarted = false;
  }

  boolean answerStarted() {
    return answerStarted;
  }

  /** Bytes received and not parsed: after a whole response, a server that says more than asked. */
  boolean hasUnparsed() {
    return in.hasRemaining();
  }

  /** Consumes {@code length} bytes of body, keeping the first {@link #KEPT_BODY_BYTES} of the whole body. */
  void readBody(long length, ByteArrayOutputStream kept, long deadlineNanos) throws IOException {
    long left = length;
    while (left > 0) {
      if (!in.hasRemaining()) {
        fill(deadlineNanos, true);
      }
      int take = (int) Math.min(left, in.remaining());
      keep(kept, take);
      left -= take;
    }
  }

  void readToEnd(ByteArrayOutputStream kept, long deadlineNanos) throws IOException {
    while (true) {
      keep(kept, in.remaining());
      if (!fill(deadlineNanos, false)) {
        return;
      }
    }
  }

  private void keep(ByteArrayOutputStream kept, int count) {
    int keep = Math.min(count, KEPT_BODY_BYTES - kept.size());
    if (keep > 0) {
      kept.write(in.array(), in.arrayOffset() + in.position(), keep);
    }
    in.position(in.position() + count);
  }

  /**
   * A line up to LF, without its CR LF, as ISO-8859-1 (RFC 9112 section 2.2); longer than {@code
   * maxBytes} (line end included) is a protocol error.
   */
  String readLine(long deadlineNanos, int maxBytes) throws IOException {
    int scanned = 0;
    while (true) {
      for (int i = in.position() + scanned; i < in.limit(); i++) {
        if (in.get(i) == '\n') {
          int end = i > in.position() && in.get(i - 1) == '\r' ? i - 1 : i;
          String line = new String(in.array(), in.arrayOffset() + in.position(), end - in.position(),
              StandardCharsets.ISO_8859_1);
          in.position(i + 1);
          return line;
        }
      }
      scanned = in.remaining();
      if (scanned >= Math.max(2, maxBytes)) {
        throw new ProtocolException(wire.server() + " sent a line longer than the " + maxBytes
            + " bytes left for it");
      }
      fill(deadlineNanos, true);
    }
  }

  /**
   * Reads more into the buffer, waiting up to {@code deadlineNanos}, which every read checks: a
   * server that keeps sending does not hold the sender past it. At the end of the stream: throws
   * when the response is not complete without more ({@code required}), else returns false.
   */
  private boolean fill(long deadlineNanos, boolean required) throws IOException {
    in.compact();
    if (!in.hasRemaining()) {
      // Only a line still unread fills the buffer, and lines are bounded: this stays near their bound.
      in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
    }
    try {
      while (true) {
        int read = wire.readNow(in);
        if (read < 0) {
          if (required) {
            throw new EOFException(wire.server() + " closed the connection before the end of its response");
          }
          return false;
        }
        if (deadlineNanos - ticker.nanoTime() <= 0) {
          throw new SocketTimeoutException("no complete response from " + wire.server() + " within "
              + responseTimeout.toMillis() + " ms");
        }
        if (read > 0) {
          answerStarted = true;
          return true;
        }
        if (!mayWait) {
          throw new EOFException(wire.server() + " had sent no whole answer");
        }
        wire.acknowledgeQuickly();
        wire.awaitReadable(deadlineNanos);
      }
    } finally {
      in.flip();
    }
  }
}
