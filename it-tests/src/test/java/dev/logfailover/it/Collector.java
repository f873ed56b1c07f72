package dev.logfailover.it;

import dev.logfailover.testing.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real collector (syslog-ng or rsyslog from Debian's packages) run by the test as an unprivileged
 * foreground process on a loopback port, with a generated configuration in its own directory. It
 * writes each message it parses as one JSON line of fields (host, program, pid, msgid, sdata,
 * message), which {@link #messages()} reads back. It keeps its port across {@link #restart()}.
 *
 * <p>Faults: {@link #kill()} (SIGKILL: the kernel resets or closes its connections), {@link
 * #stop()} (SIGTERM: a graceful close), {@link #freeze()} / {@link #thaw()} (SIGSTOP / SIGCONT: it
 * reads nothing while frozen).
 */
abstract class Collector implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  final String name;
  final Path directory;
  final int port;
  private Process process;

  Collector(String name, Path directory) throws IOException {
    this.name = name;
    this.directory = Files.createDirectories(directory.resolve(name));
    this.port = freePort();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The command line that runs the collector in the foreground with its configuration. */
  abstract List<String> command() throws IOException;

  Path output() {
    return directory.resolve("messages.json");
  }

  Path processLog() {
    return directory.resolve("process.log");
  }

  String hostAndPort() {
    return "127.0.0.1:" + port;
  }

  /** Starts the process and waits, polling its port (bounded), until it accepts connections. */
  Collector start() throws IOException {
    process = new ProcessBuilder(command()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(processLog().toFile())).start();
    Await.until(START_TIMEOUT, () -> accepts() || !process.isAlive(), () -> name + " listening on " + hostAndPort()
        + "; its log:\n" + readQuietly(processLog()));
    if (!process.isAlive()) {
      throw new IOException(name + " exited instead of listening on " + hostAndPort() + "; its log:\n"
          + Files.readString(processLog()));
    }
    return this;
  }

  private boolean accepts() {
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** SIGKILL, as an OOM killer or a crash would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM: the collector closes its connections itself. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      kill();
    }
  }

  void freeze() throws IOException, InterruptedException {
    signal("-STOP");
  }

  void thaw() throws IOException, InterruptedException {
    signal("-CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
  }

  Collector restart() throws IOException {
    return start();
  }

  /** Every message written so far, as its parsed fields. */
  List<Map<String, String>> messages() throws IOException {
    if (!Files.exists(output())) {
      return List.of();
    }
    List<Map<String, String>> messages = new ArrayList<>();
    for (String line : Files.readAllLines(output())) {
      if (!line.isBlank()) {
        messages.add(FlatJson.parse(line));
      }
    }
    return messages;
  }

  /** The message texts, in arrival order. */
  List<String> texts() throws IOException {
    return messages().stream().map(message -> message.get("message").strip()).toList();
  }

  void awaitMessages(int count) {
    Await.until(Duration.ofSeconds(15), () -> count() >= count,
        () -> name + " to write " + count + " messages, has " + count());
  }

  int count() {
    try {
      return messages().size();
    } catch (IOException | RuntimeException notYetComplete) {
      return 0;
    }
  }


  @Override
  public void close() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return name + " (" + getClass().getSimpleName() + " on " + hostAndPort() + ")";
  }
}
