package dev.clones.load.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;

/**
 * An SVG of the run second by second, three panels on one time axis: throughput (requests/s), p99
 * response time (log scale, so that the seconds around a kill do not flatten the rest; the 500 ms target
 * dashed) and failed requests/s. Every fault is a red vertical line through all three, numbered as in the
 * summary's fault table. Written by hand on purpose: JFreeChart draws SVG only through JFreeSVG or Batik,
 * which the build's repository does not serve, and its log axis and shared fault markers across panels
 * would take about as much code as the plot itself.
 */
public final class TimelinePlot {

    private static final int WIDTH = 1000;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 46;
    private static final int PANEL = 170;
    private static final int GAP = 40;
    private static final int BOTTOM = 40;
    private static final long TARGET_P99_MS = 500;

    private TimelinePlot() {
    }

    /** One point per second from {@code startMs} to {@code endMs}; seconds without a request count as 0. */
    public static String render(long startMs, long endMs, NavigableMap<Long, RunRecorder.Stats> perSecond,
                                List<Fault> faults) {
        long firstSecond = startMs / 1000;
        int seconds = (int) Math.max(1, (endMs + 999) / 1000 - firstSecond);
        double[] throughput = new double[seconds];
        double[] p99 = new double[seconds];
        double[] errors = new double[seconds];
        for (int i = 0; i < seconds; i++) {
            RunRecorder.Stats stats = perSecond.get(firstSecond + i);
            if (stats != null) {
                throughput[i] = stats.attempts();
                p99[i] = stats.latency().percentile(99);
                errors[i] = stats.failedAttempts();
            } else {
                p99[i] = Double.NaN;
            }
        }
        int height = TOP + 3 * PANEL + 2 * GAP + BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height, WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        Axis time = new Axis(0, seconds);
        if (!faults.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"14\" fill=\"#e41a1c\" text-anchor=\"end\">faults:</text>%n", LEFT - 5));
        }
        panel(svg, TOP, "throughput (requests/s)", throughput, linear(max(throughput)), time, "#1f77b4", null);
        panel(svg, TOP + PANEL + GAP, "p99 response time (ms, log scale; dashed: " + TARGET_P99_MS + " ms)", p99,
                logarithmic(max(p99)), time, "#9467bd", (double) TARGET_P99_MS);
        // At least 0..4 so that a run without errors still has whole-number ticks.
        panel(svg, TOP + 2 * (PANEL + GAP), "failed requests/s", errors, linear(Math.max(4, max(errors))), time,
                "#d62728", null);
        timeAxis(svg, TOP + 3 * PANEL + 2 * GAP, time);
        int n = 1;
        for (Fault fault : faults) {
            double at = (fault.epochMs() - firstSecond * 1000) / 1000.0;
            if (at >= 0 && at <= seconds) {
                double x = time.x(at);
                svg.append(String.format(Locale.ROOT,
                        "<g><title>%s</title><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e41a1c\" "
                                + "stroke-width=\"1\" stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%d\" fill=\"#e41a1c\" "
                                + "text-anchor=\"middle\">%d</text></g>%n",
                        escape(fault.description()), x, TOP - 20, x, TOP + 3 * PANEL + 2 * GAP, x, 14, n));
            }
            n++;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private record Axis(double min, double max) {
        double x(double value) {
            return LEFT + (value - min) / (max - min) * (WIDTH - LEFT - RIGHT);
        }
    }

    /** Maps a value to 0..1 of the panel's height and lists the ticks to draw. */
    private interface Scale {
        double fraction(double value);
        List<Double> ticks();
    }

    private static Scale linear(double max) {
        double top = niceCeiling(Math.max(max, 1));
        return new Scale() {
            public double fraction(double value) { return value / top; }
            public List<Double> ticks() {
                double step = niceCeiling(top / 5);
                List<Double> ticks = new ArrayList<>();
                for (double t = 0; t <= top + step / 100; t += step) {
                    ticks.add(t);
                }
                return ticks;
            }
        };
    }

    private static Scale logarithmic(double max) {
        double top = Math.pow(10, Math.ceil(Math.log10(Math.max(max, 1000))));
        return new Scale() {
            public double fraction(double value) { return Math.log10(Math.max(value, 1)) / Math.log10(top); }
            public List<Double> ticks() {
                List<Double> ticks = new ArrayList<>();
                for (double t = 1; t <= top; t *= 10) {
                    ticks.add(t);
                }
                return ticks;
            }
        };
    }

    private static void panel(StringBuilder svg, int top, String title, double[] values, Scale scale, Axis time,
                              String colour, Double target) {
        int bottom = top + PANEL;
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", LEFT, top - 6, title));
        svg.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                LEFT, top, WIDTH - LEFT - RIGHT, PANEL));
        for (double tick : scale.ticks()) {
            double y = bottom - scale.fraction(tick) * PANEL;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT, y, WIDTH - RIGHT, y, LEFT - 5, y + 4, label(tick)));
        }
        if (target != null) {
            double y = bottom - scale.fraction(target) * PANEL;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ff7f0e\" stroke-dasharray=\"6 4\"/>%n",
                    LEFT, y, WIDTH - RIGHT, y));
        }
        // One polyline per run of seconds that have a value (p99 has none in a second without requests).
        StringBuilder points = new StringBuilder();
        for (int i = 0; i <= values.length; i++) {
            if (i == values.length || Double.isNaN(values[i])) {
                if (!points.isEmpty()) {
                    svg.append(String.format(Locale.ROOT,
                            "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.2\" points=\"%s\"/>%n",
                            colour, points.toString().trim()));
                    points.setLength(0);
                }
                continue;
            }
            double y = bottom - Math.min(1, scale.fraction(values[i])) * PANEL;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", time.x(i + 0.5), y));
        }
    }

    private static void timeAxis(StringBuilder svg, int y, Axis time) {
        double span = time.max() - time.min();
        double step = 1;
        for (double candidate : new double[] {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600}) {
            step = candidate;
            if (span / candidate <= 12) {
                break;
            }
        }
        for (double t = 0; t <= span; t += step) {
            double x = time.x(t);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x, y, x, y + 5, x, y + 18, label(t)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">seconds since the start of the run</text>%n",
                (LEFT + WIDTH - RIGHT) / 2, y + 34));
    }

    private static double max(double[] values) {
        double max = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                max = Math.max(max, v);
            }
        }
        return max;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code value}. */
    static double niceCeiling(double value) {
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= value) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String label(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%,d", (long) value)
                : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
