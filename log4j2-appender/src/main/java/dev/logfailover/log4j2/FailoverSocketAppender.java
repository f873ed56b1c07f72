package dev.logfailover.log4j2;

import dev.logfailover.ConfigException;
import dev.logfailover.FailoverConfig;
import dev.logfailover.FailoverStatus;
import dev.logfailover.adapter.AppenderEngine;
import dev.logfailover.adapter.Option;
import dev.logfailover.adapter.TextOptions;
import java.io.Serializable;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;
import org.apache.logging.log4j.core.config.plugins.PluginElement;
import org.apache.logging.log4j.core.layout.Rfc5424Layout;
import org.apache.logging.log4j.core.util.Constants;
import org.apache.logging.log4j.core.net.ssl.SslConfiguration;

/**
 * The {@code <FailoverSocket>} appender: ships events to a primary collector over TCP or TLS and,
 * when it fails, to the failover servers (SPEC section 2), on the same engine as the Logback
 * appender. Each event is laid out on the calling thread into bytes, so nothing mutable (the
 * message, ThreadContext, a reused event of the async loggers) crosses to the sender thread; the
 * bytes go to a bounded queue and logging never waits on the network.
 *
 * <p>Threading: {@link #append} runs on any logging thread; lifecycle calls come from Log4j2's
 * configuration thread.
 */
@Plugin(name = "FailoverSocket", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE, printObject = true)
public final class FailoverSocketAppender extends AbstractAppender {
  private final FailoverConfig config;
  private final FailoverSocketManager manager;
  /** This appender's own engine: after a reload its status still tells what this appender did. */
  private volatile AppenderEngine engine;

  private FailoverSocketAppender(String name, Filter filter, Layout<? extends Serializable> layout,
      boolean ignoreExceptions, Property[] properties, FailoverConfig config, FailoverSocketManager manager) {
    super(name, filter, layout, ignoreExceptions, properties);
    this.config = config;
    this.manager = manager;
  }

  @PluginBuilderFactory
  public static Builder newBuilder() {
    return new Builder();
  }

  @Override
  public void start() {
    setStarting();
    engine = manager.install(config);
    super.start();
  }

  @Override
  public void append(LogEvent event) {
    // Garbage-free layouts encode into the thread's reusable buffer, which the queue copies from:
    // nothing is allocated per event. Where Log4j2 turns thread-locals off (web applications),
    // so do we, and the layout makes an array per event.
    if (Constants.ENABLE_THREADLOCALS) {
      RecordBuffer buffer = RecordBuffer.forThisThread();
      buffer.layOut(getLayout(), event);
      manager.send(buffer.array(), buffer.length());
    } else {
      byte[] record = getLayout().toByteArray(event);
      manager.send(record, record.length);
    }
  }

  /** Leaves the engine to this name's next appender, or flushes it if there is none (F10). */
  @Override
  public boolean stop(long timeout, TimeUnit timeUnit) {
    setStopping();
    boolean stopped = super.stop(timeout, timeUnit, false);
    stopped &= manager.stop(timeout, timeUnit);
    setStopped();
    return stopped;
  }

  /**
   * Where the appender sends and how each server fared (SPEC section 5), counted since this
   * appender started; null before start, as in Logback. After a reload, the earlier appender's
   * status stays what it was when it handed its work over.
   */
  public FailoverStatus getStatus() {
    AppenderEngine started = engine;
    return started == null ? null : started.status();
  }

  /** The validated configuration this appender was built with. */
  public FailoverConfig getFailoverConfig() {
    return config;
  }

  /**
   * Takes every option as text and checks it with the parsers the Logback appender uses; a bad
   * value is a StatusLogger error naming the option and the value, and no appender is made.
   *
   * <p>One attribute field per {@link Option}, named after it, with the public setter Log4j2's
   * annotation processor requires: Log4j2 injects attributes by field name, and {@link #optionText}
   * reads them back the same way, so no option is written a third time. OptionsTest checks that
   * none is missing.
   */
  public static final class Builder extends AbstractAppender.Builder<Builder>
      implements org.apache.logging.log4j.core.util.Builder<FailoverSocketAppender> {
    @PluginBuilderAttribute private String host;
    @PluginBuilderAttribute private String port;
    @PluginBuilderAttribute private String transport;
    @PluginBuilderAttribute private String framing;
    @PluginBuilderAttribute private String connectTimeout;
    @PluginBuilderAttribute private String writeTimeout;
    @PluginBuilderAttribute private String reconnectDelay;
    @PluginBuilderAttribute private String maxReconnectDelay;
    @PluginBuilderAttribute private String queueSize;
    @PluginBuilderAttribute private String maxQueueBytes;
    @PluginBuilderAttribute private String maxRecordSize;
    @PluginBuilderAttribute private String overflowPolicy;
    @PluginBuilderAttribute private String maxBlock;
    @PluginBuilderAttribute private String shutdownTimeout;
    @PluginBuilderAttribute private String keepAlive;
    @PluginBuilderAttribute private String relpWindowSize;
    @PluginBuilderAttribute private String path;
    @PluginBuilderAttribute private String batchFormat;
    @PluginBuilderAttribute private String contentType;
    @PluginBuilderAttribute private String compression;
    @PluginBuilderAttribute private String maxBatchEvents;
    @PluginBuilderAttribute private String maxBatchBytes;
    @PluginBuilderAttribute private String lingerTime;
    @PluginBuilderAttribute private String spillDirectory;
    @PluginBuilderAttribute private String maxSpillSize;
    @PluginBuilderAttribute private String spillSync;
    @PluginBuilderAttribute private String hostnameVerification;
    @PluginElement("Servers") private ServerList servers;
    @PluginElement("Failback") private FailbackElement failback;
    @PluginElement("Ssl") private SslConfiguration ssl;

    @Override
    public FailoverSocketAppender build() {
      String prefix = "[" + getName() + "] ";
      Layout<? extends Serializable> layout = getLayout();
      if (layout == null) {
        LOGGER.error("{}no layout: add one, e.g. <Rfc5424Layout/>, <PatternLayout/> or <JsonTemplateLayout/>", prefix);
      }
      TextOptions text = new TextOptions().tlsElementGiven(ssl != null);
      for (Option option : Option.values()) {
        text.set(option, optionText(option));
      }
      if (servers != null) {
        servers.servers().forEach(server -> text.addFailoverServer(server.asText()));
      }
      if (failback != null) {
        text.failback(failback.successfulProbesRequired(), failback.tcpProbeInterval());
      }
      // Log4j2's own <Property name= value=> children are the HTTP headers, as in its Http appender.
      if (getPropertyArray() != null) {
        for (Property property : getPropertyArray()) {
          text.addHeader(property.getName(), property.getValue());
        }
      }
      TextOptions.Parsed parsed = text.parse(layout instanceof Rfc5424Layout, verify -> Log4j2Tls.options(ssl, verify));
      parsed.warnings().forEach(warning -> LOGGER.warn("{}{}", prefix, warning));
      for (ConfigException error : parsed.errors()) {
        LOGGER.error("{}{}", prefix, error.getMessage());
      }
      if (layout == null || !parsed.isValid()) {
        LOGGER.error("{}FailoverSocket appender not created: fix the errors above", prefix);
        return null;
      }
      FailoverSocketManager manager = FailoverSocketManager.forAppender(
          getConfiguration() == null ? null : getConfiguration().getLoggerContext(), getName());
      return new FailoverSocketAppender(getName(), getFilter(), layout, isIgnoreExceptions(), getPropertyArray(),
          parsed.config(), manager);
    }

    /** The attribute of {@code option} as written in log4j2.xml, or null. */
    String optionText(Option option) {
      try {
        return (String) Builder.class.getDeclaredField(option.configName()).get(this);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("the builder has no attribute for option " + option.configName(), e);
      }
    }

    public Builder setHost(String host) {
      this.host = host;
      return this;
    }

    public Builder setPort(String port) {
      this.port = port;
      return this;
    }

    public Builder setTransport(String transport) {
      this.transport = transport;
      return this;
    }

    public Builder setFraming(String framing) {
      this.framing = framing;
      return this;
    }

    public Builder setConnectTimeout(String connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder setWriteTimeout(String writeTimeout) {
      this.writeTimeout = writeTimeout;
      return this;
    }

    public Builder setReconnectDelay(String reconnectDelay) {
      this.reconnectDelay = reconnectDelay;
      return this;
    }

    public Builder setMaxReconnectDelay(String maxReconnectDelay) {
      this.maxReconnectDelay = maxReconnectDelay;
      return this;
    }

    public Builder setQueueSize(String queueSize) {
      this.queueSize = queueSize;
      return this;
    }

    public Builder setMaxQueueBytes(String maxQueueBytes) {
      this.maxQueueBytes = maxQueueBytes;
      return this;
    }

    public Builder setMaxRecordSize(String maxRecordSize) {
      this.maxRecordSize = maxRecordSize;
      return this;
    }

    public Builder setOverflowPolicy(String overflowPolicy) {
      this.overflowPolicy = overflowPolicy;
      return this;
    }

    public Builder setMaxBlock(String maxBlock) {
      this.maxBlock = maxBlock;
      return this;
    }

    public Builder setShutdownTimeout(String shutdownTimeout) {
      this.shutdownTimeout = shutdownTimeout;
      return this;
    }

    public Builder setKeepAlive(String keepAlive) {
      this.keepAlive = keepAlive;
      return this;
    }

    public Builder setRelpWindowSize(String relpWindowSize) {
      this.relpWindowSize = relpWindowSize;
      return this;
    }

    public Builder setPath(String path) {
      this.path = path;
      return this;
    }

    public Builder setBatchFormat(String batchFormat) {
      this.batchFormat = batchFormat;
      return this;
    }

    public Builder setContentType(String contentType) {
      this.contentType = contentType;
      return this;
    }

    public Builder setCompression(String compression) {
      this.compression = compression;
      return this;
    }

    public Builder setMaxBatchEvents(String maxBatchEvents) {
      this.maxBatchEvents = maxBatchEvents;
      return this;
    }

    public Builder setMaxBatchBytes(String maxBatchBytes) {
      this.maxBatchBytes = maxBatchBytes;
      return this;
    }

    public Builder setLingerTime(String lingerTime) {
      this.lingerTime = lingerTime;
      return this;
    }

    public Builder setSpillDirectory(String spillDirectory) {
      this.spillDirectory = spillDirectory;
      return this;
    }

    public Builder setMaxSpillSize(String maxSpillSize) {
      this.maxSpillSize = maxSpillSize;
      return this;
    }

    public Builder setSpillSync(String spillSync) {
      this.spillSync = spillSync;
      return this;
    }

    public Builder setHostnameVerification(String hostnameVerification) {
      this.hostnameVerification = hostnameVerification;
      return this;
    }

    public Builder setServers(ServerList servers) {
      this.servers = servers;
      return this;
    }

    public Builder setFailback(FailbackElement failback) {
      this.failback = failback;
      return this;
    }

    public Builder setSsl(SslConfiguration ssl) {
      this.ssl = ssl;
      return this;
    }
  }
}
