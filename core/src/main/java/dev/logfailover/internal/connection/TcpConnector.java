package dev.logfailover.internal.connection;

import dev.logfailover.Endpoint;
import dev.logfailover.HostResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Makes one TCP connection attempt to a server: resolves its name afresh, then tries each address
 * in turn, each bounded by {@code connectTimeout} (F12, F6b). Used for sending connections and for
 * probes alike. Holds no state between calls; thread-safe.
 */
public class TcpConnector {
  private final HostResolver resolver;
  private final int connectTimeoutMillis;
  private final boolean keepAlive;

  public TcpConnector(HostResolver resolver, Duration connectTimeout, boolean keepAlive) {
    this.resolver = resolver;
    this.connectTimeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
    this.keepAlive = keepAlive;
  }

  /**
   * Returns a connected, blocking channel with Nagle off. On failure throws the first address's
   * exception with the others' added as suppressed, and names the server in the message.
   */
  public SocketChannel connect(Endpoint server) throws IOException {
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(server.host());
    } catch (UnknownHostException e) {
      UnknownHostException failure = new UnknownHostException("cannot resolve " + server.host());
      failure.initCause(e);
      throw failure;
    }
    if (addresses == null || addresses.length == 0) {
      throw new UnknownHostException("no address for " + server.host());
    }
    IOException first = null;
    for (InetAddress address : addresses) {
      try {
        return connect(new InetSocketAddress(address, server.port()));
      } catch (IOException e) {
        IOException named = named(e, address, server);
        if (first == null) {
          first = named;
        } else {
          first.addSuppressed(named);
        }
      }
    }
    throw first;
  }

  /** A new, unconnected channel; tests bind it to force a self-connect. */
  SocketChannel open() throws IOException {
    return SocketChannel.open();
  }

  private SocketChannel connect(InetSocketAddress address) throws IOException {
    SocketChannel channel = open();
    boolean connected = false;
    try {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.setOption(StandardSocketOptions.SO_KEEPALIVE, keepAlive);
      // The socket adaptor is the channel API's way to bound a blocking connect.
      channel.socket().connect(address, connectTimeoutMillis);
      if (channel.getLocalAddress().equals(channel.getRemoteAddress())) {
        // TCP "simultaneous open" on a free local port in the ephemeral range: the socket reached
        // itself. Events written to it would vanish; nothing listens there, so it is a refusal.
        throw new java.net.ConnectException("connected to itself: nothing listens on " + address);
      }
      connected = true;
      return channel;
    } finally {
      if (!connected) {
        channel.close();
      }
    }
  }

  /** Closes a channel that never became (or no longer is) a connection; null is fine. */
  public static void closeQuietly(SocketChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing was sent on it and nothing can be done about it.
    }
  }

  private static IOException named(IOException cause, InetAddress address, Endpoint server) {
    String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    IOException named = cause instanceof java.net.SocketTimeoutException
        ? new java.net.SocketTimeoutException("connect to " + server + " (" + address.getHostAddress() + ") timed out")
        : new IOException("connect to " + server + " (" + address.getHostAddress() + ") failed: " + detail);
    named.initCause(cause);
    return named;
  }
}
