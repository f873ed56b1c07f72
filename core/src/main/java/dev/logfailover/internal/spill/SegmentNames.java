package dev.logfailover.internal.spill;

import java.nio.file.Path;

/**
 * The names of the spill's segment files: a sequence number of 19 digits and {@code .seg}, so that
 * the names sort in the segments' order. Anything else in the directory is no segment of ours.
 * Stateless.
 */
final class SegmentNames {
  private static final String SUFFIX = ".seg";
  private static final int DIGITS = 19;

  private SegmentNames() {
  }

  static String of(long sequence) {
    return String.format("%0" + DIGITS + "d", sequence) + SUFFIX;
  }

  static boolean isSegment(Path file) {
    return sequenceOf(file) >= 0;
  }

  /** The sequence number {@code file}'s name holds, or -1 when it is no segment name (or beyond a long). */
  static long sequenceOf(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(SUFFIX) || name.length() != DIGITS + SUFFIX.length()
        || !name.chars().limit(DIGITS).allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(0, DIGITS));
    } catch (NumberFormatException beyondALong) {
      return -1;
    }
  }
}
