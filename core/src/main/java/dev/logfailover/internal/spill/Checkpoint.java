package dev.logfailover.internal.spill;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * How far a clean stop had sent the first segment of the spill: the file {@code checkpoint}, the
 * segment's sequence number and the offset of its first unsent record, as text. The next start
 * skips what precedes it; after a crash there is none, and the segment is sent whole again.
 */
record Checkpoint(long sequence, long offset) {
  static final String FILE = "checkpoint";
  static final Checkpoint NONE = new Checkpoint(-1, 0);

  /** The longest checkpoint there is: two numbers of 19 digits, a space and a line end. */
  private static final int MAX_BYTES = 64;

  /**
   * The checkpoint in {@code directory}, or {@link #NONE}; an unreadable one (damaged, too long,
   * a link) is ignored and noted in {@code damage}: the segment is then sent whole again.
   */
  static Checkpoint read(Path directory, List<SpillStore.Damage> damage) throws IOException {
    Path file = directory.resolve(FILE);
    if (!PrivateFiles.isAbsentOrRegular(file)) {
      damage.add(new SpillStore.Damage(file, 0, "not a regular file: the checkpoint is ignored"));
      return NONE;
    }
    try (FileChannel channel = PrivateFiles.open(file, StandardOpenOption.READ)) {
      ByteBuffer bytes = ByteBuffer.allocate(MAX_BYTES + 1);
      while (bytes.hasRemaining() && channel.read(bytes) > 0) {
        // Reads at most MAX_BYTES + 1: a longer file is no checkpoint of ours.
      }
      if (bytes.position() > MAX_BYTES) {
        throw new IllegalArgumentException("longer than " + MAX_BYTES + " bytes");
      }
      String[] parts = new String(bytes.array(), 0, bytes.position(), StandardCharsets.US_ASCII).trim().split(" ");
      return new Checkpoint(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    } catch (NoSuchFileException e) {
      return NONE;
    } catch (IOException | RuntimeException e) {
      damage.add(new SpillStore.Damage(file, 0, "unreadable checkpoint, ignored: " + e));
      return NONE;
    }
  }

  /**
   * Writes the checkpoint through a temporary file and an atomic rename, so that a crash leaves
   * the old one or the new one, never a torn one, and a link in its place is replaced, never
   * followed. With {@code force} (spillSync always) the file and the rename are on disk on return.
   */
  void write(Path directory, boolean force) throws IOException {
    Path temporary = directory.resolve(FILE + ".new");
    Files.deleteIfExists(temporary);
    try (FileChannel channel = PrivateFiles.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap((sequence + " " + offset + "\n").getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      if (force) {
        channel.force(true);
      }
    }
    Files.move(temporary, directory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (force) {
      PrivateFiles.forceDirectory(directory);
    }
  }

  static void delete(Path directory) throws IOException {
    Files.deleteIfExists(directory.resolve(FILE));
  }
}
