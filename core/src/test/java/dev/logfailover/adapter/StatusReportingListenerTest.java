package dev.logfailover.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Endpoint;
import dev.logfailover.testing.FakeTicker;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** F11: what reaches the framework's status system, and how often, on a fake clock. */
class StatusReportingListenerTest {
  private final FakeTicker ticker = new FakeTicker();
  private final List<String> reported = new ArrayList<>();
  private final StatusSink sink = new StatusSink() {
    @Override
    public void info(String message) {
      reported.add("INFO " + message);
    }

    @Override
    public void warn(String message, Throwable cause) {
      reported.add("WARN " + message);
    }

    @Override
    public void error(String message, Throwable cause) {
      reported.add("ERROR " + message);
    }
  };
  private final StatusReportingListener listener =
      new StatusReportingListener("COLLECTORS", sink, new RateLimiter(ticker, 2, Duration.ofSeconds(30)));
  private final Endpoint primary = Endpoint.of("x", "primary.example.com", 601);
  private final Endpoint failover1 = Endpoint.of("x", "failover1.example.com", 601);

  @Test
  void F11_everySwitchIsReportedWithTheServersAndTheCauseAndNoRunTimeConditionIsAnError() {
    listener.failedOver(primary, failover1, new ConnectException("Connection refused"));
    listener.failedBack(failover1, primary);
    listener.allServersDown(3, Duration.ofSeconds(2));
    listener.eventsDropped(7, 9, "the queue was full");
    listener.probeSucceeded(primary, 2, 3);
    listener.probeFailed(primary, new IOException("timed out"));
    assertThat(reported).containsExactly(
        "WARN [COLLECTORS] Failed over from primary.example.com:601 to failover1.example.com:601; cause: ConnectException: Connection refused",
        "INFO [COLLECTORS] Failed back to the primary primary.example.com:601 from failover1.example.com:601: its probes succeeded",
        "WARN [COLLECTORS] All servers are down (3 attempts in a row failed); next attempt in 2000 ms, events are queued meanwhile",
        "WARN [COLLECTORS] Dropped 7 events (9 in all since start): the queue was full",
        "INFO [COLLECTORS] Probe of primary.example.com:601 succeeded (2 of 3 in a row)",
        "INFO [COLLECTORS] Probe of primary.example.com:601 failed: IOException: timed out");
  }

  @Test
  void F11_repeatedMessagesAreRateLimitedAndTheNextOneCountsWhatWasHeldBack() {
    for (int i = 0; i < 10; i++) {
      listener.connectFailed(primary, new ConnectException("Connection refused"));
    }
    listener.connectFailed(failover1, new ConnectException("Connection refused"));
    assertThat(reported).as("a burst of 2 per server, and another server's news is not held back").hasSize(3);
    ticker.advance(Duration.ofSeconds(15));
    listener.connectFailed(primary, new ConnectException("Connection refused"));
    assertThat(reported).hasSize(3);
    ticker.advance(Duration.ofSeconds(15));
    listener.connectFailed(primary, new ConnectException("Connection refused"));
    assertThat(reported).hasSize(4);
    assertThat(reported.get(3)).endsWith("(9 similar messages held back)");
  }
}
