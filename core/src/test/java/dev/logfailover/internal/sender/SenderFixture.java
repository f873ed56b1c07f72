package dev.logfailover.internal.sender;

import dev.logfailover.Endpoint;
import dev.logfailover.FailoverConfig;
import dev.logfailover.Framing;
import dev.logfailover.testing.FakeResolver;
import dev.logfailover.testing.FakeServer;
import dev.logfailover.testing.FakeTicker;
import dev.logfailover.testing.ManualScheduler;
import dev.logfailover.testing.RecordingFailoverListener;
import dev.logfailover.internal.concurrent.Scheduler;
import dev.logfailover.internal.transport.SessionFactory;
import dev.logfailover.internal.transport.Transports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Loopback collectors named {@code primary}, {@code failover1}, ... behind test host names
 * ({@code primary.test} ...) that a {@link FakeResolver} maps to 127.0.0.1, and a sender wired to
 * them with a recording listener, a fake clock and a manual scheduler for probes.
 */
final class SenderFixture implements AutoCloseable {
  final FakeResolver resolver = new FakeResolver();
  final FakeTicker ticker = new FakeTicker();
  /** The spill's file operations: the disk, unless a test of disk faults sets its own before start. */
  dev.logfailover.internal.spill.SpillIo spillIo = dev.logfailover.internal.spill.SpillIo.DISK;
  final ManualScheduler scheduler = new ManualScheduler(ticker);
  final RecordingFailoverListener listener = new RecordingFailoverListener();
  final List<FakeServer> servers = new ArrayList<>();
  Engine sender;
  /** Collectors of the same kind as this fixture's, for {@link #startAnother}. */
  private final boolean relp;
  /** Makes the transport under test for a configuration; null for the one the configuration names. */
  private final Function<FailoverConfig, SessionFactory> transport;
  private int nextEvent;

  /** Starts {@code count} plain servers: primary, failover1, failover2, ... */
  SenderFixture(int count) throws IOException {
    this(startPlain(count), null);
  }

  /** Uses servers named primary, failover1, ... that the test started. */
  SenderFixture(List<FakeServer> started) {
    this(started, null);
  }

  /** Starts {@code count} plain servers and sends to them through the transport {@code transport} makes. */
  SenderFixture(int count, Function<FailoverConfig, SessionFactory> transport) throws IOException {
    this(startPlain(count), transport);
  }

  private SenderFixture(List<FakeServer> started, Function<FailoverConfig, SessionFactory> transport) {
    this(started, transport, false);
  }

  private SenderFixture(List<FakeServer> started, Function<FailoverConfig, SessionFactory> transport, boolean relp) {
    this.transport = transport;
    this.relp = relp;
    for (FakeServer server : started) {
      servers.add(server);
      resolver.map(server.name() + ".test", "127.0.0.1");
    }
  }

  /** Starts {@code count} RELP collectors; {@link #config()} then names the relp transport. */
  static SenderFixture relp(int count) throws IOException {
    List<FakeServer> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      started.add(FakeServer.startRelp(name(i), null, false));
    }
    return new SenderFixture(started, null, true);
  }

  /** Another collector of this fixture's kind, on a given loopback address and port. */
  FakeServer startAnother(String name, String loopbackAddress, int port) throws IOException {
    return relp ? FakeServer.startRelp(name, loopbackAddress, port)
        : FakeServer.start(name, Framing.OCTET_COUNTING, loopbackAddress, port);
  }

  static String name(int index) {
    return index == 0 ? "primary" : "failover" + index;
  }

  private static List<FakeServer> startPlain(int count) throws IOException {
    List<FakeServer> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      started.add(FakeServer.start(name(i), Framing.OCTET_COUNTING));
    }
    return started;
  }

  FakeServer server(int index) {
    return servers.get(index);
  }

  Endpoint endpoint(int index) {
    FakeServer server = servers.get(index);
    return Endpoint.of("x", server.name() + ".test", server.port());
  }

  /** A config listing every server by its test name, with quick timings; tests adjust it. */
  FailoverConfig.Builder config() {
    FailoverConfig.Builder builder = FailoverConfig.builder()
        .host("primary.test").port(servers.get(0).port())
        .framing(Framing.OCTET_COUNTING)
        .connectTimeout(Duration.ofSeconds(2))
        // The clock is fake and probes move it by whole intervals: only tests of stalls set a
        // write timeout that such a jump could reach.
        .writeTimeout(Duration.ofHours(1))
        .reconnectDelay(Duration.ofMillis(50))
        .maxReconnectDelay(Duration.ofMillis(200))
        .shutdownTimeout(Duration.ofSeconds(5))
        .resolver(resolver);
    if (relp) {
      // RELP's open waits for an answer on the fake clock too: a probe run in the middle of an
      // advance would let the rest of the jump time the open out (F6g failed so, rarely).
      builder.transport(dev.logfailover.Transport.RELP).connectTimeout(Duration.ofHours(1));
    }
    for (int i = 1; i < servers.size(); i++) {
      builder.addFailoverServer(servers.get(i).name() + ".test:" + servers.get(i).port());
    }
    return builder;
  }

  Engine start(FailoverConfig config) {
    for (int i = 0; i < servers.size(); i++) {
      listener.name(endpoint(i), servers.get(i).name());
    }
    sender = newEngine(config, scheduler);
    sender.start();
    return sender;
  }

  /** An engine for {@code config} on this fixture's clock, listener and transport. */
  Engine newEngine(FailoverConfig config, Scheduler probeScheduler) {
    return new Engine(config, config.primary().host(), listener, probeScheduler, ticker,
        transport != null ? transport.apply(config) : Transports.forConfig(config), spillIo);
  }

  /**
   * Moves the clock on in steps until {@code condition} holds: for waits that end on the engine's
   * clock (write timeouts, backoff) while real events, such as a stalled write, happen meanwhile.
   */
  void advanceUntil(Duration step, java.util.function.BooleanSupplier condition, String what) {
    dev.logfailover.testing.Await.until(() -> {
      if (condition.getAsBoolean()) {
        return true;
      }
      ticker.advance(step);
      return false;
    }, () -> what + "; events " + listener.describe());
  }

  /** Sends the next {@code count} numbered events, "event-0", "event-1", ... */
  void sendEvents(int count) {
    for (int i = 0; i < count; i++) {
      sender.send(("event-" + nextEvent++).getBytes(StandardCharsets.UTF_8));
    }
  }

  int eventsSentSoFar() {
    return nextEvent;
  }

  /** Waits for {@code count} records at server {@code index}; a timeout shows the engine's events. */
  void awaitRecords(int index, int count) {
    FakeServer server = servers.get(index);
    dev.logfailover.testing.Await.until(() -> server.recordCount() >= count, () -> server.name() + " to receive "
        + count + " records, has " + server.recordCount() + "; events " + listener.describe() + "; status "
        + (sender == null ? "none" : sender.status()));
  }

  /**
   * Waits until the engine counts {@code count} events as sent in its transport's meaning
   * (acknowledged, for an acknowledging one). With {@link #awaitRecords} before it (the server
   * has them), a fault injected next cannot take them, whatever the transport.
   */
  void awaitSent(long count) {
    dev.logfailover.testing.Await.until(() -> sender.status().eventsSent() >= count,
        () -> count + " events sent; status " + sender.status() + "; events " + listener.describe());
  }

  /** Every server's records, in server order then arrival order. */
  List<String> allRecords() {
    List<String> all = new ArrayList<>();
    servers.forEach(server -> all.addAll(server.records()));
    return all;
  }

  int totalRecords() {
    return servers.stream().mapToInt(FakeServer::recordCount).sum();
  }

  static int number(String event) {
    return Integer.parseInt(event.substring("event-".length()));
  }

  @Override
  public void close() {
    if (sender != null) {
      sender.stop();
    }
    servers.forEach(FakeServer::close);
  }
}
