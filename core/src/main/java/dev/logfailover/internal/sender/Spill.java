package dev.logfailover.internal.sender;

import dev.logfailover.FailoverListener;
import dev.logfailover.SpillSettings;
import dev.logfailover.internal.spill.SpillStore;
import dev.logfailover.internal.transport.Doorbell;
import dev.logfailover.internal.transport.Outbox;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The durable spill's moving part (F17). When the memory queue is half full (the sender is falling
 * behind: every server down, a stalled one, a burst), a writer thread of ours moves records from
 * the head of the queue to the {@link SpillStore}, and keeps doing so until the sender has read
 * back everything spilled; meanwhile the sender reads from the spill, not the queue. Records thus
 * leave in the order they were logged: everything on disk is older than the queue's head. The
 * logging threads never touch the disk; they only wake the writer when the queue is half full
 * ({@link #afterQueued()}: a volatile read otherwise), so a caller waits on the disk no longer than
 * on a full queue.
 *
 * <p>Which source a batch came from is remembered, so that records released by the transport
 * (F14) confirm the spilled ones ({@link #released}), which deletes spent segments; and so that at
 * the end the records the sender still held can be kept in the spill in order ({@link #close}).
 *
 * <p>Threading: {@link #afterQueued()} from logging threads; the writer thread moves records;
 * {@link #drainTo}, {@link #released}, {@link #isEmpty} and {@link #close} run on the sender
 * thread, {@link #open} before it starts. Moving and draining are serialized by this object's
 * monitor, which is what keeps the order.
 */
final class Spill implements Outbox.RecordSource {
  /** Records the writer moves at a time. */
  private static final int MAX_MOVE = 4096;
  private static final long WRITER_STOP_WAIT_MILLIS = 2_000;
  /** While spilling, how often the writer looks at the queue (and the most a crash takes from it). */
  private static final long SPILLING_LOOK_NANOS = 1_000_000;

  private final RecordQueue queue;
  private final SpillSettings settings;
  private final Path directory;
  private final Doorbell doorbell;
  private final DropCounter drops;
  private final FailoverListener listener;
  private final LongSupplier clockMillis;
  /** The sender's disk I/O runs inside it: no interrupt of an abort reaches a FileChannel call. */
  private final DiskIoShield diskIo;
  private SpillStore store;
  /** Guarded by this for writes: the spill holds records older than the queue's head. */
  private volatile boolean spilling;
  private volatile boolean writerAsleep;
  private volatile boolean closing;
  private Thread writer;
  /** Sender thread only: which source each record handed out and not released came from. */
  private final BatchSources batchSources = new BatchSources();
  /** Reused by {@link #drainTo}: records read from disk on their way to the sender's batch. */
  private final List<byte[]> readFromDisk = new ArrayList<>();

  Spill(RecordQueue queue, SpillSettings settings, String appenderName, Doorbell doorbell, DiskIoShield diskIo,
      DropCounter drops, FailoverListener listener, LongSupplier clockMillis) {
    this.queue = queue;
    this.diskIo = diskIo;
    this.settings = settings;
    this.directory = directoryFor(settings.directory(), appenderName);
    this.doorbell = doorbell;
    this.drops = drops;
    this.listener = listener;
    this.clockMillis = clockMillis;
  }

  /**
   * The appender's own directory under {@code spillDirectory}: its name with every character but
   * letters, digits, {@code .}, {@code _} and {@code -} as {@code _}, and a name of dots only
   * ({@code .}, {@code ..}) as underscores, so that no name leads outside {@code spillDirectory}.
   */
  static Path directoryFor(Path spillDirectory, String appenderName) {
    String safe = appenderName.replaceAll("[^A-Za-z0-9._-]", "_");
    return spillDirectory.resolve(safe.isEmpty() || safe.matches("\\.+") ? safe.replace('.', '_') + "_" : safe);
  }

  /**
   * Takes the directory and recovers an earlier run's spill, which is sent first, then {@code
   * carriedOver} (a predecessor's records). False when the spill cannot be used: reported, and the
   * appender runs without it.
   */
  boolean open(List<byte[]> carriedOver, String threadName) {
    try {
      store = diskIo.run(() -> SpillStore.open(directory, settings, clockMillis));
    } catch (IOException | RuntimeException e) {
      listener.spillUnavailable(directory, e.getMessage() == null ? e.toString() : e.getMessage());
      return false;
    }
    store.damage().forEach(damage -> listener.spillDamaged(damage.file(), damage.skippedBytes(), damage.why()));
    if (store.pendingRecords() > 0) {
      listener.spillRecovered(store.pendingRecords(), store.bytesOnDisk());
    }
    try {
      int kept = diskIo.run(() -> store.append(carriedOver));
      drops.dropNotSpilled(carriedOver.size() - kept, "the spill was full (maxSpillSize)");
    } catch (IOException e) {
      drops.dropNotSpilled(carriedOver.size(), "the spill could not be written: " + e);
    }
    // Until the sender, connected, first finds the spill empty: a start with every server down
    // (or with a recovered spill, which must go first) spills from the first event.
    spilling = true;
    writer = new Thread(this::moveWhileNeeded, threadName);
    writer.setDaemon(true);
    writer.start();
    return true;
  }

  /**
   * From the sender, when it has no connection: every record queued from now on goes to disk at
   * once, rather than once the queue is half full, so that a burst finds the whole queue free.
   */
  void spillWhileDisconnected() {
    if (!spilling) {
      synchronized (this) {
        store.startNewRun();
        spilling = true;
      }
      LockSupport.unpark(writer);
    }
  }

  /**
   * From a logging thread, after it queued a record: wakes the writer if it sleeps and the queue is
   * half full. While spilling, the writer looks every millisecond instead, so that a steady stream
   * of events costs the callers no system call each.
   */
  void afterQueued() {
    if (writerAsleep && queue.isHalfFull()) {
      writerAsleep = false;
      LockSupport.unpark(writer);
    }
  }

  private boolean writerHasWork() {
    return spilling ? !queue.isEmpty() : queue.isHalfFull();
  }

  private void moveWhileNeeded() {
    List<byte[]> moving = new ArrayList<>(MAX_MOVE);
    while (!closing) {
      if (!writerHasWork()) {
        writerAsleep = true;
        if (!closing && !writerHasWork()) {
          if (spilling) {
            LockSupport.parkNanos(this, SPILLING_LOOK_NANOS);
          } else {
            LockSupport.park(this);
          }
        }
        writerAsleep = false;
        continue;
      }
      int kept;
      String failure = null;
      synchronized (this) {
        if (closing) {
          break;
        }
        if (!spilling) {
          store.startNewRun();
          spilling = true;
        }
        queue.drainTo(moving, MAX_MOVE);
        try {
          kept = store.append(moving);
        } catch (IOException e) {
          kept = 0;
          failure = "the spill could not be written: " + e;
        }
      }
      drops.dropNotSpilled(moving.size() - kept, failure != null ? failure : "the spill was full (maxSpillSize)");
      moving.clear();
      doorbell.ring();
    }
  }

  @Override
  public synchronized int drainTo(Outbox.RecordSink into, int maxRecords) {
    if (spilling) {
      readFromDisk.clear();
      try {
        int read = diskIo.run(() -> store.read(readFromDisk, maxRecords));
        for (byte[] record : readFromDisk) {
          into.add(record, 0, record.length);
        }
        readFromDisk.clear();
        if (read > 0) {
          batchSources.handedOut(true, read);
          return read;
        }
      } catch (IOException e) {
        listener.spillUnavailable(directory, "it cannot be read (" + e + "); " + store.pendingRecords()
            + " events stay in it for the next start");
      }
      spilling = false; // Everything spilled is in hand: the queue's head is the oldest record left.
    }
    int taken = queue.drainTo(into, maxRecords);
    batchSources.handedOut(false, taken);
    return taken;
  }

  /** The oldest {@code count} records handed out left the outbox (sent, rejected or dropped). */
  void released(int count) {
    int fromDisk = batchSources.released(count);
    if (fromDisk > 0) {
      try {
        diskIo.run(() -> {
          store.confirm(fromDisk);
          return null;
        });
      } catch (IOException e) {
        listener.spillUnavailable(directory, "a sent segment cannot be deleted (" + e + ")");
      }
    }
  }

  /** Nothing waits, in the spill or in the queue. */
  boolean isEmpty() {
    return queue.isEmpty() && (!spilling || !store.hasUnread());
  }

  /**
   * At the sender's end: stops the writer, then keeps in the spill, in order, what was not sent:
   * {@code unreleased} (the sender's batch, whose spilled records are still on disk) and what is
   * left in the queue. Returns how many did not fit (maxSpillSize): they are lost, to be counted.
   */
  int close(List<byte[]> unreleased) {
    closing = true;
    LockSupport.unpark(writer);
    // An aborted stop interrupted the sender; the writer, never interrupted, ends at its next look.
    boolean interrupted = Thread.interrupted();
    try {
      writer.join(WRITER_STOP_WAIT_MILLIS);
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    // Each run of records the sender took from memory goes back after the spilled records it followed.
    List<SpillStore.Held> held = batchSources.heldFromMemory(unreleased);
    List<byte[]> newest = new ArrayList<>();
    synchronized (this) {
      queue.drainTo(newest, Integer.MAX_VALUE);
      try {
        int lost = diskIo.run(() -> store.closeKeeping(held, newest));
        if (store.pendingRecords() > 0) {
          listener.spillKept(directory, store.pendingRecords());
        }
        return lost;
      } catch (IOException e) {
        listener.spillUnavailable(directory, "it could not be closed (" + e + ")");
        return held.stream().mapToInt(run -> run.records().size()).sum() + newest.size();
      }
    }
  }

  long spilledEvents() {
    return store == null ? 0 : store.pendingRecords();
  }

  long spilledBytes() {
    return store == null ? 0 : store.bytesOnDisk();
  }

  /** Millis since the oldest spilled event was written, or 0 when there is none. */
  long oldestSpilledAgeMillis() {
    long oldest = store == null ? -1 : store.oldestPendingMillis();
    return oldest < 0 ? 0 : Math.max(0, clockMillis.getAsLong() - oldest);
  }
}
