package dev.logfailover.internal.spill;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.HashSet;
import java.util.Set;

/**
 * The spill's files are the application's logs: only its user may read them (F17). On a POSIX
 * file system the directory is {@code rwx------} and every file {@code rw-------}, whatever the
 * umask; a directory that is a link, or that another user owns, is refused, since that user could
 * read the logs or plant files that recovery would send as ours. Elsewhere (Windows) files take
 * their directory's ACL, as every file the JVM makes does. Stateless.
 */
final class PrivateFiles {
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];

  /** A directory a user other than ours owns, or a link in place of one: the spill stays off. */
  static final class UntrustedDirectoryException extends IOException {
    UntrustedDirectoryException(String message) {
      super(message);
    }
  }

  private PrivateFiles() {
  }

  /** Creates {@code directory} (and missing parents) for our user only, or checks and tightens the one there. */
  static void directory(Path directory) throws IOException {
    if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(directory, POSIX ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))} : NONE);
    }
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      throw new UntrustedDirectoryException(directory + " is not a directory (a link or a file): not used for the spill");
    }
    UserPrincipal owner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS);
    UserPrincipal us = ourUser();
    if (!owner.equals(us)) {
      throw new UntrustedDirectoryException(directory + " is owned by " + owner.getName() + ", not by this process's "
          + "user " + us.getName() + ": another user could read the spilled logs or plant events; not used");
    }
    if (POSIX) {
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    }
  }

  /** Opens {@code file} with {@code options} (never through a link), created {@code rw-------}. */
  static FileChannel open(Path file, OpenOption... options) throws IOException {
    Set<OpenOption> all = new HashSet<>(Set.of(options));
    all.add(LinkOption.NOFOLLOW_LINKS);
    return POSIX ? FileChannel.open(file, all,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))) : FileChannel.open(file, all);
  }

  /** Makes a file's creation, removal or renaming in {@code directory} durable (spillSync always). */
  static void forceDirectory(Path directory) throws IOException {
    if (POSIX) {
      try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
        channel.force(true);
      }
    }
  }

  /** The user this process creates files as: the owner of a file it just made. */
  private static UserPrincipal ourUser() throws IOException {
    Path probe = Files.createTempFile("logfailover-owner", ".probe");
    try {
      return Files.getOwner(probe);
    } finally {
      Files.deleteIfExists(probe);
    }
  }
}
