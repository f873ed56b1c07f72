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
import java.nio.file.attribute.PosixFileAttributeView;
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

  /**
   * Creates {@code directory} for our user only (missing parents as the umask says: a spill root
   * may be shared), or checks and tightens the one there. Refused: a link or a file in its place,
   * one another user owns, and one whose parent another user (not root) owns.
   */
  static void directory(Path directory) throws IOException {
    Path parent = directory.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectory(directory, POSIX ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))} : NONE);
    }
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      throw new UntrustedDirectoryException(directory + " is not a directory (a link or a file): not used for the spill");
    }
    UserPrincipal owner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS);
    UserPrincipal us = ourUser(directory);
    if (!owner.equals(us)) {
      throw new UntrustedDirectoryException(directory + " is owned by " + owner.getName() + ", not by this process's "
          + "user " + us.getName() + ": another user could read the spilled logs or plant events; not used");
    }
    if (parent != null) {
      checkParent(parent, us);
    }
    if (POSIX) {
      // Through the directory itself, never a link that replaced it since the check.
      Files.getFileAttributeView(directory, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setPermissions(PosixFilePermissions.fromString("rwx------"));
    }
  }

  /**
   * A parent another user owns lets that user swap the directory for one of theirs between our
   * checks and our opens. (One that others may merely write, a Kubernetes emptyDir's 0777 say, is
   * accepted: refusing it would turn the spill off where teams need it; the README says to keep
   * spillDirectory to the application's user.)
   */
  private static void checkParent(Path parent, UserPrincipal us) throws IOException {
    UserPrincipal owner = Files.getOwner(parent);
    if (!owner.equals(us) && !isRoot(owner)) {
      throw new UntrustedDirectoryException(parent + " is owned by " + owner.getName() + ", who could replace the "
          + "spill's directory: not used; give spillDirectory to this process's user (or to root)");
    }
  }

  private static boolean isRoot(UserPrincipal owner) throws IOException {
    return !POSIX || owner.getName().equals("root")
        || owner.equals(FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("root"));
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

  /**
   * The user this process creates files as in {@code directory}: the owner of a file it just made
   * there (on a file system that maps owners, such as NFS with root_squash, the mapped one).
   */
  private static UserPrincipal ourUser(Path directory) throws IOException {
    Path probe = Files.createTempFile(directory, ".owner", ".probe");
    try {
      return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  /** Whether {@code file} is absent or a regular file (no link, FIFO or device that would hang or mislead an open). */
  static boolean isAbsentOrRegular(Path file) {
    return !Files.exists(file, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
  }
}
