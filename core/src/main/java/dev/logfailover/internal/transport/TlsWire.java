package dev.logfailover.internal.transport;

import dev.logfailover.Endpoint;
import dev.logfailover.TlsOptions;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A TLS {@link Wire}: an {@link SSLEngine} over a {@link PlainWire}, so it keeps exact accounting
 * (plaintext counts as written once its ciphertext is accepted by the kernel), write timeouts and
 * the check for the server's FIN or close_notify (F7).
 *
 * <p>The handshake runs in {@link #open}, inside the connection attempt, bounded by {@code
 * connectTimeout}; the server's certificate is verified against the server's own configured name
 * ({@link ServerIdentity}). A failed handshake is a failure of that server; no byte of an event is
 * ever written before it succeeds.
 *
 * <p>Not thread-safe: only the sender thread touches the engine and its buffers.
 */
public final class TlsWire implements Wire {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  /**
   * How many reads one {@link #readNow} makes while they bring no plaintext: enough for the
   * post-handshake messages a server sends first, and a bound on a server that sends nothing else.
   */
  private static final int MAX_READS_FOR_PLAINTEXT = 8;

  private final PlainWire plain;
  private final SSLEngine engine;
  private final Duration handshakeTimeout;
  private ByteBuffer netOut;
  private ByteBuffer netIn;
  private ByteBuffer appIn;
  private final ByteBuffer silenceProbe = ByteBuffer.allocate(64);
  /**
   * The server's end of the stream or its close_notify was seen. What was decrypted before it is
   * still handed out first: a server that answers and closes at once (HTTP {@code Connection:
   * close}, a RELP {@code serverclose}) has said all of it (F18).
   */
  private boolean inputEnded;

  private TlsWire(PlainWire plain, SSLEngine engine, Duration handshakeTimeout) {
    this.plain = plain;
    this.engine = engine;
    this.handshakeTimeout = handshakeTimeout;
    this.netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
  }

  /**
   * Takes ownership of {@code plain}, runs the TLS handshake with its server bounded by {@code
   * handshakeTimeout}, and returns the wire; closes the channel on failure.
   */
  public static TlsWire open(PlainWire plain, TlsOptions tls, Duration handshakeTimeout) throws IOException {
    boolean done = false;
    try {
      TlsWire wire = new TlsWire(plain, ServerIdentity.engineFor(plain.server(), tls), handshakeTimeout);
      wire.engine.beginHandshake();
      wire.handshake();
      ServerIdentity.verifyNameTheJdkCannotCheck(plain.server(), tls, wire.engine.getSession());
      done = true;
      return wire;
    } catch (SSLException e) {
      throw new SSLException("TLS handshake with " + plain.server() + " failed: " + e.getMessage(), e);
    } finally {
      if (!done) {
        plain.close();
      }
    }
  }

  /** Runs the handshake (or a post-handshake exchange) to its end, within {@code handshakeTimeout}. */
  private void handshake() throws IOException {
    long deadlineNanos = plain.nanoTime() + handshakeTimeout.toNanos();
    HandshakeStatus status = engine.getHandshakeStatus();
    while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
      switch (status) {
        case NEED_WRAP -> {
          wrap(EMPTY);
          netOut.flip();
          plain.writeBefore(netOut, deadlineNanos, "TLS handshake");
        }
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          SSLEngineResult result = unwrap();
          if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
            plain.readBefore(netIn, deadlineNanos, "TLS handshake");
          } else if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new EOFException(server() + " closed the TLS session during the handshake");
          }
        }
        case NEED_TASK -> {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) {
            task.run();
          }
        }
        default -> throw new SSLException("unexpected handshake state " + status);
      }
      status = engine.getHandshakeStatus();
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
          throw new SSLException("the TLS session with " + server() + " is closed");
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
    return plain.server();
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return plain.remoteAddress();
  }

  @Override
  public SelectionKey key() {
    return plain.key();
  }

  @Override
  public void write(ByteBuffer plaintext, Runnable onProgress) throws IOException {
    while (plaintext.hasRemaining()) {
      int before = plaintext.position();
      wrap(plaintext);
      netOut.flip();
      try {
        plain.write(netOut, () -> { });
      } catch (IOException e) {
        // The ciphertext of this chunk did not all reach the kernel: none of it counts as written.
        plaintext.position(before);
        throw e;
      }
      onProgress.run();
      if (engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
        handshake();
      }
    }
  }

  /**
   * Reads and unwraps what the server sent, without waiting. Post-handshake messages (TLS 1.3
   * session tickets, key updates) are handled here; the end of the stream or a close_notify is -1,
   * once everything decrypted before it has been read.
   */
  @Override
  public int readNow(ByteBuffer into) throws IOException {
    // Only an empty appIn takes more: what a server streams waits in the kernel, not in our heap.
    // A read that brought no plaintext (a session ticket before the answer) reads on, so that 0
    // means the socket had nothing more: a caller may take that as "all of the answer is here".
    for (int reads = 0; appIn.position() == 0 && !inputEnded && reads < MAX_READS_FOR_PLAINTEXT; reads++) {
      int read = plain.readNow(netIn);
      inputEnded = read < 0;
      unwrapWhatArrived();
      if (read <= 0) {
        break;
      }
    }
    if (appIn.position() == 0) {
      return inputEnded ? -1 : 0;
    }
    appIn.flip();
    int moved = Math.min(appIn.remaining(), into.remaining());
    into.put(appIn.slice().limit(moved));
    appIn.position(appIn.position() + moved);
    appIn.compact();
    return moved;
  }

  /** Unwraps every whole record read so far into {@link #appIn}, up to a close_notify. */
  private void unwrapWhatArrived() throws IOException {
    while (netIn.position() > 0) {
      SSLEngineResult result = unwrap();
      if (result.getStatus() == SSLEngineResult.Status.CLOSED || engine.isInboundDone()) {
        inputEnded = true;
        return;
      }
      if (!inputEnded && engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) {
        handshake();
      }
      if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || result.bytesConsumed() == 0) {
        return;
      }
    }
  }

  @Override
  public void acknowledgeQuickly() throws IOException {
    plain.acknowledgeQuickly();
  }

  @Override
  public void awaitReadable(long deadlineNanos) throws IOException {
    plain.awaitReadable(deadlineNanos);
  }

  @Override
  public void checkSilent() throws IOException {
    // Bytes this end already read but did not unwrap are not in the kernel's answer: look at them.
    if (!plain.isQuietSinceSleep() || netIn.position() > 0 || appIn.position() > 0) {
      PlainWire.checkSilent(this, silenceProbe);
    }
  }

  @Override
  public void sleepUntilReadable(BooleanSupplier hasNoWork) throws IOException {
    plain.sleepUntilReadable(hasNoWork);
  }

  /** Sends close_notify if the socket takes it at once, then closes. Never throws. */
  @Override
  public void close() {
    try {
      engine.closeOutbound();
      wrap(EMPTY);
      netOut.flip();
      plain.writeIfPossible(netOut);
    } catch (IOException | RuntimeException ignored) {
      // Best effort: the peer learns of the close from the FIN anyway.
    }
    plain.close();
  }

  @Override
  public String toString() {
    return "TlsWire{" + server() + " at " + remoteAddress() + "}";
  }
}
