package dev.logfailover.internal.sender;

import dev.logfailover.internal.spill.SpillStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the records in the sender's batch came from, in the order they were handed out: runs of
 * records read back from the spill's disk and runs taken from the memory queue. The {@link Spill}
 * needs it twice: when the oldest records leave the batch, to confirm the spilled ones among them
 * (which deletes spent segments); and at the end, to put what the batch still held back into the
 * spill, each run from memory after the spilled records it followed.
 *
 * <p>Threading: the sender thread only.
 */
final class BatchSources {
  private final ArrayDeque<Run> runs = new ArrayDeque<>();

  private static final class Run {
    final boolean fromDisk;
    int count;

    Run(boolean fromDisk, int count) {
      this.fromDisk = fromDisk;
      this.count = count;
    }
  }

  /** {@code count} more records were handed out, all from disk or all from the queue. */
  void handedOut(boolean fromDisk, int count) {
    Run newest = runs.peekLast();
    if (newest != null && newest.fromDisk == fromDisk) {
      newest.count += count;
    } else if (count > 0) {
      runs.add(new Run(fromDisk, count));
    }
  }

  /** The oldest {@code count} records handed out left the batch; returns how many of them came from disk. */
  int released(int count) {
    int fromDisk = 0;
    while (count > 0 && !runs.isEmpty()) {
      Run oldest = runs.peek();
      int taken = Math.min(count, oldest.count);
      fromDisk += oldest.fromDisk ? taken : 0;
      count -= taken;
      oldest.count -= taken;
      if (oldest.count == 0) {
        runs.poll();
      }
    }
    return fromDisk;
  }

  /**
   * The records from memory among {@code unreleased} (the batch, oldest first), each run with the
   * number of spilled records read before it, for {@link SpillStore#closeKeeping}; forgets every run.
   */
  List<SpillStore.Held> heldFromMemory(List<byte[]> unreleased) {
    List<SpillStore.Held> held = new ArrayList<>();
    int index = 0;
    int readBefore = 0;
    for (Run run : runs) {
      int end = Math.min(unreleased.size(), index + run.count);
      if (run.fromDisk) {
        readBefore += end - index;
      } else if (end > index) {
        held.add(new SpillStore.Held(readBefore, new ArrayList<>(unreleased.subList(index, end))));
      }
      index = end;
    }
    runs.clear();
    return held;
  }
}
