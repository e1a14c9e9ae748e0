package org.corral.sim;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A self-contained HTML page (no script, no external file) of one or more runs on the same trace:
 * the metrics table, and inline SVG plots over the day of active hosts, power, the active hosts'
 * utilisation and migrations per interval, one line per policy.
 */
public final class HtmlReport {
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
      "#17becf"};
  private static final int WIDTH = 720;
  private static final int HEIGHT = 220;
  private static final int PAD = 48;

  private HtmlReport() {}

  public static String render(String title, List<SimResult> runs) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
        .append("</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}"
            + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}"
            + "svg{margin:1em 0;display:block}.legend span{margin-right:1.5em}</style></head><body>\n");
    b.append("<h1>").append(esc(title)).append("</h1>\n");
    b.append("<table><tr><th>policy</th>");
    for (Metric m : Metric.values()) {
      b.append("<th>").append(esc(m.heading())).append("</th>");
    }
    b.append("</tr>\n");
    for (SimResult r : runs) {
      b.append("<tr><td>").append(esc(r.policy())).append("</td>");
      for (Metric m : Metric.values()) {
        b.append("<td>").append(esc(m.format(r))).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n<p class=\"legend\">");
    for (int i = 0; i < runs.size(); i++) {
      b.append("<span style=\"color:").append(COLOURS[i % COLOURS.length]).append("\">&#9632; ").append(esc(runs.get(i).policy()))
          .append("</span>");
    }
    b.append("</p>\n");
    plot(b, "Active hosts", runs, SimResult.Point::activeHosts);
    plot(b, "Power (kW)", runs, p -> p.watts() / 1000);
    plot(b, "Utilisation of active hosts (%)", runs, p -> 100 * p.utilisation());
    plot(b, "Migrations started per interval", runs, SimResult.Point::migrations);
    return b.append("</body></html>\n").toString();
  }

  private static void plot(StringBuilder b, String title, List<SimResult> runs, ToDoubleFunction<SimResult.Point> y) {
    double maxX = 1;
    double maxY = 0;
    for (SimResult r : runs) {
      for (SimResult.Point p : r.intervals()) {
        maxX = Math.max(maxX, p.seconds());
        maxY = Math.max(maxY, y.applyAsDouble(p));
      }
    }
    maxY = maxY <= 0 ? 1 : maxY * 1.05;
    b.append("<h2>").append(esc(title)).append("</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH + PAD)
        .append("\" height=\"").append(HEIGHT + PAD).append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">\n");
    b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", PAD,
        WIDTH, HEIGHT));
    for (int k = 0; k <= 4; k++) {
      double v = maxY * k / 4;
      double py = HEIGHT - HEIGHT * k / 4.0;
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>%n", PAD - 4,
          py + 4, tick(v)));
    }
    for (int hour = 0; hour * 3600 <= maxX; hour += 3) {
      double px = PAD + WIDTH * hour * 3600 / maxX;
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d h</text>%n", px,
          HEIGHT + 16, hour));
    }
    for (int i = 0; i < runs.size(); i++) {
      StringBuilder points = new StringBuilder();
      for (SimResult.Point p : runs.get(i).intervals()) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", PAD + WIDTH * p.seconds() / maxX,
            HEIGHT - HEIGHT * y.applyAsDouble(p) / maxY));
      }
      b.append("<polyline fill=\"none\" stroke-width=\"1.2\" stroke=\"").append(COLOURS[i % COLOURS.length]).append("\" points=\"")
          .append(points.toString().strip()).append("\"/>\n");
    }
    b.append("</svg>\n");
  }

  private static String tick(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
