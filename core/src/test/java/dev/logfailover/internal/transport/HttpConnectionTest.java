package dev.logfailover.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.FailoverConfig;
import dev.logfailover.Transport;
import dev.logfailover.internal.sender.Engine;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.RecordingFailoverListener;
import dev.logfailover.testing.ScriptedPeer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP transport reads of a response, byte by byte: collectors here are scripted raw
 * sockets that answer each request with given bytes, so every way HTTP/1.1 may frame a response
 * (and what a server may do between requests) is on the wire as written.
 */
class HttpConnectionTest {
  private final RecordingFailoverListener listener = new RecordingFailoverListener();
  private final List<ScriptedPeer> servers = new ArrayList<>();
  private Engine engine;

  @AfterEach
  void tearDown() throws IOException {
    if (engine != null) {
      engine.stop();
    }
    for (ScriptedPeer server : servers) {
      server.close();
    }
  }

  /** After its answer, the server closes the connection (FIN). */
  private static final String THEN_CLOSE = "\u0000close";

  /** Answers request N (counted over all its connections) with {@code answers[N]}, the last one again after. */
  private ScriptedPeer server(String... answers) throws IOException {
    AtomicInteger requests = new AtomicInteger();
    ScriptedPeer server = ScriptedPeer.plain(conversation -> {
      while (conversation.readHttpRequest()) {
        String answer = answers[Math.min(requests.incrementAndGet(), answers.length) - 1];
        conversation.send(answer.replace(THEN_CLOSE, ""));
        if (answer.endsWith(THEN_CLOSE)) {
          return;
        }
      }
    });
    servers.add(server);
    return server;
  }

  private void start(ScriptedPeer primary, ScriptedPeer failover) {
    start(primary, failover, Duration.ofSeconds(5));
  }

  private void start(ScriptedPeer primary, ScriptedPeer failover, Duration writeTimeout) {
    FailoverConfig.Builder config = FailoverConfig.builder().transport(Transport.HTTP).host("127.0.0.1")
        .port(primary.port()).addFailoverServer("127.0.0.1:" + failover.port()).writeTimeout(writeTimeout)
        .reconnectDelay(Duration.ofMillis(50)).maxReconnectDelay(Duration.ofMillis(100));
    config.http().maxBatchEvents(1).header("X-Token", "t0ken");
    engine = Engine.create(config.build(), "http", listener);
    engine.start();
  }

  private void sendAndAwait(int event) {
    long before = engine.status().eventsSent() + engine.status().rejected();
    engine.send(("event " + event + "\n").getBytes(StandardCharsets.UTF_8));
    Await.until(() -> engine.status().eventsSent() + engine.status().rejected() == before + 1,
        () -> "event " + event + " answered: " + listener.describe());
  }

  @Test
  void F16_chunkedCloseDelimitedAndInterimResponsesAreReadAndAnEndedConnectionIsOpenedAgain() throws Exception {
    ScriptedPeer primary = server(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n"
            + "A\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n",
        "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end" + THEN_CLOSE,
        "HTTP/1.1 202 Accepted\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok" + THEN_CLOSE,
        "HTTP/1.1 204 No Content\r\n\r\n");
    ScriptedPeer failover = server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    start(primary, failover);
    for (int event = 0; event < 5; event++) {
      sendAndAwait(event);
    }
    assertThat(primary.received).containsExactly("event 0\n", "event 1\n", "event 2\n", "event 3\n", "event 4\n");
    assertThat(primary.connections.get()).as("one, then one after each response that ended it").isEqualTo(3);
    assertThat(primary.heads.get(0)).startsWith("POST / HTTP/1.1\r\n").contains("\r\nHost: 127.0.0.1:" + primary.port()
        + "\r\n", "\r\nX-Token: t0ken\r\n", "\r\nContent-Length: 8\r\n", "\r\nContent-Type: application/x-ndjson\r\n");
    assertThat(listener.events()).noneMatch(event -> event.startsWith("connectionLost"));
    assertThat(failover.received).isEmpty();
    assertThat(engine.status().resent()).isZero();
  }

  @Test
  void F16_aLineBreakInsideAnEventIsEscapedInLinesSoOneEventIsOneLineAndNoneCanBeForged() throws Exception {
    ScriptedPeer primary = server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    start(primary, server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    engine.send("at A\n\tat B\r\n{\"forged\":true}\r\n".getBytes(StandardCharsets.UTF_8));
    Await.until(() -> engine.status().eventsSent() == 1, listener::describe);
    assertThat(primary.received).containsExactly("at A\\n\tat B\\r\\n{\"forged\":true}\n");
  }

  @Test
  void F16_aKeptAliveConnectionClosedAsTheRequestWentOutIsRetriedOnceOnANewOneAndCountedAsResent()
      throws Exception {
    AtomicInteger requests = new AtomicInteger();
    ScriptedPeer primary = ScriptedPeer.plain(conversation -> {
      while (conversation.readHttpRequest()) {
        if (requests.incrementAndGet() == 2) {
          return; // Its idle timeout closed the connection just as the second request arrived.
        }
        conversation.send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
      }
    });
    servers.add(primary);
    ScriptedPeer failover = server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    start(primary, failover);
    sendAndAwait(0);
    sendAndAwait(1);
    assertThat(primary.received).containsExactly("event 0\n", "event 1\n", "event 1\n");
    assertThat(primary.connections.get()).isEqualTo(2);
    assertThat(listener.events()).noneMatch(event -> event.startsWith("connectionLost"));
    assertThat(engine.status().resent()).as("the server may have had it").isEqualTo(1);
    assertThat(failover.received).isEmpty();
  }

  @Test
  void F18_theRetryOnANewConnectionGetsOnlyWhatTheFirstAttemptHadLeftOfWriteTimeout() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    ScriptedPeer primary = ScriptedPeer.plain(conversation -> {
      while (conversation.readHttpRequest()) {
        int request = requests.incrementAndGet();
        if (request == 2) {
          LockSupport.parkNanos(Duration.ofMillis(700).toNanos()); // Closes unanswered late in the client's writeTimeout.
          return;
        }
        if (request < 2) {
          conversation.send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        } // The retry is never answered.
      }
    });
    servers.add(primary);
    ScriptedPeer failover = server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    start(primary, failover, Duration.ofSeconds(1));
    sendAndAwait(0);
    long sentAt = System.nanoTime();
    sendAndAwait(1);
    Duration took = Duration.ofNanos(System.nanoTime() - sentAt);
    assertThat(primary.received).containsExactly("event 0\n", "event 1\n", "event 1\n");
    assertThat(failover.received).containsExactly("event 1\n");
    assertThat(took).as("one writeTimeout in all, not one per attempt").isLessThan(Duration.ofMillis(1_500));
  }

  @Test
  void F16_writeTimeoutBoundsTheResponseFromTheEndOfTheWriteNotAWriteThatKeepsMoving() throws Exception {
    ScriptedPeer slowReader = ScriptedPeer.plain(conversation -> {
      String head;
      while ((head = conversation.readHttpHead()) != null) {
        // About 2.5 s for the 8 MiB body, each read well within writeTimeout of the one before.
        conversation.readSlowly(ScriptedPeer.contentLength(head), 64 * 1024, Duration.ofMillis(20));
        conversation.send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
      }
    });
    servers.add(slowReader);
    ScriptedPeer failover = server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    FailoverConfig.Builder config = FailoverConfig.builder().transport(Transport.HTTP).host("127.0.0.1")
        .port(slowReader.port()).addFailoverServer("127.0.0.1:" + failover.port()).writeTimeout(Duration.ofSeconds(1))
        .maxRecordSize(16 * 1024 * 1024);
    config.http().maxBatchBytes(16 * 1024 * 1024);
    engine = Engine.create(config.build(), "http", listener);
    engine.start();
    engine.send(("x".repeat(8 * 1024 * 1024) + "\n").getBytes(StandardCharsets.UTF_8));
    Await.until(Duration.ofSeconds(20), () -> engine.status().eventsSent() == 1, listener::describe);
    assertThat(listener.events()).noneMatch(event -> event.startsWith("connectionLost"));
    assertThat(failover.received).isEmpty();
  }

  @Test
  void F16_aServerClosingAnIdleKeepAliveConnectionIsNotFailedTheNextRequestOpensANewOne() throws Exception {
    ScriptedPeer primary = server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    ScriptedPeer failover = server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    start(primary, failover);
    sendAndAwait(0);
    primary.closeConnections();
    sendAndAwait(1);
    assertThat(primary.received).containsExactly("event 0\n", "event 1\n");
    assertThat(primary.connections.get()).isEqualTo(2);
    assertThat(listener.events()).noneMatch(event -> event.startsWith("connectionLost"));
    assertThat(failover.received).isEmpty();
  }

  @Test
  void F16_aRefusalWithAChunkedBodyIsQuotedAndAnswerThatIsNotHttpFailsTheServer() throws Exception {
    ScriptedPeer primary = server(
        "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nnope!\r\n0\r\n\r\n",
        "SSH-2.0-OpenSSH\r\n\r\n");
    ScriptedPeer failover = server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    start(primary, failover);
    sendAndAwait(0);
    assertThat(engine.status().rejected()).isEqualTo(1);
    String rejection = "eventsRejected 1 (HTTP 400 from 127.0.0.1:" + primary.port() + ": nope!)";
    Await.until(() -> listener.events().contains(rejection), () -> rejection + " in " + listener.describe());
    sendAndAwait(1);
    assertThat(failover.received).containsExactly("event 1\n");
    assertThat(listener.events()).contains("connectionLost 127.0.0.1:" + primary.port() + " ProtocolException");
  }
}
