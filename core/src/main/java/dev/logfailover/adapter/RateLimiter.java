package dev.logfailover.adapter;

import dev.logfailover.internal.concurrent.Ticker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Lets through a burst of messages per key, then one per period, and counts what it held back so
 * the next message can say so. Keys are a kind of message and a server, so a flapping server
 * cannot hide another server's news. Thread-safe (synchronized; status reporting is off the
 * logging path).
 */
public final class RateLimiter {
  private final Ticker ticker;
  private final int burst;
  private final long periodNanos;
  private final Map<String, Bucket> buckets = new HashMap<>();

  private static final class Bucket {
    double tokens;
    long refilledAt;
    long suppressed;
  }

  public RateLimiter(Ticker ticker, int burst, Duration period) {
    this.ticker = ticker;
    this.burst = burst;
    this.periodNanos = period.toNanos();
  }

  /**
   * Returns -1 when a message under {@code key} must be held back now; otherwise how many were held
   * back since the last one that passed.
   */
  public synchronized long tryPass(String key) {
    long now = ticker.nanoTime();
    Bucket bucket = buckets.computeIfAbsent(key, k -> {
      Bucket fresh = new Bucket();
      fresh.tokens = burst;
      fresh.refilledAt = now;
      return fresh;
    });
    bucket.tokens = Math.min(burst, bucket.tokens + (double) (now - bucket.refilledAt) / periodNanos);
    bucket.refilledAt = now;
    if (bucket.tokens < 1) {
      bucket.suppressed++;
      return -1;
    }
    bucket.tokens--;
    long suppressed = bucket.suppressed;
    bucket.suppressed = 0;
    return suppressed;
  }
}
