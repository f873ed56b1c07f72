package dev.logfailover.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC section 4: the RFC 5424 and RFC 3164 wire formats, byte for byte. */
class SyslogEncodersTest {
  private static final long TIMESTAMP = Instant.parse("2026-11-04T09:05:03.042Z").toEpochMilli();
  private final LoggerContext context = new LoggerContext();
  private final String pid = Long.toString(ProcessHandle.current().pid());

  private LoggingEvent event(Level level, String message, Throwable throwable, Map<String, String> mdc) {
    LoggingEvent event = new LoggingEvent("fqcn", context.getLogger("orders.Checkout"), level, message, throwable, null);
    event.setTimeStamp(TIMESTAMP);
    event.setMDCPropertyMap(mdc);
    return event;
  }

  private Rfc5424Encoder rfc5424() {
    Rfc5424Encoder encoder = new Rfc5424Encoder();
    encoder.setContext(context);
    encoder.setAppName("orders");
    encoder.setFacility("LOCAL0");
    encoder.setHostname("web-1");
    encoder.setTimeZone("UTC");
    encoder.start();
    return encoder;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void S4_rfc5424HeaderSeverityAndTimestamp() {
    Rfc5424Encoder encoder = rfc5424();
    assertThat(text(encoder.encode(event(Level.INFO, "order 42 paid", null, Map.of()))))
        .isEqualTo("<134>1 2026-11-04T09:05:03.042Z web-1 orders " + pid + " - - order 42 paid");
    assertThat(text(encoder.encode(event(Level.ERROR, "m", null, Map.of())))).startsWith("<131>1 ");
    assertThat(text(encoder.encode(event(Level.WARN, "m", null, Map.of())))).startsWith("<132>1 ");
    assertThat(text(encoder.encode(event(Level.DEBUG, "m", null, Map.of())))).startsWith("<135>1 ");
    assertThat(text(encoder.encode(event(Level.TRACE, "m", null, Map.of())))).startsWith("<135>1 ");
  }

  @Test
  void S4_rfc5424TimestampCarriesTheZoneOffset() {
    Rfc5424Encoder encoder = rfc5424();
    encoder.setTimeZone("+05:30");
    assertThat(text(encoder.encode(event(Level.INFO, "m", null, Map.of())))).contains(" 2026-11-04T14:35:03.042+05:30 ");
  }

  @Test
  void S4_rfc5424MdcIsStructuredDataWithEscapedValues() {
    Map<String, String> mdc = new LinkedHashMap<>();
    mdc.put("user", "ann \"the admin\"");
    mdc.put("path", "C:\\tmp]x");
    assertThat(text(rfc5424().encode(event(Level.INFO, "hi", null, mdc))))
        .endsWith(" - [mdc@32473 user=\"ann \\\"the admin\\\"\" path=\"C:\\\\tmp\\]x\"] hi");
  }

  @Test
  void S4_rfc5424HeaderFieldsArePrintableAsciiAndTruncated() {
    Rfc5424Encoder encoder = rfc5424();
    encoder.setAppName("app name with spaces and é and far more than forty-eight characters in all");
    encoder.setMessageId("a-message-id-longer-than-thirty-two-characters");
    String record = text(encoder.encode(event(Level.INFO, "m", null, Map.of())));
    String[] fields = record.split(" ");
    assertThat(fields[3]).hasSize(48).doesNotContain(" ").startsWith("app_name_with_spaces_and___and");
    assertThat(fields[5]).hasSize(32);
  }

  @Test
  void S4_rfc5424MessageKeepsTheStackTrace() {
    String record = text(rfc5424().encode(event(Level.ERROR, "failed", new IllegalStateException("boom"), Map.of())));
    assertThat(record).contains(" failed\njava.lang.IllegalStateException: boom\n\tat ");
    assertThat(record).doesNotEndWith("\n");
  }

  @Test
  void S4_rfc3164FormatWithPaddedDayAndTag() {
    Rfc3164Encoder encoder = new Rfc3164Encoder();
    encoder.setContext(context);
    encoder.setAppName("orders");
    encoder.setFacility("DAEMON");
    encoder.setHostname("web-1");
    encoder.setTimeZone("UTC");
    encoder.start();
    assertThat(text(encoder.encode(event(Level.WARN, "disk low", null, Map.of()))))
        .isEqualTo("<28>Nov  4 09:05:03 web-1 orders[" + pid + "]: disk low");
  }
}
