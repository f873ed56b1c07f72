package dev.logfailover.internal.spill;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock that makes one spill directory one owner's (F17): an OS file lock on {@code lock} in it,
 * held from {@link #take} to {@link #release}. Another process is refused by the OS; another
 * appender in this JVM by the JDK ({@link OverlappingFileLockException}). The file itself stays.
 *
 * <p>Not thread-safe: taken and released by the spill's owner.
 */
final class DirectoryLock {
  static final String FILE = "lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** @throws SpillStore.LockedException when another process or appender holds {@code directory} */
  static DirectoryLock take(Path directory) throws IOException {
    FileChannel channel = PrivateFiles.open(directory.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new SpillStore.LockedException(
          directory + " is in use by another process or appender (its lock file is held)");
    }
    return new DirectoryLock(channel, lock);
  }

  void release() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
