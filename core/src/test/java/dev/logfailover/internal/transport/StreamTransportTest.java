package dev.logfailover.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logfailover.Endpoint;
import dev.logfailover.Framing;
import dev.logfailover.internal.concurrent.Doorbell;
import dev.logfailover.internal.concurrent.Ticker;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stream session's check for a server's FIN while it is busy: not before every write (a
 * stream of small batches would pay a read for each), but once {@link
 * StreamTransport#RECORDS_PER_SILENCE_CHECK} records went since the server was last known silent.
 */
class StreamTransportTest {
  private static final byte[] RECORD = "an event\n".getBytes();

  private ServerSocket listener;
  private SocketChannel client;
  private Socket accepted;
  private Doorbell doorbell;
  private Session session;

  @BeforeEach
  void connect() throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    client = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
    accepted = listener.accept();
    doorbell = Doorbell.open(Ticker.SYSTEM);
    StreamTransport transport = new StreamTransport(new Framer(Framing.NEWLINE), null, Duration.ofSeconds(5),
        Duration.ofSeconds(5));
    session = transport.open(Endpoint.of("host", "127.0.0.1", listener.getLocalPort()), client, doorbell);
  }

  @AfterEach
  void close() throws IOException {
    session.close();
    doorbell.close();
    accepted.close();
    listener.close();
  }

  @Test
  void aFinThatCameWhileBusyIsNoticedWithinOneSilenceCheckOfRecords() throws Exception {
    int beforeTheFin = StreamTransport.RECORDS_PER_SILENCE_CHECK - 1;
    send(beforeTheFin); // the first send checks, and finds the server silent
    // A FIN with the server's side still reading: writes after it succeed, only a read sees it.
    accepted.shutdownOutput();
    awaitTheFin();

    send(1); // the record that makes up the check's count still goes after the FIN
    assertThatThrownBy(() -> send(1)).as("the next write is preceded by a check, which finds the FIN")
        .isInstanceOf(EOFException.class).hasMessageContaining("closed the connection");
  }

  @Test
  void aFinBeforeTheFirstWriteIsNoticedBeforeItIsWritten() throws Exception {
    accepted.shutdownOutput();
    awaitTheFin();
    assertThatThrownBy(() -> send(1)).isInstanceOf(EOFException.class).hasMessageContaining("closed the connection");
  }

  private void send(int records) throws IOException {
    Outbox outbox = new Outbox(records);
    outbox.fill((into, max) -> {
      for (int i = 0; i < records; i++) {
        into.add(RECORD, 0, RECORD.length);
      }
      return records;
    });
    session.send(outbox);
    assertThat(outbox.isEmpty()).isTrue();
  }

  /** Waits (bounded) until the FIN reached this end: the channel turns readable. */
  private void awaitTheFin() throws IOException {
    try (Selector probe = Selector.open()) {
      client.register(probe, SelectionKey.OP_READ);
      assertThat(probe.select(10_000)).as("the FIN to arrive").isEqualTo(1);
    }
  }
}
