package dev.logfailover;

/**
 * A configuration value that logfailover refuses. The message always names the option and the
 * value, so that an adapter can report it as it is and keep the appender stopped.
 */
public final class ConfigException extends IllegalArgumentException {
  private final String option;
  private final String value;
  private final String reason;

  public ConfigException(String option, Object value, String reason) {
    super("Invalid value '" + value + "' for option '" + option + "': " + reason);
    this.option = option;
    this.value = String.valueOf(value);
    this.reason = reason;
  }

  /** Returns {@code value} if it is positive; otherwise refuses it, naming {@code option}. */
  public static int requirePositive(String option, int value) {
    if (value < 1) {
      throw new ConfigException(option, value, "must be a positive integer");
    }
    return value;
  }

  /** Returns {@code value} if it is positive; otherwise refuses it, naming {@code option}. */
  public static long requirePositive(String option, long value) {
    if (value < 1) {
      throw new ConfigException(option, value, "must be positive");
    }
    return value;
  }

  /** Returns {@code value} if it is from 1 to {@code max}; otherwise refuses it, naming {@code option}. */
  public static long requireBetweenOneAnd(String option, long value, long max) {
    if (value > max) {
      throw new ConfigException(option, value, "must be at most " + max);
    }
    return requirePositive(option, value);
  }

  /** Why the value is refused, without the option and value. */
  public String reason() {
    return reason;
  }

  /** The same refusal, naming the value as the user wrote it (e.g. "0s" rather than "PT0S"). */
  public ConfigException withValue(String userText) {
    return new ConfigException(option, userText, reason);
  }

  /** The option's name as written in logback.xml and log4j2.xml, e.g. {@code connectTimeout}. */
  public String option() {
    return option;
  }

  /** The refused value as the user wrote it. */
  public String value() {
    return value;
  }
}
