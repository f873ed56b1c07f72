package dev.logfailover.testing;

import dev.logfailover.Framing;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * A collector on a loopback port that records what it receives, and can be scripted to fail the
 * ways real servers do: refuse (not listening), reset (RST), close (FIN), stall (accept but never
 * read), or accept and close at once. It keeps its port across {@link #stop()} and {@link
 * #restart()}, so a client configured with it sees the same server come back.
 *
 * <p>Thread-safe: an acceptor thread and one reader thread per connection record into synchronized
 * state; tests read it from their own thread.
 */
public final class FakeServer implements AutoCloseable {
  /** What the server does with a connection it accepts. */
  public enum Behaviour {
    /** Read and record every record. */
    READ,
    /** Accept, then never read: the client's writes fill the buffers and stall. */
    STALL,
    /** Accept, then close at once (FIN). */
    CLOSE_ON_ACCEPT,
    /** Read and record, but only about 10 KB per second. */
    SLOW_READ
  }

  private final String name;
  private final Framing framing;
  private final InetAddress address;
  private final int port;
  private final List<String> records = new ArrayList<>();
  private final List<Accepted> connections = new ArrayList<>();
  private volatile Behaviour behaviour = Behaviour.READ;
  private ServerSocket listener;
  /** The thread accepting on {@link #listener}; guarded by this. */
  private Thread acceptorThread;
  /** The identity presented to connections accepted from now on; null for plain TCP. */
  private volatile SSLContext tls;
  private final Object readGate = new Object();
  /** Guarded by readGate. */
  private boolean readingPaused;
  private final boolean needClientAuth;
  /** Null unless this server speaks RELP instead of reading framed records. */
  private final RelpConversation.Script relp;
  /** This server speaks HTTP instead of reading framed records. */
  private final boolean http;

  private FakeServer(String name, Framing framing, InetAddress address, int port, SSLContext tls,
      boolean needClientAuth) throws IOException {
    this(name, framing, null, false, address, port, tls, needClientAuth);
  }

  private FakeServer(String name, Framing framing, RelpConversation.Script relp, boolean http, InetAddress address,
      int port, SSLContext tls, boolean needClientAuth) throws IOException {
    this.name = name;
    this.framing = framing;
    this.relp = relp;
    this.http = http;
    this.address = address;
    this.tls = tls;
    this.needClientAuth = needClientAuth;
    this.port = listen(port);
  }

  /**
   * Starts a TLS server on 127.0.0.1 presenting the identity of {@code context}; with {@code
   * needClientAuth} it refuses clients without a certificate that {@code context} trusts.
   */
  public static FakeServer startTls(String name, Framing framing, SSLContext context, boolean needClientAuth)
      throws IOException {
    return new FakeServer(name, framing, InetAddress.getLoopbackAddress(), 0, context, needClientAuth);
  }

  /**
   * Returns the address of a loopback port where every connect hangs until its timeout: a listener
   * that never accepts, whose accept queue is filled first, so the kernel drops further SYNs. Close
   * the returned handle to release it.
   */
  public static BlackHole startBlackHole() throws IOException {
    return new BlackHole();
  }

  /** A port on 127.0.0.1 that answers no connect at all (see {@link #startBlackHole()}). */
  public static final class BlackHole implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket();
    private final List<Socket> fillers = new ArrayList<>();

    private BlackHole() throws IOException {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
      for (int i = 0; i < 16; i++) {
        Socket filler = new Socket();
        try {
          filler.connect(listener.getLocalSocketAddress(), 200);
          fillers.add(filler);
        } catch (IOException timedOut) {
          filler.close();
          return; // The accept queue is full: connects now hang.
        }
      }
      throw new IOException("could not fill the accept queue of " + listener);
    }

    public int port() {
      return listener.getLocalPort();
    }

    public String hostAndPort() {
      return "127.0.0.1:" + port();
    }

    @Override
    public void close() {
      fillers.forEach(FakeServer::closeQuietly);
      closeQuietly(listener);
    }
  }

  /**
   * Starts a RELP server (an {@code imrelp} stand-in) on 127.0.0.1: it records the data of every
   * {@code syslog} command and answers as {@link #relpAnswer} says; with a TLS {@code context} it
   * speaks RELP inside TLS.
   */
  public static FakeServer startRelp(String name, SSLContext context, boolean needClientAuth) throws IOException {
    return new FakeServer(name, null, new RelpConversation.Script(), false, InetAddress.getLoopbackAddress(), 0,
        context, needClientAuth);
  }

  /** A plain RELP server on the given loopback address and port (0: a free one). */
  public static FakeServer startRelp(String name, String loopbackAddress, int port) throws IOException {
    return new FakeServer(name, null, new RelpConversation.Script(), false, InetAddress.getByName(loopbackAddress),
        port, null, false);
  }

  /**
   * Starts an HTTP collector on 127.0.0.1: it records every line of every request's body and
   * answers 200 once the body is read; with a TLS {@code context} it speaks https.
   */
  public static FakeServer startHttp(String name, SSLContext context) throws IOException {
    return new FakeServer(name, null, null, true, InetAddress.getLoopbackAddress(), 0, context, false);
  }

  /** How this RELP server answers {@code syslog} commands from now on. */
  public void relpAnswer(RelpConversation.Answer answer) {
    relp.answer = answer;
  }

  /** How many RELP sessions the client ended with {@code close}. */
  public synchronized int relpCloses() {
    return (int) connections.stream().filter(connection -> connection.closedByClient).count();
  }

  /** Starts a server on 127.0.0.1 and a free port. */
  public static FakeServer start(String name, Framing framing) throws IOException {
    return new FakeServer(name, framing, InetAddress.getLoopbackAddress(), 0, null, false);
  }

  /** Starts a server on the given loopback address and port (0: a free one). */
  public static FakeServer start(String name, Framing framing, String loopbackAddress, int port) throws IOException {
    return new FakeServer(name, framing, InetAddress.getByName(loopbackAddress), port, null, false);
  }

  public String name() {
    return name;
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:port}, usable as a failover server entry. */
  public String hostAndPort() {
    return address.getHostAddress() + ":" + port;
  }

  public String host() {
    return address.getHostAddress();
  }

  public void behave(Behaviour behaviour) {
    this.behaviour = behaviour;
  }

  /** A TLS server presents {@code context}'s identity to the connections it accepts from now on. */
  public void presentIdentity(SSLContext context) {
    if (tls == null) {
      throw new IllegalStateException(name + " does not speak TLS");
    }
    tls = context;
  }

  /**
   * Stops reading on every connection until {@link #resumeReading()}: a frozen collector, whose
   * kernel buffers fill until the client's writes stall. Nothing is lost when it resumes.
   */
  public void pauseReading() {
    synchronized (readGate) {
      readingPaused = true;
    }
  }

  public void resumeReading() {
    synchronized (readGate) {
      readingPaused = false;
      readGate.notifyAll();
    }
  }

  /** Refuses new connections and goes on serving those it has; {@link #restart()} listens again. */
  public void stopListening() {
    closeListener();
  }

  /**
   * Closes the listening socket and waits until it is gone. Closing a ServerSocket that a thread
   * is blocked accepting on only marks it: the kernel's listening socket lives until that thread
   * wakes up, and meanwhile it completes handshakes, so a client that connects at once is accepted
   * and then reset. (It made "refused" tests fail rarely: F4 connected to a stopped primary.)
   */
  private void closeListener() {
    Thread acceptor;
    synchronized (this) {
      closeQuietly(listener);
      acceptor = acceptorThread;
    }
    if (acceptor != null && acceptor != Thread.currentThread()) {
      try {
        acceptor.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private synchronized int listen(int wantedPort) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(address, wantedPort), 64);
    listener = socket;
    Thread acceptor = new Thread(() -> acceptLoop(socket), "fake-" + name + "-acceptor");
    acceptor.setDaemon(true);
    acceptorThread = acceptor;
    acceptor.start();
    return socket.getLocalPort();
  }

  private void acceptLoop(ServerSocket socket) {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException closed) {
        return;
      }
      Accepted accepted;
      synchronized (this) {
        if (socket.isClosed()) {
          // Accepted just as stop() or kill() ran: the client must see this server die too.
          resetQuietly(client);
          return;
        }
        accepted = new Accepted(connections.size(), client);
        connections.add(accepted);
      }
      switch (behaviour) {
        case READ, SLOW_READ -> startReader(accepted);
        case STALL -> { }
        case CLOSE_ON_ACCEPT -> closeQuietly(client);
      }
    }
  }

  private void startReader(Accepted accepted) {
    Thread reader = new Thread(() -> read(accepted), "fake-" + name + "-reader-" + accepted.index);
    reader.setDaemon(true);
    reader.start();
  }

  private void read(Accepted accepted) {
    Socket socket;
    try {
      socket = openStream(accepted);
    } catch (IOException e) {
      return;
    }
    if (http) {
      try {
        InputStream in = new BufferedInputStream(new Gated(socket.getInputStream()));
        HttpConversation.serve(in, socket.getOutputStream(), record -> {
          synchronized (this) {
            records.add(record);
            accepted.records++;
          }
        });
        closeQuietly(socket);
      } catch (IOException e) {
        // Reset or closed by the test: the connection simply ends.
      }
      return;
    }
    if (relp != null) {
      try {
        InputStream in = new Gated(socket.getInputStream());
        boolean closed = RelpConversation.serve(in, socket.getOutputStream(), relp, record -> {
          synchronized (this) {
            records.add(record);
            accepted.records++;
          }
        });
        synchronized (this) {
          accepted.closedByClient = closed;
        }
        closeQuietly(socket);
      } catch (IOException e) {
        // Reset or closed by the test: the connection simply ends.
      }
      return;
    }
    InputStream raw;
    try {
      raw = socket.getInputStream();
    } catch (IOException e) {
      return;
    }
    try (InputStream in = new BufferedInputStream(new Gated(behaviour == Behaviour.SLOW_READ ? new Throttled(raw) : raw))) {
      String record;
      while ((record = framing == Framing.OCTET_COUNTING ? readOctetCounted(in) : readLine(in)) != null) {
        synchronized (this) {
          records.add(record);
          accepted.records++;
        }
      }
    } catch (IOException e) {
      // Reset or closed by the test: the connection simply ends.
    }
  }

  /** Reads only while this server is not paused ({@link #pauseReading()}). */
  private final class Gated extends java.io.FilterInputStream {
    Gated(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      synchronized (readGate) {
        while (readingPaused) {
          try {
            readGate.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("paused reader interrupted");
          }
        }
      }
      return super.read(buffer, offset, length);
    }
  }

  /** Reads at most 1 KB per 100 ms: a collector that cannot keep up. */
  private static final class Throttled extends java.io.FilterInputStream {
    Throttled(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("slow reader interrupted");
      }
      return super.read(buffer, offset, Math.min(length, 1024));
    }
  }

  /** The plain socket, or for TLS the socket after a handshake whose details are recorded. */
  private Socket openStream(Accepted accepted) throws IOException {
    if (tls == null) {
      return accepted.socket;
    }
    SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(accepted.socket, null, accepted.socket.getPort(), true);
    secure.setUseClientMode(false);
    secure.setNeedClientAuth(needClientAuth);
    try {
      secure.startHandshake();
    } catch (IOException e) {
      synchronized (this) {
        accepted.handshakeFailure = e.toString();
      }
      throw e;
    }
    ExtendedSSLSession session = (ExtendedSSLSession) secure.getSession();
    synchronized (this) {
      accepted.serverNames = session.getRequestedServerNames().stream()
          .map(serverName -> serverName instanceof SNIHostName host ? host.getAsciiName() : serverName.toString())
          .toList();
      try {
        accepted.clientPrincipal = session.getPeerPrincipal().getName();
      } catch (SSLPeerUnverifiedException e) {
        accepted.clientPrincipal = null;
      }
    }
    return secure;
  }

  /** SNI host names each TLS connection asked for, in accept order (empty list: none sent). */
  public synchronized List<List<String>> serverNamesPerConnection() {
    return connections.stream().map(connection -> connection.serverNames).toList();
  }

  /** The client certificate's subject per TLS connection, or "none". */
  public synchronized List<String> clientPrincipalsPerConnection() {
    return connections.stream().map(connection -> connection.clientPrincipal == null ? "none" : connection.clientPrincipal)
        .toList();
  }

  /** Handshake failures seen on this server, as exception strings. */
  public synchronized List<String> handshakeFailures() {
    return connections.stream().map(connection -> connection.handshakeFailure).filter(java.util.Objects::nonNull).toList();
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        return null;
      }
      line.write(b);
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  private static String readOctetCounted(InputStream in) throws IOException {
    int length = 0;
    int b;
    while ((b = in.read()) != ' ') {
      if (b < 0) {
        return null;
      }
      if (b < '0' || b > '9') {
        throw new IOException("bad octet count byte " + b);
      }
      length = length * 10 + (b - '0');
    }
    byte[] message = in.readNBytes(length);
    if (message.length < length) {
      return null;
    }
    return new String(message, StandardCharsets.UTF_8);
  }

  /** Every record received so far, over all connections, in arrival order. */
  public synchronized List<String> records() {
    return List.copyOf(records);
  }

  public synchronized int recordCount() {
    return records.size();
  }

  /** How many connections were accepted since start (probes included). */
  public synchronized int connectionCount() {
    return connections.size();
  }

  /**
   * Waits until {@code count} connections were accepted since start. A test that makes this server
   * die "while the client is connected" waits for the accept first: the client counts itself
   * connected once its side of the handshake is done, and a listener closed while the kernel is
   * still completing the server's side drops that handshake without a reset, leaving the client
   * a half-open connection that nothing tells it about until it writes (seen here under load).
   */
  public void awaitConnections(int count) {
    Await.until(() -> connectionCount() >= count,
        () -> name + " to accept " + count + " connections, has " + connectionCount());
  }

  /** Records received on each accepted connection, in accept order. */
  public synchronized List<Integer> recordsPerConnection() {
    return connections.stream().map(connection -> connection.records).toList();
  }

  public void awaitRecords(int count) {
    awaitRecords(count, Duration.ofSeconds(10));
  }

  public void awaitRecords(int count, Duration timeout) {
    Await.until(timeout, () -> recordCount() >= count,
        () -> name + " to receive " + count + " records, has " + recordCount());
  }

  /** Stops listening (new connects are refused) and closes every connection with a FIN. */
  public void stop() {
    closeListener();
    closeConnections();
    resumeReading(); // Paused readers find their sockets closed and end.
  }

  /** Stops listening and resets every connection (RST), as a killed process's kernel does. */
  public void kill() {
    closeListener();
    synchronized (this) {
      for (Accepted connection : connections) {
        resetQuietly(connection.socket);
      }
    }
    resumeReading(); // Paused readers find their sockets reset and end.
  }

  private static void resetQuietly(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // Already closed.
    }
    closeQuietly(socket);
  }

  /** Closes every open connection with a FIN and goes on listening. */
  public synchronized void closeConnections() {
    for (Accepted connection : connections) {
      closeQuietly(connection.socket);
    }
  }

  /** Listens again on the same port after {@link #stop()} or {@link #kill()}. */
  public void restart() throws IOException {
    listen(port);
  }

  @Override
  public void close() {
    stop();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      if (closeable != null) {
        closeable.close();
      }
    } catch (Exception ignored) {
      // Test fixture: closing twice is fine.
    }
  }

  private static final class Accepted {
    final int index;
    final Socket socket;
    int records;
    List<String> serverNames = List.of();
    String clientPrincipal;
    String handshakeFailure;
    boolean closedByClient;

    Accepted(int index, Socket socket) {
      this.index = index;
      this.socket = socket;
    }
  }

  @Override
  public String toString() {
    return "FakeServer{" + name + " " + hostAndPort() + "}";
  }
}
