package dev.logfailover.benchmarks;

import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/**
 * The baseline: Logback's own OutputStreamAppender over one buffered socket, encoding and writing
 * on the caller's thread, no flush per event. No failover, no queue: the ceiling to approach.
 */
public class BufferedSocketAppender<E> extends OutputStreamAppender<E> {
  private int port;
  private Socket socket;

  public void setPort(int port) {
    this.port = port;
  }

  @Override
  public void start() {
    try {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setTcpNoDelay(true);
      setOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
    } catch (IOException e) {
      addError("cannot connect to port " + port, e);
      return;
    }
    super.start();
  }

  @Override
  public void stop() {
    super.stop();
    try {
      socket.close();
    } catch (IOException ignored) {
      // Benchmark teardown.
    }
  }
}
