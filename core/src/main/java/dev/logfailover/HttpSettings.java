package dev.logfailover;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How batches go to HTTP collectors (transport {@code http} or {@code https}, SPEC F16): the path
 * every server shares, the headers, the body's format and compression, and what bounds a batch.
 * Immutable; {@link #toString()} names the headers but never shows their values, which are often
 * secrets (tokens).
 */
public final class HttpSettings {
  /** An HTTP header name (RFC 9110 token). */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /**
   * Header fields the appender writes itself, from the server, the body and its options; given as
   * headers too they would contradict them (two lengths, say) and the request would be refused.
   */
  private static final Set<String> OWN_FIELDS = Set.of("host", "content-length", "transfer-encoding", "connection",
      "content-type", "content-encoding", "expect", "upgrade", "te", "trailer", "keep-alive");

  /** How the events of a batch make its body. */
  public enum BatchFormat {
    /** Each encoded event followed by LF (NDJSON when the events are JSON). */
    LINES("lines", "application/x-ndjson"),
    /** A JSON array of the events, which must each be a JSON value. */
    JSON_ARRAY("json-array", "application/json");

    private final String configName;
    private final String contentType;

    BatchFormat(String configName, String contentType) {
      this.configName = configName;
      this.contentType = contentType;
    }

    public static BatchFormat parse(String option, String text) {
      for (BatchFormat format : values()) {
        if (format.configName.equals(text.trim().toLowerCase(Locale.ROOT))) {
          return format;
        }
      }
      throw new ConfigException(option, text, "expected 'lines' or 'json-array'");
    }

    @Override
    public String toString() {
      return configName;
    }
  }

  /** Whether the body is compressed ({@code Content-Encoding}). */
  public enum Compression {
    NONE, GZIP;

    public static Compression parse(String option, String text) {
      switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "none": return NONE;
        case "gzip": return GZIP;
        default: throw new ConfigException(option, text, "expected 'none' or 'gzip'");
      }
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final String path;
  private final Map<String, String> headers;
  private final BatchFormat batchFormat;
  private final String contentType;
  private final Compression compression;
  private final int maxBatchEvents;
  private final long maxBatchBytes;
  private final Duration lingerTime;

  private HttpSettings(Builder builder) {
    this.path = builder.path;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(builder.headers));
    this.batchFormat = builder.batchFormat;
    this.contentType = builder.contentType;
    this.compression = builder.compression;
    this.maxBatchEvents = builder.maxBatchEvents;
    this.maxBatchBytes = builder.maxBatchBytes;
    this.lingerTime = builder.lingerTime;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static HttpSettings defaults() {
    return builder().build();
  }

  /** The request path every server shares; {@code /} by default. */
  public String path() {
    return path;
  }

  /** The headers every request carries, in configuration order. */
  public Map<String, String> headers() {
    return headers;
  }

  public BatchFormat batchFormat() {
    return batchFormat;
  }

  /** As configured, or the batch format's: {@code application/x-ndjson} or {@code application/json}. */
  public String contentType() {
    return Optional.ofNullable(contentType).orElse(batchFormat.contentType);
  }

  public Compression compression() {
    return compression;
  }

  public int maxBatchEvents() {
    return maxBatchEvents;
  }

  /** Bytes of events in one request body, before compression. */
  public long maxBatchBytes() {
    return maxBatchBytes;
  }

  /** How long a request waits for more events to fill its batch; zero by default. */
  public Duration lingerTime() {
    return lingerTime;
  }

  /** The header names only: their values are often secrets. */
  @Override
  public String toString() {
    return "HttpSettings{path=" + path + ", headers=" + headers.keySet() + ", batchFormat=" + batchFormat
        + ", contentType=" + contentType() + ", compression=" + compression + ", maxBatchEvents=" + maxBatchEvents
        + ", maxBatchBytes=" + maxBatchBytes + ", lingerTime=" + lingerTime + "}";
  }

  /** Not thread-safe; build on one thread. Setters validate at once. */
  public static final class Builder {
    private String path = "/";
    private final Map<String, String> headers = new LinkedHashMap<>();
    private BatchFormat batchFormat = BatchFormat.LINES;
    private String contentType;
    private Compression compression = Compression.NONE;
    private int maxBatchEvents = 1000;
    private long maxBatchBytes = 1L << 20;
    private Duration lingerTime = Duration.ZERO;

    private Builder() {}

    public Builder path(String path) {
      String trimmed = Objects.requireNonNull(path, "path").trim();
      if (!trimmed.startsWith("/") || trimmed.chars().anyMatch(c -> c <= ' ' || c == '#')) {
        throw new ConfigException("path", path, "must start with '/' and hold no spaces or '#'");
      }
      this.path = trimmed;
      return this;
    }

    /** Adds a header; the value is kept out of every message, the name is not. */
    public Builder header(String name, String value) {
      if (name == null || !TOKEN.matcher(name.trim()).matches()) {
        throw new ConfigException("header", name == null ? "" : name, "is not a valid HTTP header name");
      }
      if (value == null || value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
        // The value is a secret: only the header's name appears in the message.
        throw new ConfigException("header", name, "needs a value on one line");
      }
      if (OWN_FIELDS.contains(name.trim().toLowerCase(Locale.ROOT))) {
        throw new ConfigException("header", name, "is written by the appender itself (Content-Type: use contentType;"
            + " Content-Encoding: use compression)");
      }
      if (headers.keySet().stream().anyMatch(existing -> existing.equalsIgnoreCase(name.trim()))) {
        throw new ConfigException("header", name, "is given twice");
      }
      headers.put(name.trim(), value.trim());
      return this;
    }

    public Builder batchFormat(BatchFormat batchFormat) {
      this.batchFormat = Objects.requireNonNull(batchFormat, "batchFormat");
      return this;
    }

    public Builder contentType(String contentType) {
      if (contentType == null || contentType.isBlank() || contentType.chars().anyMatch(c -> c == '\r' || c == '\n')) {
        throw new ConfigException("contentType", contentType == null ? "" : contentType, "must be a media type");
      }
      this.contentType = contentType.trim();
      return this;
    }

    public Builder compression(Compression compression) {
      this.compression = Objects.requireNonNull(compression, "compression");
      return this;
    }

    public Builder maxBatchEvents(int maxBatchEvents) {
      this.maxBatchEvents = ConfigException.requirePositive("maxBatchEvents", maxBatchEvents);
      return this;
    }

    public Builder maxBatchBytes(long maxBatchBytes) {
      this.maxBatchBytes = ConfigException.requirePositive("maxBatchBytes", maxBatchBytes);
      return this;
    }

    public Builder lingerTime(Duration lingerTime) {
      this.lingerTime = Durations.requireNotNegative("lingerTime", lingerTime);
      return this;
    }

    public HttpSettings build() {
      return new HttpSettings(this);
    }
  }
}
