package dev.logfailover.internal.transport;

import dev.logfailover.Endpoint;
import dev.logfailover.internal.concurrent.Doorbell;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import jdk.net.ExtendedSocketOptions;

/**
 * A plain TCP {@link Wire}. Non-blocking I/O gives what a blocking socket cannot: the exact count
 * of bytes the kernel accepted (so only whole records are released), a write timeout, and a read
 * that checks for the server's FIN without waiting. {@link TlsWire} runs over one of these.
 *
 * <p>Not thread-safe: confined to the sender thread.
 */
public final class PlainWire implements Wire {
  private static final boolean QUICK_ACK_SUPPORTED = quickAckSupported();

  private final Endpoint server;
  private final SocketChannel channel;
  private final InetSocketAddress remoteAddress;
  private final Doorbell doorbell;
  private final SelectionKey key;
  private final long writeTimeoutNanos;
  private final ByteBuffer silenceProbe = ByteBuffer.allocate(64);
  /**
   * The last sleep watched the channel for readability and woke with nothing to read, and nothing
   * was written or read since: the server was silent then, which {@link #checkSilent()} need not
   * ask the kernel again. Saves a read per batch (and per wake-up) when the sender sleeps between events.
   */
  private boolean quietSinceSleep;

  private PlainWire(Endpoint server, SocketChannel channel, InetSocketAddress remoteAddress, Doorbell doorbell,
      SelectionKey key, Duration writeTimeout) {
    this.server = server;
    this.channel = channel;
    this.remoteAddress = remoteAddress;
    this.doorbell = doorbell;
    this.key = key;
    this.writeTimeoutNanos = writeTimeout.toNanos();
  }

  private static boolean quickAckSupported() {
    try (SocketChannel probe = SocketChannel.open()) {
      return probe.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
    } catch (IOException e) {
      return false;
    }
  }

  /** Takes ownership of the connected {@code channel}; closes it if this fails. */
  public static PlainWire open(Endpoint server, SocketChannel channel, Doorbell doorbell, Duration writeTimeout)
      throws IOException {
    try {
      InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
      channel.configureBlocking(false);
      return new PlainWire(server, channel, remote, doorbell, doorbell.register(channel), writeTimeout);
    } catch (IOException | RuntimeException e) {
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
  public SelectionKey key() {
    return key;
  }

  /** Now, on the engine's clock. */
  long nanoTime() {
    return doorbell.ticker().nanoTime();
  }

  @Override
  public void write(ByteBuffer bytes, Runnable onProgress) throws IOException {
    quietSinceSleep = false;
    long lastProgress = nanoTime();
    while (bytes.hasRemaining()) {
      if (channel.write(bytes) > 0) {
        onProgress.run();
        lastProgress = nanoTime();
        continue;
      }
      long deadline = lastProgress + writeTimeoutNanos;
      if (deadline - nanoTime() <= 0) {
        throw new WriteTimeoutException("no write progress to " + server + " for "
            + Duration.ofNanos(nanoTime() - lastProgress).toMillis() + " ms");
      }
      doorbell.await(key, SelectionKey.OP_WRITE, deadline);
      checkInterrupted();
    }
  }

  /** Writes all of {@code bytes} before {@code deadlineNanos} (a handshake's bound). */
  void writeBefore(ByteBuffer bytes, long deadlineNanos, String what) throws IOException {
    quietSinceSleep = false;
    while (bytes.hasRemaining()) {
      if (channel.write(bytes) > 0) {
        continue;
      }
      if (deadlineNanos - nanoTime() <= 0) {
        throw new SocketTimeoutException(what + " with " + server + " timed out");
      }
      doorbell.await(key, SelectionKey.OP_WRITE, deadlineNanos);
      checkInterrupted();
    }
  }

  /** Reads at least one byte into {@code into}, waiting until {@code deadlineNanos}. */
  void readBefore(ByteBuffer into, long deadlineNanos, String what) throws IOException {
    quietSinceSleep = false;
    while (true) {
      int read = channel.read(into);
      if (read < 0) {
        throw new EOFException(server + " closed the connection during " + what);
      }
      if (read > 0) {
        return;
      }
      if (deadlineNanos - nanoTime() <= 0) {
        throw new SocketTimeoutException(what + " with " + server + " timed out");
      }
      awaitReadable(deadlineNanos);
    }
  }

  @Override
  public void acknowledgeQuickly() throws IOException {
    if (QUICK_ACK_SUPPORTED) {
      channel.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
    }
  }

  @Override
  public int readNow(ByteBuffer into) throws IOException {
    quietSinceSleep = false;
    return channel.read(into);
  }

  @Override
  public void awaitReadable(long deadlineNanos) throws IOException {
    doorbell.await(key, SelectionKey.OP_READ, deadlineNanos);
    checkInterrupted();
  }

  @Override
  public void checkSilent() throws IOException {
    if (!quietSinceSleep) {
      checkSilent(this, silenceProbe);
    }
  }

  /** See {@link #quietSinceSleep}: the kernel said at the last wake-up that there was nothing to read. */
  boolean isQuietSinceSleep() {
    return quietSinceSleep;
  }

  /** Reads from {@code wire} without waiting: the end of the stream or any byte is a failure. */
  static void checkSilent(Wire wire, ByteBuffer scratch) throws IOException {
    scratch.clear();
    int read = wire.readNow(scratch);
    if (read < 0) {
      throw new EOFException(wire.server() + " closed the connection");
    }
    if (read > 0) {
      throw new IOException(wire.server() + " sent " + read + " unexpected bytes");
    }
  }

  @Override
  public void sleepUntilReadable(BooleanSupplier hasNoWork) throws IOException {
    quietSinceSleep = doorbell.sleep(key, SelectionKey.OP_READ, Doorbell.NO_DEADLINE, hasNoWork);
  }

  /** Writes what the socket takes at once, never waiting (a close_notify on the way out). */
  void writeIfPossible(ByteBuffer bytes) throws IOException {
    channel.write(bytes);
  }

  private void checkInterrupted() throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("interrupted while waiting on " + server);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing left to do for a socket that cannot even close.
    }
  }

  @Override
  public String toString() {
    return "PlainWire{" + server + " at " + remoteAddress + "}";
  }
}
