package dev.logfailover.internal.connection;

import dev.logfailover.Endpoint;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A connected channel in non-blocking mode with its own selector: the waits that plain TCP and TLS
 * connections share. Writes time out when they make no progress for the write timeout; reads for
 * the TLS handshake wait until a deadline.
 *
 * <p>Not thread-safe: confined to the sender thread, except {@link #close()}.
 */
final class NonBlockingChannel {
  private final Endpoint server;
  private final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;
  private final long writeTimeoutNanos;

  /** Takes ownership of {@code channel}; closes it if this fails. */
  NonBlockingChannel(Endpoint server, SocketChannel channel, Duration writeTimeout) throws IOException {
    this.server = server;
    this.channel = channel;
    this.writeTimeoutNanos = writeTimeout.toNanos();
    Selector opened = null;
    try {
      channel.configureBlocking(false);
      opened = Selector.open();
      this.key = channel.register(opened, 0);
    } catch (IOException | RuntimeException e) {
      if (opened != null) {
        opened.close();
      }
      channel.close();
      throw e;
    }
    this.selector = opened;
  }

  SocketChannel channel() {
    return channel;
  }

  /**
   * Writes all of {@code bytes}, calling {@code onProgress} after each write that took some; fails
   * with {@link WriteTimeoutException} after {@code writeTimeout} without progress.
   */
  void writeFully(ByteBuffer bytes, Runnable onProgress, ReadCheck whileWaiting) throws IOException {
    long lastProgress = System.nanoTime();
    while (bytes.hasRemaining()) {
      if (channel.write(bytes) > 0) {
        onProgress.run();
        lastProgress = System.nanoTime();
        continue;
      }
      long waited = System.nanoTime() - lastProgress;
      if (waited >= writeTimeoutNanos) {
        throw new WriteTimeoutException(
            "no write progress to " + server + " for " + Duration.ofNanos(waited).toMillis() + " ms");
      }
      await(SelectionKey.OP_WRITE, writeTimeoutNanos - waited);
      // A stalled server may have closed or reset its side meanwhile.
      whileWaiting.check();
    }
  }

  /** Reads what is available into {@code into} without waiting; -1 at end of stream. */
  int readNow(ByteBuffer into) throws IOException {
    return channel.read(into);
  }

  /** Reads at least one byte into {@code into}, waiting until {@code deadlineNanos}. */
  void readBefore(ByteBuffer into, long deadlineNanos, String what) throws IOException {
    while (true) {
      int read = channel.read(into);
      if (read < 0) {
        throw new java.io.EOFException(server + " closed the connection during " + what);
      }
      if (read > 0) {
        return;
      }
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        throw new SocketTimeoutException(what + " with " + server + " timed out");
      }
      await(SelectionKey.OP_READ, remaining);
    }
  }

  /** Writes all of {@code bytes} before {@code deadlineNanos} (the handshake's bound). */
  void writeBefore(ByteBuffer bytes, long deadlineNanos, String what) throws IOException {
    while (bytes.hasRemaining()) {
      if (channel.write(bytes) > 0) {
        continue;
      }
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        throw new SocketTimeoutException(what + " with " + server + " timed out");
      }
      await(SelectionKey.OP_WRITE, remaining);
    }
  }

  private void await(int operation, long nanos) throws IOException {
    key.interestOps(operation);
    selector.select(Math.max(1, (nanos + 999_999) / 1_000_000));
    selector.selectedKeys().clear();
    key.interestOps(0);
  }

  /** Closes the selector and the channel; idempotent, never throws. */
  void close() {
    try {
      selector.close();
    } catch (IOException ignored) {
      // Only fails if already broken; the channel is closed below regardless.
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing left to do for a socket that cannot even close.
    }
  }

  /** The check a connection runs while a write waits, to notice a closed or reset server. */
  @FunctionalInterface
  interface ReadCheck {
    void check() throws IOException;
  }

  /** A write that made no progress for {@code writeTimeout}: the server is treated as failed. */
  static final class WriteTimeoutException extends IOException {
    WriteTimeoutException(String message) {
      super(message);
    }
  }
}
