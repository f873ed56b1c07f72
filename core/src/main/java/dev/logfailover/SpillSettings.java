package dev.logfailover;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * The durable spill (SPEC F17): where events the memory queue cannot hold go on local disk, how
 * much of it they may use, and whether each write is forced to the device. Each appender spills
 * into its own sub-directory of {@link #directory()}, named after the appender. Immutable.
 */
public final class SpillSettings {
  /** The default {@code maxSpillSize}: 256 MiB. */
  public static final long DEFAULT_MAX_SIZE = 256L << 20;
  /** The smallest {@code maxSpillSize}: one segment's worth, so that a spill can ever roll. */
  static final long MIN_MAX_SIZE = 64L << 10;

  /** Whether a spill write is forced to the storage device before the next one. */
  public enum Sync {
    /** Written to the operating system: survives a crash of the JVM, not of the machine. */
    NONE("none"),
    /** Forced to the device after every write: survives a power loss too, at the device's pace. */
    ALWAYS("always");

    private final String configName;

    Sync(String configName) {
      this.configName = configName;
    }

    public static Sync parse(String option, String text) {
      for (Sync sync : values()) {
        if (sync.configName.equals(text.trim().toLowerCase(Locale.ROOT))) {
          return sync;
        }
      }
      throw new ConfigException(option, text, "expected 'none' or 'always'");
    }

    @Override
    public String toString() {
      return configName;
    }
  }

  private final Path directory;
  private final long maxSize;
  private final Sync sync;

  private SpillSettings(Builder builder) {
    this.directory = builder.directory;
    this.maxSize = builder.maxSize;
    this.sync = builder.sync;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The directory given as {@code spillDirectory}; each appender uses a sub-directory named after it. */
  public Path directory() {
    return directory;
  }

  /** The most bytes the spill's segment files may take on disk. */
  public long maxSize() {
    return maxSize;
  }

  public Sync sync() {
    return sync;
  }

  @Override
  public String toString() {
    return "spill{" + directory + ", maxSpillSize=" + maxSize + ", spillSync=" + sync + "}";
  }

  /** Not thread-safe. Setters validate at once; {@link #build()} requires the directory. */
  public static final class Builder {
    private Path directory;
    private long maxSize = DEFAULT_MAX_SIZE;
    private Sync sync = Sync.NONE;

    private Builder() {}

    /** {@code spillDirectory}: created when missing. */
    public Builder directory(Path directory) {
      this.directory = Objects.requireNonNull(directory, "spillDirectory");
      return this;
    }

    /** {@code spillDirectory} as written; a blank or malformed path is refused. */
    public Builder directory(String text) {
      if (text == null || text.isBlank()) {
        throw new ConfigException("spillDirectory", text == null ? "" : text, "must name a directory");
      }
      try {
        return directory(Path.of(text.trim()));
      } catch (InvalidPathException e) {
        throw new ConfigException("spillDirectory", text, "is not a valid path: " + e.getReason());
      }
    }

    /** {@code maxSpillSize}: at least 64 KiB. */
    public Builder maxSize(long maxSpillSize) {
      if (maxSpillSize < MIN_MAX_SIZE) {
        throw new ConfigException("maxSpillSize", maxSpillSize, "must be at least 64 KiB");
      }
      this.maxSize = maxSpillSize;
      return this;
    }

    public Builder sync(Sync spillSync) {
      this.sync = Objects.requireNonNull(spillSync, "spillSync");
      return this;
    }

    public SpillSettings build() {
      if (directory == null) {
        throw new ConfigException("spillDirectory", "", "is required when maxSpillSize or spillSync is given");
      }
      return new SpillSettings(this);
    }
  }
}
