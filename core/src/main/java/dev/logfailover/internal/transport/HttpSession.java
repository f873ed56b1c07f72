package dev.logfailover.internal.transport;

import dev.logfailover.Endpoint;
import dev.logfailover.HttpSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;

/**
 * One HTTP collector as a {@link Session} (F16): the outbox goes out as {@code POST}s of at most
 * {@code maxBatchEvents} events and {@code maxBatchBytes} bytes, one at a time, each waited for on
 * the sender's {@link Doorbell} within {@code writeTimeout} (the whole response). A 2xx releases
 * the batch (F14); 408, 429, 5xx, 3xx, a reset or a timeout fail the server, and the batch goes to
 * the next one; any other 4xx rejects the batch: it leaves the outbox unsent, counted as rejected
 * with the status and the start of the response body.
 *
 * <p>Each request is the client's blocking {@code send}, run on one of the transport's pooled
 * threads while the sender waits on its doorbell (so a hand-off or the deadline still ends the
 * wait), not {@code sendAsync}: the JDK 17 client hands every async response on to
 * CompletableFuture's default executor, which is the application's common pool, or, with two CPUs
 * or fewer (common pool parallelism 1), a new thread for every request. Measured on this machine,
 * 150 KB requests into a loopback sink: a 25 % shorter round trip, and no thread per request.
 *
 * <p>Not thread-safe: the sender thread's. The pooled thread only runs the request and wakes the
 * sender when it ends.
 */
final class HttpSession implements Session {
  /** How much of a refusing server's response body the report quotes. */
  private static final int QUOTED_BODY_CHARS = 200;

  private final Endpoint server;
  private final InetSocketAddress remoteAddress;
  private final URI uri;
  private final HttpClient client;
  private final HttpSettings settings;
  private final long writeTimeoutNanos;
  private final Doorbell doorbell;
  /** Runs each request's blocking send; the transport's pool. */
  private final Executor requests;
  private FutureTask<HttpResponse<byte[]>> inFlight;

  HttpSession(Endpoint server, InetSocketAddress remoteAddress, URI uri, HttpClient client, HttpSettings settings,
      Duration writeTimeout, Doorbell doorbell, Executor requests) {
    this.server = server;
    this.remoteAddress = remoteAddress;
    this.uri = uri;
    this.client = client;
    this.settings = settings;
    this.writeTimeoutNanos = writeTimeout.toNanos();
    this.doorbell = doorbell;
    this.requests = requests;
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
      // From here the server may take the batch even if its answer is lost: counted as resent then.
      outbox.markWritten(end);
      HttpResponse<byte[]> response = exchange(body);
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        outbox.release(end);
      } else if (isFailureOfTheServer(status)) {
        Duration retryAfter = status == 429 || status == 503 ? retryAfter(response) : null;
        throw retryAfter != null ? new ServerBusyException(server, status, retryAfter, quote(response.body()))
            : new IOException(server + " answered HTTP " + status + quote(response.body()));
      } else {
        outbox.reject(end, "HTTP " + status + " from " + server + quote(response.body()));
      }
    }
  }

  /** {@code Retry-After} as seconds or as an HTTP date (RFC 9110); null when absent or unreadable. */
  static Duration retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").map(String::trim).map(value -> {
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
    }).orElse(null);
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

  private byte[] body(Outbox outbox, int from, int end) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean array = settings.batchFormat() == HttpSettings.BatchFormat.JSON_ARRAY;
    if (array) {
      body.write('[');
    }
    for (int i = from; i < end; i++) {
      byte[] record = outbox.recordBytes(i);
      int offset = outbox.recordOffset(i);
      if (array && i > from) {
        body.write(',');
      }
      body.write(record, offset, Framer.withoutTrailingLineSeparator(record, offset, outbox.recordLength(i)));
      if (!array) {
        body.write('\n');
      }
    }
    if (array) {
      body.write(']');
    }
    if (settings.compression() == HttpSettings.Compression.NONE) {
      return body.toByteArray();
    }
    ByteArrayOutputStream compressed = new ByteArrayOutputStream(body.size() / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      body.writeTo(gzip);
    }
    return compressed.toByteArray();
  }

  /** Sends one request and waits for its whole response, within writeTimeout on the engine's clock. */
  private HttpResponse<byte[]> exchange(byte[] body) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", settings.contentType());
    if (settings.compression() == HttpSettings.Compression.GZIP) {
      request.header("Content-Encoding", "gzip");
    }
    settings.headers().forEach(request::header);
    long deadline = doorbell.ticker().nanoTime() + writeTimeoutNanos;
    HttpRequest built = request.build();
    inFlight = new FutureTask<>(() -> client.send(built, HttpResponse.BodyHandlers.ofByteArray())) {
      @Override
      protected void done() {
        doorbell.wake(); // After the outcome is set: the woken sender sees it done.
      }
    };
    requests.execute(inFlight);
    try {
      while (!inFlight.isDone()) {
        if (deadline - doorbell.ticker().nanoTime() <= 0) {
          throw new SocketTimeoutException("no complete response from " + server + " within "
              + Duration.ofNanos(writeTimeoutNanos).toMillis() + " ms");
        }
        doorbell.sleep(null, 0, deadline, () -> !inFlight.isDone());
        doorbell.checkChannelWaitsAllowed();
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedIOException("interrupted while waiting for " + server);
        }
      }
      return inFlight.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? io : new IOException("request to " + server + " failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + server);
    } finally {
      if (!inFlight.isDone()) {
        inFlight.cancel(true);
      }
      inFlight = null;
    }
  }

  private static String quote(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    String text = new String(body, 0, Math.min(body.length, QUOTED_BODY_CHARS * 4), StandardCharsets.UTF_8);
    return ": " + (text.length() > QUOTED_BODY_CHARS ? text.substring(0, QUOTED_BODY_CHARS) + "..." : text);
  }

  /** Nothing to watch between requests: the client notices a closed connection at the next one. */
  @Override
  public void idle(Doorbell doorbell, BooleanSupplier hasNoWork) throws IOException {
    doorbell.sleep(null, 0, Doorbell.NO_DEADLINE, hasNoWork);
  }

  @Override
  public void close() {
    if (inFlight != null) {
      inFlight.cancel(true);
    }
  }
}
