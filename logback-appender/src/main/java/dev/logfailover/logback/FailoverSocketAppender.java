package dev.logfailover.logback;

import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.net.ssl.SSLConfiguration;
import dev.logfailover.ConfigException;
import dev.logfailover.Durations;
import dev.logfailover.Endpoint;
import dev.logfailover.Failback;
import dev.logfailover.FailoverConfig;
import dev.logfailover.FailoverListener;
import dev.logfailover.FailoverSender;
import dev.logfailover.FailoverStatus;
import dev.logfailover.Framing;
import dev.logfailover.OverflowPolicy;
import dev.logfailover.Transport;
import dev.logfailover.internal.concurrent.Ticker;
import dev.logfailover.internal.status.RateLimiter;
import dev.logfailover.internal.status.StatusReportingListener;
import dev.logfailover.internal.status.StatusMBean;
import dev.logfailover.internal.status.StatusSink;
import javax.management.JMException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Ships events to a primary collector over TCP and, when it fails, to the failover servers (SPEC
 * section 2). Each event is encoded on the caller's thread by the configured {@link Encoder} and
 * handed to a bounded queue; a background thread owns the connection, so logging never waits on
 * the network.
 *
 * <p>Every option is taken as text and checked at {@link #start()}: a bad value is reported with
 * {@code addError}, naming the option and the value, and the appender stays stopped. Switches,
 * probe results and drops are reported to Logback's status system, rate-limited (F11).
 *
 * <p>Threading: {@link #append} runs on any logging thread (this is an unsynchronized appender;
 * the encoder must be thread-safe, as Logback's own are); setters run during configuration.
 */
public class FailoverSocketAppender<E> extends UnsynchronizedAppenderBase<E> {
  private static final int STATUS_BURST = 5;
  private static final Duration STATUS_PERIOD = Duration.ofSeconds(30);

  private Encoder<E> encoder;
  private String host;
  private String port;
  private String transport;
  private String framing;
  private String connectTimeout;
  private String writeTimeout;
  private String reconnectDelay;
  private String maxReconnectDelay;
  private String queueSize;
  private String overflowPolicy;
  private String maxBlock;
  private String shutdownTimeout;
  private String keepAlive;
  private String hostnameVerification;
  private SSLConfiguration ssl;
  private FailoverSettings failover;

  /** Refused values found by the current start(); configuration thread only. */
  private int errors;
  private volatile FailoverConfig config;
  private volatile FailoverSender sender;
  private StatusMBean mbean;

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    errors = 0;
    FailoverConfig built = buildConfig();
    if (built == null) {
      addError("[" + getName() + "] not started: fix the errors above");
      return;
    }
    config = built;
    sender = FailoverSender.create(built, statusListener());
    sender.start();
    FailoverSender started = sender;
    try {
      mbean = StatusMBean.register(getName(), started::status);
    } catch (JMException | RuntimeException e) {
      addWarn("[" + getName() + "] cannot publish the status MBean; getStatus() still works", e);
    }
    addInfo("[" + getName() + "] started, sending to " + built.servers() + " in "
        + (built.failback().isPresent() ? "failback" : "round-robin") + " mode");
    super.start();
  }

  /** Reports a refused value the Logback way and remembers that start must fail. */
  private void refuse(ConfigException e) {
    errors++;
    addError("[" + getName() + "] " + e.getMessage());
  }

  private FailoverConfig buildConfig() {
    FailoverConfig.Builder builder = FailoverConfig.builder();
    if (encoder == null) {
      errors++;
      addError("[" + getName() + "] no encoder: add an <encoder> element (e.g. dev.logfailover.logback.Rfc5424Encoder)");
    } else if (!encoder.isStarted()) {
      errors++;
      addError("[" + getName() + "] the encoder did not start: see its errors above");
    }
    apply(() -> builder.host(host == null ? "" : host));
    option(port, text -> builder.port(Endpoint.parsePort("port", text)));
    Transport chosenTransport = Transport.TCP;
    if (transport != null) {
      try {
        chosenTransport = Transport.parse("transport", transport);
        builder.transport(chosenTransport);
      } catch (ConfigException e) {
        refuse(e);
      }
    }
    configureTls(builder, chosenTransport);
    if (framing != null) {
      option(framing, text -> builder.framing(Framing.parse("framing", text)));
    } else {
      builder.framing(encoder instanceof Rfc5424Encoder ? Framing.OCTET_COUNTING : Framing.NEWLINE);
    }
    duration("connectTimeout", connectTimeout, builder::connectTimeout);
    duration("writeTimeout", writeTimeout, builder::writeTimeout);
    duration("reconnectDelay", reconnectDelay, builder::reconnectDelay);
    duration("maxReconnectDelay", maxReconnectDelay, builder::maxReconnectDelay);
    duration("maxBlock", maxBlock, builder::maxBlock);
    duration("shutdownTimeout", shutdownTimeout, builder::shutdownTimeout);
    option(queueSize, text -> builder.queueSize(parseInt("queueSize", text)));
    option(overflowPolicy, text -> builder.overflowPolicy(OverflowPolicy.parse("overflowPolicy", text)));
    option(keepAlive, text -> builder.keepAlive(parseBoolean("keepAlive", text)));
    if (failover != null) {
      if (failover.getServers() != null) {
        failover.getServers().getServers().forEach(server -> apply(() -> builder.addFailoverServer(server)));
      }
      if (failover.getFailback() != null) {
        apply(() -> builder.failback(failback(failover.getFailback())));
      }
    }
    if (errors > 0) {
      return null;
    }
    try {
      return builder.build();
    } catch (ConfigException e) {
      refuse(e);
      return null;
    }
  }

  private void configureTls(FailoverConfig.Builder builder, Transport chosen) {
    if (chosen != Transport.TLS) {
      if (ssl != null) {
        refuse(new ConfigException("transport", chosen, "an <ssl> element is given, so the transport must be 'tls'"));
      }
      if (hostnameVerification != null) {
        refuse(new ConfigException("hostnameVerification", hostnameVerification, "applies only to transport 'tls'"));
      }
      return;
    }
    boolean verify = true;
    if (hostnameVerification != null) {
      try {
        verify = parseBoolean("hostnameVerification", hostnameVerification);
      } catch (ConfigException e) {
        refuse(e);
        return;
      }
    }
    if (!verify) {
      addWarn("[" + getName() + "] hostnameVerification is off: any server with a certificate from a trusted CA "
          + "will be accepted in place of each configured server");
    }
    boolean verifyHostnames = verify;
    apply(() -> builder.tls(LogbackTls.options(ssl, verifyHostnames, this)));
  }

  private static Failback failback(FailbackSettings settings) {
    int probes = settings.getSuccessfulProbesRequired() == null
        ? Failback.DEFAULT_SUCCESSFUL_PROBES_REQUIRED
        : parseInt("successfulProbesRequired", settings.getSuccessfulProbesRequired());
    Duration interval = Failback.DEFAULT_TCP_PROBE_INTERVAL;
    if (settings.getTcpProbeInterval() != null) {
      String text = settings.getTcpProbeInterval();
      interval = Durations.parse("tcpProbeInterval", text);
      if (interval.isZero()) {
        throw new ConfigException("tcpProbeInterval", text, "must be a positive duration");
      }
    }
    return Failback.of(probes, interval);
  }

  private void apply(Runnable step) {
    try {
      step.run();
    } catch (ConfigException e) {
      refuse(e);
    }
  }

  private void option(String text, Consumer<String> step) {
    if (text != null) {
      apply(() -> step.accept(text.trim()));
    }
  }

  private void duration(String option, String text, Consumer<Duration> step) {
    if (text == null) {
      return;
    }
    try {
      step.accept(Durations.parse(option, text));
    } catch (ConfigException e) {
      refuse(e.withValue(text));
    }
  }

  private static int parseInt(String option, String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(option, text, "must be a whole number");
    }
  }

  private static boolean parseBoolean(String option, String text) {
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true": return true;
      case "false": return false;
      default: throw new ConfigException(option, text, "must be 'true' or 'false'");
    }
  }

  private FailoverListener statusListener() {
    StatusSink sink = new StatusSink() {
      @Override
      public void info(String message) {
        addInfo(message);
      }

      @Override
      public void warn(String message, Throwable cause) {
        addWarn(message, cause);
      }

      @Override
      public void error(String message, Throwable cause) {
        addError(message, cause);
      }
    };
    return new StatusReportingListener(getName(), sink, new RateLimiter(Ticker.SYSTEM, STATUS_BURST, STATUS_PERIOD));
  }

  @Override
  protected void append(E event) {
    // Encoding happens here, on the caller's thread, so the event never crosses threads.
    sender.send(encoder.encode(event));
  }

  /** Flushes what is queued, bounded by {@code shutdownTimeout} (F10), and closes every socket. */
  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    sender.stop();
    if (mbean != null) {
      mbean.unregister();
      mbean = null;
    }
    FailoverStatus status = sender.status();
    addInfo("[" + getName() + "] stopped: " + status.eventsSent() + " events sent, " + status.eventsDropped()
        + " dropped");
  }

  /** Where the appender sends and how each server fared; null before the first start. */
  public FailoverStatus getStatus() {
    FailoverSender current = sender;
    return current == null ? null : current.status();
  }

  /** The validated configuration in force; null until started. */
  public FailoverConfig getFailoverConfig() {
    return config;
  }

  public Encoder<E> getEncoder() {
    return encoder;
  }

  public void setEncoder(Encoder<E> encoder) {
    this.encoder = encoder;
  }

  /** The primary server's host name or address (required). */
  public void setHost(String host) {
    this.host = host;
  }

  /** The primary's port, and the default for failover servers; 601 for tcp. */
  public void setPort(String port) {
    this.port = port;
  }

  /** {@code tcp} (default) or {@code tls}; {@code udp} is refused (F8). */
  public void setTransport(String transport) {
    this.transport = transport;
  }

  /** {@code octet-counting} (default with Rfc5424Encoder) or {@code newline} (default otherwise). */
  public void setFraming(String framing) {
    this.framing = framing;
  }

  /** Bound of one connect attempt and one probe; {@code 5 seconds}. */
  public void setConnectTimeout(String connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /** A write without progress this long fails the server; {@code 10 seconds}. */
  public void setWriteTimeout(String writeTimeout) {
    this.writeTimeout = writeTimeout;
  }

  /** Wait after a whole pass over the servers failed, doubling up to maxReconnectDelay; {@code 1 second}. */
  public void setReconnectDelay(String reconnectDelay) {
    this.reconnectDelay = reconnectDelay;
  }

  public void setMaxReconnectDelay(String maxReconnectDelay) {
    this.maxReconnectDelay = maxReconnectDelay;
  }

  /** Events held while sending or disconnected; {@code 8192}. */
  public void setQueueSize(String queueSize) {
    this.queueSize = queueSize;
  }

  /** {@code drop} (default: drop the newest) or {@code block} (wait up to maxBlock, then drop). */
  public void setOverflowPolicy(String overflowPolicy) {
    this.overflowPolicy = overflowPolicy;
  }

  public void setMaxBlock(String maxBlock) {
    this.maxBlock = maxBlock;
  }

  /** Bound of the flush at stop; {@code 5 seconds}. */
  public void setShutdownTimeout(String shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
  }

  public void setKeepAlive(String keepAlive) {
    this.keepAlive = keepAlive;
  }

  /**
   * Whether each server's certificate must match the server's configured name; {@code true} by
   * default. Turning it off is reported as a warning at start.
   */
  public void setHostnameVerification(String hostnameVerification) {
    this.hostnameVerification = hostnameVerification;
  }

  /** Logback's own {@code <ssl>}: key store, trust store, protocol and {@code <parameters>}. */
  public void setSsl(SSLConfiguration ssl) {
    this.ssl = ssl;
  }

  public SSLConfiguration getSsl() {
    return ssl;
  }

  /** The {@code <failover>} element: {@code <servers>} and optional {@code <failback>}. */
  public void setFailover(FailoverSettings failover) {
    this.failover = failover;
  }

  public FailoverSettings getFailover() {
    return failover;
  }
}
