package dev.logfailover.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import dev.logfailover.FailoverStatus;
import dev.logfailover.logback.FailoverSocketAppender;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * For {@link MemoryBoundTest}, in a child JVM with a small heap: Logback with our appender (every
 * server refusing, default bounds) takes events of almost 1 MiB from four threads for the given
 * seconds, while a monitor measures the heap in use after each collection. Prints the figures
 * and exits 0; an OutOfMemoryError ends it otherwise.
 */
public final class MemoryBoundApp {
  private MemoryBoundApp() {}

  public static void main(String[] args) throws Exception {
    int seconds = Integer.parseInt(args[0]);
    int refusedPort = Integer.parseInt(args[1]);
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(new ByteArrayInputStream(("<configuration>"
        + "<appender name=\"COLLECTORS\" class=\"dev.logfailover.logback.FailoverSocketAppender\">"
        + "<host>127.0.0.1</host><port>" + refusedPort + "</port><encoder><pattern>%msg%n</pattern></encoder>"
        + "<failover><servers><server>127.0.0.1:" + (refusedPort == 65535 ? refusedPort - 1 : refusedPort + 1)
        + "</server></servers></failover>"
        + "</appender><root level=\"INFO\"><appender-ref ref=\"COLLECTORS\"/></root></configuration>")
        .getBytes(StandardCharsets.UTF_8)));
    Logger logger = context.getLogger("app");
    FailoverSocketAppender<?> appender = (FailoverSocketAppender<?>) context.getLogger("ROOT").getAppender("COLLECTORS");
    String message = "x".repeat(1_000_000);
    AtomicLong logged = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        while (System.nanoTime() < end) {
          logger.info(message);
          logged.incrementAndGet();
        }
      }, "logging-" + t);
      threads.add(thread);
      thread.start();
    }
    long maxUsedAfterGc = 0;
    long maxQueuedBytes = 0;
    while (System.nanoTime() < end) {
      System.gc();
      maxUsedAfterGc = Math.max(maxUsedAfterGc, heapUsedAtTheEndOfTheLastCollection());
      maxQueuedBytes = Math.max(maxQueuedBytes, appender.getStatus().queuedBytes());
      Thread.sleep(200);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    FailoverStatus status = appender.getStatus();
    System.out.println("LOGGED=" + logged.get() + " SENT=" + status.eventsSent() + " DROPPED=" + status.eventsDropped()
        + " QUEUED=" + status.queuedEvents() + " OVERSIZED=" + status.oversized() + " MAX_QUEUED_BYTES=" + maxQueuedBytes
        + " MAX_HEAP_USED_AFTER_GC=" + maxUsedAfterGc);
    context.stop();
  }

  /**
   * What the heap held when the last collection ended, summed over its pools: the live data. (The
   * heap's usage read after {@code System.gc()} returns also counts what the four logging threads
   * allocated since, tens of megabytes of garbage at this rate.)
   */
  private static long heapUsedAtTheEndOfTheLastCollection() {
    long used = 0;
    for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
        used += pool.getCollectionUsage().getUsed();
      }
    }
    return used;
  }
}
