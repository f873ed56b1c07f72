package dev.logfailover.internal.connection;

import dev.logfailover.Endpoint;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A plain TCP {@link Connection} over a non-blocking channel. Non-blocking I/O gives the three
 * things a blocking socket cannot: the exact count of bytes the kernel accepted (so only whole
 * records are released), a write timeout (a stalled server is a failure after {@code
 * writeTimeout} without progress), and a read that checks for the server's FIN without waiting.
 *
 * <p>Not thread-safe: confined to the sender thread, except {@link #close()}.
 */
public final class PlainTcpConnection implements Connection {
  private final Endpoint server;
  private final NonBlockingChannel channel;
  private final InetSocketAddress remoteAddress;
  private final ByteBuffer readProbe = ByteBuffer.allocate(64);

  /** Takes ownership of {@code channel}, which must be connected; closes it if this fails. */
  public PlainTcpConnection(Endpoint server, SocketChannel channel, Duration writeTimeout) throws IOException {
    this.server = server;
    this.remoteAddress = remoteAddress(channel);
    this.channel = new NonBlockingChannel(server, channel, writeTimeout);
  }

  static InetSocketAddress remoteAddress(SocketChannel channel) throws IOException {
    try {
      return (InetSocketAddress) channel.getRemoteAddress();
    } catch (IOException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public Endpoint server() {
    return server;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  @Override
  public void send(Outbox outbox) throws IOException {
    channel.writeFully(outbox.bytes(), outbox::releaseAccepted, this::checkAlive);
  }

  @Override
  public void checkAlive() throws IOException {
    readProbe.clear();
    int read = channel.readNow(readProbe);
    if (read < 0) {
      throw new EOFException(server + " closed the connection");
    }
    if (read > 0) {
      throw new IOException(server + " sent " + read + " unexpected bytes");
    }
  }

  @Override
  public void close() {
    channel.close();
  }

  @Override
  public String toString() {
    return "PlainTcpConnection{" + server + " at " + remoteAddress + "}";
  }
}
