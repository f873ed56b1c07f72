package dev.logfailover.internal.transport;

import dev.logfailover.Endpoint;
import java.net.InetSocketAddress;

/**
 * What every session over a {@link Wire} shares: its server and address come from the wire, and
 * closing it closes the wire. Not thread-safe: the sender thread's, as every session.
 */
public abstract class WireSession implements Session {
  protected final Wire wire;

  protected WireSession(Wire wire) {
    this.wire = wire;
  }

  @Override
  public Endpoint server() {
    return wire.server();
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return wire.remoteAddress();
  }

  @Override
  public void close() {
    wire.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + wire + "}";
  }
}
