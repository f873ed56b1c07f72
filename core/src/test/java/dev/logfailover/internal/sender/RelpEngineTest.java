package dev.logfailover.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Failback;
import dev.logfailover.FailoverConfig;
import dev.logfailover.internal.transport.SessionFactory;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeServer;
import dev.logfailover.testing.RelpConversation.Answer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine rules over {@code relp} (F14, F15) against RELP collectors in the tests' {@link
 * FakeServer}, which answer as each test scripts: every shared rule of {@link EngineBehaviourTest},
 * and what acknowledgements add. A stalled RELP server is one that withholds its answers.
 */
class RelpEngineTest extends EngineBehaviourTest {
  private SenderFixture relp;

  @Override
  Function<FailoverConfig, SessionFactory> transport() {
    return null;
  }

  @Override
  SenderFixture fixture(int servers) throws IOException {
    return SenderFixture.relp(servers);
  }

  @Override
  void stall(FakeServer server) {
    server.relpAnswer(Answer.WITHHOLD);
  }

  @AfterEach
  void closeRelp() {
    if (relp != null) {
      relp.close();
    }
  }

  private List<String> events(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "event-" + i).toList();
  }

  @Test
  void F15_aFullWindowMakesTheSenderWaitNeverTheCaller() throws Exception {
    relp = SenderFixture.relp(1);
    relp.server(0).relpAnswer(Answer.WITHHOLD);
    relp.start(relp.config().relpWindowSize(4).queueSize(1000).build());
    long before = System.nanoTime();
    relp.sendEvents(100);
    assertThat(Duration.ofNanos(System.nanoTime() - before)).as("100 calls, none waiting on the window")
        .isLessThan(Duration.ofSeconds(2));
    relp.awaitRecords(0, 4);
    assertThat(relp.server(0).records()).as("at most relpWindowSize events unacknowledged").containsExactlyElementsOf(
        events(0, 4));
    assertThat(relp.sender.status().eventsSent()).isZero();
    relp.server(0).relpAnswer(Answer.ACKNOWLEDGE);
  }

  @Test
  void F14_anAcknowledgementWithheldPastWriteTimeoutFailsOverAndTheUnacknowledgedEventsGoToTheNextServer()
      throws Exception {
    relp = SenderFixture.relp(2);
    relp.start(relp.config().writeTimeout(Duration.ofSeconds(10)).build());
    relp.sendEvents(5);
    relp.awaitSent(5);
    relp.server(0).relpAnswer(Answer.WITHHOLD);
    relp.sendEvents(5);
    // The sender waits for the answers to the batch in hand; events queued after it wait with it.
    relp.awaitRecords(0, 6);
    relp.advanceUntil(Duration.ofSeconds(1),
        () -> !relp.listener.events("connectionLost primary WriteTimeoutException").isEmpty(),
        "the acknowledgement timeout");
    relp.awaitSent(10);
    assertThat(relp.server(1).records()).as("only what the primary never acknowledged, in order")
        .containsExactlyElementsOf(events(5, 10));
    assertThat(relp.sender.status().resent()).as("what the primary took without answering")
        .isEqualTo(relp.server(0).recordCount() - 5);
  }

  @Test
  void F15_anEventRefusedByTwoServersInARowIsRejectedAndCountedAndTheNextEventsGoOn() throws Exception {
    relp = SenderFixture.relp(2);
    relp.server(0).relpAnswer(Answer.REFUSE);
    relp.server(1).relpAnswer(Answer.REFUSE);
    relp.start(relp.config().build());
    relp.sendEvents(1);
    Await.until(() -> relp.sender.status().rejected() == 1, relp.listener::describe);
    relp.server(0).relpAnswer(Answer.ACKNOWLEDGE);
    relp.server(1).relpAnswer(Answer.ACKNOWLEDGE);
    relp.sendEvents(2);
    relp.awaitSent(2);
    assertThat(relp.listener.describe()).contains("eventsRejected 1", "refused event");
    assertThat(relp.sender.status().eventsDropped()).isZero();
  }

  @Test
  void F14_aRefusedEventFailsOverAndGoesToTheNextServer() throws Exception {
    relp = SenderFixture.relp(2);
    relp.server(0).relpAnswer(Answer.REFUSE);
    relp.start(relp.config().build());
    relp.sendEvents(3);
    relp.awaitRecords(1, 3);
    assertThat(relp.listener.events("connectionLost")).containsExactly("connectionLost primary IOException");
    assertThat(relp.server(1).records()).containsExactlyElementsOf(events(0, 3));
    assertThat(relp.server(0).records()).isEmpty();
  }

  @Test
  void F15_aServercloseFailsOverAndNothingIsLost() throws Exception {
    relp = SenderFixture.relp(2);
    relp.start(relp.config().build());
    relp.sendEvents(3);
    relp.awaitRecords(0, 3);
    relp.server(0).relpAnswer(Answer.SERVER_CLOSE);
    relp.sendEvents(3);
    relp.awaitRecords(1, 3);
    assertThat(relp.listener.events("connectionLost")).containsExactly("connectionLost primary EOFException");
    assertThat(relp.server(1).records()).containsExactlyElementsOf(events(3, 6));
  }

  @Test
  void F14_acknowledgedEventsAreNeverSentAgain() throws Exception {
    relp = SenderFixture.relp(2);
    relp.start(relp.config().build());
    relp.sendEvents(50);
    relp.awaitSent(50);
    relp.server(0).kill();
    relp.listener.awaitEvent("connected failover1");
    relp.sendEvents(50);
    relp.awaitRecords(1, 50);
    assertThat(relp.server(1).records()).containsExactlyElementsOf(events(50, 100));
    assertThat(relp.sender.status().resent()).isZero();
  }

  @Test
  void F15_atFailbackTheFailoverSessionIsClosedWithCloseAndNothingIsLostOrReordered() throws Exception {
    relp = SenderFixture.relp(2);
    FakeServer primary = relp.server(0);
    relp.start(relp.config().failback(Failback.of(1, Duration.ofSeconds(5))).build());
    relp.sendEvents(5);
    relp.awaitSent(5);
    primary.kill();
    relp.listener.awaitEvent("connected failover1");
    relp.sendEvents(5);
    relp.awaitRecords(1, 5);
    primary.restart();
    relp.scheduler.advanceBy(Duration.ofSeconds(5));
    relp.listener.awaitEvent("failedBack failover1 -> primary");
    relp.sendEvents(5);
    Await.until(() -> primary.recordCount() >= 10, () -> "the last 5 at the primary");
    assertThat(primary.records()).containsExactlyElementsOf(
        java.util.stream.Stream.concat(events(0, 5).stream(), events(10, 15).stream()).toList());
    assertThat(relp.server(1).records()).containsExactlyElementsOf(events(5, 10));
    Await.until(() -> relp.server(1).relpCloses() == 1, () -> "failover1's session ended with close");
  }

  @Test
  void F14_atStopTheFlushWaitsForTheAcknowledgements() throws Exception {
    relp = SenderFixture.relp(1);
    relp.start(relp.config().build());
    relp.sendEvents(2000);
    relp.sender.stop();
    assertThat(relp.sender.status().eventsSent()).isEqualTo(2000);
    assertThat(relp.server(0).records()).containsExactlyElementsOf(events(0, 2000));
    Await.until(() -> relp.server(0).relpCloses() == 1, () -> "the session ended with close");
  }
}
