package dev.logfailover;

import java.util.Locale;

/** How records are delimited on the stream (RFC 6587). */
public enum Framing {
  /** {@code LEN SP MSG}, LEN being the byte length of MSG; a record may contain any byte. */
  OCTET_COUNTING("octet-counting"),
  /** LF ends a record; CR and LF inside a record are written as {@code \r} and {@code \n}. */
  NEWLINE("newline");

  private final String configName;

  Framing(String configName) {
    this.configName = configName;
  }

  public static Framing parse(String option, String text) {
    String name = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (Framing framing : values()) {
      if (framing.configName.equals(name)) {
        return framing;
      }
    }
    throw new ConfigException(option, text, "expected 'octet-counting' or 'newline'");
  }

  @Override
  public String toString() {
    return configName;
  }
}
