package dev.logfailover.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** F17: whatever the appender's name, its spill stays inside {@code spillDirectory}, in a folder of its own. */
class SpillDirectoryNameTest {
  private static final Path SPILL = Path.of("/var/spool/app");

  @Test
  void F17b_everyNameMapsToOneFolderInsideTheSpillDirectory() {
    for (String name : new String[] {"..", ".", "", "../../etc", "a/b", "a\\\\b", "tab\there", "..."}) {
      Path folder = Spill.directoryFor(SPILL, name);
      assertThat(folder.getParent()).as(name).isEqualTo(SPILL);
      assertThat(folder.normalize()).as(name).isEqualTo(folder);
    }
    assertThat(Spill.directoryFor(SPILL, "..")).isNotEqualTo(Spill.directoryFor(SPILL, "."));
    assertThat(Spill.directoryFor(SPILL, "COLLECTORS-1.a_b")).isEqualTo(SPILL.resolve("COLLECTORS-1.a_b"));
  }
}
