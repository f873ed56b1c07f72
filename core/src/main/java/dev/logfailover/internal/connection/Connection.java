package dev.logfailover.internal.connection;

import dev.logfailover.Endpoint;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A live connection to one server, owned by the sender thread: the seam between the engine and a
 * transport. Plain TCP releases records as the kernel accepts their bytes; an acknowledging
 * transport would release them as the server acknowledges them.
 *
 * <p>Not thread-safe: confined to the sender thread, except {@link #close()}, which any thread may
 * call to abort a blocked operation.
 */
public interface Connection extends Closeable {
  Endpoint server();

  InetSocketAddress remoteAddress();

  /**
   * Sends every pending record of {@code outbox}, releasing each as this transport becomes
   * responsible for it. Throws on failure, with the unsent records left in the outbox.
   */
  void send(Outbox outbox) throws IOException;

  /**
   * Without blocking, throws if the server has closed its side (EOF) or sent bytes this transport
   * does not expect: a connection that fails this check must not be written to.
   */
  void checkAlive() throws IOException;

  /** Closes the connection; idempotent, never throws. */
  @Override
  void close();
}
