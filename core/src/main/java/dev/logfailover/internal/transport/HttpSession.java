package dev.logfailover.internal.transport;

import dev.logfailover.Endpoint;
import dev.logfailover.Framing;
import dev.logfailover.HttpSettings;
import dev.logfailover.internal.concurrent.Doorbell;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;

/**
 * One HTTP collector as a {@link Session} (F16): the outbox goes out as {@code POST}s of at most
 * {@code maxBatchEvents} events and {@code maxBatchBytes} bytes, one at a time on an {@link
 * HttpConnection}, each response awaited within {@code writeTimeout} (the whole response). A 2xx
 * releases the batch (F14); 408, 429, 5xx, 3xx, a reset or a timeout fail the server, and the
 * batch goes to the next one; any other 4xx rejects the batch: it leaves the outbox unsent,
 * counted as rejected with the status and the start of the response body.
 *
 * <p>The first request goes on the connection the attempt made (or the last probe's, F6e). When
 * the server closes a keep-alive connection between requests, as servers do with idle ones, or
 * its response ends the connection, the next request opens a new one to the same server: that is
 * no failure of the server. A new connection that cannot be made is.
 *
 * <p>Not thread-safe: the sender thread's.
 */
final class HttpSession implements Session {
  /** How much of a refusing server's response body the report quotes. */
  private static final int QUOTED_BODY_CHARS = 200;
  private static final Framer LINES = new Framer(Framing.NEWLINE);
  /** The largest array the JVM allocates; a body that would not fit fails its request instead. */
  private static final int MAX_BODY_ARRAY = Integer.MAX_VALUE - 8;

  /** Opens another connection to the same server, as the attempt did (name resolved afresh, TLS verified). */
  @FunctionalInterface
  interface Reconnect {
    HttpConnection open(Endpoint server) throws IOException;
  }

  private final Endpoint server;
  private final InetSocketAddress remoteAddress;
  private final HttpSettings settings;
  private final Doorbell doorbell;
  private final Reconnect reconnect;
  /** Every request's head up to its Content-Length field, which differs per request. */
  private final byte[] headStart;
  /** Null once closed by the server or by its last response; opened again at the next request. */
  private HttpConnection connection;

  HttpSession(Endpoint server, HttpConnection connection, HttpSettings settings, Doorbell doorbell,
      Reconnect reconnect) {
    this.server = server;
    this.connection = connection;
    this.remoteAddress = connection.wire().remoteAddress();
    this.settings = settings;
    this.doorbell = doorbell;
    this.reconnect = reconnect;
    this.headStart = headStart(server, settings);
  }

  /** Request line and the fields every request carries; values of configured headers go nowhere else. */
  private static byte[] headStart(Endpoint server, HttpSettings settings) {
    StringBuilder head = new StringBuilder("POST ").append(settings.path()).append(" HTTP/1.1\r\n")
        .append("Host: ").append(server).append("\r\n")
        .append("Content-Type: ").append(settings.contentType()).append("\r\n");
    if (settings.compression() == HttpSettings.Compression.GZIP) {
      head.append("Content-Encoding: gzip\r\n");
    }
    settings.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    return head.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Endpoint server() {
    return server;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  @Override
  public void send(Outbox outbox) throws IOException {
    while (outbox.released() < outbox.size()) {
      int from = outbox.released();
      lingerForMore(outbox, from);
      int end = batchEnd(outbox, from);
      byte[] body = body(outbox, from, end);
      HttpConnection.Response response =
          exchange(body, () -> outbox.markWritten(end), () -> outbox.writtenAgain(end));
      int status = response.status();
      if (status >= 200 && status < 300) {
        outbox.release(end);
      } else if (isFailureOfTheServer(status)) {
        Duration retryAfter = status == 429 || status == 503 ? retryAfter(response.header("retry-after")) : null;
        throw retryAfter != null ? new ServerBusyException(server, status, retryAfter, quote(response.bodyStart()))
            : new IOException(server + " answered HTTP " + status + quote(response.bodyStart()));
      } else {
        outbox.reject(end, "HTTP " + status + " from " + server + quote(response.bodyStart()));
      }
    }
  }

  /** {@code Retry-After} as seconds or as an HTTP date (RFC 9110); null when absent or unreadable. */
  static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    String value = header.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime until = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration left = Duration.between(Instant.now(), until.toInstant());
        return left.isNegative() ? Duration.ZERO : left;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  /** With {@code lingerTime}: waits up to that long for more events, until the batch is full. */
  private void lingerForMore(Outbox outbox, int from) throws IOException {
    long lingerNanos = settings.lingerTime().toNanos();
    if (lingerNanos == 0) {
      return;
    }
    int wanted = Math.min(settings.maxBatchEvents(), outbox.capacity() - from);
    long deadline = doorbell.ticker().nanoTime() + lingerNanos;
    outbox.topUp();
    while (outbox.size() - from < wanted && deadline - doorbell.ticker().nanoTime() > 0) {
      // A logging thread's ring, a control signal or the deadline ends each sleep.
      doorbell.sleep(null, 0, deadline, () -> true);
      outbox.topUp();
    }
  }

  /** 408, 429, 5xx and 3xx (no redirect is followed) say nothing against the batch itself (F16). */
  private static boolean isFailureOfTheServer(int status) {
    return status == 408 || status == 429 || status >= 500 || status < 400;
  }

  /** The end of the batch that starts at {@code from}: at least one event, within both bounds. */
  private int batchEnd(Outbox outbox, int from) {
    long bytes = 0;
    int end = from;
    while (end < outbox.size() && end - from < settings.maxBatchEvents()) {
      bytes += Framer.withoutTrailingLineSeparator(outbox.recordBytes(end), outbox.recordOffset(end),
          outbox.recordLength(end));
      if (end > from && bytes > settings.maxBatchBytes()) {
        break;
      }
      end++;
    }
    return end;
  }

  /**
   * The request body: {@code lines} frames each event as newline framing does, so a line break
   * inside an event is written {@code \\n} / {@code \\r} and one event stays one line (F16);
   * {@code json-array} puts the events, JSON values, between brackets.
   */
  private byte[] body(Outbox outbox, int from, int end) throws IOException {
    boolean array = settings.batchFormat() == HttpSettings.BatchFormat.JSON_ARRAY;
    long capacity = 2;
    for (int i = from; i < end; i++) {
      // Each line break may double in escaping: room for the worst, unless that is more than an array holds.
      capacity += array ? outbox.recordLength(i) + 1L : 2L * outbox.recordLength(i) + 1;
    }
    ByteBuffer body = ByteBuffer.allocate((int) Math.min(capacity, MAX_BODY_ARRAY));
    if (array) {
      body.put((byte) '[');
    }
    for (int i = from; i < end; i++) {
      byte[] record = outbox.recordBytes(i);
      int offset = outbox.recordOffset(i);
      if (!array) {
        LINES.frame(record, offset, outbox.recordLength(i), body);
        continue;
      }
      if (i > from) {
        body.put((byte) ',');
      }
      body.put(record, offset, Framer.withoutTrailingLineSeparator(record, offset, outbox.recordLength(i)));
    }
    if (array) {
      body.put((byte) ']');
    }
    if (settings.compression() == HttpSettings.Compression.NONE) {
      return Arrays.copyOf(body.array(), body.position());
    }
    ByteArrayOutputStream compressed = new ByteArrayOutputStream(body.position() / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(body.array(), 0, body.position());
    }
    return compressed.toByteArray();
  }

  /**
   * Sends one request, on a new connection to the same server if the last one ended, and reads its
   * whole response within writeTimeout on the engine's clock. {@code onWriting} runs once the
   * request is about to be written: from then on the server may take the batch even if its
   * answer is lost, so a failure counts it as resent. {@code onWritingAgain} runs before the same
   * request goes again on a new connection (its events count as resent too).
   */
  private HttpConnection.Response exchange(byte[] body, Runnable onWriting, Runnable onWritingAgain)
      throws IOException {
    if (connection != null && !connection.isReusable()) {
      connection.close();
      connection = null;
    }
    if (connection == null) {
      connection = reconnect.open(server);
    }
    byte[] length = ("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer request = ByteBuffer.allocate(headStart.length + length.length + body.length)
        .put(headStart).put(length).put(body).flip();
    onWriting.run();
    try {
      return connection.exchange(request);
    } catch (IOException closedWhileIdle) {
      boolean timedOutOrStopped = closedWhileIdle instanceof InterruptedIOException
          || closedWhileIdle instanceof Wire.WriteTimeoutException || Thread.currentThread().isInterrupted();
      if (timedOutOrStopped || !connection.failedAsClosedWhileIdle()) {
        throw closedWhileIdle; // A server that takes no bytes or gives no answer in time is failing.
      }
      // The server closed the kept-alive connection as the request went out (its idle timeout):
      // once more on a new connection, as OkHttp does, rather than failing a server that is fine;
      // within what the first attempt had left, so a retry never stretches writeTimeout.
      long notAfterNanos = connection.responseDeadlineNanos();
      connection.close();
      connection = null;
      try {
        connection = reconnect.open(server);
        onWritingAgain.run();
        return connection.exchange(request.rewind(), notAfterNanos);
      } catch (IOException retryFailed) {
        retryFailed.addSuppressed(closedWhileIdle);
        throw retryFailed;
      }
    }
  }

  private static String quote(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    String text = new String(body, 0, Math.min(body.length, QUOTED_BODY_CHARS * 4), StandardCharsets.UTF_8);
    return ": " + (text.length() > QUOTED_BODY_CHARS ? text.substring(0, QUOTED_BODY_CHARS) + "..." : text);
  }

  /**
   * Nothing to watch between requests: a server that closes an idle keep-alive connection is not
   * failing, and the next request notices the close and opens a new connection.
   */
  @Override
  public void idle(Doorbell doorbell, BooleanSupplier hasNoWork) throws IOException {
    doorbell.sleep(null, 0, Doorbell.NO_DEADLINE, hasNoWork);
  }

  @Override
  public void close() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }
}
