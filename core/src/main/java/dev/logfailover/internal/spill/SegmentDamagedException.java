package dev.logfailover.internal.spill;

import java.io.IOException;

/**
 * A segment this run wrote no longer holds a whole record where it should (cut short or damaged
 * since): unlike a read that fails, trying again cannot help, so the rest of it is skipped.
 */
final class SegmentDamagedException extends IOException {
  SegmentDamagedException(String message) {
    super(message);
  }
}
