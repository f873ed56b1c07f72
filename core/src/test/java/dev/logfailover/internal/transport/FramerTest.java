package dev.logfailover.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Framing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
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

  @Test
  void S4_theWordAtATimeScanFindsEveryLineBreakWhereverItLies() {
    // Bytes that differ from CR or LF by one bit, the sign bit or a borrow, around every break.
    byte[] alphabet = {'a', '\n', '\r', 0, 0x0B, 0x0C, 0x09, (byte) 0x8A, (byte) 0x8D, (byte) 0xFF, 0x1A, 0x2D};
    Random random = new Random(42);
    for (int trial = 0; trial < 20_000; trial++) {
      byte[] bytes = new byte[random.nextInt(40)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) ('a' + random.nextInt(26));
      }
      int from = random.nextInt(bytes.length + 1);
      int end = from + random.nextInt(bytes.length - from + 1);
      int expected = end;
      for (int i = end - 1; i >= from; i--) {
        if (bytes[i] == '\n' || bytes[i] == '\r') {
          expected = i;
        }
      }
      assertThat(Framer.indexOfLineBreak(bytes, from, end)).as("trial %d", trial).isEqualTo(expected);
    }
  }

  @Test
  void S4_breaksInsideLongRecordsAreEscapedOnEitherSideOfEveryWord() {
    String line = "0123456789abcdefghijklmnopqrstuv";
    for (int at = 0; at < line.length(); at++) {
      String record = line.substring(0, at) + "\n" + line.substring(at) + "\r" + line;
      assertThat(frame(Framing.NEWLINE, record))
          .isEqualTo(line.substring(0, at) + "\\n" + line.substring(at) + "\\r" + line + "\n");
    }
  }
}
