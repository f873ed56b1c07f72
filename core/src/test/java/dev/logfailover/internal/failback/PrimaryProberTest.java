package dev.logfailover.internal.failback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Endpoint;
import dev.logfailover.Failback;
import dev.logfailover.Framing;
import dev.logfailover.internal.connection.TcpConnector;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeResolver;
import dev.logfailover.testing.FakeServer;
import dev.logfailover.testing.FakeTicker;
import dev.logfailover.testing.ManualScheduler;
import dev.logfailover.testing.RecordingFailoverListener;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The prober on a fake clock. Each test has the same structure: script the probe outcomes (a fake
 * connector, or a real {@link FakeServer} on loopback), start probing, step the {@link
 * ManualScheduler} through time, and assert on the recorded events and probe start times.
 */
class PrimaryProberTest {
  private static final Duration INTERVAL = Duration.ofSeconds(10);
  private final FakeTicker ticker = new FakeTicker();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final RecordingFailoverListener listener = new RecordingFailoverListener();
  private final Endpoint primary = Endpoint.of("x", "primary.test", 601);
  private final List<Long> probeStarts = new ArrayList<>();
  private final List<SocketChannel> handedOver = new ArrayList<>();
  private final List<SocketChannel> probeSockets = new ArrayList<>();
  private final List<Boolean> script = new ArrayList<>();
  private Duration probeDuration = Duration.ZERO;
  private FakeServer server;

  @AfterEach
  void closeServer() {
    if (server != null) {
      server.close();
    }
  }

  /** Connects per the script, taking {@link #probeDuration} of fake time. */
  private SocketChannel scriptedConnect(Endpoint target) throws IOException {
    probeStarts.add(ticker.nanoTime());
    ticker.advance(probeDuration);
    if (script.isEmpty() || !script.remove(0)) {
      throw new ConnectException("refused (scripted)");
    }
    SocketChannel channel = SocketChannel.open();
    probeSockets.add(channel);
    return channel;
  }

  private PrimaryProber prober(int required, PrimaryProber.ProbeConnector connector) {
    return new PrimaryProber(primary, new FailbackPolicy(Failback.of(required, INTERVAL)), connector, scheduler,
        ticker, listener, handedOver::add);
  }

  private long sinceFirstProbe(int index) {
    return Duration.ofNanos(probeStarts.get(index) - probeStarts.get(0)).toSeconds();
  }

  @Test
  void F6a_theFirstProbeRunsTheMomentProbingStarts() {
    PrimaryProber prober = prober(3, this::scriptedConnect);
    prober.start();
    scheduler.runDueTasks();
    assertThat(probeStarts).hasSize(1);
    assertThat(listener.events()).containsExactly("probeFailed");
  }

  @Test
  void F6c_probesRunEveryIntervalAndASlowProbeDelaysTheNextWithoutOverlap() {
    PrimaryProber prober = prober(3, this::scriptedConnect);
    prober.start();
    scheduler.advanceBy(Duration.ofSeconds(20));
    probeDuration = Duration.ofSeconds(15);
    scheduler.advanceBy(Duration.ofSeconds(10));
    probeDuration = Duration.ZERO;
    scheduler.advanceBy(Duration.ofSeconds(20));
    assertThat(probeStarts).hasSize(7);
    assertThat(List.of(sinceFirstProbe(1), sinceFirstProbe(2), sinceFirstProbe(3), sinceFirstProbe(4),
        sinceFirstProbe(5), sinceFirstProbe(6)))
        .as("the probe at 30 s took 15 s, so the next starts when it ends, at 45 s, not at 40 s")
        .containsExactly(10L, 20L, 30L, 45L, 55L, 65L);
  }

  @Test
  void F6d_aFailedProbeResetsTheCounterAndEarlySuccessesCloseTheirSocket() {
    script.addAll(List.of(true, true, false, true, true, true));
    PrimaryProber prober = prober(3, this::scriptedConnect);
    prober.start();
    scheduler.advanceBy(Duration.ofSeconds(45));
    assertThat(listener.events()).containsExactly("probeSucceeded 1/3", "probeSucceeded 2/3", "probeFailed",
        "probeSucceeded 1/3", "probeSucceeded 2/3");
    assertThat(handedOver).isEmpty();
    assertThat(probeSockets).as("the socket of every success short of the required count").hasSize(4)
        .allSatisfy(socket -> assertThat(socket.isOpen()).as("closed at once").isFalse());
  }

  @Test
  void F6e_theRequiredSuccessHandsItsSocketOverAndProbingStops() {
    script.addAll(List.of(true, true, true));
    PrimaryProber prober = prober(3, this::scriptedConnect);
    prober.start();
    scheduler.advanceBy(Duration.ofMinutes(5));
    assertThat(listener.events()).containsExactly("probeSucceeded 1/3", "probeSucceeded 2/3", "probeSucceeded 3/3");
    assertThat(handedOver).hasSize(1);
    assertThat(prober.isProbing()).isFalse();
    assertThat(scheduler.pendingTasks()).isZero();
  }

  @Test
  void F6f_probingGoesOnUntilStoppedWhateverTheSenderDoes() {
    PrimaryProber prober = prober(3, this::scriptedConnect);
    prober.start();
    scheduler.advanceBy(Duration.ofSeconds(95));
    assertThat(probeStarts).hasSize(10);
    prober.stop();
    scheduler.advanceBy(Duration.ofMinutes(5));
    assertThat(probeStarts).hasSize(10);
  }

  @Test
  void F6b_aProbeIsAPlainTcpConnectWithAFreshLookupAndNoData() throws Exception {
    server = FakeServer.start("primary", Framing.NEWLINE);
    FakeResolver resolver = new FakeResolver().map("primary.test", "127.0.0.1");
    Endpoint realPrimary = Endpoint.of("x", "primary.test", server.port());
    TcpConnector connector = new TcpConnector(resolver, Duration.ofSeconds(1), true);
    PrimaryProber prober = new PrimaryProber(realPrimary, new FailbackPolicy(Failback.of(2, INTERVAL)),
        connector::connect, scheduler, ticker, listener, handedOver::add);
    prober.start();
    scheduler.advanceBy(Duration.ofSeconds(10));
    assertThat(resolver.lookups("primary.test")).as("one lookup per probe").isEqualTo(2);
    Await.until(() -> server.connectionCount() == 2, () -> "2 probe connections, saw " + server.connectionCount());
    assertThat(handedOver).singleElement().satisfies(channel -> assertThat(channel.isConnected()).isTrue());
    assertThat(server.recordCount()).isZero();
    handedOver.get(0).close();
  }
}
