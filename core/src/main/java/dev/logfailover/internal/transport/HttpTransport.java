package dev.logfailover.internal.transport;

import dev.logfailover.Endpoint;
import dev.logfailover.HttpSettings;
import dev.logfailover.TlsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLParameters;

/**
 * HTTP collectors ({@code http}, {@code https}, F16) on the JDK's {@link HttpClient}: each batch is
 * one {@code POST} to {@code scheme://host:port/path}, acknowledged by a 2xx (F14). The attempt's
 * TCP connect (or the last probe's, at failback) shows the server answers; the client then keeps
 * its own keep-alive connection, one request in flight at a time, so events stay in order.
 *
 * <p>The client resolves names with the JDK's resolver (the configured {@code HostResolver} serves
 * the reachability connect and the probes), verifies each {@code https} server against its own
 * name with SNI (F7), and presents the configured client certificate to all. It follows no
 * redirect: a 3xx is a failure of that server.
 *
 * <p>Threading: {@link #open} and the sessions on the sender thread; the pooled threads only run
 * requests (and the client's completions) and wake the sender.
 */
public final class HttpTransport implements SessionFactory {
  private final HttpSettings settings;
  private final String scheme;
  private final HttpClient client;
  private final Duration writeTimeout;
  private final ExecutorService completions;

  public HttpTransport(HttpSettings settings, TlsOptions tls, Duration connectTimeout, Duration writeTimeout) {
    this.settings = settings;
    this.scheme = tls == null ? "http" : "https";
    this.writeTimeout = writeTimeout;
    this.completions = Executors.newCachedThreadPool(daemonThreadsNamed("logfailover-http"));
    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout).executor(completions);
    if (tls != null) {
      SSLParameters parameters = tls.sslContext().getDefaultSSLParameters();
      if (!tls.protocols().isEmpty()) {
        parameters.setProtocols(tls.protocols().toArray(String[]::new));
      }
      if (!tls.cipherSuites().isEmpty()) {
        parameters.setCipherSuites(tls.cipherSuites().toArray(String[]::new));
      }
      builder.sslContext(tls.sslContext()).sslParameters(parameters);
    }
    this.client = builder.build();
  }

  /**
   * The client's completions, and each session's blocking requests, run on daemon threads named
   * after us, so an application's exit is never held up by them and a thread dump says whose they
   * are; they end with the engine.
   */
  private static ThreadFactory daemonThreadsNamed(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Ends the completion threads; the JDK 17 client itself cannot be closed and goes with the GC. */
  @Override
  public void close() {
    completions.shutdownNow();
  }

  @Override
  public Session open(Endpoint server, SocketChannel channel, Doorbell doorbell) throws IOException {
    InetSocketAddress remote;
    try {
      remote = (InetSocketAddress) channel.getRemoteAddress();
    } finally {
      // The connect showed the server answers; the client keeps a connection of its own.
      channel.close();
    }
    return new HttpSession(server, remote, uri(server), client, settings, writeTimeout, doorbell, completions);
  }

  private URI uri(Endpoint server) {
    try {
      return new URI(scheme, null, server.host(), server.port(), settings.path(), null, null);
    } catch (URISyntaxException e) {
      throw new UncheckedIOException(new IOException("no valid URI for " + server + settings.path(), e));
    }
  }
}
