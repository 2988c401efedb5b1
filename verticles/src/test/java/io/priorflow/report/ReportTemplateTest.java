package io.priorflow.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * report.mustache and its partials filled from data: every text escaped as {@link Html#esc} escapes it (Mustache.java's
 * own escaper would also turn '=' into "&amp;#61;"), optional parts absent without a trace, raw markup (the CSS, the
 * charts' SVG, the graph's JSON, the scripts) inserted as it is, and exactly the bytes of the page the string-built
 * code wrote.
 */
class ReportTemplateTest {

  static final ReportView.Legend LEGEND = new ReportView.Legend("Lineages", List.of(new ReportView.Swatch("#112233",
      "a=b")));

  static ReportView.Page page(ReportView.Text description, ReportView.Text scenario, List<String> notes,
                              boolean intervals, ReportView.Text point) {
    var cells = new ReportView.Cells(new ReportView.Stats("0.5", intervals ? new ReportView.Interval("0.4", "0.6")
        : null), null, "");
    var table = new ReportView.SummaryTable(point, List.of(new ReportView.Column("#112233", "a=b", 0, 3)),
        List.of(new ReportView.Row("share \"of\" x", "trait.x", List.of(cells))));
    return new ReportView.Page(0, 0, "t=1 <'run'> & co", "b{c:d}\n", description,
        List.of(new ReportView.Fact("seed", "7")), false, List.of(), scenario, false, true, false, !notes.isEmpty(),
        notes, intervals, point != null, List.of(table), null, null, null, null, null, "events.jsonl", null, null,
        List.of())
        .withBody(12, 3, new ReportView.Generations(LEGEND, null, List.of(), null), null, point == null ? null
            : new ReportView.Sweeps(intervals, LEGEND, List.of(new ReportView.SweepPath("lr<1>", List.of(
                new ReportView.SweepChart("trait.x", "d&e", Charts.Svg.of("<svg id=\"s\"></svg>")))))),
            null, null, null, null, List.of("var a = 1 < 2;"));
  }

  @Test
  void textsAreEscapedAsHtmlEscDoesAndRawPartsAreNot() {
    String html = ReportTemplate.render(page(new ReportView.Text("d=e"), new ReportView.Text("seed: 7\n"),
        List.of("n<1>"), true, new ReportView.Text("lr=0.1")));
    assertTrue(html.contains("<title>t=1 &lt;&#39;run&#39;&gt; &amp; co — priorflow report</title>\n"), html);
    assertTrue(html.contains("<h1>t=1 &lt;&#39;run&#39;&gt; &amp; co</h1>\n<p class=\"description\">d=e</p>\n"
        + "<dl class=\"facts\">\n<dt>seed</dt><dd>7</dd>\n</dl>\n<details>"), html);
    assertTrue(html.contains("<pre>seed: 7\n</pre></details>\n<nav>Sections: <a href=\"#summary\">summary</a> · "
        + "<a href=\"#metrics\">metrics over generations</a> · <a href=\"#sweep\">metrics against swept "
        + "parameters</a> · <a href=\"#ancestry\">"), html);
    assertTrue(html.contains("<ul>\n<li>n&lt;1&gt;</li>\n</ul></section>\n<section class=\"guide\">"), html);
    assertTrue(html.contains("<meta name=\"priorflow-svg-count\" content=\"12\">\n"
        + "<meta name=\"priorflow-graph-nodes\" content=\"3\">\n"), html);
    assertTrue(html.contains("<style>\nb{c:d}\n</style>\n"), html);
    assertTrue(html.contains(" One table per sweep point, one column group per lineage.</p>\n<h3>lr=0.1</h3>\n"), html);
    assertTrue(html.contains("<th colspan=\"3\" class=\"series\"><span class=\"swatch\" style=\"background:#112233\">"
        + "</span>a=b</th></tr>\n<tr><th>g0</th><th>g3</th><th>change</th></tr></thead>\n<tbody>\n"
        + "<tr><th class=\"metric\" title=\"share &quot;of&quot; x\">trait.x</th><td class=\"num\">0.5 <small>[0.4, "
        + "0.6]</small></td><td class=\"num\"></td><td class=\"num change\"></td></tr>\n</tbody></table></div>\n"
        + "</section>\n<section id=\"metrics\"><h2>Metrics over generations</h2>\n<p>One chart per metric, one line "
        + "per lineage, in the lineage's colour throughout the report; one small panel per sweep point, all on the "
        + "same scale within a metric. Each line is the mean over replicates; the shaded band is its 95% interval: "
        + "percentile bootstrap for proportions, Student t (clipped to the metric's domain) for the others "
        + "(docs/metrics.md). Costs, counts and sizes are in <a href=\"#costs\">their own section</a>.</p>\n"
        + "<div class=\"legend\">Lineages: <span><span class=\"swatch\" style=\"background:#112233\"></span>a=b"
        + "</span></div>\n<div class=\"grid\">\n</div>\n</section>\n<section id=\"sweep\"><h2>Metrics against the "
        + "swept parameters</h2>\n<p>For each swept parameter, one chart per metric: its value at each lineage's last "
        + "generation, one line per lineage and combination of the other swept parameters (the mean over replicates; "
        + "the shaded band is its 95% confidence interval). A legend under a chart appears only where a lineage has "
        + "several curves (several swept parameters).</p>\n<div class=\"legend\">Lineages: <span><span "
        + "class=\"swatch\" style=\"background:#112233\"></span>a=b</span></div>\n<h3>lr&lt;1&gt;</h3>\n"
        + "<div class=\"grid\">\n<figure class=\"chart\" data-metric=\"trait.x\" data-param=\"lr&lt;1&gt;\">\n"
        + "<figcaption><b>trait.x</b> against <b>lr&lt;1&gt;</b>, last generation — d&amp;e</figcaption>\n"
        + "<svg id=\"s\"></svg>\n</figure>\n</div>\n</section>\n"
        + "<section id=\"stages\"><h2>Stages</h2>\n"
        + "<p class=\"muted\">No stages recorded (events.jsonl is absent or empty).</p></section>\n<footer>"), html);
    assertTrue(html.endsWith("</footer>\n</main>\n<script>\nvar a = 1 < 2;\n</script>\n</body>\n</html>\n"), html);
  }

  @Test
  void effectsAreBoldWhereTheirIntervalExcludesZero() {
    var sure = new ReportView.Effect(new ReportView.EffectValue(true, "+0.3", new ReportView.Interval("0.1", "0.5")));
    var rows = List.of(new ReportView.EffectRow(2, List.of(sure)),
        new ReportView.EffectRow(3, List.of(new ReportView.Effect(null))));
    var effects = new ReportView.Effects(List.of(new ReportView.Fact("without-h1", "remove <h1>")), false,
        List.of(new ReportView.EffectTable("trait.x", "a (lr = 1)", rows)));
    ReportView.Page p = page(null, null, List.of(), false, null);
    String html = ReportTemplate.render(p.withBody(0, 0, p.outcomes(), null, null, effects, null, null, null,
        List.of()));
    assertTrue(html.contains("<ul><li><code>without-h1</code>: remove &lt;h1&gt;</li></ul>\n<div class=\"grid\">\n"
        + "<figure class=\"attribution\"><figcaption><b>trait.x</b> in a (lr = 1)</figcaption>\n<table class=\"summary\">"
        + "<thead><tr><th>gen</th><th>without-h1</th></tr></thead><tbody>\n<tr><th>g2</th><td class=\"num\"><b>+0.3</b> "
        + "[0.1, 0.5]</td></tr>\n<tr><th>g3</th><td class=\"num\"></td></tr>\n</tbody></table></figure>\n</div>"
        + "</section>\n"), html);
    assertFalse(html.contains("No counterfactual run has finished"), html);
  }

  @Test
  void chartsAreFiguresWithTheirSvgRawAndTheirTextsEscaped() {
    var constants = new ReportView.Constants(List.of(new ReportView.Constant("d<1>", "m.c", true, null),
        new ReportView.Constant("e", "n", false, "3")));
    var chart = new ReportView.MetricChart("a<b", "x&y", new ReportView.Band("percentile bootstrap", 3),
        new ReportView.Text("a<b_law"), Charts.Svg.of("<svg id='c'/>"), List.of());
    var matched = new ReportView.MatchedCost(List.of(new ReportView.CostAxis("cost.x<", List.of(
        new ReportView.CostChart("m&", Charts.Svg.of("<svg id='v'/>"))))));
    ReportView.Page p = page(null, null, List.of(), true, null);
    String html = ReportTemplate.render(p.withBody(0, 0, new ReportView.Generations(LEGEND, constants,
        List.of(chart), null), new ReportView.Generations(LEGEND, null, List.of(), matched), null, null, null, null,
        null, List.of()));
    assertTrue(html.contains("</span></div>\n<p class=\"muted\">Not drawn, since they never change in this run:</p>"
        + "<ul class=\"constants\"><li><code title=\"d&lt;1&gt;\">m.c</code> undefined in every generation</li>"
        + "<li><code title=\"e\">n</code> constant at 3</li></ul>\n<div class=\"grid\">\n<figure class=\"chart\" "
        + "data-metric=\"a&lt;b\">\n<figcaption><b>a&lt;b</b> — x&amp;y <span class=\"muted\">Band: 95% percentile "
        + "bootstrap interval over 3 replicates.</span> <span class=\"muted\">Dashed: the closed form, a&lt;b_law."
        + "</span></figcaption>\n<svg id='c'/>\n</figure>\n</div>\n</section>\n<section id=\"costs\">"), html);
    assertTrue(html.contains("that follow from the configuration.</p>\n<div class=\"legend\">Lineages: <span><span "
        + "class=\"swatch\" style=\"background:#112233\"></span>a=b</span></div>\n<div class=\"grid\">\n</div>\n"
        + "<h3 id=\"matched-cost\">At matched cost</h3>\n<p>Each metric against what was spent to reach it: one line "
        + "per lineage through its generations' means. Read across at one cost to compare methods that spent the "
        + "same.</p>\n<h4>against <code>cost.x&lt;</code></h4>\n<div class=\"grid\">\n<figure class=\"chart\" "
        + "data-metric=\"m&amp;\" data-cost=\"cost.x&lt;\">\n<figcaption><b>m&amp;</b> against <b>cost.x&lt;</b>"
        + "</figcaption>\n<svg id='v'/>\n</figure>\n</div>\n</section>\n<section id=\"stages\">"), html);
  }

  @Test
  void aFacetedChartHasAPanelPerSweepPoint() {
    var chart = new ReportView.MetricChart("m", "d", null, null, null, List.of(new ReportView.Panel("lr = 0.1",
        Charts.Svg.of("<svg id='p'/>")), new ReportView.Panel("lr<2", Charts.Svg.of("<svg/>"))));
    ReportView.Page p = page(null, null, List.of(), false, new ReportView.Text("lr = 0.1"));
    String html = ReportTemplate.render(p.withBody(0, 0, new ReportView.Generations(LEGEND, null, List.of(chart),
        null), null, null, null, null, null, null, List.of()));
    assertTrue(html.contains("One replicate, so no intervals. Costs, counts and sizes are in <a href=\"#costs\">"
        + "their own section</a>.</p>\n<div class=\"legend\">Lineages: <span><span class=\"swatch\" "
        + "style=\"background:#112233\"></span>a=b</span></div>\n<div class=\"grid\">\n<figure class=\"chart facets\" "
        + "data-metric=\"m\">\n<figcaption><b>m</b> — d</figcaption>\n<div class=\"facet-grid\">\n"
        + "<div class=\"facet\"><div class=\"facet-title\">lr = 0.1</div><svg id='p'/></div>\n"
        + "<div class=\"facet\"><div class=\"facet-title\">lr&lt;2</div><svg/></div>\n</div>\n</figure>\n</div>\n"
        + "</section>\n<section id=\"stages\">"), html);
  }

  @Test
  void theLineageGraphSaysWhatItLeavesOutAndTheModelTableEscapesEveryText() {
    var models = new ReportView.ModelTable(5001, List.of("world<"), List.of(
        new ReportView.ModelRow("abc&", "ab", "a<b", "1", "0", "sft", new ReportView.Arch("mlp, vocabulary 9",
            "mlp 70k, scalar"), "1200", List.of("45.0%")),
        new ReportView.ModelRow("def", "de", "source world", "", "", "", null, "0", List.of(""))),
        new ReportView.Truncated(5000));
    var graph = new ReportView.Graph(new ReportView.BatchNote(true, 24), List.of(new ReportView.FirstReplicate(null,
        20, 2000), new ReportView.FirstReplicate(new ReportView.Text("p<0"), 3, 4)), "#m", "#d", "#a",
        List.of(new ReportView.Swatch("#e", "trained on")), new ReportView.RunSelector(List.of("p0", "p<1")),
        "{\"runs\":[]}", models);
    var ancestry = new ReportView.Ancestry(new ReportView.Legend("Sources", List.of(new ReportView.Swatch("#445566",
        "world<"))), List.of(new ReportView.AncestryChart("a<b", Charts.Svg.of("<svg id='a'/>"))), graph);
    ReportView.Page p = page(null, null, List.of(), false, null);
    String html = ReportTemplate.render(p.withBody(0, 0, p.outcomes(), null, null, null, ancestry, null, null,
        List.of()));
    assertTrue(html.contains("its priors are being amplified.</p>\n<div class=\"legend\">Sources: <span><span "
        + "class=\"swatch\" style=\"background:#445566\"></span>world&lt;</span></div>\n<div class=\"grid\">\n"
        + "<figure class=\"chart ancestry\" data-lineage=\"a&lt;b\">\n<figcaption><b>ancestry of a&lt;b</b> — share "
        + "of training signal by source, per generation.</figcaption>\n<svg id='a'/>\n</figure>\n</div>\n"
        + "<h3>Lineage graph</h3>\n<p>Models"), html);
    assertTrue(html.contains("to collapse or expand it. Every finished run of the batch can be shown (the first 24 "
        + "here; each run's own is in <code>runs/&lt;run&gt;/lineage.json</code>). <b>Only the first replicate is "
        + "shown: 20 of 2000 nodes.</b> <b>Run p&lt;0: only the first replicate is shown: 3 of 4 nodes.</b></p>\n"
        + "<div class=\"legend\"><span><span class=\"swatch\" style=\"background:#m\"></span>model</span><span><span "
        + "class=\"swatch\" style=\"background:#d\"></span>dataset</span><span><span class=\"swatch\" "
        + "style=\"background:#a\"></span>actor</span><span><span class=\"line\" style=\"border-color:#e\"></span>"
        + "trained on</span></div>\n<div class=\"graph-controls\"><label>run <select id=\"pf-lineage-run\"><option>p0"
        + "</option><option>p&lt;1</option></select></label> <button type=\"button\" id=\"pf-lineage-fit\">"), html);
    assertTrue(html.contains("<script type=\"application/json\" id=\"pf-lineage-data\">{\"runs\":[]}</script>\n"
        + "<details><summary>Every model: family, size and ancestry (5001 models)</summary>\n<div class=\"scroll\">"
        + "<table><thead><tr><th>model</th><th>lineage</th><th>gen.</th><th>rep.</th><th>trained by</th><th>model</th>"
        + "<th>tokens</th><th>world&lt;</th></tr></thead>\n<tbody>\n<tr><td><code title=\"abc&amp;\">ab</code></td>"
        + "<td>a&lt;b</td><td class=\"num\">1</td><td class=\"num\">0</td><td>sft</td><td class=\"arch\" "
        + "title=\"mlp, vocabulary 9\">mlp 70k, scalar</td><td class=\"num\">1200</td><td class=\"num\">45.0%</td>"
        + "</tr>\n<tr><td><code title=\"def\">de</code></td><td>source world</td><td class=\"num\"></td><td "
        + "class=\"num\"></td><td></td><td class=\"arch\"></td><td class=\"num\">0</td><td class=\"num\"></td>"
        + "</tr>\n</tbody></table></div><p class=\"muted\">The first 5000 models of 5001; lineage.json has them all."
        + "</p></details>\n</section>\n<section id=\"stages\">"), html);
  }

  @Test
  void withoutAncestryOrGraphNodesTheSectionSaysSo() {
    ReportView.Page p = page(null, null, List.of(), false, null);
    String html = ReportTemplate.render(p.withBody(0, 0, p.outcomes(), null, null, null,
        new ReportView.Ancestry(null, List.of(), null), null, null, List.of()));
    assertTrue(html.contains("its priors are being amplified.</p>\n<div class=\"grid\">\n</div>\n<p class=\"muted\">"
        + "No ancestry recorded: metrics.csv has no ancestry.* column and no measured model of lineage.json has "
        + "ancestry shares.</p>\n<h3>Lineage graph</h3>\n<p class=\"muted\">The lineage graph has no nodes (an "
        + "analytic world has no models or datasets to trace).</p>\n</section>\n<section id=\"stages\">"), html);
  }

  @Test
  void absentPartsLeaveNoTrace() {
    String html = ReportTemplate.render(page(null, null, List.of(), false, null));
    assertFalse(html.contains("description"), html);
    assertFalse(html.contains("<details>"), html);
    assertFalse(html.contains("class=\"notes\""), html);
    assertFalse(html.contains("<h3>"), html);
    assertTrue(html.contains("<h1>t=1 &lt;&#39;run&#39;&gt; &amp; co</h1>\n<dl class=\"facts\">\n"), html);
    assertTrue(html.contains("</dl>\n<nav>"), html);
    assertFalse(html.contains("id=\"sweep\""), html);
    assertTrue(html.contains("the change between them. One replicate per generation, so no intervals. Hover a "
        + "metric's name for its meaning.</p>\n<div class=\"scroll\">"), html);
    assertTrue(html.contains("<td class=\"num\">0.5</td>"), html);
    assertEquals(1, html.split("<script>", -1).length - 1);
  }
}
