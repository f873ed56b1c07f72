package dev.logfailover.internal.spill;

import java.io.IOException;

/**
 * A write to the spill failed (no space left, too many open files, an I/O error) after {@link
 * #written()} of the records asked for were written whole: those are in the spill, the rest are not.
 */
public final class SpillWriteException extends IOException {
  private final int written;

  SpillWriteException(int written, IOException cause) {
    super(cause.toString(), cause);
    this.written = written;
  }

  /** How many of the records, from the first, were written before the failure. */
  public int written() {
    return written;
  }
}
