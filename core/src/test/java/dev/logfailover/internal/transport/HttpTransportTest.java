package dev.logfailover.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.logfailover.FailoverConfig;
import dev.logfailover.HttpSettings;
import dev.logfailover.OverflowPolicy;
import dev.logfailover.Transport;
import dev.logfailover.internal.sender.Engine;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeTicker;
import dev.logfailover.testing.RecordingFailoverListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP transport (F16) against in-process collectors on loopback (the JDK's own HTTP server):
 * what goes on the wire, and how each kind of answer is taken.
 */
class HttpTransportTest {
  private final List<Collector> collectors = new ArrayList<>();
  private final RecordingFailoverListener listener = new RecordingFailoverListener();
  private Engine engine;

  @AfterEach
  void tearDown() {
    if (engine != null) {
      engine.stop();
    }
    collectors.forEach(Collector::close);
  }

  /** One request as the collector saw it, its body decoded, and the status it was answered. */
  record Request(Map<String, List<String>> headers, String body, int status) {
    String header(String name) {
      return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
          .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
    }
  }

  /** A loopback HTTP collector that records each request and answers as told. */
  static final class Collector implements AutoCloseable {
    final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile String answer = "";
    volatile long delayMillis;
    /** Answered with {@link #status} when set, as a 429 or 503 would be. */
    volatile String retryAfter;

    Collector() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext("/", this::handle);
      server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      InputStream body = new ByteArrayInputStream(raw);
      if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new GZIPInputStream(body);
      }
      int answered = status;
      requests.add(new Request(Map.copyOf(exchange.getRequestHeaders()),
          new String(body.readAllBytes(), StandardCharsets.UTF_8), answered));
      if (delayMillis > 0) {
        try {
          Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (retryAfter != null) {
        exchange.getResponseHeaders().add("Retry-After", retryAfter);
      }
      byte[] reply = answer.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answered, reply.length == 0 ? -1 : reply.length);
      if (reply.length > 0) {
        exchange.getResponseBody().write(reply);
      }
      exchange.close();
    }

    int port() {
      return server.getAddress().getPort();
    }

    /** Every event line received, over all requests, in order. */
    List<String> lines() {
      return requests.stream().flatMap(request -> request.body().lines()).toList();
    }

    /** The event lines of the requests answered with a 2xx, in order: what the collector kept. */
    List<String> acknowledgedLines() {
      return requests.stream().filter(request -> request.status() / 100 == 2)
          .flatMap(request -> request.body().lines()).toList();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private Collector collector() throws IOException {
    Collector collector = new Collector();
    collectors.add(collector);
    return collector;
  }

  private FailoverConfig.Builder config(Collector primary, Collector... failovers) {
    FailoverConfig.Builder builder = FailoverConfig.builder().transport(Transport.HTTP).host("127.0.0.1")
        .port(primary.port()).writeTimeout(Duration.ofSeconds(5)).reconnectDelay(Duration.ofMillis(50))
        .maxReconnectDelay(Duration.ofMillis(100));
    for (Collector failover : failovers) {
      builder.addFailoverServer("127.0.0.1:" + failover.port());
    }
    return builder;
  }

  private void start(FailoverConfig config) {
    engine = Engine.create(config, "http", listener);
    engine.start();
  }

  private void send(int from, int to) {
    IntStream.range(from, to).forEach(i -> engine.send(("event " + i + "\n").getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> events(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "event " + i).toList();
  }

  @Test
  void F16_eventsArePostedAsLinesWithTheConfiguredHeadersAndAcknowledgedByA2xx() throws Exception {
    Collector primary = collector();
    FailoverConfig.Builder config = config(primary);
    config.http().path("/ingest/logs").header("X-Token", "s3cret-token").maxBatchEvents(4);
    start(config.build());
    send(0, 10);
    Await.until(() -> engine.status().eventsSent() == 10, () -> "10 events acknowledged: " + engine.status());
    assertThat(primary.lines()).containsExactlyElementsOf(events(0, 10));
    assertThat(primary.requests).allSatisfy(request -> {
      assertThat(request.header("X-Token")).isEqualTo("s3cret-token");
      assertThat(request.header("Content-Type")).isEqualTo("application/x-ndjson");
      assertThat(request.body().lines().count()).isLessThanOrEqualTo(4);
    });
    assertThat(engine.status().resent()).isZero();
    assertThat(config.build().toString()).contains("X-Token").doesNotContain("s3cret-token");
  }

  @Test
  void noThreadOfOursOutlivesTheEngine() throws Exception {
    Collector primary = collector();
    start(config(primary).build());
    send(0, 3);
    Await.until(() -> engine.status().eventsSent() == 3, () -> "3 sent: " + engine.status());
    engine.stop();
    Await.until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(thread -> thread.isAlive() && thread.getName().startsWith("logfailover-")),
        () -> "no thread of ours after stop: " + Thread.getAllStackTraces().keySet());
  }

  /**
   * Until ddd76f4 requests went through the JDK 17 client's {@code sendAsync}, which hands every
   * response on to CompletableFuture's default executor: with two CPUs or fewer (as in CI) a new
   * thread each time, which this test caught (101 for 100 requests).
   */
  @Test
  void requestsStartNoThreadEach() throws Exception {
    Collector primary = collector();
    FailoverConfig.Builder config = config(primary);
    config.http().maxBatchEvents(1);
    start(config.build());
    send(0, 1);
    Await.until(() -> engine.status().eventsSent() == 1, () -> "the first acknowledged: " + engine.status());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long startedBefore = threads.getTotalStartedThreadCount();
    send(1, 101);
    Await.until(() -> engine.status().eventsSent() == 101, () -> "101 acknowledged: " + engine.status());
    assertThat(primary.requests).hasSize(101);
    assertThat(threads.getTotalStartedThreadCount() - startedBefore).as("threads started for 100 requests")
        .isLessThan(10);
  }

  @Test
  void F16_aJsonArrayBatchIsGzippedWhenAsked() throws Exception {
    Collector primary = collector();
    FailoverConfig.Builder config = config(primary);
    config.http().batchFormat(HttpSettings.BatchFormat.JSON_ARRAY).compression(HttpSettings.Compression.GZIP);
    start(config.build());
    engine.send("{\"n\":1}\n".getBytes(StandardCharsets.UTF_8));
    Await.until(() -> engine.status().eventsSent() == 1, () -> "acknowledged: " + engine.status());
    Request request = primary.requests.get(0);
    assertThat(request.body()).isEqualTo("[{\"n\":1}]");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("Content-Encoding")).isEqualTo("gzip");
  }

  @Test
  void F16_a503FailsTheServerAndTheSameBatchGoesToTheNextOne() throws Exception {
    Collector primary = collector();
    Collector failover1 = collector();
    primary.status = 503;
    start(config(primary, failover1).build());
    send(0, 5);
    // The collector has the events before the client has read its answer: wait for both.
    Await.until(() -> failover1.lines().size() == 5 && engine.status().eventsSent() == 5,
        () -> "5 events acknowledged by failover1: " + listener.describe());
    assertThat(failover1.lines()).containsExactlyElementsOf(events(0, 5));
    assertThat(engine.status().resent()).as("what the refusing primary was sent").isPositive();
    assertThat(listener.events()).contains("failedOver 127.0.0.1:" + primary.port() + " -> 127.0.0.1:" + failover1.port());
  }

  @Test
  void F16_anyOther4xxRejectsTheBatchWithItsStatusAndBodyAndTheServerIsKept() throws Exception {
    Collector primary = collector();
    Collector failover1 = collector();
    primary.status = 400;
    primary.answer = "invalid token";
    start(config(primary, failover1).build());
    send(0, 3);
    Await.until(() -> engine.status().rejected() == 3 && listener.events("eventsRejected").stream()
        .mapToInt(event -> Integer.parseInt(event.split(" ")[1])).sum() == 3, () -> "3 rejected: " + listener.describe());
    // One request or more, depending on when the sender took the events: each rejection says why.
    assertThat(listener.events("eventsRejected")).isNotEmpty().allMatch(event -> event.endsWith(
        "(HTTP 400 from 127.0.0.1:" + primary.port() + ": invalid token)"));
    primary.status = 200;
    send(3, 5);
    Await.until(() -> engine.status().eventsSent() == 2, () -> "2 sent: " + engine.status());
    assertThat(primary.lines()).endsWith("event 3", "event 4");
    assertThat(failover1.requests).as("a rejection is no failure of the server").isEmpty();
    assertThat(engine.status().eventsDropped()).as("rejected is counted apart").isZero();
  }

  @Test
  void F16_noCompleteResponseWithinWriteTimeoutFailsTheServer() throws Exception {
    Collector primary = collector();
    Collector failover1 = collector();
    primary.delayMillis = 3_000;
    start(config(primary, failover1).writeTimeout(Duration.ofMillis(300)).build());
    send(0, 2);
    Await.until(() -> failover1.lines().size() == 2, () -> "2 events on failover1: " + listener.describe());
    assertThat(listener.describe()).contains("SocketTimeoutException");
  }

  @Test
  void F16_aRetryAfterKeepsTheOnlyServerOutOfUseUntilThenAndTheSenderWaitsForIt() throws Exception {
    Collector only = collector();
    only.status = 503;
    only.retryAfter = "30";
    FakeTicker ticker = new FakeTicker();
    // Within maxReconnectDelay, which caps a Retry-After (F16).
    FailoverConfig config = config(only).maxReconnectDelay(Duration.ofMinutes(1)).build();
    engine = new Engine(config, listener, null, ticker, Transports.forConfig(config));
    engine.start();
    engine.send("event 0\n".getBytes(StandardCharsets.UTF_8));
    // The clock stands still: the 503 came at its now, and the sender waits 30 s from then (in
    // slices of a second, to report drops meanwhile), not the backoff's 50 ms.
    Await.until(() -> listener.events().contains("allServersDown retryIn 30000ms")
        && ticker.wasWaitedFor(ticker.nanoTime() + Duration.ofSeconds(1).toNanos()),
        () -> "a wait for the end of the rest: " + listener.describe());
    assertThat(only.requests).as("no request while it rests").hasSize(1);
    only.status = 200;
    only.retryAfter = null;
    ticker.advance(Duration.ofSeconds(30));
    Await.until(() -> engine.status().eventsSent() == 1, () -> "sent after the rest: " + listener.describe());
    assertThat(only.lines()).containsExactly("event 0", "event 0");
  }

  @Test
  void F16_aRetryAfterAsAnHttpDateIsReadToo() {
    String inTwoMinutes = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(120));
    assertThat(HttpSession.retryAfter(inTwoMinutes)).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(121));
  }

  @Test
  void F16_lingerTimeFillsABatchWithWhatArrivesMeanwhile() throws Exception {
    Collector primary = collector();
    FailoverConfig.Builder config = config(primary);
    config.http().lingerTime(Duration.ofSeconds(2)).maxBatchEvents(5);
    start(config.build());
    send(0, 1);
    // The sender has taken the first event into a batch, which lingers for more.
    Await.until(() -> engine.status().queuedEvents() == 0, () -> "the first event taken");
    send(1, 5);
    Await.until(() -> engine.status().eventsSent() == 5, () -> "5 sent: " + engine.status());
    assertThat(primary.requests).as("one full request, not one per event").hasSize(1);
  }

  @Test
  void F17_eventsLoggedWhileTheOnlyServerAnswers503GoToTheSpillAndArriveOnceInOrderWhenItTakesThemAgain(
      @TempDir Path spillDirectory) throws Exception {
    Collector primary = collector();
    primary.status = 503;
    FailoverConfig.Builder config = config(primary).queueSize(100).overflowPolicy(OverflowPolicy.BLOCK)
        .maxBlock(Duration.ofSeconds(10));
    config.spill().directory(spillDirectory);
    start(config.build());
    for (int i = 0; i < 3_000; i++) {
      // Without the spill the 101st would wait maxBlock and be dropped: fail at once instead.
      assertThat(engine.send(("event " + i + "\n").getBytes(StandardCharsets.UTF_8))).as("event %d taken", i).isTrue();
    }
    Await.until(() -> engine.status().spilledEvents() >= 2_500, () -> "spilled while refused: " + engine.status());
    primary.status = 200;
    Await.until(() -> engine.status().eventsSent() == 3_000 && engine.status().spilledEvents() == 0,
        () -> "all acknowledged and the spill emptied: " + engine.status());
    assertThat(primary.acknowledgedLines()).containsExactlyElementsOf(events(0, 3_000));
    assertThat(engine.status().eventsDropped()).isZero();
  }
}
