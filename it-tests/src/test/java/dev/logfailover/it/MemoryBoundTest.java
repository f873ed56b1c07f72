package dev.logfailover.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F13, issue 9: with every server down, events of almost 1 MiB from four threads for ten seconds
 * in a JVM with a 256 MiB heap. The queue's byte bound (32 MiB by default) keeps the heap far from
 * full: no OutOfMemoryError, and every event is accounted for.
 */
class MemoryBoundTest {
  @TempDir Path directory;

  @Test
  void F13_megabyteEventsFromFourThreadsWithEveryServerDownStayWithinTheBoundsOfA256MiBHeap() throws Exception {
    int refusedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      refusedPort = socket.getLocalPort();
    }
    Path output = directory.resolve("child.log");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), MemoryBoundApp.class.getName(), "10",
        Integer.toString(refusedPort)).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child ends").isTrue();
    String log = Files.readString(output);
    assertThat(log).doesNotContain("OutOfMemoryError");
    assertThat(child.exitValue()).as(log).isZero();
    Map<String, Long> figures = figures(log);
    assertThat(figures.get("SENT")).isZero();
    assertThat(figures.get("LOGGED")).as("many times what the queue can hold").isGreaterThan(100);
    assertThat(figures.get("DROPPED") + figures.get("QUEUED")).as("every event dropped (counted) or queued")
        .isEqualTo(figures.get("LOGGED"));
    assertThat(figures.get("MAX_QUEUED_BYTES")).isLessThanOrEqualTo(32L << 20);
    assertThat(figures.get("MAX_HEAP_USED_AFTER_GC")).as("the queue's 32 MiB plus what four callers hold at once")
        .isLessThan(128L << 20);
  }

  private static Map<String, Long> figures(String log) throws IOException {
    String line = log.lines().filter(l -> l.startsWith("LOGGED=")).findFirst()
        .orElseThrow(() -> new AssertionError("no figures in the child's output:\n" + log));
    System.out.println("Memory bound, -Xmx256m, 4 threads of ~1 MiB events for 10 s, every server down: " + line);
    Map<String, Long> figures = new HashMap<>();
    for (String pair : line.split(" ")) {
      String[] nameAndValue = pair.split("=");
      figures.put(nameAndValue[0], Long.parseLong(nameAndValue[1]));
    }
    return figures;
  }
}
