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
  private final Transport transport;
  private final Framing framing;
  private final Duration connectTimeout;
  private final Duration writeTimeout;
  private final Duration reconnectDelay;
  private final Duration maxReconnectDelay;
  private final int queueSize;
  private final OverflowPolicy overflowPolicy;
  private final Duration maxBlock;
  private final Duration shutdownTimeout;
  private final boolean keepAlive;
  private final int relpWindowSize;
  private final Failback failback;
  private final HostResolver resolver;
  private final TlsOptions tls;

  private FailoverConfig(Builder builder, List<Endpoint> servers) {
    this.servers = List.copyOf(servers);
    this.transport = builder.transport;
    this.framing = builder.framing;
    this.connectTimeout = builder.connectTimeout;
    this.writeTimeout = builder.writeTimeout;
    this.reconnectDelay = builder.reconnectDelay;
    this.maxReconnectDelay = builder.maxReconnectDelay;
    this.queueSize = builder.queueSize;
    this.overflowPolicy = builder.overflowPolicy;
    this.maxBlock = builder.maxBlock;
    this.shutdownTimeout = builder.shutdownTimeout;
    this.keepAlive = builder.keepAlive;
    this.relpWindowSize = builder.relpWindowSize != null ? builder.relpWindowSize : 128;
    this.failback = builder.failback;
    this.resolver = builder.resolver;
    this.tls = builder.transport.usesTls()
        ? (builder.tls != null ? builder.tls : TlsOptions.defaults())
        : null;
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
    return transport;
  }

  public Framing framing() {
    return framing;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration writeTimeout() {
    return writeTimeout;
  }

  public Duration reconnectDelay() {
    return reconnectDelay;
  }

  public Duration maxReconnectDelay() {
    return maxReconnectDelay;
  }

  public int queueSize() {
    return queueSize;
  }

  public OverflowPolicy overflowPolicy() {
    return overflowPolicy;
  }

  public Duration maxBlock() {
    return maxBlock;
  }

  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  public boolean keepAlive() {
    return keepAlive;
  }

  /** With RELP: the most events unacknowledged at a time (F15). */
  public int relpWindowSize() {
    return relpWindowSize;
  }

  /** Present in failback mode (F6), empty in round-robin mode (F5). */
  public Optional<Failback> failback() {
    return Optional.ofNullable(failback);
  }

  public HostResolver resolver() {
    return resolver;
  }

  /** Present when the transport is TLS: the given options, or the JVM's defaults. */
  public Optional<TlsOptions> tls() {
    return Optional.ofNullable(tls);
  }

  @Override
  public String toString() {
    return "FailoverConfig{servers=" + servers + ", transport=" + transport + ", framing=" + framing
        + ", connectTimeout=" + connectTimeout + ", writeTimeout=" + writeTimeout
        + ", reconnectDelay=" + reconnectDelay + ", maxReconnectDelay=" + maxReconnectDelay
        + ", queueSize=" + queueSize + ", overflowPolicy=" + overflowPolicy + ", maxBlock=" + maxBlock
        + ", shutdownTimeout=" + shutdownTimeout + ", keepAlive=" + keepAlive
        + (transport.isRelp() ? ", relpWindowSize=" + relpWindowSize : "")
        + ", failback=" + failback + (tls == null ? "" : ", tls=" + tls) + "}";
  }

  /** Not thread-safe; build on one thread. Setters validate at once. */
  public static final class Builder {
    private String host;
    private Integer port;
    private final List<String> failoverServers = new ArrayList<>();
    private Transport transport = Transport.TCP;
    private Framing framing = Framing.NEWLINE;
    // The defaults of SPEC section 3 (and of the README's option table, dev.logfailover.adapter.Option).
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration writeTimeout = Duration.ofSeconds(10);
    private Duration reconnectDelay = Duration.ofSeconds(1);
    private Duration maxReconnectDelay = Duration.ofSeconds(30);
    private int queueSize = 8192;
    private OverflowPolicy overflowPolicy = OverflowPolicy.DROP;
    private Duration maxBlock = Duration.ofSeconds(1);
    private Duration shutdownTimeout = Duration.ofSeconds(5);
    private boolean keepAlive = true;
    private Integer relpWindowSize;
    private Failback failback;
    private HostResolver resolver = HostResolver.SYSTEM;
    private TlsOptions tls;

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
      Durations.requirePositive("connectTimeout", connectTimeout);
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder writeTimeout(Duration writeTimeout) {
      Durations.requirePositive("writeTimeout", writeTimeout);
      this.writeTimeout = writeTimeout;
      return this;
    }

    public Builder reconnectDelay(Duration reconnectDelay) {
      Durations.requirePositive("reconnectDelay", reconnectDelay);
      this.reconnectDelay = reconnectDelay;
      return this;
    }

    public Builder maxReconnectDelay(Duration maxReconnectDelay) {
      Durations.requirePositive("maxReconnectDelay", maxReconnectDelay);
      this.maxReconnectDelay = maxReconnectDelay;
      return this;
    }

    public Builder queueSize(int queueSize) {
      this.queueSize = ConfigException.requirePositive("queueSize", queueSize);
      return this;
    }

    public Builder overflowPolicy(OverflowPolicy overflowPolicy) {
      this.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
      return this;
    }

    public Builder maxBlock(Duration maxBlock) {
      Durations.requireNotNegative("maxBlock", maxBlock);
      this.maxBlock = maxBlock;
      return this;
    }

    public Builder shutdownTimeout(Duration shutdownTimeout) {
      Durations.requireNotNegative("shutdownTimeout", shutdownTimeout);
      this.shutdownTimeout = shutdownTimeout;
      return this;
    }

    public Builder keepAlive(boolean keepAlive) {
      this.keepAlive = keepAlive;
      return this;
    }

    /** With {@code relp} and {@code relp-tls}: the most events unacknowledged at a time; 128. */
    public Builder relpWindowSize(int relpWindowSize) {
      this.relpWindowSize = ConfigException.requirePositive("relpWindowSize", relpWindowSize);
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

    /** @throws ConfigException when an option is missing or options contradict each other */
    public FailoverConfig build() {
      if (host == null) {
        throw new ConfigException("host", "", "the primary server's host is required");
      }
      if (tls != null && !transport.usesTls()) {
        throw new ConfigException("transport", transport,
            "TLS settings are given, so the transport must be 'tls' or 'relp-tls'");
      }
      if (relpWindowSize != null && !transport.isRelp()) {
        throw new ConfigException("relpWindowSize", relpWindowSize, "applies only to transport 'relp' or 'relp-tls'");
      }
      List<Endpoint> servers = Endpoint.serverList(host, port != null ? port : transport.defaultPort(),
          failoverServers);
      if (failback != null && servers.size() == 1) {
        throw new ConfigException("failback", failback,
            "failback needs at least one failover server to fall back from");
      }
      if (maxReconnectDelay.compareTo(reconnectDelay) < 0) {
        throw new ConfigException("maxReconnectDelay", maxReconnectDelay,
            "must not be less than reconnectDelay (" + reconnectDelay + ")");
      }
      return new FailoverConfig(this, servers);
    }
  }
}
