package dev.logfailover.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.FailoverConfig;
import dev.logfailover.Transport;
import dev.logfailover.internal.sender.Engine;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.RecordingFailoverListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP transport reads of a response, byte by byte: collectors here are scripted raw
 * sockets that answer each request with given bytes, so every way HTTP/1.1 may frame a response
 * (and what a server may do between requests) is on the wire as written.
 */
class HttpConnectionTest {
  private final RecordingFailoverListener listener = new RecordingFailoverListener();
  private final List<ScriptedServer> servers = new ArrayList<>();
  private Engine engine;

  @AfterEach
  void tearDown() throws IOException {
    if (engine != null) {
      engine.stop();
    }
    for (ScriptedServer server : servers) {
      server.close();
    }
  }

  /** Answers request N (counted over all its connections) with {@code answers[N]}, the last one again after. */
  static final class ScriptedServer implements AutoCloseable {
    /** After its answer, the server closes the connection (FIN). */
    static final String THEN_CLOSE = "\u0000close";

    final ServerSocket listener = new ServerSocket();
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final List<String> heads = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final String[] answers;

    ScriptedServer(String... answers) throws IOException {
      this.answers = answers;
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Thread acceptor = new Thread(this::accept, "scripted-http-acceptor");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    private void accept() {
      try {
        while (true) {
          Socket socket = listener.accept();
          accepted.add(socket);
          connections.incrementAndGet();
          Thread reader = new Thread(() -> serve(socket), "scripted-http-reader");
          reader.setDaemon(true);
          reader.start();
        }
      } catch (IOException closed) {
        // The test is over.
      }
    }

    private void serve(Socket socket) {
      try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
        while (true) {
          String head = readHead(in);
          if (head == null) {
            return;
          }
          int length = 0;
          for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
              length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
          }
          heads.add(head);
          bodies.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
          String answer = answers[Math.min(bodies.size(), answers.length) - 1];
          boolean close = answer.endsWith(THEN_CLOSE);
          out.write(answer.replace(THEN_CLOSE, "").getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          if (close) {
            return;
          }
        }
      } catch (IOException ended) {
        // The client went away.
      }
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        head.write(b);
        byte[] bytes = head.toByteArray();
        int n = bytes.length;
        if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
          return head.toString(StandardCharsets.ISO_8859_1);
        }
      }
      return null;
    }

    /** Closes every connection (FIN), as a server's idle timeout does, and goes on listening. */
    void closeConnections() throws IOException {
      for (Socket socket : accepted) {
        socket.close();
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
      closeConnections();
    }
  }

  private ScriptedServer server(String... answers) throws IOException {
    ScriptedServer server = new ScriptedServer(answers);
    servers.add(server);
    return server;
  }

  private void start(ScriptedServer primary, ScriptedServer failover) {
    FailoverConfig.Builder config = FailoverConfig.builder().transport(Transport.HTTP).host("127.0.0.1")
        .port(primary.port()).addFailoverServer("127.0.0.1:" + failover.port()).writeTimeout(Duration.ofSeconds(5))
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
    ScriptedServer primary = server(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n"
            + "A\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n",
        "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end" + ScriptedServer.THEN_CLOSE,
        "HTTP/1.1 202 Accepted\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok" + ScriptedServer.THEN_CLOSE,
        "HTTP/1.1 204 No Content\r\n\r\n");
    ScriptedServer failover = server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    start(primary, failover);
    for (int event = 0; event < 5; event++) {
      sendAndAwait(event);
    }
    assertThat(primary.bodies).containsExactly("event 0\n", "event 1\n", "event 2\n", "event 3\n", "event 4\n");
    assertThat(primary.connections.get()).as("one, then one after each response that ended it").isEqualTo(3);
    assertThat(primary.heads.get(0)).startsWith("POST / HTTP/1.1\r\n").contains("\r\nHost: 127.0.0.1:" + primary.port()
        + "\r\n", "\r\nX-Token: t0ken\r\n", "\r\nContent-Length: 8\r\n", "\r\nContent-Type: application/x-ndjson\r\n");
    assertThat(listener.events()).noneMatch(event -> event.startsWith("connectionLost"));
    assertThat(failover.bodies).isEmpty();
    assertThat(engine.status().resent()).isZero();
  }

  @Test
  void F16_aLineBreakInsideAnEventIsEscapedInLinesSoOneEventIsOneLineAndNoneCanBeForged() throws Exception {
    ScriptedServer primary = server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    start(primary, server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    engine.send("at A\n\tat B\r\n{\"forged\":true}\r\n".getBytes(StandardCharsets.UTF_8));
    Await.until(() -> engine.status().eventsSent() == 1, listener::describe);
    assertThat(primary.bodies).containsExactly("at A\\n\tat B\\r\\n{\"forged\":true}\n");
  }

  @Test
  void F16_aServerClosingAnIdleKeepAliveConnectionIsNotFailedTheNextRequestOpensANewOne() throws Exception {
    ScriptedServer primary = server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    ScriptedServer failover = server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    start(primary, failover);
    sendAndAwait(0);
    primary.closeConnections();
    sendAndAwait(1);
    assertThat(primary.bodies).containsExactly("event 0\n", "event 1\n");
    assertThat(primary.connections.get()).isEqualTo(2);
    assertThat(listener.events()).noneMatch(event -> event.startsWith("connectionLost"));
    assertThat(failover.bodies).isEmpty();
  }

  @Test
  void F16_aRefusalWithAChunkedBodyIsQuotedAndAnswerThatIsNotHttpFailsTheServer() throws Exception {
    ScriptedServer primary = server(
        "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nnope!\r\n0\r\n\r\n",
        "SSH-2.0-OpenSSH\r\n\r\n");
    ScriptedServer failover = server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    start(primary, failover);
    sendAndAwait(0);
    assertThat(engine.status().rejected()).isEqualTo(1);
    String rejection = "eventsRejected 1 (HTTP 400 from 127.0.0.1:" + primary.port() + ": nope!)";
    Await.until(() -> listener.events().contains(rejection), () -> rejection + " in " + listener.describe());
    sendAndAwait(1);
    assertThat(failover.bodies).containsExactly("event 1\n");
    assertThat(listener.events()).contains("connectionLost 127.0.0.1:" + primary.port() + " ProtocolException");
  }
}
