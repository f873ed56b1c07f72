package dev.logfailover.benchmarks;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Delivered events per second into one real rsyslog (Debian's, as the tests run it), over {@code
 * tcp} ({@code imtcp}) and over {@code relp} ({@code imrelp}, its ruleset with a Direct queue, so
 * an event is written before it is acknowledged, as the README recommends), side by side:
 * "delivered" is an event rsyslog wrote to its output file, counted by its lines.
 */
final class RsyslogBenchmark {
  private static final int EVENTS = 200_000;
  private static final int ROUNDS = 4;
  private static final String ROOT = "/opt/logfailover-rsyslog";

  private RsyslogBenchmark() {}

  /** Runs this comparison alone; {@link Benchmarks} runs it after the others. */
  public static void main(String[] args) throws Exception {
    run();
  }

  static void run() throws Exception {
    Path executable = Files.isExecutable(Path.of(ROOT, "usr/sbin/rsyslogd")) ? Path.of(ROOT, "usr/sbin/rsyslogd")
        : Path.of("/usr/sbin/rsyslogd");
    Path modules = moduleDirectory(executable.startsWith(ROOT) ? Path.of(ROOT) : Path.of("/"));
    if (!Files.isExecutable(executable) || modules == null || !Files.exists(modules.resolve("imrelp.so"))) {
      System.out.println("\nrsyslog with imrelp is not installed (bash .ci/run installs it): RELP vs TCP skipped");
      return;
    }
    Path directory = Files.createTempDirectory("logfailover-bench-rsyslog");
    int tcpPort = freePort();
    int relpPort = freePort();
    Path output = directory.resolve("out.log");
    Files.writeString(directory.resolve("rsyslog.conf"), """
        global(workDirectory="%s")
        module(load="%s")
        module(load="%s")
        input(type="imtcp" address="127.0.0.1" port="%d")
        input(type="imrelp" address="127.0.0.1" port="%d" ruleset="written")
        template(name="text" type="string" string="%%msg%%\\n")
        action(type="omfile" file="%s" template="text")
        ruleset(name="written" queue.type="Direct") {
          action(type="omfile" file="%s" template="text")
        }
        """.formatted(directory, modules.resolve("imtcp.so"), modules.resolve("imrelp.so"), tcpPort, relpPort,
        output, output));
    Process rsyslog = new ProcessBuilder(executable.toString(), "-n", "-f", directory.resolve("rsyslog.conf").toString(),
        "-i", directory.resolve("pid").toString(), "-M", modules.toString())
        .redirectErrorStream(true).redirectOutput(directory.resolve("rsyslog.log").toFile()).start();
    try {
      awaitListening(tcpPort);
      awaitListening(relpPort);
      System.out.printf("%nInto one rsyslog 8.2302 (imtcp and imrelp), RFC 5424, %,d events per round, %d rounds"
          + " (first is warm-up)%n", EVENTS, ROUNDS);
      System.out.printf("%-10s %-8s %15s %15s %18s %18s%n", "transport", "threads", "median events/s", "best events/s",
          "rsyslog CPU/event", "our JVM CPU/event");
      try (LineCounter lines = new LineCounter(output)) {
        for (int threads : new int[] {1, 2}) {
          double tcp = throughput("tcp", tcpPort, threads, lines, rsyslog.pid());
          double relp = throughput("relp", relpPort, threads, lines, rsyslog.pid());
          System.out.printf("=> %d thread%s: relp delivers %.0f%% of tcp's rate%n", threads, threads == 1 ? "" : "s",
              100 * relp / tcp);
        }
      }
    } finally {
      rsyslog.destroy();
      rsyslog.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static double throughput(String transport, int port, int threads, LineCounter lines, long rsyslogPid)
      throws Exception {
    double[] rates = new double[ROUNDS - 1];
    long rsyslogCpu = 0;
    long ourCpu = 0;
    for (int round = 0; round < ROUNDS; round++) {
      long rsyslogCpuBefore = cpuNanos(rsyslogPid);
      long ourCpuBefore = ourCpuNanos();
      LoggerContext context = Benchmarks.configure("<appender name=\"OUT\" class=\"dev.logfailover.logback.FailoverSocketAppender\">"
          + "<host>127.0.0.1</host><port>" + port + "</port><transport>" + transport + "</transport>"
          + "<overflowPolicy>block</overflowPolicy><maxBlock>1 minute</maxBlock>"
          + "<encoder class=\"dev.logfailover.logback.Rfc5424Encoder\"><appName>orders</appName></encoder></appender>");
      Logger logger = context.getLogger("orders");
      long before = lines.count();
      long start = System.nanoTime();
      Benchmarks.logNumbered(i -> logger.info(Candidate.MESSAGE, i), EVENTS, threads);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (lines.count() - before < EVENTS && System.nanoTime() < deadline) {
        LockSupport.parkNanos(200_000);
      }
      long elapsed = System.nanoTime() - start;
      context.stop();
      if (lines.count() - before < EVENTS) {
        throw new IllegalStateException(transport + " delivered " + (lines.count() - before) + " of " + EVENTS);
      }
      if (round > 0) {
        rates[round - 1] = EVENTS / (elapsed / 1e9);
        rsyslogCpu += cpuNanos(rsyslogPid) - rsyslogCpuBefore;
        ourCpu += ourCpuNanos() - ourCpuBefore;
      }
    }
    Arrays.sort(rates);
    double median = rates[rates.length / 2];
    double measured = (double) EVENTS * (ROUNDS - 1);
    System.out.printf("%-10s %-8d %,15.0f %,15.0f %15.2f us %15.2f us%n", transport, threads, median,
        rates[rates.length - 1], rsyslogCpu / measured / 1000, ourCpu / measured / 1000);
    return median;
  }

  /** CPU time (user + system) a process used, from /proc (clock ticks of 10 ms). */
  private static long cpuNanos(long pid) throws IOException {
    String[] fields = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst(".*\\) ", "").split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
  }

  private static long ourCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Counts the lines of a growing file, reading only what was added since the last count. */
  private static final class LineCounter implements AutoCloseable {
    private final Path file;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private FileChannel channel;
    private long lines;

    LineCounter(Path file) {
      this.file = file;
    }

    long count() throws IOException {
      if (channel == null) {
        if (!Files.exists(file)) {
          return 0;
        }
        channel = FileChannel.open(file, StandardOpenOption.READ);
      }
      int read;
      while ((read = channel.read(buffer.clear())) > 0) {
        for (int i = 0; i < read; i++) {
          if (buffer.get(i) == '\n') {
            lines++;
          }
        }
      }
      return lines;
    }

    @Override
    public void close() throws IOException {
      if (channel != null) {
        channel.close();
      }
    }
  }

  private static Path moduleDirectory(Path root) throws IOException {
    Path lib = root.resolve("usr/lib");
    try (var entries = Files.list(lib)) {
      return entries.map(entry -> entry.resolve("rsyslog")).filter(Files::isDirectory).findFirst().orElse(null);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void awaitListening(int port) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        LockSupport.parkNanos(50_000_000);
      }
    }
    throw new IllegalStateException("rsyslog does not listen on " + port);
  }
}
