package dev.logfailover;

/**
 * A configuration value that logfailover refuses. The message always names the option and the
 * value, so that an adapter can report it as it is and keep the appender stopped.
 */
public final class ConfigException extends IllegalArgumentException {
  private final String option;
  private final String value;

  public ConfigException(String option, Object value, String reason) {
    super("Invalid value '" + value + "' for option '" + option + "': " + reason);
    this.option = option;
    this.value = String.valueOf(value);
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
