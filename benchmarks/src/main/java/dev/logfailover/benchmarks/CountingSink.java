package dev.logfailover.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A collector that only counts newline-terminated records, as fast as loopback allows, so that the
 * sender is what is measured. Can reset its connections (RST) to measure failover. Thread-safe.
 */
final class CountingSink implements AutoCloseable {
  private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long LINE_FEEDS = 0x0A0A_0A0A_0A0A_0A0AL;
  private static final long LOW_SEVEN_BITS = 0x7F7F_7F7F_7F7F_7F7FL;

  private final ServerSocket listener;
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong firstRecordAt = new AtomicLong();
  private volatile Socket current;

  CountingSink() throws IOException {
    this(0);
  }

  /** A sink on loopback {@code port}; 0 for any free one. */
  CountingSink(int port) throws IOException {
    listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    Thread acceptor = new Thread(this::accept, "sink-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  long records() {
    return records.get();
  }

  /** Bytes received since the sink started, every connection's. */
  long bytes() {
    return bytes.get();
  }

  /** System.nanoTime() of the first record since the last {@link #resetCount()}, or 0. */
  long firstRecordAt() {
    return firstRecordAt.get();
  }

  void resetCount() {
    records.set(0);
    firstRecordAt.set(0);
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket socket = listener.accept();
        current = socket;
        Thread reader = new Thread(() -> count(socket), "sink-reader");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void count(Socket socket) {
    byte[] buffer = new byte[256 * 1024];
    try (InputStream in = socket.getInputStream()) {
      int read;
      while ((read = in.read(buffer)) > 0) {
        bytes.addAndGet(read);
        long lines = countLineFeeds(buffer, read);
        if (lines > 0) {
          firstRecordAt.compareAndSet(0, System.nanoTime());
          records.addAndGet(lines);
        }
      }
    } catch (IOException reset) {
      // The connection ended.
    }
  }

  /**
   * The line feeds among the first {@code length} bytes, counted eight at a time: counted one by
   * one, this sink took a quarter of a two-core machine's CPU from the candidates it measures.
   */
  static long countLineFeeds(byte[] buffer, int length) {
    long lines = 0;
    int i = 0;
    for (; i + Long.BYTES <= length; i += Long.BYTES) {
      long word = (long) WORDS.get(buffer, i) ^ LINE_FEEDS;
      // Exact, unlike the cheaper test for "some byte is zero": the top bit of each byte of
      // zeroes is set where that byte of the word is zero (was a line feed), and nowhere else.
      long zeroes = ~(((word & LOW_SEVEN_BITS) + LOW_SEVEN_BITS) | word | LOW_SEVEN_BITS);
      lines += Long.bitCount(zeroes);
    }
    for (; i < length; i++) {
      if (buffer[i] == '\n') {
        lines++;
      }
    }
    return lines;
  }

  /** Resets the current connection (RST) and stops listening, as a killed collector would. */
  void kill() throws IOException {
    listener.close();
    Socket socket = current;
    if (socket != null) {
      socket.setSoLinger(true, 0);
      socket.close();
    }
  }

  @Override
  public void close() {
    try {
      kill();
    } catch (IOException alreadyClosed) {
      // The reader closed it at the end of the stream.
    }
  }
}
