package dev.logfailover.internal.connection;

import dev.logfailover.Endpoint;
import dev.logfailover.internal.concurrent.Doorbell;
import dev.logfailover.internal.transport.SessionFactory;
import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * One attempt at one server: resolve its name afresh and connect to each address in turn ({@link
 * TcpConnector}), then open the transport's session on the channel (a TLS handshake, a protocol's
 * greeting). A probe's channel handed over at failback (F6e) goes through the same second half.
 * Anything either half throws is a failure of that server, with its cause. Holds no state between
 * attempts.
 *
 * <p>Threading: the sender thread's.
 */
public final class ConnectAttempt {
  private final TcpConnector connector;
  private final SessionFactory transport;
  private final Doorbell doorbell;

  public ConnectAttempt(TcpConnector connector, SessionFactory transport, Doorbell doorbell) {
    this.connector = connector;
    this.transport = transport;
    this.doorbell = doorbell;
  }

  /** Connects to {@code server} and opens a session there. */
  public AttemptResult attempt(Endpoint server) {
    SocketChannel channel;
    try {
      channel = connector.connect(server);
    } catch (IOException e) {
      return AttemptResult.failed(server, e);
    } catch (RuntimeException e) {
      return AttemptResult.failed(server, unexpected(server, e));
    }
    return open(server, channel);
  }

  /** Opens a session on a channel already connected to {@code server}; closes it on failure. */
  public AttemptResult open(Endpoint server, SocketChannel channel) {
    try {
      return AttemptResult.opened(transport.open(server, channel, doorbell));
    } catch (IOException e) {
      TcpConnector.closeQuietly(channel);
      return AttemptResult.failed(server, e);
    } catch (RuntimeException e) {
      TcpConnector.closeQuietly(channel);
      return AttemptResult.failed(server, unexpected(server, e));
    }
  }

  /**
   * Whatever an attempt throws is that server's failure (F18), the next server is tried: a
   * library's refusal (a name the SNI class refuses, say) must not turn failover off.
   */
  private static IOException unexpected(Endpoint server, RuntimeException cause) {
    return new IOException("the attempt at " + server + " failed: " + cause, cause);
  }
}
