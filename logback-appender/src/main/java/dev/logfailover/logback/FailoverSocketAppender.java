package dev.logfailover.logback;

import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.net.ssl.SSLConfiguration;
import dev.logfailover.FailoverConfig;
import dev.logfailover.FailoverListener;
import dev.logfailover.FailoverSender;
import dev.logfailover.FailoverStatus;
import dev.logfailover.Framing;
import dev.logfailover.TextOptions;
import dev.logfailover.internal.status.StatusMBean;
import dev.logfailover.internal.status.StatusReportingListener;
import dev.logfailover.internal.status.StatusSink;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.JMException;

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
  private Encoder<E> encoder;
  /** Options as written, by their SPEC names; parsed at start by {@link TextOptions}. */
  private final Map<String, String> options = new LinkedHashMap<>();
  private SSLConfiguration ssl;
  private FailoverSettings failover;

  private volatile FailoverConfig config;
  private volatile FailoverSender sender;
  private StatusMBean mbean;

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    FailoverConfig built = buildConfig();
    if (built == null) {
      addError(prefix() + "not started: fix the errors above");
      return;
    }
    config = built;
    sender = FailoverSender.create(built, statusListener());
    sender.start();
    FailoverSender started = sender;
    try {
      mbean = StatusMBean.register(getName(), started::status);
    } catch (JMException | RuntimeException e) {
      addWarn(prefix() + "cannot publish the status MBean; getStatus() still works", e);
    }
    addInfo(prefix() + "started, sending to " + built.servers() + " in "
        + (built.failback().isPresent() ? "failback" : "round-robin") + " mode");
    super.start();
  }

  private String prefix() {
    return "[" + getName() + "] ";
  }

  /** Parses every option with the shared parsers; reports each refusal and returns null if any. */
  private FailoverConfig buildConfig() {
    boolean encoderReady = true;
    if (encoder == null) {
      encoderReady = false;
      addError(prefix() + "no encoder: add an <encoder> element (e.g. dev.logfailover.logback.Rfc5424Encoder)");
    } else if (!encoder.isStarted()) {
      encoderReady = false;
      addError(prefix() + "the encoder did not start: see its errors above");
    }
    TextOptions text = new TextOptions().tlsElementGiven(ssl != null);
    options.forEach(text::set);
    if (failover != null) {
      if (failover.getServers() != null) {
        failover.getServers().getServers().forEach(text::addFailoverServer);
      }
      FailbackSettings failback = failover.getFailback();
      if (failback != null) {
        text.failback(failback.getSuccessfulProbesRequired(), failback.getTcpProbeInterval());
      }
    }
    Framing defaultFraming = encoder instanceof Rfc5424Encoder ? Framing.OCTET_COUNTING : Framing.NEWLINE;
    TextOptions.Parsed parsed = text.parse(defaultFraming, verify -> LogbackTls.options(ssl, verify, this));
    parsed.warnings().forEach(warning -> addWarn(prefix() + warning));
    parsed.errors().forEach(error -> addError(prefix() + error.getMessage()));
    return encoderReady && parsed.isValid() ? parsed.config() : null;
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
    return StatusReportingListener.forAppender(getName(), sink);
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
    options.put("host", host);
  }

  /** The primary's port, and the default for failover servers; 601 for tcp. */
  public void setPort(String port) {
    options.put("port", port);
  }

  /** {@code tcp} (default) or {@code tls}; {@code udp} is refused (F8). */
  public void setTransport(String transport) {
    options.put("transport", transport);
  }

  /** {@code octet-counting} (default with Rfc5424Encoder) or {@code newline} (default otherwise). */
  public void setFraming(String framing) {
    options.put("framing", framing);
  }

  /** Bound of one connect attempt and one probe; {@code 5 seconds}. */
  public void setConnectTimeout(String connectTimeout) {
    options.put("connectTimeout", connectTimeout);
  }

  /** A write without progress this long fails the server; {@code 10 seconds}. */
  public void setWriteTimeout(String writeTimeout) {
    options.put("writeTimeout", writeTimeout);
  }

  /** Wait after a whole pass over the servers failed, doubling up to maxReconnectDelay; {@code 1 second}. */
  public void setReconnectDelay(String reconnectDelay) {
    options.put("reconnectDelay", reconnectDelay);
  }

  public void setMaxReconnectDelay(String maxReconnectDelay) {
    options.put("maxReconnectDelay", maxReconnectDelay);
  }

  /** Events held while sending or disconnected; {@code 8192}. */
  public void setQueueSize(String queueSize) {
    options.put("queueSize", queueSize);
  }

  /** {@code drop} (default: drop the newest) or {@code block} (wait up to maxBlock, then drop). */
  public void setOverflowPolicy(String overflowPolicy) {
    options.put("overflowPolicy", overflowPolicy);
  }

  public void setMaxBlock(String maxBlock) {
    options.put("maxBlock", maxBlock);
  }

  /** Bound of the flush at stop; {@code 5 seconds}. */
  public void setShutdownTimeout(String shutdownTimeout) {
    options.put("shutdownTimeout", shutdownTimeout);
  }

  public void setKeepAlive(String keepAlive) {
    options.put("keepAlive", keepAlive);
  }

  /**
   * Whether each server's certificate must match the server's configured name; {@code true} by
   * default. Turning it off is reported as a warning at start.
   */
  public void setHostnameVerification(String hostnameVerification) {
    options.put("hostnameVerification", hostnameVerification);
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
