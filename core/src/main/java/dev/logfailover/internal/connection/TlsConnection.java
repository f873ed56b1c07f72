package dev.logfailover.internal.connection;

import dev.logfailover.Endpoint;
import dev.logfailover.TlsOptions;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * A TLS {@link Connection}: an {@link SSLEngine} over the same non-blocking channel as plain TCP,
 * so it keeps exact accounting (a record is released once its ciphertext is accepted by the
 * kernel), write timeouts and the idle check for the server's FIN or close_notify (F7).
 *
 * <p>The handshake runs in {@link #open}, inside the connection attempt, bounded by {@code
 * connectTimeout}; the server's certificate is verified against the server's own configured name
 * (DNS or IP subject alternative name) and SNI carries that name. A failed handshake is a failure
 * of that server; no byte of an event is ever written before it succeeds.
 *
 * <p>Not thread-safe: confined to the sender thread, except {@link #close()}.
 */
public final class TlsConnection implements Connection {
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final Endpoint server;
  private final NonBlockingChannel channel;
  private final InetSocketAddress remoteAddress;
  private final SSLEngine engine;
  private final Duration handshakeTimeout;
  private ByteBuffer netOut;
  private ByteBuffer netIn;
  private ByteBuffer appIn;

  private TlsConnection(Endpoint server, SocketChannel channel, SSLEngine engine, Duration handshakeTimeout,
      Duration writeTimeout) throws IOException {
    this.server = server;
    this.handshakeTimeout = handshakeTimeout;
    this.remoteAddress = PlainTcpConnection.remoteAddress(channel);
    this.channel = new NonBlockingChannel(server, channel, writeTimeout);
    this.engine = engine;
    this.netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
  }

  /**
   * Takes ownership of the connected {@code channel}, runs the TLS handshake with {@code server}
   * bounded by {@code handshakeTimeout}, and returns the connection; closes the channel on failure.
   */
  public static TlsConnection open(Endpoint server, SocketChannel channel, TlsOptions tls, Duration handshakeTimeout,
      Duration writeTimeout) throws IOException {
    SSLEngine engine = engineFor(server, tls);
    TlsConnection connection = new TlsConnection(server, channel, engine, handshakeTimeout, writeTimeout);
    boolean done = false;
    try {
      engine.beginHandshake();
      connection.handshake();
      done = true;
      return connection;
    } catch (SSLException e) {
      SSLException named = new SSLException("TLS handshake with " + server + " failed: " + e.getMessage(), e);
      throw named;
    } finally {
      if (!done) {
        connection.channel.close();
      }
    }
  }

  static SSLEngine engineFor(Endpoint server, TlsOptions tls) {
    SSLEngine engine = tls.sslContext().createSSLEngine(server.host(), server.port());
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    if (tls.hostnameVerification()) {
      // "HTTPS" is RFC 2818 checking: DNS SAN for a name, IP SAN for an address.
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    if (!IP_LITERAL.matcher(server.host()).matches()) {
      // Each server's own name, never the primary's (F7); RFC 6066 allows no address in SNI.
      parameters.setServerNames(List.of(new SNIHostName(server.host())));
    }
    if (!tls.protocols().isEmpty()) {
      parameters.setProtocols(tls.protocols().toArray(new String[0]));
    }
    if (!tls.cipherSuites().isEmpty()) {
      parameters.setCipherSuites(tls.cipherSuites().toArray(new String[0]));
    }
    engine.setSSLParameters(parameters);
    return engine;
  }

  /** Runs the handshake (or a post-handshake exchange) to its end, within {@code handshakeTimeout}. */
  private void handshake() throws IOException {
    long deadlineNanos = System.nanoTime() + handshakeTimeout.toNanos();
    HandshakeStatus status = engine.getHandshakeStatus();
    while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
      switch (status) {
        case NEED_WRAP -> {
          wrap(EMPTY);
          netOut.flip();
          channel.writeBefore(netOut, deadlineNanos, "TLS handshake");
          status = engine.getHandshakeStatus();
        }
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          SSLEngineResult result = unwrap();
          if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
            channel.readBefore(netIn, deadlineNanos, "TLS handshake");
          } else if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new EOFException(server + " closed the TLS session during the handshake");
          }
          status = engine.getHandshakeStatus();
        }
        case NEED_TASK -> {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) {
            task.run();
          }
          status = engine.getHandshakeStatus();
        }
        default -> throw new SSLException("unexpected handshake state " + status);
      }
    }
  }

  /** Wraps {@code source} into a cleared {@link #netOut}, growing it if the engine asks. */
  private SSLEngineResult wrap(ByteBuffer source) throws SSLException {
    while (true) {
      netOut.clear();
      SSLEngineResult result = engine.wrap(source, netOut);
      switch (result.getStatus()) {
        case OK:
          return result;
        case BUFFER_OVERFLOW:
          netOut = ByteBuffer.allocate(Math.max(2 * netOut.capacity(), engine.getSession().getPacketBufferSize()));
          break;
        default:
          throw new SSLException("the TLS session with " + server + " is closed");
      }
    }
  }

  /** Unwraps what {@link #netIn} holds into {@link #appIn}, growing buffers if the engine asks. */
  private SSLEngineResult unwrap() throws SSLException {
    while (true) {
      netIn.flip();
      SSLEngineResult result;
      try {
        result = engine.unwrap(netIn, appIn);
      } finally {
        netIn.compact();
      }
      if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
        ByteBuffer larger = ByteBuffer.allocate(appIn.capacity() + engine.getSession().getApplicationBufferSize());
        appIn.flip();
        appIn = larger.put(appIn);
        continue;
      }
      if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && !netIn.hasRemaining()) {
        ByteBuffer larger = ByteBuffer.allocate(netIn.capacity() + engine.getSession().getPacketBufferSize());
        netIn.flip();
        netIn = larger.put(netIn);
      }
      return result;
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
    ByteBuffer plaintext = outbox.bytes();
    while (plaintext.hasRemaining()) {
      int before = plaintext.position();
      wrap(plaintext);
      netOut.flip();
      try {
        channel.writeFully(netOut, () -> { }, this::checkAlive);
      } catch (IOException e) {
        // The ciphertext of this chunk did not all reach the kernel: none of it counts as sent.
        plaintext.position(before);
        throw e;
      }
      outbox.releaseAccepted();
      if (engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
        handshake();
      }
    }
  }

  /**
   * Reads what the server sent, without waiting. Post-handshake messages (TLS 1.3 session tickets,
   * key updates) are fine; end of stream, close_notify or application data are failures.
   */
  @Override
  public void checkAlive() throws IOException {
    int read = channel.readNow(netIn);
    if (read < 0) {
      throw new EOFException(server + " closed the connection");
    }
    while (netIn.position() > 0) {
      SSLEngineResult result = unwrap();
      if (result.getStatus() == SSLEngineResult.Status.CLOSED || engine.isInboundDone()) {
        throw new EOFException(server + " closed the TLS session");
      }
      if (appIn.position() > 0) {
        int unexpected = appIn.position();
        appIn.clear();
        throw new IOException(server + " sent " + unexpected + " unexpected bytes");
      }
      if (engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
        handshake();
      }
      if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || result.bytesConsumed() == 0) {
        return;
      }
    }
  }

  /** Sends close_notify if the socket takes it at once, then closes. Never throws. */
  @Override
  public void close() {
    try {
      engine.closeOutbound();
      wrap(EMPTY);
      netOut.flip();
      channel.channel().write(netOut);
    } catch (IOException | RuntimeException ignored) {
      // Best effort: the peer learns of the close from the FIN anyway.
    }
    channel.close();
  }

  @Override
  public String toString() {
    return "TlsConnection{" + server + " at " + remoteAddress + "}";
  }
}
