package dev.logfailover.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Framing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SPEC section 4: octet counting and newline framing. */
class FramerTest {

  private static String frame(Framing framing, String record) {
    Framer framer = new Framer(framing);
    byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(framer.maxFramedLength(bytes.length));
    framer.frame(bytes, 0, bytes.length, out);
    return new String(out.array(), 0, out.position(), StandardCharsets.UTF_8);
  }

  @Test
  void S4_octetCountingPrefixesTheUtf8ByteLength() {
    assertThat(frame(Framing.OCTET_COUNTING, "hello")).isEqualTo("5 hello");
    assertThat(frame(Framing.OCTET_COUNTING, "héllo")).as("é is two bytes").isEqualTo("6 héllo");
    assertThat(frame(Framing.OCTET_COUNTING, "")).isEqualTo("0 ");
    String stackTrace = "boom\n\tat a.B.c(B.java:1)\n\tat d.E.f(E.java:2)";
    assertThat(frame(Framing.OCTET_COUNTING, stackTrace)).as("multi-line records are kept intact")
        .isEqualTo(stackTrace.length() + " " + stackTrace);
  }

  @Test
  void S4_newlineFramingEscapesCrAndLfInsideARecord() {
    assertThat(frame(Framing.NEWLINE, "line one\nforged <13>1 entry\r")).isEqualTo("line one\\nforged <13>1 entry\\r\n");
    assertThat(frame(Framing.NEWLINE, "plain")).isEqualTo("plain\n");
  }

  @Test
  void S4_oneTrailingLineSeparatorEndsTheRecordInBothFramings() {
    assertThat(frame(Framing.NEWLINE, "pattern ending in %n\n")).isEqualTo("pattern ending in %n\n");
    assertThat(frame(Framing.NEWLINE, "windows\r\n")).isEqualTo("windows\n");
    assertThat(frame(Framing.NEWLINE, "two\n\n")).as("only one separator is dropped").isEqualTo("two\\n\n");
    assertThat(frame(Framing.OCTET_COUNTING, "json\n")).isEqualTo("4 json");
    assertThat(frame(Framing.OCTET_COUNTING, "json\r\n")).isEqualTo("4 json");
  }
}
