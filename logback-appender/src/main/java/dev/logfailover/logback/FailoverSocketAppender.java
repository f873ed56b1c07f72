package dev.logfailover.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.net.ssl.SSLConfiguration;
import dev.logfailover.FailoverConfig;
import dev.logfailover.FailoverStatus;
import dev.logfailover.adapter.AppenderEngine;
import dev.logfailover.adapter.Option;
import dev.logfailover.adapter.StatusSink;
import dev.logfailover.adapter.TextOptions;
import java.util.EnumMap;
import java.util.Map;

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
  /** Options as written; parsed at start by {@link TextOptions}. */
  private final Map<Option, String> options = new EnumMap<>(Option.class);
  private SSLConfiguration ssl;
  private FailoverSettings failover;
  private final java.util.List<HttpHeader> headers = new java.util.ArrayList<>();

  /** With Logback's PatternLayoutEncoder: its pattern, laid out without a builder per event; else null. */
  private ReusingPatternLayout reusingLayout;
  private volatile AppenderEngine engine;

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
    reusingLayout = ReusingPatternLayout.twinOf(encoder);
    AppenderEngine started = AppenderEngine.create(getName(), built, statusSink());
    // What the appender this one replaces could not deliver goes first (see Backlogs).
    started.start(Backlogs.claim(getContext(), getName()));
    engine = started;
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
    headers.forEach(header -> text.addHeader(header.getName(), header.getValue()));
    if (failover != null) {
      if (failover.getServers() != null) {
        failover.getServers().getServers().forEach(text::addFailoverServer);
      }
      FailbackSettings failback = failover.getFailback();
      if (failback != null) {
        text.failback(failback.getSuccessfulProbesRequired(), failback.getTcpProbeInterval());
      }
    }
    TextOptions.Parsed parsed = text.parse(encoder instanceof Rfc5424Encoder,
        verify -> LogbackTls.options(ssl, verify, this));
    parsed.warnings().forEach(warning -> addWarn(prefix() + warning));
    parsed.errors().forEach(error -> addError(prefix() + error.getMessage()));
    return encoderReady && parsed.isValid() ? parsed.config() : null;
  }

  private StatusSink statusSink() {
    return new StatusSink() {
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
  }

  @Override
  protected void append(E event) {
    // Encoding happens here, on the caller's thread, so the event never crosses threads.
    ReusingPatternLayout layout = reusingLayout;
    // A PatternLayoutEncoder is an Encoder<ILoggingEvent>: E is ILoggingEvent when there is a layout.
    engine.send(layout != null ? layout.encode((ILoggingEvent) event) : encoder.encode(event));
  }

  /**
   * Flushes what is queued, bounded by {@code shutdownTimeout} (F10), and closes every socket.
   * When the context is being reset (a reconfiguration), what the flush cannot deliver is kept for
   * the appender of the same name that it starts next ({@link Backlogs}); if the context stops
   * instead, it is dropped and reported then. A stop of this appender alone counts it as dropped. The engine stops first: an event logged during the flush still reaches it
   * and is counted as dropped (F9), where a stopped Logback appender would refuse it uncounted.
   */
  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    if (Backlogs.canKeep(getContext())) {
      Backlogs.park(getContext(), getName(), engine.stopKeepingUndelivered());
    } else {
      engine.stop();
    }
    if (reusingLayout != null) {
      reusingLayout.stop();
    }
    super.stop();
  }

  /** Where the appender sends and how each server fared; null before the first start, as in Log4j2. */
  public FailoverStatus getStatus() {
    AppenderEngine current = engine;
    return current == null ? null : current.status();
  }

  /** The validated configuration in force; null until started. */
  public FailoverConfig getFailoverConfig() {
    AppenderEngine current = engine;
    return current == null ? null : current.config();
  }

  public Encoder<E> getEncoder() {
    return encoder;
  }

  public void setEncoder(Encoder<E> encoder) {
    this.encoder = encoder;
  }

  private void set(Option option, String text) {
    options.put(option, text);
  }

  // One setter per Option, named after it: Joran finds options by their setters. OptionsTest checks
  // that none is missing.

  /** The primary server's host name or address (required). */
  public void setHost(String host) {
    set(Option.HOST, host);
  }

  /** The primary's port, and the default for failover servers; 601 for tcp. */
  public void setPort(String port) {
    set(Option.PORT, port);
  }

  /** {@code tcp} (default), {@code tls}, {@code relp} or {@code relp-tls}; {@code udp} is refused (F8). */
  public void setTransport(String transport) {
    set(Option.TRANSPORT, transport);
  }

  /** {@code octet-counting} (default with Rfc5424Encoder) or {@code newline} (default otherwise). */
  public void setFraming(String framing) {
    set(Option.FRAMING, framing);
  }

  /** Bound of one connect attempt and one probe; {@code 5 seconds}. */
  public void setConnectTimeout(String connectTimeout) {
    set(Option.CONNECT_TIMEOUT, connectTimeout);
  }

  /** A write without progress this long fails the server; {@code 10 seconds}. */
  public void setWriteTimeout(String writeTimeout) {
    set(Option.WRITE_TIMEOUT, writeTimeout);
  }

  /** Wait after a whole pass over the servers failed, doubling up to maxReconnectDelay; {@code 1 second}. */
  public void setReconnectDelay(String reconnectDelay) {
    set(Option.RECONNECT_DELAY, reconnectDelay);
  }

  public void setMaxReconnectDelay(String maxReconnectDelay) {
    set(Option.MAX_RECONNECT_DELAY, maxReconnectDelay);
  }

  /** Events held while sending or disconnected; {@code 8192}. */
  public void setQueueSize(String queueSize) {
    set(Option.QUEUE_SIZE, queueSize);
  }

  /** Bytes the queue may hold, e.g. {@code 32 MiB} (the default); with queueSize, the first reached applies. */
  public void setMaxQueueBytes(String maxQueueBytes) {
    set(Option.MAX_QUEUE_BYTES, maxQueueBytes);
  }

  /** A larger encoded event is dropped and counted as oversized; {@code 1 MiB}. */
  public void setMaxRecordSize(String maxRecordSize) {
    set(Option.MAX_RECORD_SIZE, maxRecordSize);
  }

  /** {@code drop} (default: drop the newest) or {@code block} (wait up to maxBlock, then drop). */
  public void setOverflowPolicy(String overflowPolicy) {
    set(Option.OVERFLOW_POLICY, overflowPolicy);
  }

  public void setMaxBlock(String maxBlock) {
    set(Option.MAX_BLOCK, maxBlock);
  }

  /** Bound of the flush at stop; {@code 5 seconds}. */
  public void setShutdownTimeout(String shutdownTimeout) {
    set(Option.SHUTDOWN_TIMEOUT, shutdownTimeout);
  }

  public void setKeepAlive(String keepAlive) {
    set(Option.KEEP_ALIVE, keepAlive);
  }

  /** With {@code relp}: the most events unacknowledged at a time; {@code 128}. */
  public void setRelpWindowSize(String relpWindowSize) {
    set(Option.RELP_WINDOW_SIZE, relpWindowSize);
  }

  /** The request path every {@code http(s)} server shares; {@code /}. */
  public void setPath(String path) {
    set(Option.PATH, path);
  }

  /** With {@code http(s)}: {@code lines} (the default) or {@code json-array}. */
  public void setBatchFormat(String batchFormat) {
    set(Option.BATCH_FORMAT, batchFormat);
  }

  /** With {@code http(s)}: the requests' media type; by default the batch format's. */
  public void setContentType(String contentType) {
    set(Option.CONTENT_TYPE, contentType);
  }

  /** With {@code http(s)}: {@code none} (the default) or {@code gzip}. */
  public void setCompression(String compression) {
    set(Option.COMPRESSION, compression);
  }

  /** With {@code http(s)}: the most events in one request; {@code 1000}. */
  public void setMaxBatchEvents(String maxBatchEvents) {
    set(Option.MAX_BATCH_EVENTS, maxBatchEvents);
  }

  /** With {@code http(s)}: the most bytes of events in one request; {@code 1 MiB}. */
  public void setMaxBatchBytes(String maxBatchBytes) {
    set(Option.MAX_BATCH_BYTES, maxBatchBytes);
  }

  /** With {@code http(s)}: how long a request waits for more events; {@code 0}. */
  public void setLingerTime(String lingerTime) {
    set(Option.LINGER_TIME, lingerTime);
  }

  /** The durable spill's directory (F17); off when not given. */
  public void setSpillDirectory(String spillDirectory) {
    set(Option.SPILL_DIRECTORY, spillDirectory);
  }

  /** With {@code spillDirectory}: the most disk it uses; {@code 256 MiB}. */
  public void setMaxSpillSize(String maxSpillSize) {
    set(Option.MAX_SPILL_SIZE, maxSpillSize);
  }

  /** With {@code spillDirectory}: {@code none} or {@code always}. */
  public void setSpillSync(String spillSync) {
    set(Option.SPILL_SYNC, spillSync);
  }

  /** An HTTP header ({@code <header><name>..</name><value>..</value></header>}); repeatable. */
  public void addHeader(HttpHeader header) {
    headers.add(header);
  }

  /**
   * Whether each server's certificate must match the server's configured name; {@code true} by
   * default. Turning it off is reported as a warning at start.
   */
  public void setHostnameVerification(String hostnameVerification) {
    set(Option.HOSTNAME_VERIFICATION, hostnameVerification);
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
