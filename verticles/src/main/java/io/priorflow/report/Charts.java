package io.priorflow.report;

import io.priorflow.engine.metrics.SummaryStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The report's charts: JFreeChart plots drawn by JFreeSVG into an {@code <svg>} element for inline use.
 *
 * <p>Headless: {@code java.awt.headless} is set before any AWT class is touched (the static initialiser runs first),
 * since a server has no display. Deterministic: JFreeSVG's defs prefix (a {@code System.nanoTime()} by default) is
 * the chart's id, so clip-path ids are fixed and unique in the page; geometry is rounded to 2 decimals; axis numbers
 * use {@link Locale#ROOT}; fonts are the logical SansSerif, which the SVG names {@code sans-serif}. So the same
 * inputs on the same machine give the same bytes; another machine's fonts may move text by a pixel, since
 * JFreeChart lays out labels with the JVM's font metrics.
 */
final class Charts {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** The size every chart is drawn at; the page scales it with CSS (the SVG has a viewBox). */
  static final int WIDTH = 620;
  static final int HEIGHT = 340;

  private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
  private static final Font LABELS = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Color GRID = new Color(0xdddddd);

  private Charts() {}

  /**
   * A line per series over generations.
   *
   * @param points per generation, the replicate statistics; the band is drawn where n &gt; 1
   */
  record Line(String name, Color color, SortedMap<Integer, SummaryStats> points, boolean dashed) {
    /** A solid line. */
    Line(String name, Color color, SortedMap<Integer, SummaryStats> points) {
      this(name, color, points, false);
    }
  }

  /**
   * A line over any x: per x, the replicate statistics.
   *
   * @param points x → statistics; the band is drawn where n &gt; 1
   */
  record Curve(String name, Color color, SortedMap<Double, SummaryStats> points, boolean dashed) {
    /** A solid curve. */
    Curve(String name, Color color, SortedMap<Double, SummaryStats> points) {
      this(name, color, points, false);
    }
  }

  /**
   * How a chart is framed.
   *
   * @param width  drawing width (the page scales it; the SVG has a viewBox)
   * @param height drawing height
   * @param legend whether JFreeChart draws a legend under the plot (off where the page draws one in HTML, so that a
   *               legend never takes the plot's place)
   * @param low    the smallest value the y axis may show (the metric's domain), or −∞
   * @param high   the largest, or +∞
   * @param minSpan the smallest y range drawn, so that wiggles far below the metric's scale do not fill the axis
   * @param shared  a y range every panel of a small multiple shares, or null for the chart's own
   */
  record Frame(int width, int height, boolean legend, double low, double high, double minSpan,
               org.jfree.data.Range shared) {
    /** The full-size chart with its legend and no domain: what the report drew before frames. */
    static final Frame DEFAULT = new Frame(WIDTH, HEIGHT, true, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
        1e-8, null);

    /**
     * A frame for a metric: its domain, and a minimum span of 5% of the domain for a proportion, else 2% of the
     * largest magnitude shown (at least 1e-8).
     */
    static Frame of(int width, int height, boolean legend, io.priorflow.engine.metrics.MetricDefinition m,
        double largestMagnitude) {
      double span = m.isProportion() ? 0.05 : Math.max(1e-8, 0.02 * largestMagnitude);
      return new Frame(width, height, legend, m.low(), m.high(), span, null);
    }

    /**
     * This frame with a y range shared by panels: from the smallest to the largest value or interval end drawn,
     * padded by 5%, widened to the minimum span, and kept inside the domain.
     */
    Frame sharing(double smallest, double largest) {
      if (!(smallest <= largest)) {
        return this;
      }
      double pad = Math.max(0.05 * (largest - smallest), (minSpan - (largest - smallest)) / 2);
      double lo = Math.max(low, smallest - pad), hi = Math.min(high, largest + pad);
      return lo < hi ? new Frame(width, height, legend, low, high, minSpan, new org.jfree.data.Range(lo, hi)) : this;
    }
  }

  /** One metric over generations: the mean of each series, with its 95% interval as a band. */
  static String metric(String id, String yLabel, List<Line> lines) {
    return metric(id, yLabel, lines, Frame.DEFAULT);
  }

  /** As {@link #metric(String, String, List)}, framed. */
  static String metric(String id, String yLabel, List<Line> lines, Frame frame) {
    List<Curve> curves = lines.stream().map(l -> {
      SortedMap<Double, SummaryStats> p = new java.util.TreeMap<>();
      l.points().forEach((g, st) -> p.put(g.doubleValue(), st));
      return new Curve(l.name(), l.color(), p, l.dashed());
    }).toList();
    NumberAxis x = axis("generation");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
    x.setAutoRangeIncludesZero(false);
    return curves(id, x, yLabel, curves, frame);
  }

  /** One metric (y) against a cost (x), framed: each curve through its generations' means. */
  static String againstCost(String id, String xLabel, String yLabel, List<Curve> curves, Frame frame) {
    NumberAxis x = axis(xLabel);
    x.setStandardTickUnits(NumberAxis.createStandardTickUnits(Locale.ROOT));
    return curves(id, x, yLabel, curves, frame);
  }

  /**
   * One metric against a swept parameter: the mean of each curve at each value, with its 95% interval as a band.
   *
   * @param categories the parameter's values in order when they are not numbers (x is then the index), else null
   */
  static String against(String id, String xLabel, String yLabel, List<Curve> curves, List<String> categories) {
    return against(id, xLabel, yLabel, curves, categories, Frame.DEFAULT);
  }

  /** As {@link #against(String, String, String, List, List)}, framed. */
  static String against(String id, String xLabel, String yLabel, List<Curve> curves, List<String> categories,
      Frame frame) {
    NumberAxis x;
    if (categories != null) {
      org.jfree.chart.axis.SymbolAxis sx = new org.jfree.chart.axis.SymbolAxis(xLabel,
          categories.toArray(String[]::new));
      sx.setLabelFont(LABELS);
      sx.setTickLabelFont(TICKS);
      sx.setGridBandsVisible(false);
      x = sx;
    } else {
      x = axis(xLabel);
      x.setStandardTickUnits(NumberAxis.createStandardTickUnits(Locale.ROOT));
      x.setAutoRangeIncludesZero(false);
    }
    return curves(id, x, yLabel, curves, frame);
  }

  private static String curves(String id, NumberAxis x, String yLabel, List<Curve> curves, Frame frame) {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    DeviationRenderer r = new DeviationRenderer(true, true);
    r.setAlpha(0.18f);
    r.setDrawSeriesLineAsPath(true);
    int i = 0;
    for (Curve line : curves) {
      YIntervalSeries s = new YIntervalSeries(line.name());
      for (Map.Entry<Double, SummaryStats> p : line.points().entrySet()) {
        SummaryStats st = p.getValue();
        if (!Double.isFinite(st.mean())) {
          continue;
        }
        boolean band = st.n() > 1 && Double.isFinite(st.ciLow()) && Double.isFinite(st.ciHigh());
        s.add(p.getKey(), st.mean(), band ? st.ciLow() : st.mean(), band ? st.ciHigh() : st.mean());
      }
      data.addSeries(s);
      r.setSeriesPaint(i, line.color());
      r.setSeriesFillPaint(i, line.color());
      if (line.dashed()) { // a closed form beside its measurement: dashed, no markers
        r.setSeriesStroke(i, new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {6f, 4f}, 0f));
        r.setSeriesShapesVisible(i, false);
      } else {
        r.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        r.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
      }
      i++;
    }
    NumberAxis y = axis(yLabel);
    y.setStandardTickUnits(NumberAxis.createStandardTickUnits(Locale.ROOT));
    y.setAutoRangeIncludesZero(false);
    y.setAutoRangeMinimumSize(frame.minSpan());
    XYPlot plot = new XYPlot(data, x, y, r);
    // the axis never shows values outside the metric's domain (the auto range pads beyond the data)
    org.jfree.data.Range auto = y.getRange();
    double lo = Math.max(frame.low(), auto.getLowerBound()), hi = Math.min(frame.high(), auto.getUpperBound());
    if (frame.shared() != null) {
      y.setRange(frame.shared());
    } else if (lo < hi && (lo != auto.getLowerBound() || hi != auto.getUpperBound())) {
      y.setRange(lo, hi);
    }
    style(plot);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    return svg(id, chart(plot, frame.legend()), frame.width(), frame.height());
  }

  /** Stacked bars: per generation, the share of each source; sources in the order of {@code colors}. */
  static String stacked(String id, SortedMap<Integer, Map<String, Double>> shares, Map<String, Color> colors) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    List<String> sources = colors.keySet().stream()
        .filter(s -> shares.values().stream().anyMatch(m -> m.getOrDefault(s, 0.0) > 0)).toList();
    for (Map.Entry<Integer, Map<String, Double>> g : shares.entrySet()) {
      for (String s : sources) {
        data.addValue(g.getValue().getOrDefault(s, 0.0), s, g.getKey());
      }
    }
    StackedBarRenderer r = new StackedBarRenderer();
    r.setBarPainter(new StandardBarPainter());
    r.setShadowVisible(false);
    r.setDrawBarOutline(false);
    r.setMaximumBarWidth(0.09);
    for (int i = 0; i < sources.size(); i++) {
      r.setSeriesPaint(i, colors.get(sources.get(i)));
    }
    CategoryAxis x = new CategoryAxis("generation");
    x.setLabelFont(LABELS);
    x.setTickLabelFont(TICKS);
    NumberAxis y = axis("share of training signal");
    y.setRange(0, 1);
    NumberFormat pct = NumberFormat.getPercentInstance(Locale.ROOT);
    y.setNumberFormatOverride(pct);
    CategoryPlot plot = new CategoryPlot(data, x, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    plot.setRangeGridlinePaint(GRID);
    return svg(id, chart(plot, false), WIDTH, HEIGHT); // the page shows the sources' colours above the charts
  }

  private static NumberAxis axis(String label) {
    NumberAxis a = new NumberAxis(label);
    a.setLabelFont(LABELS);
    a.setTickLabelFont(TICKS);
    return a;
  }

  private static void style(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
  }

  private static JFreeChart chart(org.jfree.chart.plot.Plot plot, boolean legendShown) {
    JFreeChart chart = new JFreeChart(null, LABELS, plot, legendShown);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.setPadding(new RectangleInsets(6, 4, 4, 12));
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setItemFont(LABELS);
      legend.setFrame(BlockBorder.NONE);
      legend.setPosition(RectangleEdge.BOTTOM);
    }
    return chart;
  }

  /** A chart being drawn by {@link Drawings}: its markup, once drawn, is its {@link #toString}. */
  static final class Svg {
    private final CompletableFuture<String> markup;

    private Svg(CompletableFuture<String> markup) {
      this.markup = markup;
    }

    /** Markup already made (for a page put together by hand). */
    static Svg of(String markup) {
      return new Svg(CompletableFuture.completedFuture(markup));
    }

    /** The {@code <svg>} element (waits for it to be drawn). */
    @Override
    public String toString() {
      return markup.join();
    }
  }

  /**
   * The page's charts drawn side by side, one per core: {@link #draw} starts a chart and returns at once,
   * {@link #await} waits for every chart. The markup does not depend on the thread or the order: each chart is its own
   * JFreeChart and SVGGraphics2D, and its ids come from its id (see {@link #svg}). A report has a hundred charts or
   * more (the quickstart's: 128), and drawing them was most of writing it.
   */
  static final class Drawings implements AutoCloseable {
    private final ExecutorService pool;
    private final List<CompletableFuture<String>> started = new ArrayList<>();

    Drawings() {
      AtomicInteger n = new AtomicInteger();
      pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
        Thread t = new Thread(r, "pf-report-" + n.getAndIncrement());
        t.setDaemon(true);
        return t;
      });
    }

    /** Starts drawing {@code chart} (one of this class's chart methods) on the pool. */
    Svg draw(Supplier<String> chart) {
      CompletableFuture<String> f = CompletableFuture.supplyAsync(chart, pool);
      started.add(f);
      return new Svg(f);
    }

    /** Waits for every chart; a chart that failed throws its own exception here. */
    void await() {
      for (CompletableFuture<String> f : started) {
        try {
          f.join();
        } catch (CompletionException e) {
          if (e.getCause() instanceof RuntimeException r) throw r;
          if (e.getCause() instanceof Error err) throw err;
          throw e;
        }
      }
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }

  /** Draws the chart into an {@code <svg id="…">} with fixed ids and rounded numbers. */
  private static String svg(String id, JFreeChart chart, int width, int height) {
    SVGGraphics2D g = new SVGGraphics2D(width, height);
    g.setDefsKeyPrefix(id + "-");
    g.setGeomDoubleConverter(Charts::round2);
    g.setTransformDoubleConverter(Charts::round2);
    chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
    g.dispose();
    return g.getSVGElement(id, true, new ViewBox(0, 0, width, height), null, null);
  }

  /**
   * v to 2 decimals, as {@link #round2Exact}, without a BigDecimal: a chart has thousands of coordinates, and
   * rounding them through BigDecimal was a quarter of drawing it. The exact path rounds 100·d, d being v's shortest
   * decimal; |v − d| ≤ ulp(v)/2, so for |v| &lt; 10⁷ the double v·100 is within 2·10⁻⁷ of 100·d, and both round to
   * the same integer unless v·100 lies within 10⁻⁶ of a tie (…5 in the third decimal, where half-even decides).
   * Ties and larger values take the exact path.
   */
  static String round2(double v) {
    if (!Double.isFinite(v)) {
      return "0";
    }
    double x = v * 100;
    double ax = Math.abs(x);
    double frac = ax - Math.floor(ax);
    if (ax >= 1e9 || Math.abs(frac - 0.5) < 1e-6) {
      return round2Exact(v);
    }
    long r = Math.round(ax); // not a tie, so any rounding to nearest gives it
    if (r == 0) {
      return "0";
    }
    StringBuilder b = new StringBuilder(24);
    if (x < 0) {
      b.append('-');
    }
    b.append(r / 100);
    int cents = (int) (r % 100);
    if (cents != 0) {
      b.append('.').append((char) ('0' + cents / 10));
      if (cents % 10 != 0) {
        b.append((char) ('0' + cents % 10));
      }
    }
    return b.toString();
  }

  /** v's shortest decimal ({@link BigDecimal#valueOf(double)}) rounded half-even to 2 decimals, trailing zeros off. */
  static String round2Exact(double v) {
    if (!Double.isFinite(v)) {
      return "0";
    }
    return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
  }
}
