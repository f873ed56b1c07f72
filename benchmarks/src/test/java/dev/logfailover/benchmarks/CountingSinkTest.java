package dev.logfailover.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sink's count is what the throughput tables divide by: it must be exact, not only fast. */
class CountingSinkTest {
  @Test
  void lineFeedsCountedEightAtATimeMatchACountOneByOne() {
    // Bytes one bit, a borrow or the sign bit away from a line feed, where a word-wide test slips.
    byte[] nearLineFeeds = {'\n', 0x0B, 0x08, 0x0E, 0x02, 0x00, (byte) 0x8A, (byte) 0xFF, 0x1A, 0x4A, 0x09, 0x7F};
    Random random = new Random(20261129);
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = new byte[random.nextInt(100)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = random.nextBoolean() ? nearLineFeeds[random.nextInt(nearLineFeeds.length)] : (byte) random.nextInt();
      }
      int length = random.nextInt(bytes.length + 1);
      long expected = 0;
      for (int i = 0; i < length; i++) {
        if (bytes[i] == '\n') {
          expected++;
        }
      }
      assertThat(CountingSink.countLineFeeds(bytes, length)).as("round %d", round).isEqualTo(expected);
    }
  }

  @Test
  void aWordOfLineFeedsCountsEightAndTheTailIsCounted() {
    byte[] bytes = "\n\n\n\n\n\n\n\n\nx\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(CountingSink.countLineFeeds(bytes, bytes.length)).isEqualTo(10);
    assertThat(CountingSink.countLineFeeds(bytes, 8)).isEqualTo(8);
  }
}
