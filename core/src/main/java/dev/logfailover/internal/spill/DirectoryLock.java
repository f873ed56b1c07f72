package dev.logfailover.internal.spill;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The lock that makes one spill directory one owner's (F17): an OS file lock on {@code lock} in it,
 * held from {@link #take} to {@link #release}. Another process is refused by the OS; another
 * appender in this JVM by the JDK ({@link OverlappingFileLockException}). The file itself stays.
 *
 * <p>Not thread-safe: taken and released by the spill's owner.
 */
final class DirectoryLock {
  static final String FILE = "lock";
  /**
   * How long an appender waits for the lock when another appender of this JVM holds it: a
   * reconfiguration's predecessor keeps its backlog in the spill before it lets go (F17).
   */
  private static final long SAME_JVM_WAIT_NANOS = TimeUnit.SECONDS.toNanos(3);
  private static final long SAME_JVM_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** @throws SpillStore.LockedException when another process or appender holds {@code directory} */
  static DirectoryLock take(Path directory) throws IOException {
    if (!PrivateFiles.isAbsentOrRegular(directory.resolve(FILE))) {
      throw new IOException(directory.resolve(FILE) + " is not a regular file: the spill is not used");
    }
    long deadline = System.nanoTime() + SAME_JVM_WAIT_NANOS;
    while (true) {
      FileChannel channel = PrivateFiles.open(directory.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      boolean heldInThisJvm = false;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
        heldInThisJvm = true;
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      if (lock != null) {
        return new DirectoryLock(channel, lock);
      }
      channel.close();
      if (!heldInThisJvm || System.nanoTime() - deadline >= 0) {
        throw new SpillStore.LockedException(
            directory + " is in use by another process or appender (its lock file is held)");
      }
      // The appender this one replaces may still be writing what it keeps: wait for its close.
      LockSupport.parkNanos(SAME_JVM_POLL_NANOS);
    }
  }

  void release() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
