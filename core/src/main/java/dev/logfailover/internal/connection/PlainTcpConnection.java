package dev.logfailover.internal.connection;

import dev.logfailover.Endpoint;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
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
  private final SocketChannel channel;
  private final InetSocketAddress remoteAddress;
  private final Selector selector;
  private final long writeTimeoutNanos;
  private final ByteBuffer readProbe = ByteBuffer.allocate(64);

  /** Takes ownership of {@code channel}, which must be connected; closes it if this fails. */
  public PlainTcpConnection(Endpoint server, SocketChannel channel, Duration writeTimeout) throws IOException {
    this.server = server;
    this.channel = channel;
    this.writeTimeoutNanos = writeTimeout.toNanos();
    Selector opened = null;
    try {
      this.remoteAddress = (InetSocketAddress) channel.getRemoteAddress();
      channel.configureBlocking(false);
      opened = Selector.open();
      channel.register(opened, SelectionKey.OP_WRITE);
    } catch (IOException | RuntimeException e) {
      if (opened != null) {
        opened.close();
      }
      channel.close();
      throw e;
    }
    this.selector = opened;
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
    ByteBuffer bytes = outbox.bytes();
    long lastProgress = System.nanoTime();
    while (bytes.hasRemaining()) {
      if (channel.write(bytes) > 0) {
        outbox.releaseAccepted();
        lastProgress = System.nanoTime();
        continue;
      }
      // The send buffer is full: wait until the server reads, at most writeTimeout without progress.
      long waitedNanos = System.nanoTime() - lastProgress;
      if (waitedNanos >= writeTimeoutNanos) {
        throw new WriteTimeoutException(
            "no write progress to " + server + " for " + Duration.ofNanos(waitedNanos).toMillis() + " ms");
      }
      selector.select(Math.max(1, (writeTimeoutNanos - waitedNanos + 999_999) / 1_000_000));
      selector.selectedKeys().clear();
      // A stalled server may still have closed or reset its side meanwhile.
      checkAlive();
    }
  }

  @Override
  public void checkAlive() throws IOException {
    readProbe.clear();
    int read = channel.read(readProbe);
    if (read < 0) {
      throw new EOFException(server + " closed the connection");
    }
    if (read > 0) {
      throw new IOException(server + " sent " + read + " unexpected bytes");
    }
  }

  @Override
  public void close() {
    try {
      selector.close();
    } catch (IOException ignored) {
      // Closing a selector fails only if already broken; the channel close below still runs.
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing left to do for a socket that cannot even close.
    }
  }

  @Override
  public String toString() {
    return "PlainTcpConnection{" + server + " at " + remoteAddress + "}";
  }

  /** A write that made no progress for {@code writeTimeout}: the server is treated as failed. */
  public static final class WriteTimeoutException extends IOException {
    WriteTimeoutException(String message) {
      super(message);
    }
  }
}
