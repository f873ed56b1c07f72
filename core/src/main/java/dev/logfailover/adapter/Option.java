package dev.logfailover.adapter;

import dev.logfailover.ConfigException;
import dev.logfailover.Durations;
import dev.logfailover.Endpoint;
import dev.logfailover.FailoverConfig;
import dev.logfailover.Framing;
import dev.logfailover.HttpSettings;
import dev.logfailover.OverflowPolicy;
import dev.logfailover.Sizes;
import dev.logfailover.SpillSettings;
import dev.logfailover.Transport;
import java.util.Locale;

/**
 * Every option an appender takes as a single value (SPEC section 3), in one list: its name in
 * logback.xml and log4j2.xml, its default as the README states it, what it means, and how its text
 * goes into a {@link FailoverConfig.Builder}. Both adapters are checked against this list by tests
 * (a Logback setter and a Log4j2 attribute for each), and so is the README's option table.
 *
 * <p>Nested elements (the failover servers, {@code failback}, the TLS element) are not single
 * values; {@link TextOptions} takes them separately.
 */
public enum Option {
  HOST("host", "required", "primary server (name or address)", (builder, option, text) -> builder.host(text)),
  PORT("port", "601 (tcp), 6514 (tls), 2514 (relp, relp-tls), 80 (http), 443 (https)",
      "primary port; default for failover servers",
      (builder, option, text) -> builder.port(Endpoint.parsePort(option, text))),
  TRANSPORT("transport", "`tcp`", "`tcp`, `tls`, `relp`, `relp-tls`, `http` or `https`; `udp` is refused (F8)",
      (builder, option, text) -> builder.transport(Transport.parse(option, text))),
  FRAMING("framing", "`octet-counting` with an RFC 5424 encoder or layout, else `newline`",
      "RFC 6587 octet counting (`LEN SP MSG`) or LF-terminated",
      (builder, option, text) -> builder.framing(Framing.parse(option, text))),
  CONNECT_TIMEOUT("connectTimeout", "`5 seconds`", "bound on one connect attempt and one probe",
      (builder, option, text) -> builder.connectTimeout(Durations.parse(option, text))),
  WRITE_TIMEOUT("writeTimeout", "`10 seconds`",
      "a write that makes no progress this long fails the server; so does a RELP acknowledgement or a whole HTTP response not there this long after its write",
      (builder, option, text) -> builder.writeTimeout(Durations.parse(option, text))),
  RECONNECT_DELAY("reconnectDelay", "`1 second`", "wait after a whole pass over the list failed",
      (builder, option, text) -> builder.reconnectDelay(Durations.parse(option, text))),
  MAX_RECONNECT_DELAY("maxReconnectDelay", "`30 seconds`", "cap of the doubling",
      (builder, option, text) -> builder.maxReconnectDelay(Durations.parse(option, text))),
  QUEUE_SIZE("queueSize", "`8192`", "events held while sending or disconnected",
      (builder, option, text) -> builder.queueSize(parseInt(option, text))),
  MAX_QUEUE_BYTES("maxQueueBytes", "`32 MiB`",
      "bytes held in the queue (F13); whichever of `queueSize` and this is reached first applies",
      (builder, option, text) -> builder.maxQueueBytes(Sizes.parse(option, text))),
  MAX_RECORD_SIZE("maxRecordSize", "`1 MiB`",
      "a larger encoded event is dropped, counted as `oversized` and reported with its size (F13)",
      (builder, option, text) -> builder.maxRecordSize(Sizes.parse(option, text))),
  OVERFLOW_POLICY("overflowPolicy", "`drop`",
      "`drop` (the newest) or `block` (the caller, at most `maxBlock`, then drop)",
      (builder, option, text) -> builder.overflowPolicy(OverflowPolicy.parse(option, text))),
  MAX_BLOCK("maxBlock", "`1 second`", "with `block`: the longest wait for the caller",
      (builder, option, text) -> builder.maxBlock(Durations.parse(option, text))),
  SHUTDOWN_TIMEOUT("shutdownTimeout", "`5 seconds`", "bound of the flush at stop",
      (builder, option, text) -> builder.shutdownTimeout(Durations.parse(option, text))),
  KEEP_ALIVE("keepAlive", "`true`", "SO_KEEPALIVE on every connection (`true` or `false`)",
      (builder, option, text) -> builder.keepAlive(parseBoolean(option, text))),
  RELP_WINDOW_SIZE("relpWindowSize", "`128`", "with `relp` and `relp-tls`: the most events unacknowledged at a time, 1 to 65,536 (F15)",
      (builder, option, text) -> builder.relpWindowSize(parseInt(option, text))),
  PATH("path", "`/`", "with `http(s)`: the request path every server shares (F16)",
      (builder, option, text) -> builder.http().path(text)),
  BATCH_FORMAT("batchFormat", "`lines`", "with `http(s)`: `lines` (each event, then LF) or `json-array`",
      (builder, option, text) -> builder.http().batchFormat(HttpSettings.BatchFormat.parse(option, text))),
  CONTENT_TYPE("contentType", "by `batchFormat`",
      "with `http(s)`: `application/x-ndjson` for `lines`, `application/json` for `json-array`",
      (builder, option, text) -> builder.http().contentType(text)),
  COMPRESSION("compression", "`none`", "with `http(s)`: `none` or `gzip` (the request body)",
      (builder, option, text) -> builder.http().compression(HttpSettings.Compression.parse(option, text))),
  MAX_BATCH_EVENTS("maxBatchEvents", "`1000`", "with `http(s)`: the most events in one request",
      (builder, option, text) -> builder.http().maxBatchEvents(parseInt(option, text))),
  MAX_BATCH_BYTES("maxBatchBytes", "`1 MiB`", "with `http(s)`: the most bytes of events in one request, before compression",
      (builder, option, text) -> builder.http().maxBatchBytes(Sizes.parse(option, text))),
  LINGER_TIME("lingerTime", "`0`", "with `http(s)`: how long a request waits for more events to fill it",
      (builder, option, text) -> builder.http().lingerTime(Durations.parse(option, text))),
  SPILL_DIRECTORY("spillDirectory", "none (off)",
      "durable spill (F17): events the queue cannot hold go to files in a sub-directory named after the appender",
      (builder, option, text) -> builder.spill().directory(text)),
  MAX_SPILL_SIZE("maxSpillSize", "`256 MiB`", "with `spillDirectory`: the most disk the spill uses; beyond it the newest are dropped (counted)",
      (builder, option, text) -> builder.spill().maxSize(Sizes.parse(option, text))),
  SPILL_SYNC("spillSync", "`none`", "with `spillDirectory`: `none` or `always` (force every spill write to the device)",
      (builder, option, text) -> builder.spill().sync(SpillSettings.Sync.parse(option, text))),
  /** Read by {@link TextOptions} with the TLS element, since it only applies to TLS. */
  HOSTNAME_VERIFICATION("hostnameVerification", "`true`",
      "with `tls`, `relp-tls` or `https`: check each server's certificate against its own name; `false` is warned at start (refused with `https`)", null);

  private final String configName;
  private final String defaultText;
  private final String description;
  private final Applier apply;

  Option(String configName, String defaultText, String description, Applier apply) {
    this.configName = configName;
    this.defaultText = defaultText;
    this.description = description;
    this.apply = apply;
  }

  /** The name in logback.xml and log4j2.xml, e.g. {@code connectTimeout}. */
  public String configName() {
    return configName;
  }

  /** The default as the README's option table writes it. */
  public String defaultText() {
    return defaultText;
  }

  /** The README's one-line meaning. */
  public String description() {
    return description;
  }

  /**
   * Sets {@code text} (trimmed) on {@code builder}.
   *
   * @throws ConfigException naming this option and the text as written
   */
  void applyTo(FailoverConfig.Builder builder, String text) {
    try {
      apply.apply(builder, configName, text.trim());
    } catch (ConfigException e) {
      // A builder names a parsed value ("PT0S"); the user wrote text ("0s").
      throw e.option().equals(configName) ? e.withValue(text) : e;
    }
  }

  /** True for the options {@link TextOptions} applies in its main pass. */
  boolean isPlain() {
    return apply != null;
  }

  /** Parses an option's text into the builder; throws a {@link ConfigException} naming {@code option}. */
  @FunctionalInterface
  private interface Applier {
    void apply(FailoverConfig.Builder builder, String option, String text);
  }

  static int parseInt(String option, String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(option, text, "must be a whole number");
    }
  }

  static boolean parseBoolean(String option, String text) {
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true": return true;
      case "false": return false;
      default: throw new ConfigException(option, text, "must be 'true' or 'false'");
    }
  }
}
