package dev.logfailover.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's picture: events per second received by each collector over time, with what the demo
 * did (kills, returns) and what the appender reported (failovers, failbacks) marked, written as a
 * plain SVG file that a browser or a README shows.
 *
 * <p>Thread-safe: samples and marks come from the demo's threads.
 */
final class TimelineChart {
  private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"};
  private static final int WIDTH = 900;
  private static final int HEIGHT = 440;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 50;
  private static final int BOTTOM = 140;

  private record Sample(long millis, int[] received) {}

  private record Marker(long millis, String label, boolean appender) {}

  private final List<String> collectors;
  private final List<Sample> samples = new ArrayList<>();
  private final List<Marker> markers = new ArrayList<>();

  TimelineChart(List<String> collectors) {
    this.collectors = List.copyOf(collectors);
  }

  /** How many events each collector had received by {@code millis}. */
  synchronized void sample(long millis, int[] received) {
    samples.add(new Sample(millis, received.clone()));
  }

  /** Something the demo did at {@code millis}. */
  synchronized void demoAction(long millis, String label) {
    markers.add(new Marker(millis, label, false));
  }

  /** Something the appender reported at {@code millis} (a failover, a failback). */
  synchronized void appenderEvent(long millis, String label) {
    markers.add(new Marker(millis, label, true));
  }

  synchronized void write(Path file) throws IOException {
    long end = samples.isEmpty() ? 1 : samples.get(samples.size() - 1).millis();
    List<double[]> rates = rates();
    double maxRate = rates.stream().mapToDouble(point -> {
      double max = 0;
      for (int i = 1; i < point.length; i++) {
        max = Math.max(max, point[i]);
      }
      return max;
    }).max().orElse(1);
    double top = niceCeiling(Math.max(maxRate, 1));
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder()
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" font-family=\"sans-serif\" font-size=\"12\">\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
        .append("<text x=\"").append(LEFT).append("\" y=\"18\" font-size=\"14\">Events received per second by each"
            + " collector (logfailover demo)</text>\n");
    // Axes, with a grid line and a label at each fifth of the rate and at each second.
    for (int i = 0; i <= 5; i++) {
      double y = TOP + plotHeight - plotHeight * i / 5.0;
      svg.append(line(LEFT, y, LEFT + plotWidth, y, "#ddd", false))
          .append(text(LEFT - 8, y + 4, String.format(Locale.ROOT, "%.0f", top * i / 5), "end"));
    }
    for (long second = 0; second * 1000 <= end; second++) {
      double x = LEFT + plotWidth * (second * 1000.0 / end);
      svg.append(line(x, TOP + plotHeight, x, TOP + plotHeight + 4, "#000", false))
          .append(text(x, TOP + plotHeight + 16, second + " s", "middle"));
    }
    svg.append(line(LEFT, TOP, LEFT, TOP + plotHeight, "#000", false))
        .append(line(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, "#000", false));
    // One line per collector.
    for (int c = 0; c < collectors.size(); c++) {
      StringBuilder points = new StringBuilder();
      for (double[] point : rates) {
        double x = LEFT + plotWidth * (point[0] / end);
        double y = TOP + plotHeight - plotHeight * (point[c + 1] / top);
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(COLOURS[c % COLOURS.length])
          .append("\" points=\"").append(points.toString().trim()).append("\"/>\n");
      double legendX = LEFT + 10 + c * 130;
      svg.append("<rect x=\"").append(legendX).append("\" y=\"").append(TOP - 20).append("\" width=\"14\" height=\"4\" fill=\"")
          .append(COLOURS[c % COLOURS.length]).append("\"/>")
          .append(text(legendX + 18, TOP - 14, collectors.get(c), "start"));
    }
    // Markers: the demo's actions dashed grey, the appender's switches solid red; labels below.
    int row = 0;
    for (Marker marker : markers) {
      double x = LEFT + plotWidth * (marker.millis() / (double) end);
      svg.append(line(x, TOP, x, TOP + plotHeight, marker.appender() ? "#c00" : "#666", !marker.appender()));
      double labelY = TOP + plotHeight + 34 + (row++ % 6) * 16;
      svg.append(line(x, TOP + plotHeight + 20, x, labelY - 10, marker.appender() ? "#c00" : "#666", true))
          .append("<text x=\"").append(String.format(Locale.ROOT, "%.1f", x + 3)).append("\" y=\"")
          .append(String.format(Locale.ROOT, "%.1f", labelY)).append("\" fill=\"").append(marker.appender() ? "#c00" : "#333")
          .append("\">").append(escape(marker.label())).append("</text>\n");
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, svg.append("</svg>\n").toString(), StandardCharsets.UTF_8);
  }

  /** Per sample after the first: {millis, rate of collector 0, rate of collector 1, ...} in events/s. */
  private List<double[]> rates() {
    List<double[]> rates = new ArrayList<>();
    for (int i = 1; i < samples.size(); i++) {
      Sample before = samples.get(i - 1);
      Sample now = samples.get(i);
      double seconds = Math.max(1, now.millis() - before.millis()) / 1000.0;
      double[] point = new double[collectors.size() + 1];
      point[0] = now.millis();
      for (int c = 0; c < collectors.size(); c++) {
        point[c + 1] = (now.received()[c] - before.received()[c]) / seconds;
      }
      rates.add(point);
    }
    return rates;
  }

  private static double niceCeiling(double value) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= value) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String line(double x1, double y1, double x2, double y2, String colour, boolean dashed) {
    return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>%n",
        x1, y1, x2, y2, colour, dashed ? " stroke-dasharray=\"4,3\"" : "");
  }

  private static String text(double x, double y, String text, String anchor) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n", x, y, anchor,
        escape(text));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
