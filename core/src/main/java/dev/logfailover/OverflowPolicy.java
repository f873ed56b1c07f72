package dev.logfailover;

import java.util.Locale;

/** What happens to an event when the queue is full (F9). Either way every drop is counted. */
public enum OverflowPolicy {
  /** Drop the newest event at once; the caller never waits. */
  DROP("drop"),
  /** Make the caller wait for room, at most {@code maxBlock}, then drop. */
  BLOCK("block");

  private final String configName;

  OverflowPolicy(String configName) {
    this.configName = configName;
  }

  public static OverflowPolicy parse(String option, String text) {
    String name = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (OverflowPolicy policy : values()) {
      if (policy.configName.equals(name)) {
        return policy;
      }
    }
    throw new ConfigException(option, text, "expected 'drop' or 'block'");
  }

  @Override
  public String toString() {
    return configName;
  }
}
