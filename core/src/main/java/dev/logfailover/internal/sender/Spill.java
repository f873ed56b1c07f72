package dev.logfailover.internal.sender;

import dev.logfailover.FailoverListener;
import dev.logfailover.SpillSettings;
import dev.logfailover.internal.concurrent.Doorbell;
import dev.logfailover.internal.concurrent.Ticker;
import dev.logfailover.internal.spill.SpillIo;
import dev.logfailover.internal.spill.SpillStore;
import dev.logfailover.internal.spill.SpillWriteException;
import dev.logfailover.internal.transport.Outbox;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The durable spill (F17), the sender's side of it. When the memory queue is half full (the
 * sender is falling behind: every server down, a stalled one, a burst), the {@link SpillWriter}
 * moves records from the head of the queue to the {@link SpillStore}, and keeps doing so until
 * the sender has read back everything spilled; meanwhile the sender reads from the spill, not the
 * queue. Records thus leave in the order they were logged: everything on disk is older than the
 * queue's head. The logging threads never touch the disk.
 *
 * <p>A read that fails pauses delivery, in order (nothing from memory passes what is still on
 * disk), and is tried again a second later. Which source a batch came from is remembered, so that
 * records released by the transport (F14) confirm the spilled ones ({@link #released}), which
 * deletes spent segments; and so that at the end the records the sender still held can be kept in
 * the spill in order ({@link #close}).
 *
 * <p>Threading: {@link #drainTo}, {@link #released}, {@link #isEmpty}, {@link
 * #spillWhileDisconnected} and {@link #close} run on the sender thread, {@link #open} before it
 * starts; the writer's moves and the sender's reads are serialized by this object's monitor,
 * which is what keeps the order. The views ({@link #spilledEvents} and the like) from any thread.
 */
final class Spill implements Outbox.RecordSource {
  /** Why an event that found the queue full while the spill had no room either was dropped. */
  static final String FULL = "the queue and the spill were full (maxSpillSize)";
  /** After a failed read, the next try. */
  private static final long READ_RETRY_NANOS = 1_000_000_000;

  private final RecordQueue queue;
  private final SpillSettings settings;
  private final Path directory;
  private final SpillIo io;
  private final Doorbell doorbell;
  private final Ticker ticker;
  private final DropCounter drops;
  private final FailoverListener listener;
  private final LongSupplier clockMillis;
  /** The sender's disk I/O runs inside it: no interrupt of an abort reaches a FileChannel call. */
  private final DiskIoShield diskIo;
  private SpillStore store;
  /** Guarded by this for writes: the spill holds records older than the queue's head. */
  private volatile boolean spilling;
  /** After a failed read: the sender reads nothing before this (ticker nanos); 0 when none failed. */
  private volatile long readRetryAt;
  private final SpillWriter writer;
  /** Sender thread only: which source each record handed out and not released came from. */
  private final BatchSources batchSources = new BatchSources();
  /** Reused by {@link #drainTo}: records read from disk on their way to the sender's batch. */
  private final List<byte[]> readFromDisk = new ArrayList<>();

  Spill(RecordQueue queue, SpillSettings settings, int maxRecordSize, String appenderName, SpillIo io,
      Doorbell doorbell, DiskIoShield diskIo, DropCounter drops, FailoverListener listener, LongSupplier clockMillis) {
    this.queue = queue;
    this.diskIo = diskIo;
    this.settings = settings;
    this.directory = directoryFor(settings.directory(), appenderName);
    this.io = io;
    this.doorbell = doorbell;
    this.ticker = doorbell.ticker();
    this.drops = drops;
    this.listener = listener;
    this.clockMillis = clockMillis;
    this.writer = new SpillWriter(this, queue, maxRecordSize, settings.maxSize(), drops, doorbell, clockMillis);
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
      store = diskIo.run(() -> SpillStore.open(directory, settings, clockMillis, io));
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
    } catch (SpillWriteException e) {
      drops.dropNotSpilled(carriedOver.size() - e.written(), "the spill could not be written: " + e.getMessage());
    } catch (IOException e) {
      drops.dropNotSpilled(carriedOver.size(), "the spill could not be written: " + e);
    }
    // Until the sender, connected, first finds the spill empty: a start with every server down
    // (or with a recovered spill, which must go first) spills from the first event.
    spilling = true;
    writer.start(store, threadName);
    return true;
  }

  /**
   * From the sender, when it has no connection: every record queued from now on goes to disk at
   * once, rather than once the queue is half full, so that a burst finds the whole queue free.
   */
  void spillWhileDisconnected() {
    if (!spilling) {
      synchronized (this) {
        beginRun();
      }
      writer.wakeUp();
    }
  }

  /** Under this monitor, before records are moved: from here on the spill holds the queue's oldest. */
  void beginRun() {
    if (!spilling) {
      store.startNewRun();
      spilling = true;
    }
  }

  boolean isSpilling() {
    return spilling;
  }

  /** A failed read's pause is over: the sender should be woken to read again. */
  boolean isReadRetryDue() {
    long retryAt = readRetryAt;
    return retryAt != 0 && ticker.nanoTime() - retryAt >= 0;
  }

  SpillWriter writer() {
    return writer;
  }

  @Override
  public synchronized int drainTo(Outbox.RecordSink into, int maxRecords) {
    if (spilling) {
      if (isReadPaused()) {
        return 0; // Nothing from memory may pass what is still on disk.
      }
      readFromDisk.clear();
      try {
        int read = diskIo.run(() -> store.read(readFromDisk, maxRecords));
        readRetryAt = 0;
        reportSkips();
        for (byte[] record : readFromDisk) {
          into.add(record, 0, record.length);
        }
        readFromDisk.clear();
        if (read > 0) {
          batchSources.handedOut(true, read);
          return read;
        }
      } catch (IOException e) {
        reportSkips();
        if (readRetryAt == 0) {
          listener.spillUnavailable(directory, "it cannot be read (" + e + "): the " + store.pendingRecords()
              + " events in it and every later one wait, in order, and the read is tried again every second");
        }
        readRetryAt = (ticker.nanoTime() + READ_RETRY_NANOS) | 1;
        return 0;
      }
      spilling = false; // Everything spilled is in hand: the queue's head is the oldest record left.
      writer.roomFreed();
    }
    int taken = queue.drainTo(into, maxRecords);
    batchSources.handedOut(false, taken);
    return taken;
  }

  private void reportSkips() {
    for (SpillStore.Skip skip : store.takeSkips()) {
      listener.spillDamaged(skip.damage().file(), skip.damage().skippedBytes(), skip.damage().why());
      drops.dropNotSpilled((int) skip.records(), "damaged in the spill after it was written");
    }
  }

  private boolean isReadPaused() {
    long retryAt = readRetryAt;
    return retryAt != 0 && ticker.nanoTime() - retryAt < 0;
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
        listener.spillUnavailable(directory, "a sent segment could be neither deleted nor emptied (" + e
            + "): its events go again after a restart");
      }
      writer.roomFreed();
    }
  }

  /** Nothing waits, in the spill or in the queue; or nothing can be taken until a failed read is tried again. */
  boolean isEmpty() {
    return isReadPaused() || queue.isEmpty() && (!spilling || !store.hasUnread());
  }

  /**
   * At the sender's end: stops the writer, then keeps in the spill, in order, what was not sent:
   * {@code unreleased} (the sender's batch, whose spilled records are still on disk) and what is
   * left in the queue. Says how many were not kept (no room, or a failed write): they are lost, to be counted.
   */
  SpillStore.Closing close(List<byte[]> unreleased) {
    writer.stop();
    // Each run of records the sender took from memory goes back after the spilled records it followed.
    List<SpillStore.Held> held = batchSources.heldFromMemory(unreleased);
    List<byte[]> newest = new ArrayList<>();
    synchronized (this) {
      queue.drainTo(newest, Integer.MAX_VALUE);
      SpillStore.Closing closing;
      try {
        closing = diskIo.run(() -> store.closeKeeping(held, newest));
      } catch (IOException e) {
        throw new AssertionError("closeKeeping reports its failures", e);
      }
      if (store.pendingRecords() > 0) {
        listener.spillKept(directory, store.pendingRecords());
      }
      if (closing.failure() != null) {
        listener.spillUnavailable(directory, "it could not keep everything at the stop (" + closing.failure() + ")");
      }
      return closing;
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
