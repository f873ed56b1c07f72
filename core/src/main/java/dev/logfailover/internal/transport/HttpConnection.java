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
import java.util.Map;

/**
 * HTTP/1.1 on one {@link Wire}, one request at a time: writes a request and reads its response
 * (RFC 9112) as a client that only ever sends {@code POST}s needs to: the head ({@link
 * ResponseHead}), then a body delimited by {@code Content-Length}, by the chunked transfer coding
 * or by the end of the connection; interim 1xx responses are skipped. Whether the connection can
 * carry the next request follows from the response ({@code Connection: close}, HTTP/1.0, a body
 * that ends with the connection).
 *
 * <p>Nothing the server sends is trusted (F18): the head and each chunk-size line are bounded, the
 * body is consumed without being held (only its start is kept), and every read checks the
 * response deadline, so a server streaming without end is cut off at {@code writeTimeout}. A final
 * answer that a server sends before it has read the whole request (a 413 while the body is still
 * on its way) is read even when the server then closes and the write fails.
 *
 * <p>Not thread-safe: confined to the sender thread.
 */
final class HttpConnection {
  /** How much of a response body is kept (the start is quoted when a server refuses a batch). */
  private static final int KEPT_BODY_BYTES = 1024;
  /** A chunk-size line (hex digits and extensions) longer than this is no real server's. */
  private static final int MAX_CHUNK_LINE_BYTES = 1024;

  private final Wire wire;
  private final Ticker ticker;
  private final Duration responseTimeout;
  /** Received and not yet parsed: read mode, between position and limit. */
  private ByteBuffer in = ByteBuffer.allocate(8 * 1024).flip();
  private final ByteBuffer idleProbe = ByteBuffer.allocate(1);
  private boolean reusable = true;
  /** False while reading what a server answered before a failed write: all of it has arrived by then. */
  private boolean mayWait;

  /** One response: its status, its header fields (names in lower case), and the start of its body. */
  record Response(int status, Map<String, String> headers, byte[] bodyStart) {
    /** The field {@code name}, given in lower case; null when absent. */
    String header(String name) {
      return headers.get(name);
    }
  }

  HttpConnection(Wire wire, Ticker ticker, Duration responseTimeout) {
    this.wire = wire;
    this.ticker = ticker;
    this.responseTimeout = responseTimeout;
  }

  Wire wire() {
    return wire;
  }

  /**
   * Writes {@code request} (head and body) and returns its final response, which must be complete
   * within the response timeout ({@code writeTimeout}, from the end of the write) on the ticker.
   * Throws on a reset, an early end of the connection, a response that is not HTTP/1.x, or the
   * timeout.
   */
  Response exchange(ByteBuffer request) throws IOException {
    reusable = false; // Until a whole response says otherwise.
    try {
      wire.write(request, () -> { });
    } catch (IOException writeFailed) {
      return earlyRefusal(writeFailed);
    }
    mayWait = true;
    return finalResponse(ticker.nanoTime() + responseTimeout.toNanos());
  }

  /**
   * The write failed: a server that refused the request before reading all of it (413, 401) may
   * have answered, then closed. Its answer came before the reset or the write's timeout, so it is
   * read without waiting, if it is there. A 2xx cannot be taken for a request the server did not
   * wholly read, and neither can no answer: the write's failure stands.
   */
  private Response earlyRefusal(IOException writeFailed) throws IOException {
    mayWait = false;
    Response response;
    try {
      response = finalResponse(ticker.nanoTime() + responseTimeout.toNanos());
    } catch (IOException noAnswer) {
      writeFailed.addSuppressed(noAnswer);
      throw writeFailed;
    }
    reusable = false;
    if (response.status() < 300) {
      throw writeFailed;
    }
    return response;
  }

  private Response finalResponse(long deadlineNanos) throws IOException {
    while (true) {
      Response response = readResponse(deadlineNanos);
      if (response.status() >= 200 || response.status() == 101) {
        return response;
      }
    }
  }

  /**
   * Whether the next request can go on this connection: the last response kept it open, nothing
   * unexpected arrived since, and the server has not closed it while it was idle (servers close
   * idle keep-alive connections, some with a reset; that is no failure of theirs). Reads without
   * waiting.
   */
  boolean isReusable() {
    if (!reusable || in.hasRemaining()) {
      return false;
    }
    idleProbe.clear();
    try {
      return wire.readNow(idleProbe) == 0;
    } catch (IOException closedMeanwhile) {
      return false;
    }
  }

  void close() {
    wire.close();
  }

  private Response readResponse(long deadlineNanos) throws IOException {
    ResponseHead head = ResponseHead.of(wire.server().toString(), readLine(deadlineNanos, ResponseHead.MAX_BYTES));
    String field;
    while (!(field = readLine(deadlineNanos, head.bytesLeft())).isEmpty()) {
      head.add(field);
    }
    int status = head.status();
    if (status < 200 || status == 204 || status == 304) {
      reusable = head.keepsConnectionOpen();
      return new Response(status, head.fields(), new byte[0]);
    }
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    boolean keepAlive = head.keepsConnectionOpen();
    if (head.isChunked()) {
      readChunked(kept, deadlineNanos);
    } else if (!head.isCloseDelimited()) {
      readBody(head.contentLength(), kept, deadlineNanos);
    } else {
      readToEnd(kept, deadlineNanos);
      keepAlive = false;
    }
    reusable = keepAlive;
    return new Response(status, head.fields(), kept.toByteArray());
  }

  private void readChunked(ByteArrayOutputStream kept, long deadlineNanos) throws IOException {
    while (true) {
      String sizeLine = readLine(deadlineNanos, MAX_CHUNK_LINE_BYTES);
      int extension = sizeLine.indexOf(';');
      String digits = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim();
      long size;
      try {
        // At most 15 hex digits: a size that fits a long, and more than any answer of a collector.
        size = digits.length() > 15 || digits.startsWith("+") || digits.startsWith("-") ? -1 : Long.parseLong(digits, 16);
      } catch (NumberFormatException e) {
        size = -1;
      }
      if (size < 0) {
        throw new ProtocolException(wire.server() + " sent a malformed chunk size: " + ResponseHead.quote(sizeLine));
      }
      if (size == 0) {
        int trailerLeft = ResponseHead.MAX_BYTES;
        String trailer;
        while (!(trailer = readLine(deadlineNanos, trailerLeft)).isEmpty()) {
          trailerLeft -= trailer.length() + 2; // Trailer fields: nothing in them matters here.
        }
        return;
      }
      readBody(size, kept, deadlineNanos);
      if (!readLine(deadlineNanos, 0).isEmpty()) {
        throw new ProtocolException(wire.server() + " sent a chunk longer than its size");
      }
    }
  }

  /** Consumes {@code length} bytes of body, keeping the first {@link #KEPT_BODY_BYTES} of the whole body. */
  private void readBody(long length, ByteArrayOutputStream kept, long deadlineNanos) throws IOException {
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

  private void readToEnd(ByteArrayOutputStream kept, long deadlineNanos) throws IOException {
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
  private String readLine(long deadlineNanos, int maxBytes) throws IOException {
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
   * Reads more into {@link #in}, waiting up to {@code deadlineNanos}, which every read checks: a
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
