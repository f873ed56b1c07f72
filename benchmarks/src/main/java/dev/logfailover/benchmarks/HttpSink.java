package dev.logfailover.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A minimal HTTP/1.1 collector for the benchmark: it reads each {@code POST} (Content-Length
 * bodies, gzip or not), counts the LF-terminated events in it, and answers 200 on the same
 * keep-alive connection, as fast as loopback allows, so that what is measured is the appender.
 * (WireMock would measure itself.)
 *
 * <p>Thread-safe: one thread accepts, one per connection reads.
 */
final class HttpSink implements AutoCloseable {
  private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private final ServerSocket listener;
  private final AtomicLong records = new AtomicLong();

  HttpSink() throws IOException {
    listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    Thread acceptor = new Thread(this::accept, "http-sink-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  long records() {
    return records.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Thread reader = new Thread(() -> serve(client), "http-sink-reader");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client; InputStream in = new BufferedInputStream(client.getInputStream(), 1 << 16);
        OutputStream out = client.getOutputStream()) {
      while (true) {
        long length = -1;
        boolean gzip = false;
        String line = readLine(in);
        if (line == null) {
          return;
        }
        while (!(line = readLine(in)).isEmpty()) {
          String header = line.toLowerCase(Locale.ROOT);
          if (header.startsWith("content-length:")) {
            length = Long.parseLong(header.substring("content-length:".length()).trim());
          } else if (header.startsWith("content-encoding:") && header.contains("gzip")) {
            gzip = true;
          }
        }
        byte[] body = in.readNBytes((int) Math.max(0, length));
        records.addAndGet(countLines(gzip ? new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes() : body));
        out.write(OK);
        out.flush();
      }
    } catch (IOException | NullPointerException ended) {
      // The client closed the connection.
    }
  }

  private static long countLines(byte[] body) {
    long count = 0;
    for (byte b : body) {
      if (b == '\n') {
        count++;
      }
    }
    return count;
  }

  /** A header line without its CRLF; null at the end of the stream. */
  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        return null;
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
