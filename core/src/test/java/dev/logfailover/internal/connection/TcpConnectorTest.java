package dev.logfailover.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logfailover.Endpoint;
import dev.logfailover.testing.FakeResolver;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpConnectorTest {

  @Test
  void F12_everyAddressIsTriedAndEachFailureIsKept() {
    FakeResolver resolver = new FakeResolver().map("nowhere.test", "127.0.0.2", "127.0.0.3");
    TcpConnector connector = new TcpConnector(resolver, Duration.ofSeconds(1), true);
    assertThatThrownBy(() -> connector.connect(Endpoint.of("x", "nowhere.test", 9)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("127.0.0.2")
        .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
            .satisfies(other -> assertThat(other).hasMessageContaining("127.0.0.3")));
  }

  @Test
  void F12_aNameThatDoesNotResolveIsAnIoFailureNamingIt() {
    TcpConnector connector = new TcpConnector(new FakeResolver(), Duration.ofSeconds(1), true);
    assertThatThrownBy(() -> connector.connect(Endpoint.of("x", "unknown.test", 601)))
        .isInstanceOf(java.net.UnknownHostException.class).hasMessageContaining("unknown.test");
  }

  /**
   * Forces a TCP simultaneous open: a socket bound to a free port connects to that same port and
   * so to itself. The connector must treat that as the refusal it stands for.
   */
  @Test
  void aSocketThatConnectedToItselfIsARefusal() throws Exception {
    int port;
    try (SocketChannel probe = SocketChannel.open()) {
      probe.bind(new InetSocketAddress("127.0.0.1", 0));
      port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
    }
    FakeResolver resolver = new FakeResolver().map("self.test", "127.0.0.1");
    TcpConnector connector = new TcpConnector(resolver, Duration.ofSeconds(1), true) {
      @Override
      SocketChannel open() throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.bind(new InetSocketAddress("127.0.0.1", port));
        return channel;
      }
    };
    assertThatThrownBy(() -> connector.connect(Endpoint.of("x", "self.test", port)))
        .isInstanceOf(IOException.class)
        .satisfies(e -> assertThat(e.getCause()).isInstanceOf(ConnectException.class)
            .hasMessageContaining("connected to itself"));
  }
}
