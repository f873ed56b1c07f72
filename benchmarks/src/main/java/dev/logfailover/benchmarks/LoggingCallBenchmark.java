package dev.logfailover.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The logging call itself (issue 12), in JMH: its time and its allocation per call, for each
 * {@link Candidate} shipping into a sink that discards. Every candidate waits rather than drops
 * when its buffer is full, so at this rate (as fast as the threads can log) the time per call
 * includes what the whole pipeline costs; B/op counts every thread's allocations (the appenders'
 * own threads too) per call. Run by {@link LoggingCallBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LoggingCallBenchmark {
  @Param({"logback+logfailover", "logback+logstash-tcp", "logback+AsyncAppender+socket", "log4j2+logfailover",
      "log4j2+Socket", "log4j2+Async+Socket", "log4j2+AsyncLogger+logfailover"})
  public String candidate;

  private CountingSink sink;
  private Candidate shipping;

  /** Each logging thread's own order numbers. */
  @State(Scope.Thread)
  public static class Orders {
    long next;
  }

  @Setup(Level.Trial)
  public void start() throws Exception {
    sink = new CountingSink();
    shipping = Candidate.start(candidate, sink.port());
  }

  @TearDown(Level.Trial)
  public void stop() {
    shipping.close();
    sink.close();
  }

  /** One logging call with one parameter, as an application makes it. */
  @Benchmark
  public void log(Orders orders) {
    shipping.log(orders.next++);
  }
}
