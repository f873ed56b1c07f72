package dev.logfailover.internal.spill;

import java.io.IOException;

/**
 * What a status, a metric or the MBean reads of the spill: published by {@link SpillStore} at the
 * end of every change, under its monitor, and read without it, so that a reader never waits behind
 * a write or a flush in progress.
 *
 * <p>Thread-safe: {@link #publish} under the store's monitor, the rest from any thread.
 */
final class SpillViews {
  private volatile long pendingRecords;
  private volatile long bytesOnDisk;
  /** Where the oldest record not confirmed starts; null when none is pending. */
  private volatile SpillCursor.Position oldest;

  void publish(long pending, long bytes, SpillCursor.Position oldestPending) {
    pendingRecords = pending;
    bytesOnDisk = bytes;
    oldest = oldestPending;
  }

  long pendingRecords() {
    return pendingRecords;
  }

  long bytesOnDisk() {
    return bytesOnDisk;
  }

  /**
   * When the oldest pending record was written, in epoch millis; -1 when none is pending or its
   * segment went (sent) as this read it. It reads the record's header through a channel of its own.
   */
  long oldestPendingMillis() {
    SpillCursor.Position at = oldest;
    if (at == null) {
      return -1;
    }
    try {
      return at.segment().writtenAtMillis(at.offset());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
