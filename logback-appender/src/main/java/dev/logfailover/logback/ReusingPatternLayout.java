package dev.logfailover.logback;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.pattern.EnsureExceptionHandling;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.pattern.Converter;
import java.nio.charset.Charset;

/**
 * The pattern of a {@link PatternLayoutEncoder} (Logback's {@code <encoder><pattern>}), laid out
 * into a {@link StringBuilder} that each logging thread reuses: Logback's own {@code PatternLayout}
 * makes a new one of 256 characters for every event, a quarter of what a logging call allocates.
 * The bytes are the encoder's own, made as it makes them: the same converters (this layout is
 * compiled from the encoder's pattern, context and converters, with Logback's default
 * post-processing, which adds the exception when the pattern has none), and the text turned into
 * bytes with the encoder's charset.
 *
 * <p>Thread-safe as Logback's converters are: {@link #encode} from any number of logging threads,
 * each with its own builder. A builder holds only characters, so no class of ours stays behind in
 * a thread after the appender is gone.
 */
final class ReusingPatternLayout extends PatternLayout {
  /** A builder grown past this for one large event is not kept for the next one. */
  private static final int RETAINED_CHARS = 8 * 1024;
  private static final int INITIAL_CHARS = 256;

  private final ThreadLocal<StringBuilder> builders = ThreadLocal.withInitial(() -> new StringBuilder(INITIAL_CHARS));
  private final Charset charset;
  /** The first converter of the compiled pattern, once started. */
  private Converter<ILoggingEvent> first;

  private ReusingPatternLayout(Charset charset) {
    this.charset = charset;
    EnsureExceptionHandling exceptionHandling = new EnsureExceptionHandling();
    setPostCompileProcessor((context, head) -> {
      exceptionHandling.process(context, head);
      first = head;
    });
  }

  /**
   * A started layout for {@code encoder} if it is Logback's {@link PatternLayoutEncoder} itself,
   * started, and its twin starts; otherwise null, and the encoder encodes as usual.
   */
  static ReusingPatternLayout twinOf(Encoder<?> encoder) {
    if (!(encoder instanceof PatternLayoutEncoder patternEncoder) || encoder.getClass() != PatternLayoutEncoder.class
        || !encoder.isStarted() || !(patternEncoder.getLayout() instanceof PatternLayout original)) {
      return null;
    }
    ReusingPatternLayout twin = new ReusingPatternLayout(patternEncoder.getCharset());
    twin.setContext(patternEncoder.getContext());
    twin.setPattern(patternEncoder.getPattern());
    twin.getInstanceConverterMap().putAll(original.getInstanceConverterMap());
    twin.start();
    return twin.isStarted() && twin.first != null ? twin : null;
  }

  /** The event's bytes, as the encoder's {@code encode} makes them. */
  byte[] encode(ILoggingEvent event) {
    StringBuilder text = builders.get();
    if (text.capacity() > RETAINED_CHARS) {
      text = new StringBuilder(INITIAL_CHARS);
      builders.set(text);
    }
    text.setLength(0);
    for (Converter<ILoggingEvent> converter = first; converter != null; converter = converter.getNext()) {
      converter.write(text, event);
    }
    String laidOut = text.toString();
    return charset == null ? laidOut.getBytes() : laidOut.getBytes(charset);
  }
}
