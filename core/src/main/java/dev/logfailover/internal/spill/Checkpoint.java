package dev.logfailover.internal.spill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * How far a clean stop had sent the first segment of the spill: the file {@code checkpoint}, the
 * segment's sequence number and the offset of its first unsent record, as text. The next start
 * skips what precedes it; after a crash there is none, and the segment is sent whole again.
 */
record Checkpoint(long sequence, long offset) {
  static final String FILE = "checkpoint";
  static final Checkpoint NONE = new Checkpoint(-1, 0);

  /** The checkpoint in {@code directory}, or {@link #NONE}; an unreadable one is ignored and noted in {@code damage}. */
  static Checkpoint read(Path directory, List<SpillStore.Damage> damage) throws IOException {
    Path file = directory.resolve(FILE);
    try {
      String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
      return new Checkpoint(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    } catch (NoSuchFileException e) {
      return NONE;
    } catch (RuntimeException e) {
      damage.add(new SpillStore.Damage(file, 0, "unreadable checkpoint, ignored: " + e));
      return NONE;
    }
  }

  void write(Path directory) throws IOException {
    Files.writeString(directory.resolve(FILE), sequence + " " + offset + "\n", StandardCharsets.US_ASCII);
  }

  static void delete(Path directory) throws IOException {
    Files.deleteIfExists(directory.resolve(FILE));
  }
}
