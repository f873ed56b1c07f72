package dev.logfailover.internal.transport;

import dev.logfailover.Endpoint;
import dev.logfailover.internal.concurrent.Doorbell;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.function.BooleanSupplier;

/**
 * A byte stream to one server over a connected non-blocking channel: plain ({@link PlainWire}) or
 * TLS ({@link TlsWire}). Sessions of every transport write and read through it, so accounting,
 * write timeouts and the server's FIN work the same way under each.
 *
 * <p>Not thread-safe: confined to the sender thread. Other threads never touch it; they wake the
 * sender through its {@link Doorbell} instead.
 */
public interface Wire {
  Endpoint server();

  InetSocketAddress remoteAddress();

  /** The channel's key on the sender's {@link Doorbell}, for waiting on readability. */
  SelectionKey key();

  /**
   * Writes all of {@code bytes}. Their position only ever moves past bytes this end can no longer
   * take back (the kernel accepted them, or their ciphertext), and {@code onProgress} runs after
   * each such move. Fails with {@link WriteTimeoutException} after {@code writeTimeout} on the
   * engine's clock without progress, and with {@link java.io.InterruptedIOException} when the
   * sender thread is interrupted (a stop past its budget).
   */
  void write(ByteBuffer bytes, Runnable onProgress) throws IOException;

  /**
   * Asks the kernel to acknowledge what the server sends at once rather than after its delayed-ACK
   * timer (Linux TCP_QUICKACK; a no-op where unsupported). A server with Nagle's algorithm on (as
   * librelp is) holds its next answers until the previous one is acknowledged; while we send
   * nothing, no data of ours carries that acknowledgement, and each answer would wait up to 40 ms.
   * Linux leaves quick-ACK mode on its own, so this is asked again before each wait for answers.
   */
  void acknowledgeQuickly() throws IOException;

  /** Reads the application bytes available now into {@code into}, without waiting; -1 at the end. */
  int readNow(ByteBuffer into) throws IOException;

  /** Waits for the channel to become readable (or a wake, or the deadline); may return early. */
  void awaitReadable(long deadlineNanos) throws IOException;

  /**
   * For a server that is expected to say nothing (a plain syslog collector): without waiting,
   * throws if it closed its side (FIN) or sent any byte.
   */
  void checkSilent() throws IOException;

  /**
   * Sleeps on the sender's {@link Doorbell} until it is woken with work to do ({@code hasNoWork}
   * turns false) or the channel becomes readable; may return early.
   */
  void sleepUntilReadable(BooleanSupplier hasNoWork) throws IOException;

  /**
   * {@link #sleepUntilReadable}, then {@link #checkSilent()}: an idle connection to a server that
   * has nothing to say notices its FIN at once, with no timer.
   */
  default void sleepWhileSilent(BooleanSupplier hasNoWork) throws IOException {
    sleepUntilReadable(hasNoWork);
    checkSilent();
  }

  /**
   * Takes ownership of the connected {@code channel} and opens the wire a transport runs on:
   * plain, or TLS with its handshake bounded by {@code connectTimeout} when {@code tls} is given.
   */
  static Wire open(Endpoint server, java.nio.channels.SocketChannel channel, Doorbell doorbell,
      dev.logfailover.TlsOptions tls, java.time.Duration connectTimeout, java.time.Duration writeTimeout)
      throws IOException {
    PlainWire plain = PlainWire.open(server, channel, doorbell, writeTimeout);
    return tls == null ? plain : TlsWire.open(plain, tls, connectTimeout);
  }

  /** Closes the stream (TLS: close_notify if the socket takes it at once) and the channel. Never throws. */
  void close();

  /** A write that made no progress for {@code writeTimeout}: the server is treated as failed. */
  final class WriteTimeoutException extends IOException {
    public WriteTimeoutException(String message) {
      super(message);
    }
  }
}
