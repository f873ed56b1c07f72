package dev.logfailover.internal.transport;

import dev.logfailover.Endpoint;
import dev.logfailover.TlsOptions;
import dev.logfailover.internal.concurrent.Doorbell;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The {@code relp} and {@code relp-tls} transports (F14, F15): the Reliable Event Logging Protocol
 * as librelp's doc/relp.md describes it and rsyslog's {@code imrelp} speaks it. A session opens
 * with {@code open} and its offers, sends one {@code syslog} command per event with increasing
 * transaction numbers, keeps at most {@code relpWindowSize} of them unacknowledged, and releases an
 * event only when its {@code rsp 200} arrives. Any other answer, a {@code serverclose}, or no
 * answer for {@code writeTimeout} since the oldest unacknowledged event was sent fails the server,
 * and the engine sends every unacknowledged event again to the next one. A session that ends
 * without a failure (failback, stop) says {@code close} and waits a moment for its answer.
 *
 * <p>Threading: sessions are opened and used on the sender thread, one after the other.
 */
public final class RelpTransport implements SessionFactory {
  /** Most bytes of commands framed for one write. */
  private static final int FRAME_BUFFER_BYTES = 256 * 1024;
  /** TXNR is at most nine digits; after 999,999,999 comes 1 (doc/relp.md). */
  private static final int MAX_TXNR = 999_999_999;
  /** How many short waits a closing session gives the server to answer its {@code close}. */
  private static final int CLOSE_WAITS = 20;
  private static final long CLOSE_WAIT_NANOS = 10_000_000;
  private static final byte[] OFFERS = ("relp_version=0\nrelp_software=logfailover,0.1.0,"
      + "https://github.com/logfailover\ncommands=syslog").getBytes(StandardCharsets.US_ASCII);

  /** Null for plain RELP. */
  private final TlsOptions tls;
  private final Duration connectTimeout;
  private final Duration writeTimeout;
  private final int windowSize;
  private final ByteBuffer frames = ByteBuffer.allocateDirect(FRAME_BUFFER_BYTES);

  /** @param tls null for plain RELP */
  public RelpTransport(TlsOptions tls, Duration connectTimeout, Duration writeTimeout, int windowSize) {
    this.tls = tls;
    this.connectTimeout = connectTimeout;
    this.writeTimeout = writeTimeout;
    this.windowSize = windowSize;
  }

  @Override
  public Session open(Endpoint server, SocketChannel channel, Doorbell doorbell) throws IOException {
    Wire wire = Wire.open(server, channel, doorbell, tls, connectTimeout, writeTimeout);
    RelpSession session = new RelpSession(wire, doorbell);
    try {
      session.open();
      return session;
    } catch (IOException | RuntimeException e) {
      wire.close();
      throw e;
    }
  }

  /** Not thread-safe: the sender thread's. */
  private final class RelpSession extends WireSession {
    private final Doorbell doorbell;
    private final RelpFrameReader reader = new RelpFrameReader();
    /** For each record of the outbox written on this session: its TXNR and when it was written. */
    private int[] txnrs = new int[0];
    private long[] times = new long[0];
    private int nextTxnr = 1;
    /** The chunk being written holds records first to end; next is the first not written in full. */
    private int first;
    private int end;
    private int next;
    private final int[] ends;
    private boolean failed;

    RelpSession(Wire wire, Doorbell doorbell) {
      super(wire);
      this.doorbell = doorbell;
      this.ends = new int[Math.max(1, windowSize)];
    }

    private long now() {
      return doorbell.ticker().nanoTime();
    }

    private int takeTxnr() {
      int txnr = nextTxnr;
      nextTxnr = txnr == MAX_TXNR ? 1 : txnr + 1;
      return txnr;
    }

    /** The open exchange, bounded by connectTimeout: the server must offer the syslog command. */
    void open() throws IOException {
      ByteBuffer command = ByteBuffer.allocate(64 + OFFERS.length);
      putFrame(command, takeTxnr(), "open", OFFERS, 0, OFFERS.length);
      long deadline = now() + connectTimeout.toNanos();
      wire.write(command.flip(), () -> { });
      while (!reader.next()) {
        if (deadline - now() <= 0) {
          throw new SocketTimeoutException("RELP open with " + wire.server() + " timed out");
        }
        wire.awaitReadable(deadline);
        reader.readFrom(wire);
      }
      if (!reader.isCommand("rsp") || reader.txnr() != 1 || reader.status() != 200) {
        throw new ProtocolException(wire.server() + " refused the RELP session: " + describeFrame());
      }
      String offers = reader.text();
      if (!offers.matches("(?s).*\\ncommands=([^\\n]*,)?syslog(,[^\\n]*)?(\\n.*)?")) {
        throw new ProtocolException(wire.server() + " does not offer the RELP syslog command: " + offers);
      }
    }

    @Override
    public void send(Outbox outbox) throws IOException {
      try {
        sendAll(outbox);
      } catch (IOException | RuntimeException e) {
        failed = true;
        throw e;
      }
    }

    private void sendAll(Outbox outbox) throws IOException {
      ensureCapacity(outbox.size());
      while (!outbox.isEmpty()) {
        int unacknowledged = outbox.written() - outbox.released();
        // Refill once half the window is free, not at every answer: whole chunks of commands per
        // write, and whole runs of answers per read, instead of one of each per event.
        if (outbox.written() < outbox.size() && (unacknowledged == 0 || unacknowledged <= windowSize / 2)) {
          ByteBuffer chunk = frameFrom(outbox);
          wire.write(chunk, () -> markWritten(outbox, chunk.position()));
          readAcknowledgements(outbox);
          continue;
        }
        // The window is full, or everything is written: wait for the oldest acknowledgement.
        long deadline = times[outbox.released()] + writeTimeout.toNanos();
        if (deadline - now() <= 0) {
          throw new Wire.WriteTimeoutException("no RELP acknowledgement from " + wire.server() + " for "
              + writeTimeout.toMillis() + " ms (" + (outbox.written() - outbox.released()) + " events waiting)");
        }
        wire.acknowledgeQuickly();
        wire.awaitReadable(deadline);
        readAcknowledgements(outbox);
      }
    }

    private void ensureCapacity(int records) {
      if (txnrs.length < records) {
        txnrs = new int[records];
        times = new long[records];
      }
    }

    /** Frames {@code syslog} commands from the first unwritten record, as many as the window allows. */
    private ByteBuffer frameFrom(Outbox outbox) {
      first = next = end = outbox.written();
      int limit = Math.min(outbox.size(), outbox.released() + windowSize);
      ByteBuffer chunk = frames.clear();
      while (end < limit) {
        byte[] record = outbox.recordBytes(end);
        int offset = outbox.recordOffset(end);
        int length = Framer.withoutTrailingLineSeparator(record, offset, outbox.recordLength(end));
        if (length + 40 > chunk.remaining()) {
          if (end > first) {
            break;
          }
          chunk = ByteBuffer.allocate(length + 40); // one record larger than the buffer
        }
        int txnr = takeTxnr();
        putFrame(chunk, txnr, "syslog", record, offset, length);
        txnrs[end] = txnr;
        ends[end - first] = chunk.position();
        end++;
      }
      return chunk.flip();
    }

    private void markWritten(Outbox outbox, int position) {
      long at = now();
      while (next < end && ends[next - first] <= position) {
        times[next] = at;
        next++;
      }
      outbox.markWritten(next);
    }

    /**
     * Releases each event whose {@code rsp 200} arrived. A refusal fails the server the first time
     * and rejects the event the second ({@link Outbox#refuseOldest}); any other answer fails it.
     */
    private void readAcknowledgements(Outbox outbox) throws IOException {
      reader.readFrom(wire);
      while (reader.next()) {
        if (reader.isCommand("serverclose")) {
          throw new EOFException(wire.server() + " closed the RELP session (serverclose)");
        }
        int oldest = outbox.released();
        if (!reader.isCommand("rsp") || oldest >= outbox.written() || reader.txnr() != txnrs[oldest]) {
          throw new ProtocolException(wire.server() + " sent an unexpected RELP frame: " + describeFrame());
        }
        if (reader.status() != 200) {
          String text = reader.text();
          String refusal = wire.server() + " refused event " + reader.txnr() + ": "
              + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
          if (!outbox.refuseOldest(refusal)) {
            throw new IOException(refusal);
          }
          continue; // Refused twice: rejected and counted; the next answers are the next events'.
        }
        outbox.release(oldest + 1);
      }
    }

    @Override
    public void idle(Doorbell doorbell, BooleanSupplier hasNoWork) throws IOException {
      try {
        wire.sleepUntilReadable(hasNoWork);
        reader.readFrom(wire);
        if (reader.next()) {
          if (reader.isCommand("serverclose")) {
            throw new EOFException(wire.server() + " closed the RELP session (serverclose)");
          }
          throw new ProtocolException(wire.server() + " sent an unexpected RELP frame: " + describeFrame());
        }
      } catch (IOException | RuntimeException e) {
        failed = true;
        throw e;
      }
    }

    private String describeFrame() {
      return "'" + reader.txnr() + " " + reader.command() + " " + reader.text() + "'";
    }

    /** Says {@code close} and waits briefly for its answer, unless the session failed. Never throws. */
    @Override
    public void close() {
      if (!failed) {
        try {
          ByteBuffer command = ByteBuffer.allocate(32);
          putFrame(command, takeTxnr(), "close", null, 0, 0);
          wire.write(command.flip(), () -> { });
          for (int wait = 0; wait < CLOSE_WAITS && !reader.next(); wait++) {
            wire.awaitReadable(now() + CLOSE_WAIT_NANOS);
            reader.readFrom(wire);
          }
        } catch (IOException | RuntimeException ignored) {
          // The server may close first; either way the connection ends here.
        }
      }
      super.close();
    }
  }

  /** Appends {@code TXNR SP COMMAND SP DATALEN [SP DATA] LF}. */
  static void putFrame(ByteBuffer out, int txnr, String command, byte[] data, int offset, int length) {
    putDecimal(out, txnr);
    out.put((byte) ' ');
    for (int i = 0; i < command.length(); i++) {
      out.put((byte) command.charAt(i));
    }
    out.put((byte) ' ');
    putDecimal(out, length);
    if (length > 0) {
      out.put((byte) ' ').put(data, offset, length);
    }
    out.put((byte) '\n');
  }

  private static void putDecimal(ByteBuffer out, int value) {
    if (value >= 10) {
      putDecimal(out, value / 10);
    }
    out.put((byte) ('0' + value % 10));
  }
}
