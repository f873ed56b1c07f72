package dev.logfailover.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Encodes an event as a BSD syslog message (RFC 3164): {@code <PRI>Mmm dd hh:mm:ss HOSTNAME
 * TAG[PID]: MSG}, the day padded with a space. TAG is the application name, letters and digits
 * only, at most 32. Thread-safe once started.
 */
public class Rfc3164Encoder extends SyslogEncoderBase {
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

  @Override
  public byte[] encode(ILoggingEvent event) {
    StringBuilder record = new StringBuilder(256)
        .append('<').append(priority(event)).append('>')
        .append(TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp()).atZone(getZone()))).append(' ')
        .append(headerField(getHostname(), 255)).append(' ')
        .append(tag(getAppName())).append('[').append(processId).append("]: ")
        .append(messageWithStackTrace(event));
    return utf8(record);
  }

  private static String tag(String appName) {
    StringBuilder tag = new StringBuilder();
    for (int i = 0; i < appName.length() && tag.length() < 32; i++) {
      char c = appName.charAt(i);
      tag.append(Character.isLetterOrDigit(c) && c < 128 ? c : '_');
    }
    return tag.length() == 0 ? "java" : tag.toString();
  }
}
