package dev.logfailover.logback;

import dev.logfailover.ConfigException;
import java.util.Locale;

/** Syslog facilities (RFC 5424 section 6.2.1), by the names syslog-ng and rsyslog use. */
public enum Facility {
  KERN, USER, MAIL, DAEMON, AUTH, SYSLOG, LPR, NEWS, UUCP, CRON, AUTHPRIV, FTP, NTP, AUDIT, ALERT, CLOCK,
  LOCAL0, LOCAL1, LOCAL2, LOCAL3, LOCAL4, LOCAL5, LOCAL6, LOCAL7;

  /** The facility's code, 0-23. */
  public int code() {
    return ordinal();
  }

  public static Facility parse(String option, String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException(option, text, "expected a syslog facility such as USER, DAEMON or LOCAL0-LOCAL7");
    }
  }
}
