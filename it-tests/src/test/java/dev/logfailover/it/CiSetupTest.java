package dev.logfailover.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9, item 9: CI fails on a missing collector whatever the CI system sets, on any architecture. */
class CiSetupTest {
  @TempDir Path root;

  @Test
  void ciRunExportsCiSoThatAMissingCollectorFailsTheRunInsteadOfSkippingItsTests() throws Exception {
    List<String> script = Files.readAllLines(Path.of("..", ".ci", "run"));
    int export = script.indexOf("export CI=true");
    int build = script.indexOf("./mvnw -B verify");
    assertThat(export).as("`export CI=true` in .ci/run").isNotNegative();
    assertThat(build).as("the README's test command in .ci/run").isGreaterThan(export);
  }

  @Test
  void rsyslogsModuleDirectoryIsFoundWhateverTheMachinesArchitecture() throws Exception {
    Path arm = Files.createDirectories(root.resolve("usr/lib/aarch64-linux-gnu/rsyslog"));
    assertThat(Binaries.moduleDirectoryUnder(root)).isEqualTo(arm);
  }
}
