package dev.logfailover.adapter;

import dev.logfailover.ConfigException;
import dev.logfailover.Durations;
import dev.logfailover.Failback;
import dev.logfailover.FailoverConfig;
import dev.logfailover.Framing;
import dev.logfailover.TlsOptions;
import dev.logfailover.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
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

  private static final java.util.regex.Pattern UNRESOLVED_LOG4J2 = java.util.regex.Pattern.compile("\\$\\{[^}]*}");

  private final Map<Option, String> values = new EnumMap<>(Option.class);
  private final List<String> failoverServers = new ArrayList<>();
  /** HTTP headers as given, name then value; the values are secrets. */
  private final List<String[]> headers = new ArrayList<>();
  private boolean failback;
  private String successfulProbesRequired;
  private String tcpProbeInterval;
  private boolean tlsElementGiven;

  /** Records {@code option}'s text; null means not configured. */
  public TextOptions set(Option option, String text) {
    if (text != null) {
      values.put(option, text);
    }
    return this;
  }

  public TextOptions addFailoverServer(String server) {
    failoverServers.add(server);
    return this;
  }

  /** Adds an HTTP header (transport {@code http} or {@code https}); its value never appears in a message. */
  public TextOptions addHeader(String name, String value) {
    headers.add(new String[] {name, value});
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
   * @param rfc5424 whether the encoder or layout writes RFC 5424, which makes octet counting the
   *     default framing (SPEC section 3); newline framing otherwise
   * @param tls makes the TLS settings when the transport is TLS
   */
  public Parsed parse(boolean rfc5424, TlsFactory tls) {
    List<ConfigException> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    FailoverConfig.Builder builder = FailoverConfig.builder()
        .framing(rfc5424 ? Framing.OCTET_COUNTING : Framing.NEWLINE);
    for (Option option : Option.values()) {
      String text = option == Option.HOST ? values.getOrDefault(option, "") : values.get(option);
      if (isUnresolvedPlaceholder(text)) {
        errors.add(unresolvedPlaceholder(option.configName(), text));
      } else if (option.isPlain() && text != null) {
        apply(errors, () -> option.applyTo(builder, text));
      }
    }
    for (String server : failoverServers) {
      if (isUnresolvedPlaceholder(server)) {
        errors.add(unresolvedPlaceholder("server", server));
      } else {
        apply(errors, () -> builder.addFailoverServer(server));
      }
    }
    for (String[] header : headers) {
      apply(errors, () -> builder.http().header(header[0], header[1]));
    }
    if (failback) {
      apply(errors, () -> builder.failback(parseFailback()));
    }
    configureTls(transport(), builder, tls, errors, warnings);
    if (!errors.isEmpty()) {
      return new Parsed(null, List.copyOf(errors), List.copyOf(warnings));
    }
    try {
      return new Parsed(builder.build(), List.of(), List.copyOf(warnings));
    } catch (ConfigException e) {
      return new Parsed(null, List.of(e), List.copyOf(warnings));
    }
  }

  /**
   * A value the framework could not substitute: Log4j2 leaves {@code ${spring:collector.host}} as
   * written, Logback writes {@code collectorHost_IS_UNDEFINED}. Taken as a host, it would be a
   * server that fails at run time for ever; it is a configuration error instead.
   */
  private static boolean isUnresolvedPlaceholder(String text) {
    return text != null && (UNRESOLVED_LOG4J2.matcher(text).find() || text.contains("_IS_UNDEFINED"));
  }

  private static ConfigException unresolvedPlaceholder(String option, String text) {
    return new ConfigException(option, text, "an unresolved property placeholder: the property it names has no"
        + " value where the configuration is read (in Spring Boot, is it in the application's properties?)");
  }

  /** The transport as configured; a refused one is reported by the main pass, and TLS is not set up. */
  private Transport transport() {
    try {
      return values.containsKey(Option.TRANSPORT)
          ? Transport.parse(Option.TRANSPORT.configName(), values.get(Option.TRANSPORT)) : Transport.TCP;
    } catch (ConfigException e) {
      return null;
    }
  }

  private void configureTls(Transport transport, FailoverConfig.Builder builder, TlsFactory tls,
      List<ConfigException> errors, List<String> warnings) {
    String verification = values.get(Option.HOSTNAME_VERIFICATION);
    if (transport == null) {
      return;
    }
    if (transport.isAcknowledged() && values.containsKey(Option.FRAMING)) {
      errors.add(new ConfigException("framing", values.get(Option.FRAMING),
          "applies only to transport 'tcp' or 'tls': RELP and HTTP frame each event themselves"));
    }
    if (!transport.usesTls()) {
      if (tlsElementGiven) {
        errors.add(new ConfigException("transport", transport,
            "a TLS element is given, so the transport must be 'tls', 'relp-tls' or 'https'"));
      }
      if (verification != null) {
        errors.add(new ConfigException("hostnameVerification", verification,
            "applies only to transport 'tls', 'relp-tls' or 'https'"));
      }
      return;
    }
    boolean verify = true;
    if (verification != null) {
      try {
        verify = Option.parseBoolean("hostnameVerification", verification);
      } catch (ConfigException e) {
        errors.add(e);
        return;
      }
    }
    if (!verify && transport.isHttp()) {
      errors.add(new ConfigException("hostnameVerification", verification,
          "cannot be turned off with 'https': each HTTP server is always verified against its own name"));
      return;
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
        : Option.parseInt("successfulProbesRequired", successfulProbesRequired);
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
}
