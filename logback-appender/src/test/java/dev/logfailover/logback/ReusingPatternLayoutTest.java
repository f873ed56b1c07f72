package dev.logfailover.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.CoreConstants;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A PatternLayoutEncoder's pattern laid out into a reused builder gives the encoder's own bytes. */
class ReusingPatternLayoutTest {
  private final LoggerContext context = new LoggerContext();

  private PatternLayoutEncoder encoder(String pattern, Charset charset) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.setCharset(charset);
    encoder.start();
    return encoder;
  }

  private LoggingEvent event(String message, Throwable error, Object... arguments) {
    LoggingEvent event = new LoggingEvent("fqcn", context.getLogger("orders.checkout.Payments"), Level.WARN, message,
        error, arguments);
    event.setMDCPropertyMap(Map.of("order", "4711"));
    return event;
  }

  @Test
  void everyEventGetsTheEncodersOwnBytesWhateverItsSizeCharactersAndException() {
    List<ILoggingEvent> events = List.of(
        event("order {} paid", null, 4711),
        event("a line\nand another with a tab\tand \u00e9t\u00e9, \u20ac and \ud83d\ude00", null),
        event("x".repeat(20_000), null), // past what a builder keeps between events
        event("after the large one", null),
        event("failed", new IllegalStateException("bad state", new RuntimeException("cause"))),
        event("", null),
        event("lone surrogate \ud800 in the text", null));
    for (String pattern : List.of("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{20} %X{order} - %msg%n",
        "%msg%n", "%level %replace(%msg){'\\s', '_'} %ex{short}%n")) {
      for (Charset charset : new Charset[] {StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1, StandardCharsets.UTF_16}) {
        PatternLayoutEncoder encoder = encoder(pattern, charset);
        ReusingPatternLayout layout = ReusingPatternLayout.twinOf(encoder);
        assertThat(layout).as("a twin of %s", pattern).isNotNull();
        for (ILoggingEvent event : events) {
          assertThat(layout.encode(event)).as("%s in %s: %s", pattern, charset, event.getMessage())
              .isEqualTo(encoder.encode(event));
        }
      }
    }
  }

  @Test
  void aConversionRuleOfTheContextAppliesToTheTwinToo() {
    Map<String, String> rules = new HashMap<>();
    rules.put("calls", CountingConverter.class.getName());
    context.putObject(CoreConstants.PATTERN_RULE_REGISTRY, rules);
    PatternLayoutEncoder encoder = encoder("%calls %msg%n", StandardCharsets.UTF_8);
    ReusingPatternLayout layout = ReusingPatternLayout.twinOf(encoder);
    assertThat(new String(layout.encode(event("hello", null)), StandardCharsets.UTF_8)).matches("call-\\d+ hello\n");
  }

  @Test
  void onlyLogbacksOwnStartedPatternLayoutEncoderHasATwin() {
    PatternLayoutEncoder notStarted = new PatternLayoutEncoder();
    notStarted.setContext(context);
    notStarted.setPattern("%msg%n");
    assertThat(ReusingPatternLayout.twinOf(notStarted)).isNull();
    assertThat(ReusingPatternLayout.twinOf(new Rfc5424Encoder())).isNull();
    assertThat(ReusingPatternLayout.twinOf(new JsonEncoder())).isNull();
    assertThat(ReusingPatternLayout.twinOf(new PatternLayoutEncoder() { })).as("a subclass may encode its own way")
        .isNull();
  }

  /** A converter registered by a conversion rule, as a user's {@code <conversionRule>} registers one. */
  public static class CountingConverter extends ClassicConverter {
    private static final AtomicInteger CALLS = new AtomicInteger();

    @Override
    public String convert(ILoggingEvent event) {
      return "call-" + CALLS.incrementAndGet();
    }
  }
}
