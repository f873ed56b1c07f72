package dev.logfailover.benchmarks;

import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What an appender costs while the application logs nothing: CPU milliseconds per second and
 * context switches per second of a whole idle JVM, each candidate connected to a loopback sink,
 * next to the same JVM with no appender (the floor). Each candidate runs in a child JVM of its
 * own, measured from {@code /proc/self/stat} (user and system time) and {@code
 * /proc/self/task/*\/status} (voluntary and involuntary switches of every thread) over the idle
 * window. Linux only.
 */
public final class IdleCostBenchmark {
  private static final Duration IDLE_FOR = Duration.ofSeconds(Long.getLong("idle.seconds", 30));
  /** The kernel's clock ticks per second for /proc times (USER_HZ, 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100;

  private IdleCostBenchmark() {}

  /** Runs this benchmark alone. */
  public static void main(String[] args) throws Exception {
    if (args.length == 2) {
      idleChild(args[0], Integer.parseInt(args[1]));
      return;
    }
    run();
  }

  static void run() throws Exception {
    System.out.printf("%nIdle cost, one connected appender and nothing logged, %d s per candidate (a JVM each)%n",
        IDLE_FOR.toSeconds());
    System.out.printf("%-40s %15s %22s%n", "candidate", "CPU ms/s", "context switches/s");
    for (String candidate : List.of("none", "logfailover", "logstash")) {
      try (CountingSink sink = new CountingSink()) {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-cp", System.getProperty("java.class.path"), IdleCostBenchmark.class.getName(), candidate,
            Integer.toString(sink.port())).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        if (!child.waitFor(IDLE_FOR.toSeconds() + 60, TimeUnit.SECONDS) || child.exitValue() != 0) {
          throw new IllegalStateException(candidate + " failed: " + output);
        }
        String figures = output.lines().filter(line -> line.startsWith("IDLE ")).findFirst()
            .orElseThrow(() -> new IllegalStateException(candidate + " printed no figures: " + output));
        String[] parts = figures.split(" ");
        System.out.printf("%-40s %15s %22s%n", name(candidate), parts[1], parts[2]);
      }
    }
  }

  private static String name(String candidate) {
    return switch (candidate) {
      case "none" -> "no appender (the floor)";
      case "logfailover" -> "logfailover FailoverSocketAppender";
      default -> "logstash-logback-encoder TCP appender";
    };
  }

  /** In the child: configure, connect, log a little, then measure the idle window. */
  private static void idleChild(String candidate, int port) throws Exception {
    String encoder = "<encoder><pattern>%msg%n</pattern></encoder>";
    String appender = switch (candidate) {
      case "none" -> null;
      case "logfailover" -> "<appender name=\"OUT\" class=\"dev.logfailover.logback.FailoverSocketAppender\">"
          + "<host>127.0.0.1</host><port>" + port + "</port>" + encoder + "</appender>";
      default -> "<appender name=\"OUT\" class=\"net.logstash.logback.appender.LogstashTcpSocketAppender\">"
          + "<destination>127.0.0.1:" + port + "</destination>" + encoder + "</appender>";
    };
    LoggerContext context = appender == null ? null : Benchmarks.configure(appender);
    if (context != null) {
      for (int i = 0; i < 100; i++) {
        context.getLogger("idle").info("warm-up {}", i);
      }
    }
    Thread.sleep(2_000); // connected, warm-up sent: from here on nothing is logged
    long ticksBefore = cpuTicks();
    long switchesBefore = contextSwitches();
    long start = System.nanoTime();
    Thread.sleep(IDLE_FOR.toMillis());
    double seconds = (System.nanoTime() - start) / 1e9;
    long ticks = cpuTicks() - ticksBefore;
    long switches = contextSwitches() - switchesBefore;
    System.out.printf("IDLE %.1f %.0f%n", ticks / TICKS_PER_SECOND * 1000 / seconds, switches / seconds);
    if (context != null) {
      context.stop();
    }
  }

  /** utime + stime of this process, in clock ticks (fields 14 and 15 of /proc/self/stat). */
  private static long cpuTicks() throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // After the command name, field 3 (state) is at index 0: utime (14) is at 11, stime (15) at 12.
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** Voluntary and involuntary context switches of every thread of this process. */
  private static long contextSwitches() throws IOException {
    long total = 0;
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
              total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
        } catch (IOException threadEnded) {
          // A thread that ended meanwhile: its switches are gone with it, on both sides of the window.
        }
      }
    }
    return total;
  }
}
