package dev.logfailover.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.FailoverConfig;
import dev.logfailover.TlsOptions;
import dev.logfailover.Transport;
import dev.logfailover.internal.sender.Engine;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.RecordingFailoverListener;
import dev.logfailover.testing.ScriptedPeer;
import dev.logfailover.testing.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * F18 against collectors that mean harm: scripted peers ({@link ScriptedPeer}) stream without end,
 * lie about lengths, answer early or close at once, and the sender must stay within its bounds and
 * deadlines, fail that server over, and keep sending. This class runs in a JVM of 128 MiB (the
 * core module's pom), so an unbounded buffer fails it with an OutOfMemoryError.
 */
class HostilePeerTest {
  private static final Duration WRITE_TIMEOUT = Duration.ofMillis(500);
  /**
   * A hostile stream goes on until the client leaves, or this long at most: bytes keep coming long
   * after the deadline, and far more of them than the heap this test runs in (64 MiB take a
   * quarter of a second on loopback).
   */
  private static final Duration STREAM_TIME = Duration.ofSeconds(20);
  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

  private final RecordingFailoverListener listener = new RecordingFailoverListener();
  private final List<ScriptedPeer> peers = new ArrayList<>();
  private Engine engine;
  private TestCertificates.Authority authority;

  @AfterEach
  void tearDown() throws IOException {
    if (engine != null) {
      engine.stop();
    }
    for (ScriptedPeer peer : peers) {
      peer.close();
    }
  }

  private ScriptedPeer peer(ScriptedPeer peer) {
    peers.add(peer);
    return peer;
  }

  /** A scripted peer for {@code transport}: over TLS, with a certificate the engine trusts, when it uses TLS. */
  private ScriptedPeer peer(Transport transport, ScriptedPeer.Script script) throws Exception {
    return peer(transport.usesTls()
        ? ScriptedPeer.tls(TestCertificates.context(authority().issue("127.0.0.1", "127.0.0.1"), authority), script)
        : ScriptedPeer.plain(script));
  }

  private TestCertificates.Authority authority() throws Exception {
    if (authority == null) {
      authority = TestCertificates.newAuthority("hostile CA");
    }
    return authority;
  }

  /** Trusts the peers' authority when the transport uses TLS. */
  private FailoverConfig.Builder withTls(FailoverConfig.Builder config) throws Exception {
    return authority == null ? config : config.tls(TlsOptions.builder(TestCertificates.context(null, authority)).build());
  }

  private ScriptedPeer goodHttp(Transport transport) throws Exception {
    return peer(transport, conversation -> {
      while (conversation.readHttpRequest()) {
        conversation.send(OK);
      }
    });
  }

  private ScriptedPeer goodRelp(Transport transport) throws Exception {
    return peer(transport, conversation -> {
      conversation.acceptRelpOpen();
      String frame;
      while ((frame = conversation.readRelpFrame()) != null) {
        conversation.send(frame.substring(0, frame.indexOf(' ')) + " rsp 6 200 OK\n");
      }
    });
  }

  private FailoverConfig.Builder config(Transport transport, ScriptedPeer primary, ScriptedPeer failover) {
    return FailoverConfig.builder().transport(transport).host("127.0.0.1").port(primary.port())
        .addFailoverServer("127.0.0.1:" + failover.port()).writeTimeout(WRITE_TIMEOUT)
        .reconnectDelay(Duration.ofMillis(50)).maxReconnectDelay(Duration.ofMillis(300));
  }

  private void start(FailoverConfig config) {
    engine = Engine.create(config, "hostile", listener);
    engine.start();
  }

  private void send(String event) {
    engine.send((event + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Streams {@code unit} again and again until the client goes away, for {@link #STREAM_TIME} at most. */
  private static void streamForever(ScriptedPeer.Conversation conversation, String unit) throws IOException {
    byte[] many = unit.repeat(Math.max(1, 8192 / unit.length())).getBytes(StandardCharsets.ISO_8859_1);
    long end = System.nanoTime() + STREAM_TIME.toNanos();
    while (System.nanoTime() - end < 0) {
      conversation.send(many);
    }
  }

  /** Ways an HTTP answer can go on without end while bytes keep coming. */
  enum EndlessAnswer {
    HEADER_FIELDS("HTTP/1.1 200 OK\r\n", "X-Hn: v\r\n"),
    CHUNKED_BODY("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "10\r\n0123456789abcdef\r\n"),
    LYING_CONTENT_LENGTH("HTTP/1.1 200 OK\r\nContent-Length: 999999999999\r\n\r\n", "0123456789"),
    CLOSE_DELIMITED_BODY("HTTP/1.0 200 OK\r\n\r\n", "0123456789"),
    INTERIM_RESPONSES("", "HTTP/1.1 100 Continue\r\n\r\n"),
    TRAILER_FIELDS("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n", "T: v\r\n"),
    ONE_LONG_LINE("HTTP/1.1 200 OK\r\nX-Long: ", "vvvvvvvv");

    final String start;
    final String repeated;

    EndlessAnswer(String start, String repeated) {
      this.start = start;
      this.repeated = repeated;
    }
  }

  static Stream<Arguments> endlessAnswers() {
    return Stream.of(Transport.HTTP, Transport.HTTPS)
        .flatMap(transport -> Stream.of(EndlessAnswer.values()).map(answer -> Arguments.of(transport, answer)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("endlessAnswers")
  void anHttpAnswerWithoutEndFailsTheServerWithinWriteTimeoutAndSendingGoesOn(Transport transport,
      EndlessAnswer answer) throws Exception {
    ScriptedPeer primary = peer(transport, conversation -> {
      conversation.readHttpRequest();
      conversation.send(answer.start);
      streamForever(conversation, answer.repeated);
    });
    ScriptedPeer failover = goodHttp(transport);
    start(withTls(config(transport, primary, failover)).build());
    long startedAt = System.nanoTime();
    send("event 0");
    Await.until(Duration.ofSeconds(10), () -> failover.received.size() == 1, listener::describe);
    assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).as("the server was cut off at its deadline")
        .isLessThan(WRITE_TIMEOUT.plusSeconds(1));
    assertThat(listener.events()).anyMatch(event -> event.startsWith("connectionLost 127.0.0.1:" + primary.port()));
    send("event 1");
    Await.until(() -> failover.received.size() == 2, listener::describe);
    assertThat(failover.received).containsExactly("event 0\n", "event 1\n");
  }

  @Test
  void anEndlessRelpDataLengthFailsTheServerWithinWriteTimeoutAndSendingGoesOn() throws Exception {
    ScriptedPeer primary = peer(ScriptedPeer.plain(conversation -> {
      conversation.acceptRelpOpen();
      String frame = conversation.readRelpFrame();
      conversation.send(frame.substring(0, frame.indexOf(' ')) + " rsp ");
      streamForever(conversation, "0");
    }));
    ScriptedPeer failover = goodRelp(Transport.RELP);
    start(config(Transport.RELP, primary, failover).build());
    long startedAt = System.nanoTime();
    send("event 0");
    Await.until(Duration.ofSeconds(10), () -> failover.received.size() == 1, listener::describe);
    assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isLessThan(WRITE_TIMEOUT.plusSeconds(1));
    assertThat(listener.events()).contains("connectionLost 127.0.0.1:" + primary.port() + " ProtocolException");
    send("event 1");
    Await.until(() -> failover.received.size() == 2, listener::describe);
  }

  @Test
  void aRelpTlsServercloseFollowedAtOnceByACloseIsReadAsTheServercloseItIs() throws Exception {
    ScriptedPeer primary = peer(Transport.RELP_TLS, conversation -> {
      conversation.acceptRelpOpen();
      conversation.readRelpFrame();
      conversation.send("0 serverclose 0\n");
    });
    ScriptedPeer failover = goodRelp(Transport.RELP_TLS);
    start(withTls(config(Transport.RELP_TLS, primary, failover)).build());
    send("event 0");
    Await.until(() -> listener.describe().contains("(serverclose)"), listener::describe);
    assertThat(listener.describe()).doesNotContain(primary.port() + " closed the connection");
  }

  @Test
  void anHttpsAnswerFollowedAtOnceByACloseIsReadWholeNeverResent() throws Exception {
    int requests = Integer.getInteger("logfailover.hostile.requests", 1000);
    ScriptedPeer primary = peer(Transport.HTTPS, conversation -> {
      if (conversation.readHttpRequest()) {
        conversation.send("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
      }
    });
    ScriptedPeer failover = goodHttp(Transport.HTTPS);
    FailoverConfig.Builder config = withTls(config(Transport.HTTPS, primary, failover)).queueSize(requests);
    config.http().maxBatchEvents(1);
    start(config.build());
    for (int event = 0; event < requests; event++) {
      send("event " + event);
    }
    // A TLS handshake per request: about 5 ms each on two busy cores.
    Await.until(Duration.ofSeconds(30 + requests / 50), () -> engine.status().eventsSent() == requests,
        listener::describe);
    assertThat(primary.received).hasSize(requests);
    assertThat(engine.status().resent()).isZero();
    assertThat(engine.status().failovers()).isZero();
    assertThat(failover.received).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"HTTP", "HTTPS"})
  void aRefusalSentBeforeTheBodyIsReadIsARejectionNotAFailover(Transport transport) throws Exception {
    // Larger than a TLS record: under TLS 1.3 it arrives behind the session ticket.
    String explanation = "too big!" + " ".repeat(20_000);
    ScriptedPeer primary = peer(transport, conversation -> {
      if (conversation.readHttpHead() != null) {
        conversation.send("HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: "
            + explanation.length() + "\r\n\r\n" + explanation);
      } // Closing with the body unread: the kernel resets the connection under the client's write.
    });
    ScriptedPeer failover = goodHttp(transport);
    FailoverConfig.Builder config = withTls(config(transport, primary, failover)).maxRecordSize(16 * 1024 * 1024);
    config.http().maxBatchBytes(16 * 1024 * 1024);
    start(config.build());
    byte[] large = new byte[8 * 1024 * 1024];
    Arrays.fill(large, (byte) 'x');
    engine.send(large);
    Await.until(Duration.ofSeconds(10), () -> listener.events().stream()
        .anyMatch(event -> event.contains("HTTP 413") && event.contains("too big!")), listener::describe);
    assertThat(engine.status().rejected()).isEqualTo(1);
    assertThat(listener.events()).noneMatch(event -> event.startsWith("connectionLost"));
    assertThat(engine.status().resent()).isZero();
    assertThat(failover.received).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"31536000", "9223372036854775807"})
  void aRetryAfterBeyondMaxReconnectDelayRestsALoneServerOnlyThatLong(String retryAfter) throws Exception {
    AtomicInteger answered = new AtomicInteger();
    ScriptedPeer only = peer(ScriptedPeer.plain(conversation -> {
      while (conversation.readHttpRequest()) {
        conversation.send(answered.getAndIncrement() > 0 ? OK
            : "HTTP/1.1 503 Service Unavailable\r\nRetry-After: " + retryAfter + "\r\nContent-Length: 0\r\n\r\n");
      }
    }));
    start(FailoverConfig.builder().transport(Transport.HTTP).host("127.0.0.1").port(only.port())
        .writeTimeout(WRITE_TIMEOUT).reconnectDelay(Duration.ofMillis(50)).maxReconnectDelay(Duration.ofMillis(300))
        .build());
    send("event 0");
    Await.until(Duration.ofSeconds(5), () -> engine.status().eventsSent() == 1, listener::describe);
    assertThat(only.received).containsExactly("event 0\n", "event 0\n");
    assertThat(engine.status().eventsDropped()).isZero();
  }
}
