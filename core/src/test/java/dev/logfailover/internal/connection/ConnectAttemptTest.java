package dev.logfailover.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Endpoint;
import dev.logfailover.internal.concurrent.Doorbell;
import dev.logfailover.internal.concurrent.Ticker;
import dev.logfailover.testing.FakeResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** F18: whatever an attempt throws is a failure of that server, with its cause, never an escape. */
class ConnectAttemptTest {

  @Test
  void anUncheckedExceptionOpeningTheSessionIsAFailureOfThatServer() throws IOException {
    try (ServerSocket listening = new ServerSocket(); Doorbell doorbell = Doorbell.open(Ticker.SYSTEM)) {
      listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      IllegalArgumentException refusal = new IllegalArgumentException("Contains non-LDH ASCII characters");
      ConnectAttempt attempt = new ConnectAttempt(
          new TcpConnector(new FakeResolver().map("log_collector", "127.0.0.1"), Duration.ofSeconds(1), false),
          (server, channel, bell) -> {
            throw refusal;
          }, doorbell);
      AttemptResult result = attempt.attempt(Endpoint.of("host", "log_collector", listening.getLocalPort()));
      assertThat(result.succeeded()).isFalse();
      assertThat(result.failure()).hasCause(refusal).hasMessageContaining("log_collector");
    }
  }
}
