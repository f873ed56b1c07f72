package dev.logfailover.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logfailover.FailoverConfig;
import dev.logfailover.FailoverStatus;
import dev.logfailover.Transport;
import dev.logfailover.internal.sender.Engine;
import dev.logfailover.testing.Await;
import dev.logfailover.testing.RecordingFailoverListener;
import dev.logfailover.testing.ScriptedPeer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * F18 by fuzzing: two collectors answer each HTTP request or RELP event with a valid answer that a
 * seeded {@link Random} has mutated (truncated, a byte changed, bytes inserted, a part repeated,
 * answered twice, the connection closed or reset after it). The sender must meet nothing but
 * failures of a server, end every exchange within its deadline, hold bounded memory (this class
 * runs in the 128 MiB JVM of the hostile-peer tests), and keep exact books: every event logged is
 * sent, rejected or dropped, once the collectors turn good. The seed is printed; {@code
 * -Dlogfailover.fuzz.seed=N} replays a run and {@code -Dlogfailover.fuzz.cases=N} runs more cases.
 */
class AnswerFuzzTest {
  private static final Duration WRITE_TIMEOUT = Duration.ofMillis(200);
  private static final int CASES = Integer.getInteger("logfailover.fuzz.cases", 300);

  private final RecordingFailoverListener listener = new RecordingFailoverListener();
  private final List<ScriptedPeer> peers = new ArrayList<>();
  private final AtomicInteger answered = new AtomicInteger();
  /** The longest a client took to come back (next request or close) after an answer, in nanoseconds. */
  private final AtomicLong slowestReturn = new AtomicLong();
  private Random random;
  private Engine engine;

  @AfterEach
  void tearDown() throws IOException {
    if (engine != null) {
      engine.stop();
    }
    for (ScriptedPeer peer : peers) {
      peer.close();
    }
  }

  private void seed(String test) {
    long seed = Long.getLong("logfailover.fuzz.seed", System.nanoTime());
    System.out.println(test + ": seed " + seed + " (-Dlogfailover.fuzz.seed=" + seed + " replays it)");
    random = new Random(seed);
  }

  private static final String[] HTTP_ANSWERS = {
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n2;x=1\r\nok\r\n0\r\nT: 1\r\n\r\n",
      "HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n",
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end",
      "HTTP/1.1 400 Bad Request\r\nContent-Length: 5\r\n\r\nnope!",
      "HTTP/1.1 503 Busy\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n",
  };

  /** A valid answer, mutated; what follows it (close, reset, nothing) is chosen too. */
  private synchronized byte[] mutate(String valid) {
    byte[] bytes = valid.getBytes(StandardCharsets.ISO_8859_1);
    return switch (random.nextInt(7)) {
      case 0 -> bytes;
      case 1 -> java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
      case 2 -> {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        yield bytes;
      }
      case 3 -> {
        int at = random.nextInt(bytes.length + 1);
        byte[] noise = new byte[1 + random.nextInt(16)];
        random.nextBytes(noise);
        yield concat(java.util.Arrays.copyOf(bytes, at), noise, java.util.Arrays.copyOfRange(bytes, at, bytes.length));
      }
      case 4 -> {
        int from = random.nextInt(bytes.length);
        int to = from + random.nextInt(bytes.length - from) + 1;
        byte[] part = java.util.Arrays.copyOfRange(bytes, from, to);
        yield concat(java.util.Arrays.copyOf(bytes, to), part, java.util.Arrays.copyOfRange(bytes, to, bytes.length));
      }
      case 5 -> concat(bytes, bytes, new byte[0]);
      default -> valid.replaceAll("[0-9]", String.valueOf(random.nextInt(10)).repeat(1 + random.nextInt(12)))
          .getBytes(StandardCharsets.ISO_8859_1);
    };
  }

  private synchronized int nextInt(int bound) {
    return random.nextInt(bound);
  }

  private static byte[] concat(byte[] a, byte[] b, byte[] c) {
    byte[] all = java.util.Arrays.copyOf(a, a.length + b.length + c.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    System.arraycopy(c, 0, all, a.length + b.length, c.length);
    return all;
  }

  /** After an answer: goes on (0), closes (1) or resets (2) the connection, as the seed says. */
  private boolean endsAfterAnswer(ScriptedPeer.Conversation conversation) throws IOException {
    switch (nextInt(4)) {
      case 1 -> {
        return true;
      }
      case 2 -> {
        conversation.reset();
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private void timed(ScriptedPeer.Conversation conversation, IoStep step) throws IOException {
    long answeredAt = System.nanoTime();
    try {
      step.run();
    } finally {
      long took = System.nanoTime() - answeredAt;
      slowestReturn.accumulateAndGet(took, Math::max);
    }
  }

  @FunctionalInterface
  private interface IoStep {
    void run() throws IOException;
  }

  private ScriptedPeer fuzzingHttpPeer() throws IOException {
    ScriptedPeer peer = ScriptedPeer.plain(conversation -> {
      while (conversation.readHttpRequest()) {
        if (answered.incrementAndGet() > CASES) {
          conversation.send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
          continue;
        }
        conversation.send(mutate(HTTP_ANSWERS[nextInt(HTTP_ANSWERS.length)]));
        if (endsAfterAnswer(conversation)) {
          return;
        }
        boolean[] more = new boolean[1];
        timed(conversation, () -> more[0] = conversation.readHttpRequest());
        if (!more[0]) {
          return;
        }
        conversation.send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
      }
    });
    peers.add(peer);
    return peer;
  }

  private ScriptedPeer fuzzingRelpPeer() throws IOException {
    ScriptedPeer peer = ScriptedPeer.plain(conversation -> {
      conversation.acceptRelpOpen();
      String frame;
      while ((frame = conversation.readRelpFrame()) != null) {
        String txnr = frame.substring(0, frame.indexOf(' '));
        if (frame.contains(" close ")) {
          conversation.send(txnr + " rsp 0\n");
          return;
        }
        if (answered.incrementAndGet() > CASES) {
          conversation.send(txnr + " rsp 6 200 OK\n");
          continue;
        }
        String[] answers = {txnr + " rsp 6 200 OK\n", txnr + " rsp 9 500 error\n", "0 serverclose 0\n",
            txnr + " rsp 6 200 OK\n" + txnr + " rsp 6 200 OK\n"};
        conversation.send(mutate(answers[nextInt(answers.length)]));
        if (endsAfterAnswer(conversation)) {
          return;
        }
      }
    });
    peers.add(peer);
    return peer;
  }

  private void run(Transport transport, ScriptedPeer first, ScriptedPeer second, int events) {
    FailoverConfig.Builder config = FailoverConfig.builder().transport(transport).host("127.0.0.1")
        .port(first.port()).addFailoverServer("127.0.0.1:" + second.port()).writeTimeout(WRITE_TIMEOUT)
        .connectTimeout(Duration.ofMillis(500)).reconnectDelay(Duration.ofMillis(10))
        .maxReconnectDelay(Duration.ofMillis(50));
    if (transport == Transport.HTTP) {
      config.http().maxBatchEvents(1 + nextInt(3));
    }
    engine = Engine.create(config.build(), "fuzz", listener);
    engine.start();
    for (int event = 0; event < events; event++) {
      engine.send(("event " + event + "\n").getBytes(StandardCharsets.UTF_8));
    }
    Await.until(Duration.ofSeconds(120), () -> accountedFor(engine.status()) == events,
        () -> answered.get() + " answers, books " + engine.status());
    assertThat(listener.events()).as("nothing but failures of a server").noneMatch(e -> e.startsWith("senderFailed"));
    assertThat(Duration.ofNanos(slowestReturn.get())).as("every exchange ended within its deadline")
        .isLessThan(WRITE_TIMEOUT.plusSeconds(1));
    assertThat(engine.status().eventsDropped()).isZero();
  }

  private static long accountedFor(FailoverStatus status) {
    return status.eventsSent() + status.rejected() + status.eventsDropped();
  }

  @Test
  void mutatedHttpAnswersMeetOnlyServerFailuresWithinTheDeadlineAndExactBooks() throws Exception {
    seed("mutatedHttpAnswers");
    run(Transport.HTTP, fuzzingHttpPeer(), fuzzingHttpPeer(), CASES);
  }

  @Test
  void mutatedRelpAnswersMeetOnlyServerFailuresWithinTheDeadlineAndExactBooks() throws Exception {
    seed("mutatedRelpAnswers");
    run(Transport.RELP, fuzzingRelpPeer(), fuzzingRelpPeer(), CASES);
  }
}
