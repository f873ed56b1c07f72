package dev.logfailover.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Checks on a module's compiled classes, for rules the compiler cannot enforce on the class path. */
public final class ClassFiles {
  private ClassFiles() {}

  /**
   * Fails if any class under {@code classesDirectory} refers to a type in {@code packageName} or
   * below (its constant pool names every type it uses, in internal form).
   */
  public static void assertNoReferenceTo(Path classesDirectory, String packageName) throws IOException {
    String internalName = packageName.replace('.', '/') + "/";
    try (Stream<Path> classes = Files.walk(classesDirectory)) {
      assertThat(classes.filter(path -> path.toString().endsWith(".class")))
          .isNotEmpty()
          .allSatisfy(path -> assertThat(new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1))
              .as(path + " refers to " + packageName).doesNotContain(internalName));
    }
  }
}
