package dev.logfailover.internal.transport;

import dev.logfailover.Endpoint;
import dev.logfailover.internal.concurrent.Doorbell;
import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * One transport, as the engine sees it: opens a {@link Session} on a connected channel, whether
 * the sender's own attempt made it or a failback probe did (F6e). Adding a transport means adding
 * one of these and its session; the planner, the prober and the sender loop do not change.
 *
 * <p>Threading: {@link #open} is called on the sender thread only; a factory may keep buffers that
 * its sessions reuse one after the other.
 */
@FunctionalInterface
public interface SessionFactory {
  /**
   * Takes ownership of the connected, blocking {@code channel}: opens the session (a TLS
   * handshake, a protocol's greeting) within the attempt's bounds, or closes the channel and
   * throws.
   */
  Session open(Endpoint server, SocketChannel channel, Doorbell doorbell) throws IOException;

  /** The engine has stopped: release what the factory holds (threads); no session opens after. */
  default void close() {}
}
