package dev.logfailover.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.FailoverStatus;
import dev.logfailover.Framing;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.FakeServer;
import dev.logfailover.testing.TestCertificates;
import dev.logfailover.testing.TestCertificates.Authority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chaos run: each appender, through its real configuration file, ships events logged from
 * three threads to three collectors over {@code tls}, {@code relp-tls} or {@code https} (each run
 * takes all three, under both frameworks) while a seeded generator strikes at random:
 * kill (RST), FIN, stop (FIN and refuse), stall and resume, refuse, a certificate for another
 * name, a reload of the framework's configuration, and a reload whose server list holds a name
 * that does not resolve. At the end every event must be accounted for: received, or counted as
 * dropped, or lost only where the fault matrix allows it over TCP (what a killed or closing
 * collector had not read) and never over RELP or HTTPS; none received twice over TLS, and over
 * the acknowledged transports no more than were resent; no logging call near a timeout; no thread or socket of ours left after stop.
 *
 * <p>Three seeds per framework, new ones each run, about ten seconds each; every seed is printed.
 * {@code -Dlogfailover.chaos.seeds=1,2,3} replays seeds, {@code -Dlogfailover.chaos.seconds=300}
 * runs longer.
 */
class ChaosTest {
  private static final Duration RUN_FOR = Duration.ofSeconds(Long.getLong("logfailover.chaos.seconds", 10));
  private static final int LOGGING_THREADS = 3;
  /** Each logging thread logs about once per this, so ~1,500 events/s in all. */
  private static final long LOG_EVERY_NANOS = 2_000_000;
  /**
   * What one lossy fault may cost over TCP: the events a collector had read into its kernel but
   * not yet from it when it was killed or closed. The fault matrix asserts the same bound per kill.
   */
  private static final long LOSS_PER_LOSSY_FAULT = 200;
  private static final Pattern EVENT = Pattern.compile("chaos (\\d+)-(\\d+)");
  /** After a heal, how long a collector takes no new fault (see Chaos.recoveringUntil). */
  private static final long RECOVERY_NANOS = Duration.ofMillis(500).toNanos();
  private static final String UNRESOLVABLE = "no-such-host.invalid:6514";

  @TempDir Path directory;

  enum Fault {
    KILL(true), FIN(true), STOP(true), STALL(false), REFUSE(false), WRONG_CERTIFICATE(true), RELOAD(false),
    UNRESOLVABLE_NAME(false),
    /** Every collector stopped at once (the spill's runs only): the backlog goes to disk. */
    ALL_DOWN(true);

    /** Whether over TCP this fault may lose what a collector had not read (the fault matrix's rows). */
    final boolean lossy;

    Fault(boolean lossy) {
      this.lossy = lossy;
    }
  }

  static Stream<Arguments> runs() {
    String replay = System.getProperty("logfailover.chaos.seeds");
    List<Long> seeds = new ArrayList<>();
    if (replay != null && !replay.isBlank()) {
      for (String seed : replay.split(",")) {
        seeds.add(Long.parseLong(seed.trim()));
      }
    } else {
      Random seedOfSeeds = new Random();
      for (int i = 0; i < 3; i++) {
        seeds.add(seedOfSeeds.nextLong() & Long.MAX_VALUE);
      }
    }
    // Each seed runs once per framework, the transports in turn: with three seeds, every transport
    // runs under both frameworks.
    List<String> transports = List.of("tls", "relp-tls", "https");
    List<Arguments> runs = new ArrayList<>();
    for (int i = 0; i < seeds.size(); i++) {
      for (int framework = 0; framework < 2; framework++) {
        runs.add(Arguments.of(framework == 0 ? "logback" : "log4j2", transports.get((2 * i + framework) % 3),
            seeds.get(i), false));
      }
      // And one run with a spill behind a small queue, over an acknowledged transport, frameworks in turn.
      runs.add(Arguments.of(i % 2 == 0 ? "logback" : "log4j2", i % 2 == 0 ? "relp-tls" : "https", seeds.get(i), true));
    }
    return runs.stream();
  }

  @ParameterizedTest(name = "{0} over {1}, seed {2}, spill {3}")
  @MethodSource("runs")
  void everyEventIsAccountedForThroughRandomFaults(String framework, String transport, long seed, boolean spill)
      throws Exception {
    System.out.println("Chaos run: " + framework + " over " + transport + ", seed " + seed + (spill ? ", spill" : "")
        + " (replay: -Dlogfailover.chaos.seeds=" + seed + ")");
    long socketsBefore = openSockets();
    try (Chaos chaos = new Chaos(framework, transport, seed, spill)) {
      chaos.run();
      chaos.check();
    }
    Await.until(Duration.ofSeconds(10), () -> openSockets() <= socketsBefore,
        () -> "sockets open: " + openSockets() + ", before the run: " + socketsBefore);
  }

  /** One run: the collectors, the appender, the logging threads, the faults, and the books. */
  private final class Chaos implements AutoCloseable {
    private final String framework;
    /** {@code tls}; or {@code relp-tls} or {@code https}: acknowledged, so nothing may be lost at all. */
    private final String transport;
    private final long seed;
    private final Random random;
    private final Authority authority;
    private final SSLContext rightIdentity;
    private final SSLContext wrongIdentity;
    private final List<FakeServer> collectors = new ArrayList<>();
    private final AppenderDriver driver;
    private final Map<Fault, Integer> struck = new EnumMap<>(Fault.class);
    /** Heals due, by collector; a collector with a heal pending takes no other fault. */
    private final Map<FakeServer, Heal> pending = new HashMap<>();
    /**
     * When each healed collector may take a fault again: a collector that resumes reading needs a
     * moment to read its backlog, and killing it before would be the fault matrix's "frozen for
     * good" (which loses what it had not read), not a kill.
     */
    private final Map<FakeServer, Long> recoveringUntil = new HashMap<>();
    /** Logging pauses while Logback reconfigures: Logback itself drops events logged during its reset. */
    private final ReentrantReadWriteLock reloading = new ReentrantReadWriteLock();
    private final AtomicBoolean logging = new AtomicBoolean(true);
    private final AtomicLong worstCallNanos = new AtomicLong();
    private final long[] logged = new long[LOGGING_THREADS];
    private final boolean failback;
    /**
     * With a spill behind a queue of 1000, every collector down now and then, and a shutdownTimeout
     * short enough for the stops of reloads to end at it: nothing may be lost at all.
     */
    private final boolean spill;
    private Setup setup;
    private final long startNanos = System.nanoTime();

    private record Heal(long atNanos, Step step) {}

    @FunctionalInterface
    private interface Step {
      void run() throws Exception;
    }

    Chaos(String framework, String transport, long seed, boolean spill) throws Exception {
      this.framework = framework;
      this.spill = spill;
      this.transport = transport;
      this.seed = seed;
      this.random = new Random(seed);
      this.failback = random.nextBoolean();
      authority = TestCertificates.newAuthority("chaos CA");
      rightIdentity = TestCertificates.context(authority.issue("127.0.0.1", "127.0.0.1"));
      wrongIdentity = TestCertificates.context(authority.issue("elsewhere.example", "elsewhere.example"));
      for (String name : List.of("primary", "failover1", "failover2")) {
        collectors.add(switch (transport) {
          case "relp-tls" -> FakeServer.startRelp(name, rightIdentity, false);
          case "https" -> FakeServer.startHttp(name, rightIdentity);
          default -> FakeServer.startTls(name, Framing.NEWLINE, rightIdentity, false);
        });
      }
      driver = framework.equals("logback") ? new LogbackDriver() : new Log4j2Driver();
    }

    private Setup setup(boolean withUnresolvableName) throws Exception {
      Path trustStore = directory.resolve("chaos-ca.p12");
      if (!Files.exists(trustStore)) {
        TestCertificates.writeTrustStore(trustStore, "changeit", authority);
      }
      Setup next = new Setup("127.0.0.1", collectors.get(0).port()).tls(trustStore, null, "changeit")
          .option("transport", transport).option("connectTimeout", "500ms").option("writeTimeout", "1s")
          .option("reconnectDelay", "50ms").option("maxReconnectDelay", "400ms")
          .option("queueSize", spill ? "1000" : "100000").option("shutdownTimeout", spill ? "300ms" : "10s");
      if (spill) {
        next.option("spillDirectory", directory.resolve("spill").toString());
      }
      if (withUnresolvableName) {
        next.server(UNRESOLVABLE);
      }
      next.server(collectors.get(1).hostAndPort()).server(collectors.get(2).hostAndPort());
      return failback ? next.failback("2", "300ms") : next;
    }

    private boolean isAcknowledged() {
      return !transport.equals("tls");
    }

    void run() throws Exception {
      setup = setup(false);
      driver.start(setup);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < LOGGING_THREADS; i++) {
        int thread = i;
        Thread logger = new Thread(() -> log(thread), "chaos-logger-" + i);
        logger.start();
        threads.add(logger);
      }
      long start = System.nanoTime();
      while (System.nanoTime() - start < RUN_FOR.toNanos()) {
        LockSupport.parkNanos(Duration.ofMillis(200 + random.nextInt(500)).toNanos());
        healWhatIsDue(false);
        strike();
      }
      logging.set(false);
      for (Thread thread : threads) {
        thread.join(30_000);
      }
      healWhatIsDue(true);
    }

    private void log(int thread) {
      long next = System.nanoTime();
      while (logging.get()) {
        reloading.readLock().lock();
        try {
          long before = System.nanoTime();
          driver.log("chaos " + thread + "-" + logged[thread]);
          worstCallNanos.accumulateAndGet(System.nanoTime() - before, Math::max);
          logged[thread]++;
        } finally {
          reloading.readLock().unlock();
        }
        next += LOG_EVERY_NANOS;
        LockSupport.parkNanos(next - System.nanoTime());
      }
    }

    private void strike() throws Exception {
      Fault fault = Fault.values()[random.nextInt(Fault.values().length - (spill ? 0 : 1))];
      long now = System.nanoTime();
      List<FakeServer> healthy = collectors.stream().filter(collector -> !pending.containsKey(collector)
          && recoveringUntil.getOrDefault(collector, now) - now <= 0).toList();
      if (healthy.isEmpty() && fault != Fault.RELOAD && fault != Fault.UNRESOLVABLE_NAME) {
        return;
      }
      FakeServer target = healthy.isEmpty() ? null : healthy.get(random.nextInt(healthy.size()));
      long healAt = System.nanoTime() + Duration.ofMillis(300 + random.nextInt(1200)).toNanos();
      switch (fault) {
        case KILL -> {
          target.kill();
          pending.put(target, new Heal(healAt, target::restart));
        }
        case FIN -> target.closeConnections();
        case STOP -> {
          target.stop();
          pending.put(target, new Heal(healAt, target::restart));
        }
        case STALL -> {
          target.pauseReading();
          pending.put(target, new Heal(healAt, target::resumeReading));
        }
        case REFUSE -> {
          target.stopListening();
          pending.put(target, new Heal(healAt, target::restart));
        }
        case WRONG_CERTIFICATE -> {
          target.presentIdentity(wrongIdentity);
          target.closeConnections();
          pending.put(target, new Heal(healAt, () -> target.presentIdentity(rightIdentity)));
        }
        case RELOAD, UNRESOLVABLE_NAME -> reload(setup(fault == Fault.UNRESOLVABLE_NAME));
        case ALL_DOWN -> {
          for (FakeServer collector : healthy) {
            collector.stop();
            pending.put(collector, new Heal(healAt, collector::restart));
          }
        }
      }
      struck.merge(fault, 1, Integer::sum);
      if (Boolean.getBoolean("logfailover.chaos.trace")) {
        System.out.printf("  %5d ms %s %s; received so far %s%n", (System.nanoTime() - startNanos) / 1_000_000, fault,
            target == null ? "" : target.name(), collectors.stream().map(FakeServer::recordCount).toList());
      }
    }

    private void reload(Setup next) throws Exception {
      boolean pauseLogging = framework.equals("logback");
      if (pauseLogging) {
        reloading.writeLock().lock();
      }
      try {
        driver.reload(next);
      } finally {
        if (pauseLogging) {
          reloading.writeLock().unlock();
        }
      }
    }

    private void healWhatIsDue(boolean all) throws Exception {
      long now = System.nanoTime();
      for (var entry : List.copyOf(pending.entrySet())) {
        if (all || entry.getValue().atNanos() - now <= 0) {
          entry.getValue().step().run();
          pending.remove(entry.getKey());
          recoveringUntil.put(entry.getKey(), now + RECOVERY_NANOS);
        }
      }
    }

    void check() throws Exception {
      long total = 0;
      for (long count : logged) {
        total += count;
      }
      long sent = total;
      Await.until(Duration.ofSeconds(30), () -> {
        FailoverStatus now = driver.status();
        return counted(FailoverStatus::eventsSent) + counted(FailoverStatus::eventsDropped) >= sent
            && now.queuedEvents() == 0 && now.spilledEvents() == 0;
      }, () -> "the appender to settle: " + driver.status());
      driver.shutdown();
      Await.until(Duration.ofSeconds(10), () -> ourThreads().isEmpty(), () -> "threads left: " + ourThreads());
      Map<String, Integer> seen = awaitStableReceipts();
      long received = seen.size();
      long duplicated = seen.values().stream().mapToLong(count -> count - 1).sum();
      long dropped = counted(FailoverStatus::eventsDropped);
      long resent = counted(FailoverStatus::resent);
      long lost = total - received - dropped;
      long lossyFaults = struck.entrySet().stream().filter(entry -> entry.getKey().lossy)
          .mapToLong(Map.Entry::getValue).sum();
      long allowedLoss = isAcknowledged() ? 0 : lossyFaults * LOSS_PER_LOSSY_FAULT;
      System.out.printf("Chaos %s over %s seed %d (%s mode): faults %s; logged %d, received %d, dropped %d, lost %d"
          + " (allowed %d), duplicated %d, resent %d, worst call %d ms; counted as sent %d%n", framework, transport,
          seed, failback ? "failback" : "round-robin", struck, total, received, dropped, lost, allowedLoss, duplicated,
          resent, worstCallNanos.get() / 1_000_000, counted(FailoverStatus::eventsSent));
      String replay = " (replay: -Dlogfailover.chaos.seeds=" + seed + ")";
      if (isAcknowledged()) {
        assertThat(duplicated).as("events received twice: only what a server took without acknowledging" + replay)
            .isLessThanOrEqualTo(resent);
      } else {
        assertThat(duplicated).as("events received twice over TLS" + replay).isZero();
      }
      assertThat(lost).as("lost can never be negative: nothing both dropped and received" + replay)
          .isGreaterThanOrEqualTo(0);
      assertThat(lost).as("lost: acknowledged, nothing; over tls only what killed or closing collectors had not read"
          + replay).isLessThanOrEqualTo(allowedLoss);
      assertThat(Duration.ofNanos(worstCallNanos.get())).as("the slowest logging call" + replay)
          .isLessThan(Duration.ofMillis(500));
    }

    /** A counter summed over the appenders reloads replaced and the last one. */
    private long counted(java.util.function.ToLongFunction<FailoverStatus> counter) {
      return Stream.concat(driver.replacedStatuses().stream(), Stream.of(driver.status())).mapToLong(counter).sum();
    }

    /** Waits until the collectors have read everything (their readers run on), then tallies receipts per event. */
    private Map<String, Integer> awaitStableReceipts() {
      int[] last = {-1};
      Await.until(Duration.ofSeconds(20), () -> {
        int now = collectors.stream().mapToInt(FakeServer::recordCount).sum();
        boolean stable = now == last[0];
        last[0] = now;
        LockSupport.parkNanos(200_000_000);
        return stable;
      }, () -> "the collectors to stop receiving");
      Map<String, Integer> seen = new HashMap<>();
      for (FakeServer collector : collectors) {
        for (String record : collector.records()) {
          Matcher matcher = EVENT.matcher(record);
          if (matcher.find()) {
            seen.merge(matcher.group(1) + "-" + matcher.group(2), 1, Integer::sum);
          }
        }
      }
      return seen;
    }

    @Override
    public void close() {
      logging.set(false);
      driver.close();
      collectors.forEach(FakeServer::close);
    }
  }

  private static List<String> ourThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(name -> name.startsWith("logfailover-")).toList();
  }

  /**
   * TCP sockets this JVM holds open: the descriptors of /proc/self/fd that are sockets listed in
   * /proc/net/tcp or tcp6. (The JDK may keep a Unix domain socket of its own for the JVM's life.)
   */
  private static long openSockets() {
    try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
      java.util.Set<String> tcpInodes = new java.util.HashSet<>();
      for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
        Files.readAllLines(Path.of(table)).stream().skip(1)
            .forEach(line -> tcpInodes.add(line.trim().split("\\s+")[9]));
      }
      return descriptors.map(descriptor -> {
        try {
          return Files.readSymbolicLink(descriptor).toString();
        } catch (IOException gone) {
          return "";
        }
      }).filter(target -> target.startsWith("socket:[")
          && tcpInodes.contains(target.substring("socket:[".length(), target.length() - 1))).count();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc", e);
    }
  }
}
