package dev.logfailover.testing;

import dev.logfailover.internal.spill.SpillIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The spill's disk with faults on cue: writes refused for want of space once a number of bytes is
 * written, reads and deletes (and the emptying that stands in for a delete) that fail, flushes held
 * until released. It also keeps the books of flushing: the bytes written and not yet forced, so
 * that a test proves {@code spillSync always} rather than survives it.
 *
 * <p>Thread-safe: switches from the test thread, file operations from the spill's threads.
 */
public final class FaultyDisk implements SpillIo {
  /** Bytes every channel may still write before the disk is full; negative: no limit. */
  private final AtomicLong spaceLeft = new AtomicLong(-1);
  private volatile boolean readsFail;
  /** Writes throw an unchecked exception, as a bug below us would. */
  private volatile boolean writesBreak;
  private volatile boolean breakWhenFull;
  private volatile boolean deletesFail;
  private volatile boolean emptyingFails;
  /** When set, each force waits for a permit of it: a flush that takes as long as the test says. */
  private volatile Semaphore forceGate;
  private final AtomicInteger forcesWaiting = new AtomicInteger();
  private final AtomicLong unforcedBytes = new AtomicLong();
  private final AtomicInteger failedWrites = new AtomicInteger();

  /** From now on, writes fail with "No space left on device" once {@code bytes} more are written. */
  public void fillUpAfter(long bytes) {
    spaceLeft.set(bytes);
  }

  /** From now on, writes break with an unchecked exception once {@code bytes} more are written. */
  public void breakAfter(long bytes) {
    breakWhenFull = true;
    spaceLeft.set(bytes);
  }

  /** The disk has room again. */
  public void makeRoom() {
    breakWhenFull = false;
    spaceLeft.set(-1);
  }

  public void breakWrites(boolean broken) {
    writesBreak = broken;
  }

  public void failReads(boolean fail) {
    readsFail = fail;
  }

  /** Deletes fail; with {@code emptyingToo}, so does the truncation the spill tries instead. */
  public void failDeletes(boolean fail, boolean emptyingToo) {
    deletesFail = fail;
    emptyingFails = fail && emptyingToo;
  }

  /** Every force waits until {@link #releaseForces} (or {@link #flushFreely}). */
  public void holdForces() {
    forceGate = new Semaphore(0);
  }

  public void releaseForces(int count) {
    forceGate.release(count);
  }

  public void flushFreely() {
    Semaphore gate = forceGate;
    forceGate = null;
    if (gate != null) {
      gate.release(Integer.MAX_VALUE / 2);
    }
  }

  /** Forces waiting at the gate now. */
  public int forcesWaiting() {
    return forcesWaiting.get();
  }

  /** Bytes written to segment and checkpoint files and not forced since. */
  public long unforcedBytes() {
    return unforcedBytes.get();
  }

  public int failedWrites() {
    return failedWrites.get();
  }

  @Override
  public FileChannel open(Path file, OpenOption... options) throws IOException {
    if (emptyingFails && java.util.Arrays.asList(options).contains(java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
      throw new IOException("Operation not permitted (injected): " + file);
    }
    return new Channel(SpillIo.DISK.open(file, options));
  }

  @Override
  public void delete(Path file) throws IOException {
    if (deletesFail) {
      throw new IOException("Operation not permitted (injected): " + file);
    }
    SpillIo.DISK.delete(file);
  }

  private final class Channel extends FileChannel {
    private final FileChannel disk;
    private long unforcedHere;

    Channel(FileChannel disk) {
      this.disk = disk;
    }

    private int allow(ByteBuffer source) throws IOException {
      if (writesBreak) {
        throw new IllegalStateException("a write broke (injected)");
      }
      long left = spaceLeft.get();
      if (left < 0) {
        return source.remaining();
      }
      if (left == 0) {
        failedWrites.incrementAndGet();
        if (breakWhenFull) {
          throw new IllegalStateException("a write broke (injected)");
        }
        throw new IOException("No space left on device (injected)");
      }
      int allowed = (int) Math.min(left, source.remaining());
      spaceLeft.addAndGet(-allowed);
      return allowed;
    }

    private int written(int bytes) {
      synchronized (this) {
        unforcedHere += bytes;
      }
      unforcedBytes.addAndGet(bytes);
      return bytes;
    }

    private void checkRead() throws IOException {
      if (readsFail) {
        throw new IOException("Input/output error (injected)");
      }
    }

    @Override
    public int write(ByteBuffer source, long position) throws IOException {
      int allowed = allow(source);
      ByteBuffer part = source.duplicate();
      part.limit(part.position() + allowed);
      int wrote = disk.write(part, position);
      source.position(source.position() + wrote);
      return written(wrote);
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
      int allowed = allow(source);
      ByteBuffer part = source.duplicate();
      part.limit(part.position() + allowed);
      int wrote = disk.write(part);
      source.position(source.position() + wrote);
      return written(wrote);
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
      long total = 0;
      for (int i = offset; i < offset + length; i++) {
        total += write(sources[i]);
      }
      return total;
    }

    @Override
    public int read(ByteBuffer destination, long position) throws IOException {
      checkRead();
      return disk.read(destination, position);
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
      checkRead();
      return disk.read(destination);
    }

    @Override
    public long read(ByteBuffer[] destinations, int offset, int length) throws IOException {
      checkRead();
      return disk.read(destinations, offset, length);
    }

    @Override
    public void force(boolean metaData) throws IOException {
      Semaphore gate = forceGate;
      if (gate != null) {
        forcesWaiting.incrementAndGet();
        try {
          gate.acquireUninterruptibly();
        } finally {
          forcesWaiting.decrementAndGet();
        }
      }
      disk.force(metaData);
      long flushed;
      synchronized (this) {
        flushed = unforcedHere;
        unforcedHere = 0;
      }
      unforcedBytes.addAndGet(-flushed);
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      if (emptyingFails) {
        throw new IOException("Operation not permitted (injected)");
      }
      disk.truncate(size);
      return this;
    }

    @Override
    public long position() throws IOException {
      return disk.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      disk.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return disk.size();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
      throw new UnsupportedOperationException("not used by the spill");
    }

    @Override
    public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
      throw new UnsupportedOperationException("not used by the spill");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      throw new UnsupportedOperationException("not used by the spill");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return disk.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return disk.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      disk.close(); // What it wrote and never forced stays in unforcedBytes.
    }
  }
}
