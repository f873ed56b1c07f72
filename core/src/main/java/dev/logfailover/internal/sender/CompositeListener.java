package dev.logfailover.internal.sender;

import dev.logfailover.Endpoint;
import dev.logfailover.FailoverListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/** Forwards every event to two listeners, in order. Thread-safe if both are. */
final class CompositeListener implements FailoverListener {
  private final FailoverListener first;
  private final FailoverListener second;

  CompositeListener(FailoverListener first, FailoverListener second) {
    this.first = first;
    this.second = second;
  }

  @Override
  public void connected(Endpoint server, InetSocketAddress address) {
    first.connected(server, address);
    second.connected(server, address);
  }

  @Override
  public void connectFailed(Endpoint server, IOException cause) {
    first.connectFailed(server, cause);
    second.connectFailed(server, cause);
  }

  @Override
  public void connectionLost(Endpoint server, IOException cause) {
    first.connectionLost(server, cause);
    second.connectionLost(server, cause);
  }

  @Override
  public void failedOver(Endpoint from, Endpoint to, IOException cause) {
    first.failedOver(from, to, cause);
    second.failedOver(from, to, cause);
  }

  @Override
  public void failedBack(Endpoint from, Endpoint primary) {
    first.failedBack(from, primary);
    second.failedBack(from, primary);
  }

  @Override
  public void allServersDown(int failedAttempts, Duration retryIn) {
    first.allServersDown(failedAttempts, retryIn);
    second.allServersDown(failedAttempts, retryIn);
  }

  @Override
  public void probeSucceeded(Endpoint primary, int consecutive, int required) {
    first.probeSucceeded(primary, consecutive, required);
    second.probeSucceeded(primary, consecutive, required);
  }

  @Override
  public void probeFailed(Endpoint primary, IOException cause) {
    first.probeFailed(primary, cause);
    second.probeFailed(primary, cause);
  }

  @Override
  public void senderFailed(Throwable error) {
    first.senderFailed(error);
    second.senderFailed(error);
  }

  @Override
  public void eventsSent(int count) {
    first.eventsSent(count);
    second.eventsSent(count);
  }

  @Override
  public void eventsResent(int count) {
    first.eventsResent(count);
    second.eventsResent(count);
  }

  @Override
  public void eventsOversized(long count, long total, int largestBytes) {
    first.eventsOversized(count, total, largestBytes);
    second.eventsOversized(count, total, largestBytes);
  }

  @Override
  public void eventsRejected(long count, long total, String reason) {
    first.eventsRejected(count, total, reason);
    second.eventsRejected(count, total, reason);
  }

  @Override
  public void eventsDropped(long count, long total, String reason) {
    first.eventsDropped(count, total, reason);
    second.eventsDropped(count, total, reason);
  }

  @Override
  public void spillUnavailable(Path directory, String reason) {
    first.spillUnavailable(directory, reason);
    second.spillUnavailable(directory, reason);
  }

  @Override
  public void spillRecovered(long events, long bytes) {
    first.spillRecovered(events, bytes);
    second.spillRecovered(events, bytes);
  }

  @Override
  public void spillDamaged(Path file, long skippedBytes, String why) {
    first.spillDamaged(file, skippedBytes, why);
    second.spillDamaged(file, skippedBytes, why);
  }

  @Override
  public void spillKept(Path directory, long events) {
    first.spillKept(directory, events);
    second.spillKept(directory, events);
  }
}
