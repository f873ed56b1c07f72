package dev.logfailover.internal.spill;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * The spill's file operations on its segments and checkpoint: the disk ({@link #DISK}), or in
 * tests a disk that fails on cue (a write refused for want of space, a read or a delete that
 * fails, a slow flush), so that what the spill promises under those faults is proven, not hoped.
 * The directory's creation, checks and lock always go to the disk.
 *
 * <p>Implementations are thread-safe.
 */
public interface SpillIo {
  /** Opens {@code file} with {@code options}, never through a link, created private ({@link PrivateFiles}). */
  FileChannel open(Path file, OpenOption... options) throws IOException;

  /** Deletes {@code file} if it is there. */
  void delete(Path file) throws IOException;

  SpillIo DISK = new SpillIo() {
    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
      return PrivateFiles.open(file, options);
    }

    @Override
    public void delete(Path file) throws IOException {
      Files.deleteIfExists(file);
    }
  };
}
