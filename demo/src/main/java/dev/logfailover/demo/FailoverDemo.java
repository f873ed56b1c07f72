package dev.logfailover.demo;

import dev.logfailover.FailoverStatus;
import dev.logfailover.Framing;
import dev.logfailover.testing.FakeServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shows failover and failback happening: three loopback collectors, Logback (or Log4j2) configured
 * from demo-logback.xml (or demo-log4j2.xml), numbered events logged throughout, the primary killed, failover1 killed, the
 * primary brought back; then a timeline of what the appender reported and who received what.
 * Exits 1 if an event was duplicated, the tally does not add up, or the failback did not happen.
 */
public final class FailoverDemo {
  private static final Duration EVENT_INTERVAL = Duration.ofMillis(2);
  private static final Duration FAILBACK_DEADLINE = Duration.ofSeconds(15);
  /** How often the picture samples what each collector received. */
  private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(100);

  private final long startNanos = System.nanoTime();
  private final List<String> timeline = new ArrayList<>();
  private final List<FakeServer> collectors = new ArrayList<>();
  private TimelineChart chart;

  /**
   * @param args optional: {@code logback} (default) or {@code log4j2}; then where to write the
   *     timeline picture (default {@code target/failover-timeline.svg})
   */
  public static void main(String[] args) throws Exception {
    String framework = args.length > 0 ? args[0].trim().toLowerCase(java.util.Locale.ROOT) : "logback";
    if (!framework.equals("logback") && !framework.equals("log4j2")) {
      System.err.println("Unknown framework '" + args[0] + "': use logback or log4j2");
      System.exit(2);
    }
    Path picture = Path.of(args.length > 1 ? args[1] : "target/failover-timeline.svg");
    System.exit(new FailoverDemo().run(framework, picture));
  }

  private long elapsedMillis() {
    return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
  }

  private synchronized void mark(String line) {
    timeline.add(String.format("%7d ms  %s", elapsedMillis(), line));
  }

  /** What the demo does: on the timeline, and on the picture with a short {@code label}. */
  private void act(String line, String label) {
    mark(">> demo: " + line);
    chart.demoAction(elapsedMillis(), label);
  }

  /** What the appender reports: on the timeline, and its switches on the picture. */
  private void reported(String level, String message) {
    String text = named(message);
    mark(String.format("%-5s %s", level, text));
    if (text.startsWith("Failed over") || text.startsWith("Failed back")) {
      chart.appenderEvent(elapsedMillis(), text.startsWith("Failed back") ? "failed back to primary"
          : text.substring(0, text.indexOf(';') < 0 ? text.length() : text.indexOf(';')).replace("Failed over from", "failover:"));
    }
  }

  /** Replaces each collector's address by its name, so the timeline reads like the story. */
  private String named(String message) {
    String text = message;
    for (FakeServer collector : collectors) {
      text = text.replace(collector.hostAndPort(), collector.name());
    }
    return text;
  }

  private int run(String framework, Path picture) throws Exception {
    for (String name : List.of("primary", "failover1", "failover2")) {
      collectors.add(FakeServer.start(name, Framing.OCTET_COUNTING));
    }
    chart = new TimelineChart(collectors.stream().map(FakeServer::name).toList());
    FakeServer primary = collectors.get(0);
    FakeServer failover1 = collectors.get(1);
    boolean log4j2 = framework.equals("log4j2");
    System.out.println("logfailover demo: three collectors on loopback; "
        + (log4j2 ? "Log4j2 configured from demo-log4j2.xml" : "Logback configured from demo-logback.xml"));
    collectors.forEach(c -> System.out.printf("  %-10s %s%n", c.name(), c.hostAndPort()));

    int[] ports = collectors.stream().mapToInt(FakeServer::port).toArray();
    DemoLogging.StatusReceiver receiver = this::reported;
    DemoLogging logging = log4j2 ? new Log4j2DemoLogging(ports, receiver) : new LogbackDemoLogging(ports, receiver);

    AtomicInteger sent = new AtomicInteger();
    AtomicBoolean keepLogging = new AtomicBoolean(true);
    Thread application = new Thread(() -> {
      while (keepLogging.get()) {
        logging.log(sent.getAndIncrement());
        pause(EVENT_INTERVAL);
      }
    }, "demo-application");
    application.start();
    AtomicBoolean keepSampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (keepSampling.get()) {
        chart.sample(elapsedMillis(), collectors.stream().mapToInt(FakeServer::recordCount).toArray());
        pause(SAMPLE_INTERVAL);
      }
    }, "demo-sampler");
    sampler.start();

    pause(Duration.ofSeconds(1));
    act("kill -9 primary (its connections are reset, its port refuses)", "kill -9 primary");
    primary.kill();
    pause(Duration.ofSeconds(1));
    act("kill -9 failover1", "kill -9 failover1");
    failover1.kill();
    pause(Duration.ofSeconds(1));
    act("primary is back (failback needs 3 successful probes, 1 s apart)", "primary back");
    primary.restart();
    boolean failedBack = awaitFailback(logging);
    pause(Duration.ofSeconds(1));
    keepLogging.set(false);
    application.join();
    mark(">> demo: " + sent.get() + " events logged; shutting " + (log4j2 ? "Log4j2" : "Logback")
        + " down (flushes the queue)");
    logging.shutdown();
    FailoverStatus status = logging.status();
    awaitDelivery(sent.get() - status.eventsDropped());
    keepSampling.set(false);
    sampler.join();
    chart.write(picture);
    int exit = report(sent.get(), status, failedBack);
    System.out.println("Timeline picture: " + picture.toAbsolutePath());
    return exit;
  }

  private boolean awaitFailback(DemoLogging logging) {
    long deadline = System.nanoTime() + FAILBACK_DEADLINE.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (logging.status().failbacks() > 0) {
        return true;
      }
      pause(Duration.ofMillis(20));
    }
    return false;
  }

  private void awaitDelivery(long expected) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (received() < expected && System.nanoTime() - deadline < 0) {
      pause(Duration.ofMillis(20));
    }
  }

  private int received() {
    return collectors.stream().mapToInt(FakeServer::recordCount).sum();
  }

  private int report(int sent, FailoverStatus status, boolean failedBack) {
    System.out.println();
    System.out.println("Timeline (what the appender reported to the framework's status, and what the demo did)");
    timeline.forEach(line -> System.out.println("  " + line));

    System.out.println();
    System.out.println("Who received which events");
    BitSet seen = new BitSet();
    int duplicated = 0;
    for (FakeServer collector : collectors) {
      List<Integer> numbers = collector.records().stream().map(FailoverDemo::eventNumber).toList();
      for (int number : numbers) {
        if (seen.get(number)) {
          duplicated++;
        }
        seen.set(number);
      }
      System.out.printf("  %-10s %5d events  %s%n", collector.name(), numbers.size(), ranges(numbers));
    }
    long dropped = status.eventsDropped();
    long lost = sent - seen.cardinality() - dropped;
    System.out.println();
    System.out.printf("Tally: sent %d, received %d, dropped %d (counted by the appender), lost %d, duplicated %d%n",
        sent, seen.cardinality(), dropped, lost, duplicated);
    System.out.printf("Appender: %d failovers, %d failbacks, %d probes ok, %d probes failed%n",
        status.failovers(), status.failbacks(), status.probesSucceeded(), status.probesFailed());
    if (lost > 0) {
      System.out.println("  (lost: events a killed collector's kernel had already accepted; a client cannot know of them)");
    }
    collectors.forEach(FakeServer::close);
    boolean ok = failedBack && duplicated == 0 && lost >= 0 && lost <= 2 * collectors.size();
    System.out.println(ok ? "Demo OK" : "Demo FAILED: failback " + failedBack + ", duplicated " + duplicated + ", lost " + lost);
    return ok ? 0 : 1;
  }

  private static int eventNumber(String record) {
    return Integer.parseInt(record.substring(record.lastIndexOf("event ") + "event ".length()).trim());
  }

  /** "0-499, 1800-2399": consecutive numbers folded into ranges. */
  private static String ranges(List<Integer> numbers) {
    List<String> ranges = new ArrayList<>();
    int i = 0;
    while (i < numbers.size()) {
      int first = numbers.get(i);
      int last = first;
      while (i + 1 < numbers.size() && numbers.get(i + 1) == last + 1) {
        last = numbers.get(++i);
      }
      ranges.add(first == last ? Integer.toString(first) : first + "-" + last);
      i++;
    }
    return ranges.isEmpty() ? "(none)" : String.join(", ", ranges);
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
