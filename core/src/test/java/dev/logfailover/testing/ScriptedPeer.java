package dev.logfailover.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;

/**
 * A collector that does, byte by byte, what a test scripts: the hostile-peer kit (F18). Each
 * connection runs the {@link Script} on its own thread; the script reads requests (HTTP) or
 * frames (RELP) and answers as it likes: trickle, stream without end, lie about lengths, close or
 * reset at any byte, answer early, answer twice. Plain or TLS. Thread-safe.
 */
public final class ScriptedPeer implements AutoCloseable {
  /** What the peer does on one connection; returning closes it (FIN, and close_notify under TLS). */
  @FunctionalInterface
  public interface Script {
    void serve(Conversation conversation) throws IOException;
  }

  private final ServerSocket listener;
  private final Script script;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  /** The bodies of the HTTP requests or the data of the RELP {@code syslog} frames read, in order. */
  public final List<String> received = new CopyOnWriteArrayList<>();
  /** The heads of the HTTP requests read whole, in order. */
  public final List<String> heads = new CopyOnWriteArrayList<>();
  public final AtomicInteger connections = new AtomicInteger();

  private ScriptedPeer(ServerSocket listener, Script script) throws IOException {
    this.listener = listener;
    this.script = script;
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::accept, "scripted-peer-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static ScriptedPeer plain(Script script) throws IOException {
    return new ScriptedPeer(new ServerSocket(), script);
  }

  public static ScriptedPeer tls(SSLContext context, Script script) throws IOException {
    return new ScriptedPeer(context.getServerSocketFactory().createServerSocket(), script);
  }

  /** The Content-Length of an HTTP request head; 0 without one. */
  public static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    return 0;
  }

  public int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    try {
      while (true) {
        Socket socket = listener.accept();
        accepted.add(socket);
        connections.incrementAndGet();
        Thread serving = new Thread(() -> serve(socket), "scripted-peer-" + connections.get());
        serving.setDaemon(true);
        serving.start();
      }
    } catch (IOException closed) {
      // The test is over.
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      script.serve(new Conversation(socket));
    } catch (IOException | RuntimeException ended) {
      // The client went away, or the script ended the connection its own way.
    }
  }

  /** Closes every connection (FIN), as a server's idle timeout does, and goes on listening. */
  public void closeConnections() throws IOException {
    for (Socket socket : accepted) {
      socket.close();
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    closeConnections();
  }

  /** One connection, as a script sees it. */
  public final class Conversation {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Conversation(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    /** Reads one HTTP request's head; null when the client closed first. Its body is left unread. */
    public String readHttpHead() throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        head.write(b);
        byte[] bytes = head.toByteArray();
        int n = bytes.length;
        if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
          return head.toString(StandardCharsets.ISO_8859_1);
        }
      }
      return null;
    }

    /** Reads one whole HTTP request (head and Content-Length body) and records its body; false when the client closed. */
    public boolean readHttpRequest() throws IOException {
      String head = readHttpHead();
      if (head == null) {
        return false;
      }
      heads.add(head);
      received.add(new String(in.readNBytes(contentLength(head)), StandardCharsets.UTF_8));
      return true;
    }

    /** Reads and drops {@code bytes} of what the client sends, {@code perRead} at a time, pausing between reads. */
    public void readSlowly(long bytes, int perRead, Duration pause) throws IOException {
      byte[] buffer = new byte[perRead];
      for (long left = bytes; left > 0; ) {
        int read = in.read(buffer, 0, (int) Math.min(perRead, left));
        if (read < 0) {
          return;
        }
        left -= read;
        LockSupport.parkNanos(pause.toNanos());
      }
    }

    /**
     * Reads one RELP frame and returns {@code TXNR COMMAND} with its data after a space; null when
     * the client closed. The data of a {@code syslog} frame is recorded.
     */
    public String readRelpFrame() throws IOException {
      String txnr = readUntil(' ');
      String command = readUntil(' ');
      if (txnr == null || command == null) {
        return null;
      }
      StringBuilder digits = new StringBuilder();
      int b;
      while ((b = in.read()) >= '0' && b <= '9') {
        digits.append((char) b);
      }
      int length = Integer.parseInt(digits.toString());
      String data = length == 0 ? "" : new String(in.readNBytes(length), StandardCharsets.UTF_8);
      if (length > 0) {
        in.read(); // The LF after the data; after no data, the read above took it.
      }
      if (command.equals("syslog")) {
        received.add(data);
      }
      return txnr + " " + command + " " + data;
    }

    /** Answers a RELP {@code open} as imrelp does. */
    public void acceptRelpOpen() throws IOException {
      String open = readRelpFrame();
      String offers = "200 OK\nrelp_version=0\nrelp_software=scripted\ncommands=syslog";
      send(open.substring(0, open.indexOf(' ')) + " rsp " + offers.length() + " " + offers + "\n");
    }

    private String readUntil(char end) throws IOException {
      StringBuilder text = new StringBuilder();
      int b;
      while ((b = in.read()) >= 0 && b != end) {
        text.append((char) b);
      }
      return b < 0 ? null : text.toString();
    }

    public void send(String text) throws IOException {
      send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void send(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    /** Ends the connection with a reset (RST) rather than a FIN. */
    public void reset() throws IOException {
      socket.setSoLinger(true, 0);
      socket.close();
    }
  }
}
