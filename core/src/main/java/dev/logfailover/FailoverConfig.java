package dev.logfailover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one appender's failover engine needs (SPEC section 3), immutable and validated. Build
 * it with {@link #builder()}; every setter checks its value at once and throws a {@link
 * ConfigException} naming the option and the value, and {@link Builder#build()} checks the rules
 * that tie options together.
 */
public final class FailoverConfig {
  private final List<Endpoint> servers;
  /** A private snapshot of the builder's validated values; nothing else ever sees it. */
  private final Builder values;
  private final TlsOptions tls;
  private final HttpSettings http;
  private final SpillSettings spill;

  private FailoverConfig(Builder values, List<Endpoint> servers) {
    this.servers = List.copyOf(servers);
    this.values = values;
    this.tls = values.transport.usesTls() ? (values.tls != null ? values.tls : TlsOptions.defaults()) : null;
    this.http = values.transport.isHttp() ? (values.http != null ? values.http.build() : HttpSettings.defaults()) : null;
    this.spill = values.spill == null ? null : values.spill.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The primary and then the failover servers, in configuration order; never empty. */
  public List<Endpoint> servers() {
    return servers;
  }

  public Endpoint primary() {
    return servers.get(0);
  }

  public Transport transport() {
    return values.transport;
  }

  public Framing framing() {
    return values.framing;
  }

  public Duration connectTimeout() {
    return values.connectTimeout;
  }

  public Duration writeTimeout() {
    return values.writeTimeout;
  }

  public Duration reconnectDelay() {
    return values.reconnectDelay;
  }

  public Duration maxReconnectDelay() {
    return values.maxReconnectDelay;
  }

  public int queueSize() {
    return values.queueSize;
  }

  /** Bytes the queue may hold (F13); with {@link #queueSize()}, whichever is reached first applies. */
  public long maxQueueBytes() {
    return values.maxQueueBytes;
  }

  /** An event encoded larger than this is dropped and counted as oversized (F13). */
  public int maxRecordSize() {
    return values.maxRecordSize;
  }

  public OverflowPolicy overflowPolicy() {
    return values.overflowPolicy;
  }

  public Duration maxBlock() {
    return values.maxBlock;
  }

  public Duration shutdownTimeout() {
    return values.shutdownTimeout;
  }

  public boolean keepAlive() {
    return values.keepAlive;
  }

  /** With RELP: the most events unacknowledged at a time (F15); 128 by default. */
  public int relpWindowSize() {
    return Optional.ofNullable(values.relpWindowSize).orElse(128);
  }

  /** Present in failback mode (F6), empty in round-robin mode (F5). */
  public Optional<Failback> failback() {
    return Optional.ofNullable(values.failback);
  }

  public HostResolver resolver() {
    return values.resolver;
  }

  /** Present when the transport is TLS: the given options, or the JVM's defaults. */
  public Optional<TlsOptions> tls() {
    return Optional.ofNullable(tls);
  }

  /** Present when the transport is HTTP: the given settings, or the defaults (F16). */
  public Optional<HttpSettings> http() {
    return Optional.ofNullable(http);
  }

  /** Present when {@code spillDirectory} is set (F17); without it events the queue cannot hold are dropped. */
  public Optional<SpillSettings> spill() {
    return Optional.ofNullable(spill);
  }

  /** The servers, the transport and the modes; no key material, no header value. */
  @Override
  public String toString() {
    return "FailoverConfig{servers=" + servers + ", transport=" + values.transport + ", framing=" + values.framing
        + ", failback=" + values.failback + (tls == null ? "" : ", tls=" + tls) + (http == null ? "" : ", " + http)
        + (spill == null ? "" : ", " + spill) + "}";
  }

  /** Not thread-safe; build on one thread. Setters validate at once. */
  public static final class Builder implements Cloneable {
    private String host;
    private Integer port;
    private List<String> failoverServers = new ArrayList<>();
    private Transport transport = Transport.TCP;
    private Framing framing = Framing.NEWLINE;
    // The defaults of SPEC section 3 (and of the README's option table, dev.logfailover.adapter.Option).
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration writeTimeout = Duration.ofSeconds(10);
    private Duration reconnectDelay = Duration.ofSeconds(1);
    private Duration maxReconnectDelay = Duration.ofSeconds(30);
    private int queueSize = 8192;
    private long maxQueueBytes = 32L << 20;
    private int maxRecordSize = 1 << 20;
    private OverflowPolicy overflowPolicy = OverflowPolicy.DROP;
    private Duration maxBlock = Duration.ofSeconds(1);
    private Duration shutdownTimeout = Duration.ofSeconds(5);
    private boolean keepAlive = true;
    private Integer relpWindowSize;
    private Failback failback;
    private HostResolver resolver = HostResolver.SYSTEM;
    private TlsOptions tls;
    /** Made when an HTTP setting is first given; built with the config. */
    private HttpSettings.Builder http;
    /** Made when a spill setting is first given; built with the config. */
    private SpillSettings.Builder spill;

    private Builder() {}

    /** The primary server's host name or address (required). */
    public Builder host(String host) {
      Endpoint.of("host", host, 1);
      this.host = host.trim();
      return this;
    }

    /** The primary's port, and the port of every failover server that names none (F2). */
    public Builder port(int port) {
      Endpoint.of("port", "placeholder", port);
      this.port = port;
      return this;
    }

    /** Adds a failover server: {@code host}, {@code host:port} or {@code [v6addr]:port}. */
    public Builder addFailoverServer(String server) {
      Endpoint.parse("server", server, 1);
      failoverServers.add(server.trim());
      return this;
    }

    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    public Builder framing(Framing framing) {
      this.framing = Objects.requireNonNull(framing, "framing");
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Durations.requirePositive("connectTimeout", connectTimeout);
      return this;
    }

    public Builder writeTimeout(Duration writeTimeout) {
      this.writeTimeout = Durations.requirePositive("writeTimeout", writeTimeout);
      return this;
    }

    public Builder reconnectDelay(Duration reconnectDelay) {
      this.reconnectDelay = Durations.requirePositive("reconnectDelay", reconnectDelay);
      return this;
    }

    public Builder maxReconnectDelay(Duration maxReconnectDelay) {
      this.maxReconnectDelay = Durations.requirePositive("maxReconnectDelay", maxReconnectDelay);
      return this;
    }

    public Builder queueSize(int queueSize) {
      // The queue counts records and bytes in one word (RecordQueue): 23 bits for the records.
      this.queueSize = (int) ConfigException.requireBetweenOneAnd("queueSize", queueSize, (1 << 23) - 1);
      return this;
    }

    public Builder maxQueueBytes(long maxQueueBytes) {
      // The queue is one array of bytes (RecordQueue), which also holds room for the largest record.
      if (maxQueueBytes > 1L << 30) {
        throw new ConfigException("maxQueueBytes", maxQueueBytes, "must be at most 1 GiB");
      }
      this.maxQueueBytes = ConfigException.requirePositive("maxQueueBytes", maxQueueBytes);
      return this;
    }

    public Builder maxRecordSize(long maxRecordSize) {
      if (maxRecordSize > 1L << 30) {
        throw new ConfigException("maxRecordSize", maxRecordSize, "must be at most 1 GiB");
      }
      this.maxRecordSize = (int) ConfigException.requirePositive("maxRecordSize", maxRecordSize);
      return this;
    }

    public Builder overflowPolicy(OverflowPolicy overflowPolicy) {
      this.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
      return this;
    }

    public Builder maxBlock(Duration maxBlock) {
      this.maxBlock = Durations.requireNotNegative("maxBlock", maxBlock);
      return this;
    }

    public Builder shutdownTimeout(Duration shutdownTimeout) {
      this.shutdownTimeout = Durations.requireNotNegative("shutdownTimeout", shutdownTimeout);
      return this;
    }

    public Builder keepAlive(boolean keepAlive) {
      this.keepAlive = keepAlive;
      return this;
    }

    /**
     * With {@code relp} and {@code relp-tls}: the most events unacknowledged at a time; 128, at most
     * 65,536 (a session keeps a slot per event of its window).
     */
    public Builder relpWindowSize(int relpWindowSize) {
      this.relpWindowSize = (int) ConfigException.requireBetweenOneAnd("relpWindowSize", relpWindowSize, 65_536);
      return this;
    }

    /** Turns on failback mode (F6); {@code null} means round-robin mode (F5). */
    public Builder failback(Failback failback) {
      this.failback = failback;
      return this;
    }

    /** The resolver used at every attempt and probe; the JDK's by default. */
    public Builder resolver(HostResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** TLS settings, used when the transport is TLS; without them the JVM's defaults apply. */
    public Builder tls(TlsOptions tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /** The durable spill's settings (F17), made on first use: set its directory on what this returns. */
    public SpillSettings.Builder spill() {
      if (spill == null) {
        spill = SpillSettings.builder();
      }
      return spill;
    }

    /** The HTTP settings (F16), made on first use: set them on what this returns. */
    public HttpSettings.Builder http() {
      if (http == null) {
        http = HttpSettings.builder();
      }
      return http;
    }

    /** @throws ConfigException when an option is missing or options contradict each other */
    public FailoverConfig build() {
      if (host == null) {
        throw new ConfigException("host", "", "the primary server's host is required");
      }
      List<Endpoint> servers = Endpoint.serverList(host, port != null ? port : transport.defaultPort(),
          failoverServers);
      CrossOptionRules.check(transport, tls != null, relpWindowSize, http != null, failback, servers.size());
      CrossOptionRules.checkBounds(maxRecordSize, maxQueueBytes, reconnectDelay, maxReconnectDelay);
      if (spill != null) {
        spill.build();
      }
      return new FailoverConfig(snapshot(), servers);
    }

    /** A copy no caller holds, so that the config stays as built whatever happens to this builder. */
    private Builder snapshot() {
      try {
        Builder copy = (Builder) clone();
        copy.failoverServers = List.copyOf(failoverServers);
        return copy;
      } catch (CloneNotSupportedException e) {
        throw new AssertionError("a Builder is Cloneable", e);
      }
    }
  }
}
