package dev.logfailover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of SPEC section 3 as the user wrote them, turned into a {@link FailoverConfig} with
 * one set of parsers for both frameworks. Adapters only collect the text (Logback setters, Log4j2
 * attributes) and report the outcome in their own idiom; every refused value becomes one {@link
 * ConfigException} naming the option and the value, so that all of them are reported at once.
 *
 * <p>Not thread-safe: fill and parse on the configuring thread.
 */
public final class TextOptions {
  /** Builds the framework's TLS context; called only when the transport is TLS. */
  @FunctionalInterface
  public interface TlsFactory {
    /** @throws ConfigException naming the framework's TLS element when its stores cannot be read */
    TlsOptions create(boolean hostnameVerification);
  }

  /** What parsing gave: a config when there was no error, and warnings worth a status line. */
  public record Parsed(FailoverConfig config, List<ConfigException> errors, List<String> warnings) {
    public boolean isValid() {
      return errors.isEmpty();
    }
  }

  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> failoverServers = new ArrayList<>();
  private boolean failback;
  private String successfulProbesRequired;
  private String tcpProbeInterval;
  private boolean tlsElementGiven;

  /** Records {@code option}'s text; null means not configured. */
  public TextOptions set(String option, String text) {
    if (text != null) {
      values.put(option, text);
    }
    return this;
  }

  public TextOptions addFailoverServer(String server) {
    failoverServers.add(server);
    return this;
  }

  /** Turns on failback mode; null values take their defaults. */
  public TextOptions failback(String successfulProbesRequired, String tcpProbeInterval) {
    this.failback = true;
    this.successfulProbesRequired = successfulProbesRequired;
    this.tcpProbeInterval = tcpProbeInterval;
    return this;
  }

  /** The framework's TLS element (Logback {@code <ssl>}, Log4j2 {@code <Ssl>}) is present. */
  public TextOptions tlsElementGiven(boolean given) {
    this.tlsElementGiven = given;
    return this;
  }

  /**
   * Parses every option, collecting every error.
   *
   * @param defaultFraming the framing when none is configured (octet counting for RFC 5424)
   * @param tls makes the TLS settings when the transport is TLS
   */
  public Parsed parse(Framing defaultFraming, TlsFactory tls) {
    List<ConfigException> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    FailoverConfig.Builder builder = FailoverConfig.builder().framing(defaultFraming);
    apply(errors, () -> builder.host(values.getOrDefault("host", "")));
    text("port", errors, text -> builder.port(Endpoint.parsePort("port", text)));
    Transport transport = Transport.TCP;
    if (values.containsKey("transport")) {
      try {
        transport = Transport.parse("transport", values.get("transport"));
        builder.transport(transport);
      } catch (ConfigException e) {
        errors.add(e);
      }
    }
    text("framing", errors, text -> builder.framing(Framing.parse("framing", text)));
    duration("connectTimeout", errors, builder::connectTimeout);
    duration("writeTimeout", errors, builder::writeTimeout);
    duration("reconnectDelay", errors, builder::reconnectDelay);
    duration("maxReconnectDelay", errors, builder::maxReconnectDelay);
    duration("maxBlock", errors, builder::maxBlock);
    duration("shutdownTimeout", errors, builder::shutdownTimeout);
    text("queueSize", errors, text -> builder.queueSize(parseInt("queueSize", text)));
    text("overflowPolicy", errors, text -> builder.overflowPolicy(OverflowPolicy.parse("overflowPolicy", text)));
    text("keepAlive", errors, text -> builder.keepAlive(parseBoolean("keepAlive", text)));
    for (String server : failoverServers) {
      apply(errors, () -> builder.addFailoverServer(server));
    }
    if (failback) {
      apply(errors, () -> builder.failback(parseFailback()));
    }
    configureTls(transport, builder, tls, errors, warnings);
    if (!errors.isEmpty()) {
      return new Parsed(null, List.copyOf(errors), List.copyOf(warnings));
    }
    try {
      return new Parsed(builder.build(), List.of(), List.copyOf(warnings));
    } catch (ConfigException e) {
      return new Parsed(null, List.of(e), List.copyOf(warnings));
    }
  }

  private void configureTls(Transport transport, FailoverConfig.Builder builder, TlsFactory tls,
      List<ConfigException> errors, List<String> warnings) {
    String verification = values.get("hostnameVerification");
    if (transport != Transport.TLS) {
      if (tlsElementGiven) {
        errors.add(new ConfigException("transport", transport, "a TLS element is given, so the transport must be 'tls'"));
      }
      if (verification != null) {
        errors.add(new ConfigException("hostnameVerification", verification, "applies only to transport 'tls'"));
      }
      return;
    }
    boolean verify = true;
    if (verification != null) {
      try {
        verify = parseBoolean("hostnameVerification", verification);
      } catch (ConfigException e) {
        errors.add(e);
        return;
      }
    }
    if (!verify) {
      warnings.add("hostnameVerification is off: any server with a certificate from a trusted CA will be "
          + "accepted in place of each configured server");
    }
    boolean verifyHostnames = verify;
    apply(errors, () -> builder.tls(tls.create(verifyHostnames)));
  }

  private Failback parseFailback() {
    int probes = successfulProbesRequired == null
        ? Failback.DEFAULT_SUCCESSFUL_PROBES_REQUIRED
        : parseInt("successfulProbesRequired", successfulProbesRequired);
    Duration interval = Failback.DEFAULT_TCP_PROBE_INTERVAL;
    if (tcpProbeInterval != null) {
      interval = Durations.parse("tcpProbeInterval", tcpProbeInterval);
      if (interval.isZero()) {
        throw new ConfigException("tcpProbeInterval", tcpProbeInterval, "must be a positive duration");
      }
    }
    return Failback.of(probes, interval);
  }

  private static void apply(List<ConfigException> errors, Runnable step) {
    try {
      step.run();
    } catch (ConfigException e) {
      errors.add(e);
    }
  }

  private void text(String option, List<ConfigException> errors, java.util.function.Consumer<String> step) {
    String text = values.get(option);
    if (text != null) {
      apply(errors, () -> step.accept(text.trim()));
    }
  }

  /** Parses a duration; a refusal by the builder names the text as written, not "PT0S". */
  private void duration(String option, List<ConfigException> errors, java.util.function.Consumer<Duration> step) {
    String text = values.get(option);
    if (text == null) {
      return;
    }
    try {
      step.accept(Durations.parse(option, text));
    } catch (ConfigException e) {
      errors.add(e.withValue(text));
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
}
