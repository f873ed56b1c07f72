package dev.logfailover.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.Endpoint;
import dev.logfailover.Failback;
import dev.logfailover.FailoverConfig;
import dev.logfailover.internal.concurrent.Doorbell;
import dev.logfailover.internal.transport.Outbox;
import dev.logfailover.internal.transport.Session;
import dev.logfailover.internal.transport.SessionFactory;
import dev.logfailover.internal.transport.Transports;
import dev.logfailover.testing.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Production hardening (issue 9): a sender that cannot die, and a stop that leaves nothing running. */
class HardeningTest {
  private SenderFixture fixture;

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** A session that does what another does; tests override what they watch or break. */
  private static class ForwardingSession implements Session {
    private final Session delegate;

    ForwardingSession(Session delegate) {
      this.delegate = delegate;
    }

    @Override
    public Endpoint server() {
      return delegate.server();
    }

    @Override
    public InetSocketAddress remoteAddress() {
      return delegate.remoteAddress();
    }

    @Override
    public void send(Outbox outbox) throws IOException {
      delegate.send(outbox);
    }

    @Override
    public void idle(Doorbell doorbell, BooleanSupplier hasNoWork) throws IOException {
      delegate.idle(doorbell, hasNoWork);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** The configured transport, whose sessions throw (a bug) when a batch holds a record that {@code strikes}. */
  private static SessionFactory throwingWhen(FailoverConfig config, Predicate<String> strikes, AtomicInteger thrown) {
    SessionFactory real = Transports.forConfig(config);
    return (server, channel, doorbell) -> {
      return new ForwardingSession(real.open(server, channel, doorbell)) {
        @Override
        public void send(Outbox outbox) throws IOException {
          for (int i = outbox.released(); i < outbox.size(); i++) {
            if (strikes.test(new String(outbox.recordBytes(i), outbox.recordOffset(i), outbox.recordLength(i), StandardCharsets.UTF_8))) {
              thrown.incrementAndGet();
              throw new IllegalStateException("a bug, as a test transport plays it");
            }
          }
          super.send(outbox);
        }
      };
    };
  }

  @Test
  void theSenderSurvivesAnUnexpectedExceptionAndSendsTheBatchAgain() throws Exception {
    AtomicInteger thrown = new AtomicInteger();
    AtomicInteger firstTimeOnly = new AtomicInteger();
    fixture = new SenderFixture(1, config -> throwingWhen(config,
        record -> record.equals("event-3") && firstTimeOnly.getAndIncrement() == 0, thrown));
    fixture.start(fixture.config().build());
    fixture.sendEvents(5);
    fixture.awaitRecords(0, 5);
    fixture.sendEvents(5);
    fixture.awaitRecords(0, 10);
    assertThat(thrown).hasValue(1);
    assertThat(fixture.server(0).records()).containsExactlyElementsOf(
        java.util.stream.IntStream.range(0, 10).mapToObj(i -> "event-" + i).toList());
    assertThat(fixture.listener.events()).anyMatch(event -> event.startsWith("senderFailed"));
    assertThat(fixture.sender.isStarted()).isTrue();
  }

  @Test
  void aBatchThatFailsTheSameWayTwiceIsDroppedAndCountedAndLaterEventsAreSent() throws Exception {
    AtomicInteger thrown = new AtomicInteger();
    fixture = new SenderFixture(1, config -> throwingWhen(config, "poison"::equals, thrown));
    fixture.start(fixture.config().build());
    fixture.sender.send("poison".getBytes(StandardCharsets.UTF_8));
    fixture.listener.awaitEvent("eventsDropped 1 (an unexpected error struck the same batch twice)");
    assertThat(thrown).hasValue(2);
    fixture.sendEvents(3);
    fixture.awaitRecords(0, 3);
    assertThat(fixture.server(0).records()).containsExactly("event-0", "event-1", "event-2");
    assertThat(fixture.sender.status().eventsDropped()).isEqualTo(1);
  }

  /** The configured transport, whose sessions record every thread that calls into them. */
  private static SessionFactory recordingCallers(FailoverConfig config, java.util.Set<String> callers) {
    SessionFactory real = Transports.forConfig(config);
    return (server, channel, doorbell) -> {
      callers.add(Thread.currentThread().getName());
      return new ForwardingSession(real.open(server, channel, doorbell)) {
        @Override
        public void send(Outbox outbox) throws IOException {
          callers.add(Thread.currentThread().getName());
          super.send(outbox);
        }

        @Override
        public void idle(Doorbell doorbell, BooleanSupplier hasNoWork) throws IOException {
          callers.add(Thread.currentThread().getName());
          super.idle(doorbell, hasNoWork);
        }

        @Override
        public void close() {
          callers.add(Thread.currentThread().getName());
          super.close();
        }
      };
    };
  }

  @Test
  void onlyTheSenderThreadTouchesASessionEvenWhenAStopPastItsBudgetAbortsIt() throws Exception {
    java.util.Set<String> callers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    fixture = new SenderFixture(1, config -> recordingCallers(config, callers));
    fixture.server(0).behave(dev.logfailover.testing.FakeServer.Behaviour.STALL);
    fixture.start(fixture.config().writeTimeout(Duration.ofMinutes(1)).shutdownTimeout(Duration.ofMillis(200))
        .queueSize(100_000).build());
    String padding = "z".repeat(500);
    for (int i = 0; i < 20_000; i++) {
      fixture.sender.send(("event-" + i + padding).getBytes(StandardCharsets.UTF_8));
    }
    Await.until(() -> callers.size() == 1 && fixture.sender.status().eventsSent() > 0, () -> "a stalled write");
    fixture.sender.stop(); // the flush cannot finish: the stop aborts the sender, whose TLS engine this could be
    assertThat(callers).as("threads that called into the session").containsExactly(
        "logfailover-sender-" + fixture.endpoint(0));
  }

  /** The configured transport, whose sessions note whether the sender was interrupted when a send failed. */
  private static SessionFactory notingInterrupts(FailoverConfig config, java.util.List<String> failures) {
    SessionFactory real = Transports.forConfig(config);
    return (server, channel, doorbell) -> new ForwardingSession(real.open(server, channel, doorbell)) {
      @Override
      public void send(Outbox outbox) throws IOException {
        try {
          super.send(outbox);
        } catch (IOException e) {
          failures.add(e + (Thread.currentThread().isInterrupted() ? " (interrupted)" : ""));
          throw e;
        }
      }
    };
  }

  @Test
  void aHandOffEndsAStalledWriteAtOnceWithoutInterruptingTheSenderAndKeepsEveryRecord() throws Exception {
    java.util.List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    fixture = new SenderFixture(1, config -> notingInterrupts(config, failures));
    fixture.server(0).behave(dev.logfailover.testing.FakeServer.Behaviour.STALL);
    fixture.start(fixture.config().writeTimeout(Duration.ofMinutes(1)).shutdownTimeout(Duration.ofSeconds(30))
        .queueSize(100_000).build());
    String padding = "z".repeat(500);
    int total = 20_000;
    for (int i = 0; i < total; i++) {
      fixture.sender.send(("event-" + i + padding).getBytes(StandardCharsets.UTF_8));
    }
    // The clock never moves here, so a write stalled since now waits for now + writeTimeout.
    long stalledWriteDeadline = fixture.ticker.nanoTime() + Duration.ofMinutes(1).toNanos();
    Await.until(() -> fixture.ticker.wasWaitedFor(stalledWriteDeadline), () -> "a stalled write");
    java.util.List<byte[]> handedOver = fixture.sender.handOff();
    assertThat(failures).as("how the stalled write ended").singleElement().asString()
        .contains("handing its work to a successor").doesNotContain("(interrupted)");
    assertThat(fixture.sender.status().eventsSent() + handedOver.size()).as("sent + handed over").isEqualTo(total);
    assertThat(fixture.sender.status().eventsDropped()).isZero();
    assertThat(fixture.listener.events()).noneMatch(event -> event.startsWith("connectionLost"));
  }

  @Test
  void stopEndsTheProbesOfAnInjectedSchedulerAndAProbeThatEndsAfterwardsLeavesNoSocketOpen()
      throws Exception {
    fixture = new SenderFixture(2);
    fixture.start(fixture.config().failback(Failback.of(3, Duration.ofSeconds(10))).build());
    fixture.listener.awaitEvent("connected primary");
    fixture.server(0).awaitConnections(1);
    fixture.server(0).kill();
    fixture.listener.awaitEvent("connected failover1");
    fixture.server(0).restart();
    Await.until(() -> fixture.scheduler.pendingTasks() > 0, () -> "probing scheduled");
    fixture.sender.stop();
    assertThat(fixture.scheduler.pendingTasks()).as("no probe left scheduled").isZero();
    int connections = fixture.server(0).connectionCount();
    fixture.scheduler.advanceBy(Duration.ofMinutes(5));
    assertThat(fixture.server(0).connectionCount()).as("no probe after stop").isEqualTo(connections);
  }
}
