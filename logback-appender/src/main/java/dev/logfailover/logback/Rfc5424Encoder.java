package dev.logfailover.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Encodes an event as an RFC 5424 syslog message: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID
 * MSGID SD MSG}. The timestamp is RFC 3339 with milliseconds and the zone's offset; the MDC becomes
 * structured data under {@code structuredDataId}; MSG keeps the stack trace (use octet-counting
 * framing, the default with this encoder, to keep it one record). Thread-safe once started.
 */
public class Rfc5424Encoder extends SyslogEncoderBase {
  /** 32473 is the enterprise number RFC 5612 reserves for documentation and examples. */
  public static final String DEFAULT_STRUCTURED_DATA_ID = "mdc@32473";
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

  private String messageId = "-";
  private String structuredDataId = DEFAULT_STRUCTURED_DATA_ID;
  private boolean includeMdc = true;

  @Override
  public byte[] encode(ILoggingEvent event) {
    StringBuilder record = new StringBuilder(256)
        .append('<').append(priority(event)).append(">1 ")
        .append(TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp()).atZone(getZone()))).append(' ')
        .append(headerField(getHostname(), 255)).append(' ')
        .append(headerField(getAppName(), 48)).append(' ')
        .append(headerField(processId, 128)).append(' ')
        .append(headerField(messageId, 32)).append(' ');
    appendStructuredData(record, event.getMDCPropertyMap());
    record.append(' ').append(messageWithStackTrace(event));
    return utf8(record);
  }

  private void appendStructuredData(StringBuilder record, Map<String, String> mdc) {
    if (!includeMdc || mdc == null || mdc.isEmpty()) {
      record.append('-');
      return;
    }
    record.append('[').append(sdName(structuredDataId, 32));
    for (Map.Entry<String, String> entry : mdc.entrySet()) {
      record.append(' ').append(sdName(entry.getKey(), 32)).append("=\"");
      appendEscaped(record, entry.getValue());
      record.append('"');
    }
    record.append(']');
  }

  /** SD-NAME: printable US-ASCII except '=', ' ', ']' and '"', at most 32 characters. */
  private static String sdName(String name, int maxLength) {
    String field = headerField(name, maxLength);
    return field.replace('=', '_').replace(']', '_').replace('"', '_');
  }

  /** PARAM-VALUE: '"', '\' and ']' are escaped with a backslash (RFC 5424 section 6.3.3). */
  private static void appendEscaped(StringBuilder record, String value) {
    if (value == null) {
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\' || c == ']') {
        record.append('\\');
      }
      record.append(c);
    }
  }

  /** MSGID; default "-". */
  public void setMessageId(String messageId) {
    this.messageId = messageId;
  }

  /** The SD-ID of the MDC's structured data element; default {@value #DEFAULT_STRUCTURED_DATA_ID}. */
  public void setStructuredDataId(String structuredDataId) {
    this.structuredDataId = structuredDataId;
  }

  /** Whether the MDC is written as structured data; default true. */
  public void setIncludeMdc(boolean includeMdc) {
    this.includeMdc = includeMdc;
  }
}
