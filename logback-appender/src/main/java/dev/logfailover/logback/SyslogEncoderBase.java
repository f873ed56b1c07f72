package dev.logfailover.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.logfailover.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;

/**
 * What the RFC 5424 and RFC 3164 encoders share: facility, application name, host name, process
 * id, the level-to-severity map and the message with its stack trace. Records carry no trailing
 * newline: the appender's framing ends them. Thread-safe once started.
 */
public abstract class SyslogEncoderBase extends EncoderBase<ILoggingEvent> {
  private Facility facility = Facility.USER;
  private String facilityText;
  private String appName = "java";
  private String hostname;
  private ZoneId zone = ZoneId.systemDefault();
  protected final String processId = Long.toString(ProcessHandle.current().pid());

  @Override
  public void start() {
    if (facilityText != null) {
      try {
        facility = Facility.parse("facility", facilityText);
      } catch (ConfigException e) {
        addError(e.getMessage());
        return;
      }
    }
    if (hostname == null) {
      hostname = localHostname();
    }
    super.start();
  }

  private String localHostname() {
    String fromContext = getContext() == null ? null : getContext().getProperty(CoreConstants.HOSTNAME_KEY);
    if (fromContext != null && !fromContext.isBlank()) {
      return fromContext;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "-";
    }
  }

  /** RFC 5424 severity: ERROR 3, WARN 4, INFO 6, DEBUG and TRACE 7. */
  protected static int severity(Level level) {
    switch (level.toInt()) {
      case Level.ERROR_INT: return 3;
      case Level.WARN_INT: return 4;
      case Level.INFO_INT: return 6;
      default: return 7;
    }
  }

  protected int priority(ILoggingEvent event) {
    return facility.code() * 8 + severity(event.getLevel());
  }

  /** The formatted message, followed by the stack trace when there is one. */
  protected static String messageWithStackTrace(ILoggingEvent event) {
    IThrowableProxy throwable = event.getThrowableProxy();
    String message = event.getFormattedMessage();
    if (throwable == null) {
      return message;
    }
    String trace = ThrowableProxyUtil.asString(throwable);
    return message + "\n" + (trace.endsWith("\n") ? trace.substring(0, trace.length() - 1) : trace);
  }

  /**
   * A header field: printable US-ASCII only (others become '_'), at most {@code maxLength}
   * characters, and "-" (NILVALUE) when empty.
   */
  protected static String headerField(String value, int maxLength) {
    if (value == null || value.isEmpty()) {
      return "-";
    }
    StringBuilder field = new StringBuilder(Math.min(value.length(), maxLength));
    for (int i = 0; i < value.length() && field.length() < maxLength; i++) {
      char c = value.charAt(i);
      field.append(c >= 33 && c <= 126 ? c : '_');
    }
    return field.toString();
  }

  protected static byte[] utf8(CharSequence text) {
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  /** The syslog facility by name: USER (default), DAEMON, LOCAL0-LOCAL7, ... */
  public void setFacility(String facility) {
    this.facilityText = facility;
  }

  public Facility getFacility() {
    return facility;
  }

  /** APP-NAME (RFC 5424) or TAG (RFC 3164); default "java". */
  public void setAppName(String appName) {
    this.appName = appName;
  }

  public String getAppName() {
    return appName;
  }

  /** HOSTNAME; default the context's HOSTNAME property, else the local host's name. */
  public void setHostname(String hostname) {
    this.hostname = hostname;
  }

  public String getHostname() {
    return hostname;
  }

  /** The time zone of the timestamp, e.g. {@code UTC} or {@code +05:30}; default the JVM's. */
  public void setTimeZone(String zone) {
    this.zone = ZoneId.of(zone);
  }

  public ZoneId getZone() {
    return zone;
  }
}
