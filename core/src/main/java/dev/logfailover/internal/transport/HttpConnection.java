package dev.logfailover.internal.transport;

import dev.logfailover.internal.concurrent.Ticker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
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
  /** A chunk-size line (hex digits and extensions) longer than this is no real server's. */
  private static final int MAX_CHUNK_LINE_BYTES = 1024;
  /** 1xx answers before the final one: servers send one (100 Continue, 103 Early Hints), rarely two. */
  private static final int MAX_INTERIM_RESPONSES = 16;

  private final Wire wire;
  private final Ticker ticker;
  private final Duration responseTimeout;
  private final HttpInput input;
  private final ByteBuffer idleProbe = ByteBuffer.allocate(1);
  private boolean reusable = true;
  /** Final responses read whole on this connection. */
  private int responses;
  /** When the current or last exchange's response is or was due, on the ticker. */
  private long responseDeadlineNanos;

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
    this.input = new HttpInput(wire, ticker, responseTimeout);
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
    return exchange(request, Long.MAX_VALUE);
  }

  /**
   * {@link #exchange}, with the response due by {@code notAfterNanos} on the ticker at the latest
   * (a retry gets what its first attempt had left, F18); {@link Long#MAX_VALUE}: no such bound.
   */
  Response exchange(ByteBuffer request, long notAfterNanos) throws IOException {
    reusable = false; // Until a whole response says otherwise.
    input.newRequest();
    try {
      wire.write(request, () -> { });
    } catch (IOException writeFailed) {
      return earlyRefusal(writeFailed);
    }
    input.expectAnswer(true);
    responseDeadlineNanos = ticker.nanoTime() + responseTimeout.toNanos();
    if (notAfterNanos != Long.MAX_VALUE && notAfterNanos - responseDeadlineNanos < 0) {
      responseDeadlineNanos = notAfterNanos;
    }
    return finalResponse(responseDeadlineNanos);
  }

  /** When the last exchange's response was due: a retry of it gets no more (F18). */
  long responseDeadlineNanos() {
    return responseDeadlineNanos;
  }

  /**
   * The write failed: a server that refused the request before reading all of it (413, 401) may
   * have answered, then closed. Its answer came before the reset or the write's timeout, so it is
   * read without waiting, if it is there. A 2xx cannot be taken for a request the server did not
   * wholly read, and neither can no answer: the write's failure stands.
   */
  private Response earlyRefusal(IOException writeFailed) throws IOException {
    input.expectAnswer(false);
    responseDeadlineNanos = ticker.nanoTime() + responseTimeout.toNanos();
    Response response;
    try {
      response = finalResponse(responseDeadlineNanos);
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
    for (int interim = 0; ; interim++) {
      if (interim > MAX_INTERIM_RESPONSES) {
        throw new ProtocolException(wire.server() + " sent more than " + MAX_INTERIM_RESPONSES + " interim responses");
      }
      Response response = readResponse(deadlineNanos);
      if (response.status() >= 200 || response.status() == 101) {
        responses++;
        return response;
      }
    }
  }

  /**
   * Whether the last exchange failed the way a kept-alive connection the server closed meanwhile
   * fails: the connection had carried a request before, and not a byte of an answer came. The
   * server closed it idle, before our request reached it (RFC 9112 9.3.1: such a request may be
   * retried on a new connection).
   */
  boolean failedAsClosedWhileIdle() {
    return responses > 0 && !input.answerStarted();
  }

  /**
   * Whether the next request can go on this connection: the last response kept it open, nothing
   * unexpected arrived since, and the server has not closed it while it was idle (servers close
   * idle keep-alive connections, some with a reset; that is no failure of theirs). Reads without
   * waiting.
   */
  boolean isReusable() {
    if (!reusable || input.hasUnparsed()) {
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
    ResponseHead head = ResponseHead.of(wire.server().toString(), input.readLine(deadlineNanos, ResponseHead.MAX_BYTES));
    String field;
    while (!(field = input.readLine(deadlineNanos, head.bytesLeft())).isEmpty()) {
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
      input.readBody(head.contentLength(), kept, deadlineNanos);
    } else {
      input.readToEnd(kept, deadlineNanos);
      keepAlive = false;
    }
    reusable = keepAlive;
    return new Response(status, head.fields(), kept.toByteArray());
  }

  private void readChunked(ByteArrayOutputStream kept, long deadlineNanos) throws IOException {
    while (true) {
      String sizeLine = input.readLine(deadlineNanos, MAX_CHUNK_LINE_BYTES);
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
        readTrailer(deadlineNanos);
        return;
      }
      input.readBody(size, kept, deadlineNanos);
      if (!input.readLine(deadlineNanos, 0).isEmpty()) {
        throw new ProtocolException(wire.server() + " sent a chunk longer than its size");
      }
    }
  }

  /** Reads the trailer fields (nothing in them matters here), bounded as a head is. */
  private void readTrailer(long deadlineNanos) throws IOException {
    int left = ResponseHead.MAX_BYTES;
    String trailer;
    while (!(trailer = input.readLine(deadlineNanos, left)).isEmpty()) {
      left -= trailer.length() + 2;
      if (left < 0) {
        throw new ProtocolException(wire.server() + " sent a trailer longer than " + ResponseHead.MAX_BYTES + " bytes");
      }
    }
  }
}
