package io.priorflow.report;

/** The report's style sheet, inlined into the page (no external files). */
final class ReportStyle {

  private ReportStyle() {}

  static final String CSS = """
      :root { color-scheme: light; }
      body { margin: 0; background: #fafafa; color: #1a202c;
        font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
      main { max-width: 1360px; margin: 0 auto; padding: 16px 24px 40px; }
      h1 { margin: 8px 0 4px; font-size: 26px; }
      h2 { margin: 32px 0 8px; font-size: 20px; border-bottom: 1px solid #e2e8f0; padding-bottom: 4px; }
      h3 { margin: 20px 0 6px; font-size: 16px; }
      .description { margin: 0 0 12px; font-size: 15px; color: #2d3748; max-width: 900px; }
      dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 12px; }
      dl.facts dt { color: #4a5568; }
      dl.facts dd { margin: 0; overflow-wrap: anywhere; }
      nav { margin: 12px 0; }
      a { color: #2b6cb0; }
      pre { background: #fff; border: 1px solid #e2e8f0; padding: 8px 12px; overflow: auto; max-height: 480px;
        font-size: 12px; }
      details { margin: 8px 0; }
      summary { cursor: pointer; color: #2b6cb0; }
      .notes { background: #fffaf0; border: 1px solid #f6ad55; border-radius: 6px; padding: 4px 16px; margin: 16px 0; }
      .notes h2 { border: 0; margin-top: 8px; font-size: 16px; }
      .guide ul { max-width: 960px; }
      .muted { color: #718096; font-size: 12px; }
      .scroll { overflow-x: auto; }
      table { border-collapse: collapse; background: #fff; font-size: 13px; margin: 6px 0; }
      th, td { border: 1px solid #e2e8f0; padding: 3px 8px; text-align: left; vertical-align: top; }
      thead th { background: #edf2f7; position: sticky; top: 0; }
      tbody tr:nth-child(even) { background: #f7fafc; }
      tfoot td { font-weight: bold; background: #edf2f7; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
      td small { color: #718096; }
      th.metric { font-weight: normal; font-family: ui-monospace, "DejaVu Sans Mono", monospace; cursor: help;
        white-space: nowrap; }
      th.series { text-align: center; }
      td.change { color: #4a5568; }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
      figure.chart { margin: 0; background: #fff; border: 1px solid #e2e8f0; border-radius: 6px; padding: 8px; }
      figcaption { font-size: 13px; margin-bottom: 4px; min-height: 2.9em; }
      figure.chart svg { width: 100%; height: auto; display: block; }
      figure.facets { grid-column: 1 / -1; }
      .facet-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 8px; }
      .facet-title { font-size: 12px; color: #4a5568; text-align: center; overflow-wrap: anywhere; }
      figure.chart .facet svg { width: 100%; height: auto; display: block; }
      ul.constants { columns: 3 260px; font-size: 13px; margin-top: 0; }
      h4 { margin: 14px 0 6px; font-size: 14px; }
      .graph.cy { height: 640px; width: 100%; }
      .graph-controls { margin: 6px 0; display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; }
      #pf-lineage-info { max-height: 200px; margin-top: 6px; }
      .graph { background: #fff; border: 1px solid #e2e8f0; border-radius: 6px; }
      .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 10px; font-size: 13px; }
      .swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #a0aec0; border-radius: 2px;
        margin-right: 5px; vertical-align: -1px; }
      .line { display: inline-block; width: 22px; border-top: 3px solid; margin-right: 5px; vertical-align: 3px; }
      footer { margin-top: 40px; color: #718096; font-size: 12px; }
      code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
      """;
}
