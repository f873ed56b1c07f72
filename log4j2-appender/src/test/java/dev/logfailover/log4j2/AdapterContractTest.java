package dev.logfailover.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.adapter.Option;
import dev.logfailover.testing.ClassFiles;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.junit.jupiter.api.Test;

/** The plugin takes every option of core's list, and uses core through its exported packages only. */
class AdapterContractTest {

  @Test
  void everyOptionIsAnAttributeOfTheBuilder() throws Exception {
    for (Option option : Option.values()) {
      Field field = FailoverSocketAppender.Builder.class.getDeclaredField(option.configName());
      assertThat(field.isAnnotationPresent(PluginBuilderAttribute.class))
          .as("@PluginBuilderAttribute " + option.configName()).isTrue();
      FailoverSocketAppender.Builder builder = FailoverSocketAppender.newBuilder();
      field.setAccessible(true);
      field.set(builder, "some text");
      assertThat(builder.optionText(option)).as("read back for parsing").isEqualTo("some text");
    }
  }

  @Test
  void getStatusIsNullBeforeStartAsInLogback() {
    FailoverSocketAppender appender = FailoverSocketAppender.newBuilder().setName("never-started")
        .setHost("127.0.0.1").setLayout(org.apache.logging.log4j.core.layout.PatternLayout.createDefaultLayout())
        .build();
    assertThat(appender).isNotNull();
    assertThat(appender.getStatus()).isNull();
  }

  @Test
  void noClassOfThePluginUsesTheEnginesInternalPackages() throws IOException {
    ClassFiles.assertNoReferenceTo(Path.of("target/classes"), "dev.logfailover.internal");
  }
}
