package dev.logfailover.logback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.adapter.Option;
import dev.logfailover.testing.ClassFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The appender takes every option of core's list, and uses core through its exported packages only. */
class AdapterContractTest {

  @Test
  void everyOptionHasASetterThatJoranFinds() {
    for (Option option : Option.values()) {
      String setter = "set" + Character.toUpperCase(option.configName().charAt(0)) + option.configName().substring(1);
      assertThat(Stream.of(FailoverSocketAppender.class.getMethods())
          .filter(method -> method.getName().equals(setter))
          .filter(method -> List.of(method.getParameterTypes()).equals(List.of(String.class))))
          .as("FailoverSocketAppender." + setter + "(String) for <" + option.configName() + ">")
          .hasSize(1);
    }
  }

  @Test
  void getStatusIsNullBeforeTheFirstStartAsInLog4j2() {
    assertThat(new FailoverSocketAppender<Object>().getStatus()).isNull();
  }

  @Test
  void noClassOfTheAppenderUsesTheEnginesInternalPackages() throws IOException {
    ClassFiles.assertNoReferenceTo(Path.of("target/classes"), "dev.logfailover.internal");
  }
}
