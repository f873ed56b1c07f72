package dev.logfailover.logback;

/**
 * One {@code <header>} of the appender, for {@code http} and {@code https}: {@code <name>} and
 * {@code <value>}. The value is often a secret (a token): it never appears in a message.
 *
 * <p>Not thread-safe: Joran fills it during configuration.
 */
public class HttpHeader {
  private String name;
  private String value;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  /** The name only. */
  @Override
  public String toString() {
    return "HttpHeader{" + name + "}";
  }
}
