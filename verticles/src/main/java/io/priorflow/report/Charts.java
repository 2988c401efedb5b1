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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
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
  record Line(String name, Color color, SortedMap<Integer, SummaryStats> points) {}

  /**
   * A line over any x: per x, the replicate statistics.
   *
   * @param points x → statistics; the band is drawn where n &gt; 1
   */
  record Curve(String name, Color color, SortedMap<Double, SummaryStats> points) {}

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
      return new Curve(l.name(), l.color(), p);
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
      r.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      r.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
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

  private static String round2(double v) {
    if (!Double.isFinite(v)) {
      return "0";
    }
    return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
  }
}
