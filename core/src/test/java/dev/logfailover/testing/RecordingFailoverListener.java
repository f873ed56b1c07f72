package dev.logfailover.testing;

import dev.logfailover.Endpoint;
import dev.logfailover.FailoverListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records the engine's events as short strings, such as {@code "connected primary"} or {@code
 * "failedOver primary -> failover1"}, naming servers by the labels given to {@link #name}. Tests
 * assert on these, never on log text. Thread-safe.
 */
public final class RecordingFailoverListener implements FailoverListener {
  private final List<String> events = new ArrayList<>();
  /** Each failure's cause, in order, for the message of a test that fails: a rare failure must explain itself. */
  private final List<String> causes = new ArrayList<>();
  private final Map<Endpoint, String> names = new ConcurrentHashMap<>();
  private volatile long droppedTotal;

  /** Names {@code server} {@code label} in recorded events. */
  public RecordingFailoverListener name(Endpoint server, String label) {
    names.put(server, label);
    return this;
  }

  private String label(Endpoint server) {
    return server == null ? "none" : names.getOrDefault(server, server.toString());
  }

  private synchronized void record(String event) {
    events.add(event);
  }

  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  private synchronized void cause(String event, IOException cause) {
    causes.add(event + ": " + cause);
  }

  /** The events and, after them, the cause of each failure among them. */
  public synchronized String describe() {
    return events + "; causes " + causes;
  }

  /** The recorded events that start with {@code prefix}, e.g. "connected" or "probe". */
  public synchronized List<String> events(String prefix) {
    return events.stream().filter(event -> event.startsWith(prefix)).toList();
  }


  public long droppedTotal() {
    return droppedTotal;
  }

  public void awaitEvent(String event) {
    awaitEvent(event, 1);
  }

  /** Waits until {@code event} was recorded {@code times} times in all. */
  public void awaitEvent(String event, int times) {
    Await.until(() -> events().stream().filter(event::equals).count() >= times,
        () -> times + " x event '" + event + "' in " + describe());
  }

  @Override
  public void connected(Endpoint server, InetSocketAddress address) {
    record("connected " + label(server));
  }

  @Override
  public void connectFailed(Endpoint server, IOException cause) {
    record("connectFailed " + label(server));
    cause("connectFailed " + label(server), cause);
  }

  @Override
  public void connectionLost(Endpoint server, IOException cause) {
    record("connectionLost " + label(server) + " " + cause.getClass().getSimpleName());
    cause("connectionLost " + label(server), cause);
  }

  @Override
  public void failedOver(Endpoint from, Endpoint to, IOException cause) {
    record("failedOver " + label(from) + " -> " + label(to));
  }

  @Override
  public void failedBack(Endpoint from, Endpoint primary) {
    record("failedBack " + label(from) + " -> " + label(primary));
  }

  @Override
  public void allServersDown(int failedAttempts, Duration retryIn) {
    record("allServersDown retryIn " + retryIn.toMillis() + "ms");
  }

  @Override
  public void probeSucceeded(Endpoint primary, int consecutive, int required) {
    record("probeSucceeded " + consecutive + "/" + required);
  }

  @Override
  public void probeFailed(Endpoint primary, IOException cause) {
    record("probeFailed");
  }

  @Override
  public void senderFailed(Throwable error) {
    record("senderFailed " + error);
  }


  @Override
  public void eventsRejected(long count, long total, String reason) {
    record("eventsRejected " + count + " (" + reason + ")");
  }

  @Override
  public void eventsOversized(long count, long total, int largestBytes) {
    record("eventsOversized " + count + " largest " + largestBytes);
  }

  @Override
  public void eventsDropped(long count, long total, String reason) {
    droppedTotal = total;
    record("eventsDropped " + count + " (" + reason + ")");
  }

  @Override
  public void spillUnavailable(Path directory, String reason) {
    record("spillUnavailable " + reason);
  }

  @Override
  public void spillRecovered(long events, long bytes) {
    record("spillRecovered " + events);
  }

  @Override
  public void spillDamaged(Path file, long skippedBytes, String why) {
    record("spillDamaged " + skippedBytes + " (" + why + ")");
  }

  @Override
  public void spillKept(Path directory, long events) {
    record("spillKept " + events);
  }
}
