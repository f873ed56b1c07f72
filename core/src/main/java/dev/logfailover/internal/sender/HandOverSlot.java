package dev.logfailover.internal.sender;

import dev.logfailover.internal.concurrent.Doorbell;
import dev.logfailover.internal.connection.TcpConnector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the prober leaves its last probe's connected channel for the sender when the primary has
 * earned its return (F6e). A newer channel replaces (and closes) an older one; once the sender has
 * ended, a channel put here is closed at once, so none is ever left open.
 *
 * <p>Thread-safe: {@link #put} from the probe thread; the rest from the sender thread.
 */
final class HandOverSlot {
  private final AtomicReference<SocketChannel> slot = new AtomicReference<>();
  private final Doorbell doorbell;
  private volatile boolean closed;

  HandOverSlot(Doorbell doorbell) {
    this.doorbell = doorbell;
  }

  void put(SocketChannel channel) {
    TcpConnector.closeQuietly(slot.getAndSet(channel));
    if (closed) {
      // The sender ended meanwhile and will not look again.
      TcpConnector.closeQuietly(slot.getAndSet(null));
      return;
    }
    doorbell.wake();
  }

  /** The channel waiting for the sender, or null. */
  SocketChannel take() {
    return slot.getAndSet(null);
  }

  boolean isEmpty() {
    return slot.get() == null;
  }

  /** The sender has ended: closes what waits here and whatever comes later. */
  void close() {
    closed = true;
    TcpConnector.closeQuietly(slot.getAndSet(null));
  }
}
