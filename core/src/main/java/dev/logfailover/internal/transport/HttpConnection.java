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
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 on one {@link Wire}, one request at a time: writes a request and reads its response
 * (RFC 9112) as a client that only ever sends {@code POST}s needs to: the status line, the header
 * fields, a body delimited by {@code Content-Length}, by the chunked transfer coding or by the end
 * of the connection; interim 1xx responses are skipped. Whether the connection can carry the next
 * request follows from the response ({@code Connection: close}, HTTP/1.0, a body that ends with
 * the connection).
 *
 * <p>Not thread-safe: confined to the sender thread.
 */
final class HttpConnection {
  /** What a server may send before the body (status line and header fields) at most. */
  private static final int MAX_HEAD_BYTES = 64 * 1024;
  /** How much of a response body is kept (the start is quoted when a server refuses a batch). */
  private static final int KEPT_BODY_BYTES = 1024;

  private final Wire wire;
  private final Ticker ticker;
  private final Duration responseTimeout;
  /** Received and not yet parsed: read mode, between position and limit. */
  private ByteBuffer in = ByteBuffer.allocate(8 * 1024).flip();
  private final ByteBuffer idleProbe = ByteBuffer.allocate(1);
  private boolean reusable = true;

  /** One response: its status, its header fields (names in lower case, the first value of each), and the start of its body. */
  record Response(int status, Map<String, String> headers, byte[] bodyStart) {
    /** The first value of the field {@code name}, given in lower case; null when absent. */
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
   * within the response timeout ({@code writeTimeout}) on the ticker. Throws on a reset, an early
   * end of the connection, a response that is not HTTP/1.x, or the timeout.
   */
  Response exchange(ByteBuffer request) throws IOException {
    long deadlineNanos = ticker.nanoTime() + responseTimeout.toNanos();
    reusable = false; // Until a whole response says otherwise.
    wire.write(request, () -> { });
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
    String statusLine = readLine(deadlineNanos);
    if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
      throw new ProtocolException(wire.server() + " answered with no HTTP/1.x status line: " + quote(statusLine));
    }
    int status;
    try {
      status = Integer.parseInt(statusLine.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new ProtocolException(wire.server() + " answered with no status code: " + quote(statusLine));
    }
    Map<String, String> headers = new HashMap<>();
    String field;
    while (!(field = readLine(deadlineNanos)).isEmpty()) {
      int colon = field.indexOf(':');
      if (colon <= 0) {
        throw new ProtocolException(wire.server() + " sent a malformed header field: " + quote(field));
      }
      headers.putIfAbsent(field.substring(0, colon).trim().toLowerCase(Locale.ROOT), field.substring(colon + 1).trim());
    }
    String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
    boolean keepAlive = statusLine.startsWith("HTTP/1.1") ? !connection.contains("close") : connection.contains("keep-alive");
    if (status < 200 || status == 204 || status == 304) {
      reusable = keepAlive;
      return new Response(status, headers, new byte[0]);
    }
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    String transferEncoding = headers.get("transfer-encoding");
    String contentLength = headers.get("content-length");
    if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).endsWith("chunked")) {
      readChunked(kept, deadlineNanos);
    } else if (transferEncoding == null && contentLength != null) {
      readBody(contentLength(contentLength), kept, deadlineNanos);
    } else {
      readToEnd(kept, deadlineNanos);
      keepAlive = false;
    }
    reusable = keepAlive;
    return new Response(status, headers, kept.toByteArray());
  }

  private long contentLength(String value) throws ProtocolException {
    try {
      long length = Long.parseLong(value);
      if (length >= 0) {
        return length;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new ProtocolException(wire.server() + " sent an invalid Content-Length: " + quote(value));
  }

  private void readChunked(ByteArrayOutputStream kept, long deadlineNanos) throws IOException {
    while (true) {
      String sizeLine = readLine(deadlineNanos);
      int extension = sizeLine.indexOf(';');
      long size;
      try {
        size = Long.parseLong((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new ProtocolException(wire.server() + " sent a malformed chunk size: " + quote(sizeLine));
      }
      if (size < 0) {
        throw new ProtocolException(wire.server() + " sent a malformed chunk size: " + quote(sizeLine));
      }
      if (size == 0) {
        while (!readLine(deadlineNanos).isEmpty()) {
          // Trailer fields: nothing in them matters here.
        }
        return;
      }
      readBody(size, kept, deadlineNanos);
      if (!readLine(deadlineNanos).isEmpty()) {
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

  /** A line up to LF, without its CR LF, as ISO-8859-1 (RFC 9112 section 2.2). */
  private String readLine(long deadlineNanos) throws IOException {
    while (true) {
      for (int i = in.position(); i < in.limit(); i++) {
        if (in.get(i) == '\n') {
          int end = i > in.position() && in.get(i - 1) == '\r' ? i - 1 : i;
          String line = new String(in.array(), in.arrayOffset() + in.position(), end - in.position(),
              StandardCharsets.ISO_8859_1);
          in.position(i + 1);
          return line;
        }
      }
      if (in.remaining() >= MAX_HEAD_BYTES) {
        throw new ProtocolException(wire.server() + " sent a line longer than " + MAX_HEAD_BYTES + " bytes");
      }
      fill(deadlineNanos, true);
    }
  }

  /**
   * Reads more into {@link #in}, waiting up to {@code deadlineNanos}. At the end of the stream:
   * throws when the response is not complete without more ({@code required}), else returns false.
   */
  private boolean fill(long deadlineNanos, boolean required) throws IOException {
    in.compact();
    if (!in.hasRemaining()) {
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
        if (read > 0) {
          return true;
        }
        if (deadlineNanos - ticker.nanoTime() <= 0) {
          throw new SocketTimeoutException("no complete response from " + wire.server() + " within "
              + responseTimeout.toMillis() + " ms");
        }
        wire.acknowledgeQuickly();
        wire.awaitReadable(deadlineNanos);
      }
    } finally {
      in.flip();
    }
  }

  private static String quote(String text) {
    return "'" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "'";
  }
}
