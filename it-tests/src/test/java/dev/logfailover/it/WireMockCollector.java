package dev.logfailover.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * An HTTP collector for the end-to-end tests: a WireMock server on loopback that answers every
 * {@code POST} as told, can be stopped and started again on its port, and says which event lines
 * it acknowledged (the bodies of the requests it answered with a whole 2xx).
 *
 * <p>Thread-safe as WireMock is; {@link #stop} and {@link #restart} from the test's thread.
 */
final class WireMockCollector implements AutoCloseable {
  private final int port;
  private volatile ResponseDefinitionBuilder answer = aResponse().withStatus(200);
  private volatile WireMockServer server;
  /** What earlier incarnations (before a restart) acknowledged. */
  private final List<String> before = Collections.synchronizedList(new ArrayList<>());

  private WireMockCollector(int port) {
    this.port = port;
    this.server = startOn(port);
    answer(answer);
  }

  static WireMockCollector start() {
    WireMockServer probe = startOn(0);
    int port = probe.port();
    probe.stop();
    return new WireMockCollector(port);
  }

  private static WireMockServer startOn(int port) {
    WireMockServer started = new WireMockServer(options().bindAddress("127.0.0.1").port(port).containerThreads(16)
        .jettyAcceptors(1));
    started.start();
    return started;
  }

  int port() {
    return port;
  }

  String hostAndPort() {
    return "127.0.0.1:" + port;
  }

  /** From now on every request is answered so. */
  void answer(ResponseDefinitionBuilder response) {
    this.answer = response;
    server.stubFor(post(anyUrl()).willReturn(response));
  }

  /** Stops listening; connections are closed. */
  void stop() {
    server.stop();
    // Read after the stop: a request answered while it stopped must be counted too.
    before.addAll(acknowledged(server));
  }

  /** Listens again on the same port, answering as before. */
  void restart() {
    server = startOn(port);
    answer(answer);
  }

  /** The event lines of every request answered with a whole 2xx, over every incarnation, oldest first. */
  List<String> acknowledged() {
    List<String> all = new ArrayList<>(before);
    if (server.isRunning()) {
      all.addAll(acknowledged(server));
    }
    return all;
  }

  /** The event lines of every request {@code server} answered with a whole 2xx, oldest first. */
  static List<String> acknowledged(WireMockServer server) {
    List<ServeEvent> served = new ArrayList<>(server.getAllServeEvents());
    Collections.reverse(served);
    // A fault breaks the connection whatever status the stub names: no acknowledgement then.
    return served.stream().filter(event -> event.getResponse().getStatus() / 100 == 2
            && event.getResponseDefinition().getFault() == null)
        .flatMap(event -> body(event).lines()).toList();
  }

  /** A request's body, gunzipped when it is gzip. */
  static String body(ServeEvent event) {
    byte[] raw = event.getRequest().getBody();
    if (raw.length > 1 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
      try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        return new String(gzip.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new String(raw, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop();
  }
}
