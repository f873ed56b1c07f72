package dev.logfailover;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration parser shared by the Logback and Log4j2 appenders, so that {@code 10s} means ten
 * seconds in both (Logback's own {@code Duration.valueOf("10s")} is ten milliseconds).
 *
 * <p>Accepted: {@code 500 milliseconds}, {@code 10 seconds}, {@code 2 minutes}, {@code 1 hour},
 * {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, decimals such as {@code 1.5 seconds}, and a
 * bare number, which means seconds as in syslog-ng.
 */
public final class Durations {
  private static final Pattern DURATION =
      Pattern.compile("([+-]?[0-9]+(?:\\.[0-9]+)?)\\s*([a-z]*)");

  private Durations() {}

  /**
   * Parses {@code text}; negative values are refused here, zero is left to the option's own check.
   *
   * @throws ConfigException naming {@code option} and {@code text}
   */
  public static Duration parse(String option, String text) {
    if (text == null || text.isBlank()) {
      throw new ConfigException(option, text == null ? "" : text, "a duration is required");
    }
    Matcher matcher = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw new ConfigException(option, text, "expected a number and a unit, e.g. '10 seconds' or '500ms'");
    }
    BigDecimal amount = new BigDecimal(matcher.group(1));
    if (amount.signum() < 0) {
      throw new ConfigException(option, text, "a duration cannot be negative");
    }
    long nanosPerUnit = nanosPerUnit(option, text, matcher.group(2));
    try {
      return Duration.ofNanos(amount.multiply(BigDecimal.valueOf(nanosPerUnit)).longValueExact());
    } catch (ArithmeticException e) {
      throw new ConfigException(option, text, "the duration is too large or finer than a nanosecond");
    }
  }

  private static long nanosPerUnit(String option, String text, String unit) {
    switch (unit) {
      case "ms": case "milli": case "millis": case "millisecond": case "milliseconds":
        return 1_000_000L;
      case "": case "s": case "sec": case "secs": case "second": case "seconds":
        return 1_000_000_000L;
      case "m": case "min": case "mins": case "minute": case "minutes":
        return 60_000_000_000L;
      case "h": case "hour": case "hours":
        return 3_600_000_000_000L;
      default:
        throw new ConfigException(option, text,
            "unknown unit '" + unit + "'; use milliseconds (ms), seconds (s), minutes (m) or hours (h)");
    }
  }

  /** Returns {@code value} if positive; otherwise refuses it, naming {@code option}. */
  static Duration requirePositive(String option, Duration value) {
    Objects.requireNonNull(value, option);
    if (value.isNegative() || value.isZero()) {
      throw new ConfigException(option, value, "must be a positive duration");
    }
    return value;
  }

  /** Returns {@code value} unless negative; otherwise refuses it, naming {@code option}. */
  static Duration requireNotNegative(String option, Duration value) {
    Objects.requireNonNull(value, option);
    if (value.isNegative()) {
      throw new ConfigException(option, value, "must not be negative");
    }
    return value;
  }
}
