package dev.logfailover.internal.transport;

import dev.logfailover.Endpoint;
import dev.logfailover.Framing;
import dev.logfailover.internal.concurrent.Doorbell;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A transport that exists only in tests, to show that the seam takes a new transport without a
 * change to the planner, the prober or the loop: it writes each record on its own (octet counting,
 * so {@code FakeServer} reads it) and treats them as acknowledged only in groups of {@code n}, the
 * last group of a batch once a read shows the server still there. So at any moment some records
 * are written but not released, as with RELP or HTTP: a failure sends them again, counted as
 * resent.
 *
 * <p>Not thread-safe: the sender thread's.
 */
public final class AckEveryNthTransport implements SessionFactory {
  private final int n;
  private final Duration writeTimeout;
  private final Framer framer = new Framer(Framing.OCTET_COUNTING);

  public AckEveryNthTransport(int n, Duration writeTimeout) {
    this.n = n;
    this.writeTimeout = writeTimeout;
  }

  @Override
  public Session open(Endpoint server, SocketChannel channel, Doorbell doorbell) throws IOException {
    PlainWire wire = PlainWire.open(server, channel, doorbell, writeTimeout);
    return new WireSession(wire) {

      @Override
      public void send(Outbox outbox) throws IOException {
        wire.checkSilent();
        while (outbox.written() < outbox.size()) {
          int index = outbox.written();
          ByteBuffer framed = ByteBuffer.allocate(framer.maxFramedLength(outbox.recordLength(index)));
          framer.frame(outbox.recordBytes(index), outbox.recordOffset(index), outbox.recordLength(index), framed);
          wire.write(framed.flip(), () -> { });
          outbox.markWritten(outbox.written() + 1);
          if (outbox.written() - outbox.released() >= n) {
            outbox.release(outbox.written());
          }
        }
        wire.checkSilent();
        outbox.release(outbox.size());
      }

      @Override
      public void idle(Doorbell doorbell, BooleanSupplier hasNoWork) throws IOException {
        wire.sleepWhileSilent(hasNoWork);
      }
    };
  }
}
