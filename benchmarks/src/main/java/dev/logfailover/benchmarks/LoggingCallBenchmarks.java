package dev.logfailover.benchmarks;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link LoggingCallBenchmark} with one and with two logging threads and JMH's GC profiler,
 * side by side in one run, and writes {@code benchmarks/results/logging-call.md} (a table with the
 * machine, the JVM and the date) and {@code logging-call.png} (ns per call, a bar chart).
 *
 * <p>The candidates take turns: each round runs every candidate once (one fork), and each figure
 * is the median of the rounds, with their range. This VM's speed drifts by a third over minutes,
 * so running one candidate's forks after another's compared the drift as much as the candidates.
 */
public final class LoggingCallBenchmarks {
  private static final int ROUNDS = 3;

  private LoggingCallBenchmarks() {}

  /** One candidate's figures with a number of threads: medians over the rounds, and the range of ns per call. */
  record Figures(String candidate, int threads, double nanosPerCall, double fastest, double slowest,
      double bytesPerCall) {}

  public static void main(String[] args) throws Exception {
    Map<String, List<double[]>> rounds = new LinkedHashMap<>(); // "candidate/threads" -> {ns/op, B/op} per round
    for (int round = 0; round < ROUNDS; round++) {
      for (int threads : new int[] {1, 2}) {
        for (String candidate : Candidate.NAMES) {
          RunResult result = new Runner(new OptionsBuilder()
              .include(LoggingCallBenchmark.class.getName())
              .param("candidate", candidate)
              .threads(threads)
              .forks(1)
              .addProfiler(GCProfiler.class)
              .build()).runSingle();
          double bytes = result.getSecondaryResults().entrySet().stream()
              .filter(entry -> entry.getKey().endsWith("gc.alloc.rate.norm"))
              .mapToDouble(entry -> entry.getValue().getScore()).findFirst().orElse(Double.NaN);
          rounds.computeIfAbsent(candidate + "/" + threads, key -> new ArrayList<>())
              .add(new double[] {result.getPrimaryResult().getScore(), bytes});
        }
      }
    }
    List<Figures> figures = new ArrayList<>();
    rounds.forEach((key, measured) -> {
      double[] nanos = measured.stream().mapToDouble(pair -> pair[0]).sorted().toArray();
      double[] bytes = measured.stream().mapToDouble(pair -> pair[1]).sorted().toArray();
      int slash = key.lastIndexOf('/');
      figures.add(new Figures(key.substring(0, slash), Integer.parseInt(key.substring(slash + 1)),
          nanos[nanos.length / 2], nanos[0], nanos[nanos.length - 1], bytes[bytes.length / 2]));
    });
    Path results = Path.of(args.length > 0 ? args[0] : "results");
    Files.createDirectories(results);
    String table = table(figures);
    System.out.println(table);
    Files.writeString(results.resolve("logging-call.md"), table);
    chart(figures, results.resolve("logging-call.png"));
  }

  private static String table(List<Figures> figures) {
    StringBuilder text = new StringBuilder()
        .append("The logging call, JMH (average time; ").append(ROUNDS)
        .append(" interleaved rounds, each one fork of 3 x 2 s warm-up and 5 x 2 s measured; the median, ")
        .append("and the rounds' range), ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append(' ').append(System.getProperty("java.vm.name"))
        .append(", ").append(LocalDate.now()).append("\n\n")
        .append("| candidate | ns/op, 1 thread | B/op, 1 thread | ns/op, 2 threads | B/op, 2 threads |\n")
        .append("|---|---:|---:|---:|---:|\n");
    Map<String, Figures[]> byCandidate = new LinkedHashMap<>();
    for (Figures figure : figures) {
      byCandidate.computeIfAbsent(figure.candidate(), name -> new Figures[2])[figure.threads() - 1] = figure;
    }
    byCandidate.forEach((candidate, pair) -> text.append("| ").append(candidate)
        .append(cells(pair[0])).append(cells(pair[1])).append(" |\n"));
    return text.toString();
  }

  private static String cells(Figures figure) {
    if (figure == null) {
      return " | - | -";
    }
    return String.format(" | %.0f (%.0f-%.0f) | %.1f", figure.nanosPerCall(), figure.fastest(), figure.slowest(),
        figure.bytesPerCall());
  }

  private static void chart(List<Figures> figures, Path png) throws IOException {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Figures figure : figures) {
      data.addValue(figure.nanosPerCall(), figure.threads() + (figure.threads() == 1 ? " thread" : " threads"),
          figure.candidate());
    }
    JFreeChart chart = ChartFactory.createBarChart("The logging call (lower is better)", null, "ns per call", data,
        PlotOrientation.HORIZONTAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 520);
  }
}
