package dev.logfailover.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What core shows the world: applications get the API package only, the adapter package goes to
 * the two appender modules alone, and the engine is not exported. And the README's option table is
 * the list of {@link Option}s, with their defaults.
 */
class ApiSurfaceTest {

  @Test
  void theModuleExportsTheApiToEveryoneTheAdapterPackageToTheAppendersAndTheEngineToNobody() throws IOException {
    ModuleDescriptor descriptor = ModuleFinder.of(Path.of("target/classes")).find("dev.logfailover.core")
        .orElseThrow().descriptor();
    Map<String, Set<String>> exports = descriptor.exports().stream()
        .collect(Collectors.toMap(Exports::source, Exports::targets));
    assertThat(exports).containsOnlyKeys("dev.logfailover", "dev.logfailover.adapter");
    assertThat(exports.get("dev.logfailover")).as("unqualified: every application").isEmpty();
    assertThat(exports.get("dev.logfailover.adapter"))
        .containsExactlyInAnyOrder("dev.logfailover.logback", "dev.logfailover.log4j2");
    assertThat(descriptor.packages()).as("the engine is there, unexported")
        .contains("dev.logfailover.internal.sender", "dev.logfailover.internal.transport");
    assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name))
        .as("JDK only").allMatch(name -> name.startsWith("java.") || name.startsWith("jdk."));
  }

  @Test
  void theMBeanIsNamedAsTheSpecWritesItAndQuotedOnlyWhenJmxRequiresIt() throws Exception {
    assertThat(StatusMBean.objectName("COLLECTORS").toString())
        .isEqualTo("dev.logfailover:type=FailoverSocketAppender,name=COLLECTORS");
    assertThat(StatusMBean.objectName("orders-tcp.1").getKeyProperty("name")).isEqualTo("orders-tcp.1");
    assertThat(StatusMBean.objectName("a,b=c").getKeyProperty("name")).isEqualTo("\"a,b=c\"");
  }

  @Test
  void aStoppingOldAppenderLeavesTheBeanOfTheNewOneWithTheSameName() throws Exception {
    javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
    StatusMBean older = StatusMBean.register("reloaded", () -> null);
    StatusMBean newer = StatusMBean.register("reloaded", () -> null);
    older.unregister();
    assertThat(jmx.isRegistered(StatusMBean.objectName("reloaded"))).isTrue();
    newer.unregister();
    assertThat(jmx.isRegistered(StatusMBean.objectName("reloaded"))).isFalse();
  }

  @Test
  void theReadmesOptionTableListsEveryOptionWithItsDefault() throws IOException {
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    Matcher rows = Pattern.compile("(?m)^\\| `([A-Za-z]+)` \\| ([^|]+) \\|").matcher(readme);
    Map<String, String> table = new java.util.LinkedHashMap<>();
    while (rows.find()) {
      table.putIfAbsent(rows.group(1), rows.group(2).trim());
    }
    for (Option option : Option.values()) {
      assertThat(table).as("README row for " + option.configName())
          .containsEntry(option.configName(), option.defaultText());
    }
  }
}
