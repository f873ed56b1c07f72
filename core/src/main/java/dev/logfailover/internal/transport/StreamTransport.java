package dev.logfailover.internal.transport;

import dev.logfailover.Endpoint;
import dev.logfailover.TlsOptions;
import dev.logfailover.internal.concurrent.Doorbell;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;


/**
 * The {@code tcp} and {@code tls} transports: records framed (SPEC section 4) onto a byte stream,
 * plain or inside TLS, each released once the kernel accepted all of its bytes. Nothing is
 * acknowledged, so a record the kernel took is sent in this transport's meaning; only a dying
 * collector's unread buffer can lose it.
 *
 * <p>Threading: sessions are opened and used on the sender thread, one after the other, and share
 * this factory's framing buffer.
 */
public final class StreamTransport implements SessionFactory {
  /** Framed bytes per write; a larger single record gets a buffer of its own for its one write. */
  static final int FRAME_BUFFER_BYTES = 256 * 1024;
  /** Records per write at most; more simply take another write. */
  private static final int RECORDS_PER_WRITE = 1024;
  /**
   * A busy sender asks the server's side for a FIN before a write once this many records went
   * since it last knew the server silent, not before every write: a stream of small batches would
   * otherwise pay a read for each. At most this many records (or one batch, if larger) go into a
   * connection the server already closed before that is noticed.
   */
  static final int RECORDS_PER_SILENCE_CHECK = 64;
  /**
   * A batch smaller than this, right after a write, waits {@link #COALESCE_NANOS} for more: the
   * logging threads then log about as fast as the sender writes, and a write (and the server's
   * read) per few records costs more CPU than the records, CPU the logging threads share. An
   * acknowledging transport needs none of this: its wait for answers gathers the next batch.
   * 200 us, not 50: each wait is a sleep and a wake-up of the sender and one more read by the
   * collector, on cores the logging threads share; a Log4j2 thread logging flat out measured
   * about a tenth faster with the longer wait (and no slower at 100,000 events/s), and a batch
   * is never held longer than that.
   */
  private static final int COALESCE_BELOW_RECORDS = 32;
  private static final long COALESCE_NANOS = 200_000;

  private final Framer framer;
  /** Null for plain TCP. */
  private final TlsOptions tls;
  private final Duration connectTimeout;
  private final Duration writeTimeout;
  private final ByteBuffer frames = ByteBuffer.allocateDirect(FRAME_BUFFER_BYTES);
  /** ends[i] is the offset in the chunk being written just past its record i. */
  private final int[] ends = new int[RECORDS_PER_WRITE];

  /** @param tls null for plain TCP */
  public StreamTransport(Framer framer, TlsOptions tls, Duration connectTimeout, Duration writeTimeout) {
    this.framer = framer;
    this.tls = tls;
    this.connectTimeout = connectTimeout;
    this.writeTimeout = writeTimeout;
  }

  @Override
  public Session open(Endpoint server, SocketChannel channel, Doorbell doorbell) throws IOException {
    return new StreamSession(Wire.open(server, channel, doorbell, tls, connectTimeout, writeTimeout));
  }

  /** Not thread-safe: the sender thread's. */
  private final class StreamSession extends WireSession {
    /** The chunk being written holds records first (inclusive) to end (exclusive); next is the first not accepted. */
    private int first;
    private int end;
    private int next;
    /** The batch being sent, and the chunk of it being written. */
    private Outbox outbox;
    private ByteBuffer writing;
    /** Made once, so that a write allocates nothing. */
    private final Runnable releaseAccepted = this::releaseAccepted;
    /** Records written since the server was last known silent (a read, or a quiet wake-up). */
    private int writtenSinceSilent = RECORDS_PER_SILENCE_CHECK;
    /** When the last send ended, in real time. */
    private long lastSendEndedNanos = System.nanoTime() - COALESCE_NANOS;

    StreamSession(Wire wire) {
      super(wire);
    }

    @Override
    public void send(Outbox outbox) throws IOException {
      coalesce(outbox);
      // A FIN that came since the last check is noticed before anything more is written into it.
      if (writtenSinceSilent >= RECORDS_PER_SILENCE_CHECK) {
        wire.checkSilent();
        writtenSinceSilent = 0;
      }
      this.outbox = outbox;
      while (!outbox.isEmpty()) {
        writing = frameFrom(outbox);
        wire.write(writing, releaseAccepted);
        writtenSinceSilent += end - first;
      }
      lastSendEndedNanos = System.nanoTime();
    }

    /**
     * A small batch that follows a send closely waits a moment for the records still coming, so
     * a steady stream goes out in fewer, larger writes. Real time, not the engine's clock: it is
     * a batching heuristic, not a rule, and only ever {@link #COALESCE_NANOS}. An event logged
     * alone, after a quiet moment, goes at once.
     */
    private void coalesce(Outbox outbox) {
      if (outbox.pending() < COALESCE_BELOW_RECORDS && System.nanoTime() - lastSendEndedNanos < COALESCE_NANOS) {
        LockSupport.parkNanos(COALESCE_NANOS);
        outbox.topUp();
      }
    }

    /** Frames the unreleased records that fit into one buffer, starting at the first unreleased. */
    private ByteBuffer frameFrom(Outbox outbox) {
      first = next = end = outbox.released();
      int total = 0;
      while (end < outbox.size() && end - first < ends.length) {
        int length = framer.maxFramedLength(outbox.recordLength(end));
        if (total + length > FRAME_BUFFER_BYTES && end > first) {
          break;
        }
        total += length;
        end++;
      }
      ByteBuffer chunk = total > FRAME_BUFFER_BYTES ? ByteBuffer.allocate(total) : frames.clear();
      for (int i = first; i < end; i++) {
        framer.frame(outbox.recordBytes(i), outbox.recordOffset(i), outbox.recordLength(i), chunk);
        ends[i - first] = chunk.position();
      }
      return chunk.flip();
    }

    /** After each write's progress: releases the records whose bytes the kernel took in full. */
    private void releaseAccepted() {
      int position = writing.position();
      while (next < end && ends[next - first] <= position) {
        next++;
      }
      outbox.release(next);
    }

    @Override
    public void idle(Doorbell doorbell, BooleanSupplier hasNoWork) throws IOException {
      wire.sleepWhileSilent(hasNoWork);
      writtenSinceSilent = 0;
    }

  }
}
