package dev.logfailover.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the collectors. syslog-ng comes from Debian's syslog-ng-core. rsyslog conflicts with it as
 * a package (both are the system's log daemon), so .ci/run unpacks Debian's rsyslog package into
 * {@value #RSYSLOG_ROOT} beside an installed syslog-ng; an installed rsyslogd is used if present.
 * Outside CI a missing binary skips its tests with a loud message; in CI ({@code CI=true}) it fails.
 */
final class Binaries {
  static final String RSYSLOG_ROOT = "/opt/logfailover-rsyslog";
  private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private Binaries() {}

  record Rsyslog(Path executable, Path moduleDirectory) {}

  static Path syslogNg() {
    return require("syslog-ng", find("syslog-ng"), "apt-get install -y syslog-ng-core");
  }

  static Path nginx() {
    return require("nginx", find("nginx"), "apt-get install -y nginx");
  }

  static Rsyslog rsyslog() {
    Optional<Path> installed = find("rsyslogd");
    if (installed.isPresent()) {
      return new Rsyslog(installed.get(), null);
    }
    Path unpacked = Path.of(RSYSLOG_ROOT, "usr/sbin/rsyslogd");
    Path executable = require("rsyslogd", Files.isExecutable(unpacked) ? Optional.of(unpacked) : Optional.empty(),
        "bash .ci/run (it unpacks Debian's rsyslog into " + RSYSLOG_ROOT + ")");
    return new Rsyslog(executable, moduleDirectoryUnder(Path.of(RSYSLOG_ROOT)));
  }

  /**
   * rsyslog with Debian's rsyslog-relp module ({@code imrelp.so}, with its library librelp0), which
   * .ci/run unpacks beside the unpacked rsyslog.
   */
  static Rsyslog rsyslogWithRelp() {
    Rsyslog rsyslog = rsyslog();
    Path modules = rsyslog.moduleDirectory() != null ? rsyslog.moduleDirectory() : installedModuleDirectory();
    Path imrelp = modules == null ? null : modules.resolve("imrelp.so");
    require("rsyslog's imrelp module", imrelp != null && Files.isReadable(imrelp) ? Optional.of(imrelp) : Optional.empty(),
        "bash .ci/run (it installs librelp0 and unpacks Debian's rsyslog-relp into " + RSYSLOG_ROOT + ")");
    return new Rsyslog(rsyslog.executable(), modules);
  }

  /** Where an installed rsyslog keeps its modules, whatever the machine's architecture. */
  private static Path installedModuleDirectory() {
    return moduleDirectoryUnder(Path.of("/"));
  }

  /** {@code usr/lib/<multiarch triplet>/rsyslog} below {@code root}, the first that exists. */
  static Path moduleDirectoryUnder(Path root) {
    Path lib = root.resolve("usr/lib");
    if (!Files.isDirectory(lib)) {
      return null;
    }
    try (var entries = Files.list(lib)) {
      return entries.map(entry -> entry.resolve("rsyslog")).filter(Files::isDirectory).findFirst()
          .orElse(Files.isDirectory(lib.resolve("rsyslog")) ? lib.resolve("rsyslog") : null);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    return java.util.stream.Stream.concat(java.util.Arrays.stream(path.split(":")), SYSTEM_DIRECTORIES.stream())
        .filter(directory -> !directory.isEmpty())
        .map(directory -> Path.of(directory, name)).filter(Files::isExecutable).findFirst();
  }

  private static Path require(String name, Optional<Path> found, String install) {
    if (found.isEmpty()) {
      String message = "*** " + name + " is not installed: the tests against real collectors cannot run. "
          + "Install it with: " + install + " ***";
      System.err.println(message);
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        assertThat(found).as(message).isPresent();
      }
      Assumptions.assumeTrue(false, message);
    }
    return found.get();
  }
}
