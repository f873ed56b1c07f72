package dev.logfailover.internal.transport;

import dev.logfailover.Endpoint;
import dev.logfailover.internal.concurrent.Doorbell;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

/**
 * A live connection of one transport to one server, owned by the sender thread: the seam between
 * the engine and the transports. The engine hands it batches in an {@link Outbox}; the session
 * writes them its own way (framed stream, RELP commands, HTTP requests) and releases each record
 * once it is sent in this transport's meaning: written for {@code tcp} and {@code tls},
 * acknowledged for the acknowledging transports. Whatever it had not released when it fails is
 * sent again, in order, by the next session ({@link Outbox#rewind()}).
 *
 * <p>Not thread-safe: confined to the sender thread. Other threads never call it; they wake the
 * sender through its {@link Doorbell}.
 */
public interface Session {
  Endpoint server();

  InetSocketAddress remoteAddress();

  /**
   * Sends the outbox's records not yet written on this session and returns once every record of
   * the outbox is released. Throws on any failure of the server, leaving what it had not released
   * in the outbox.
   */
  void send(Outbox outbox) throws IOException;

  /**
   * Waits while there is nothing to send: until {@code hasNoWork} turns false and the sender is
   * woken, or the server does something. Throws when the server closed its side (FIN), reset the
   * connection or sent what this transport does not expect, so that is noticed with no event
   * being written and with no timer.
   */
  void idle(Doorbell doorbell, BooleanSupplier hasNoWork) throws IOException;

  /** Closes the session and its channel; idempotent, never throws. */
  void close();
}
