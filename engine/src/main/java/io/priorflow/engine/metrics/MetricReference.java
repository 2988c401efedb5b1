package io.priorflow.engine.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * docs/metrics.md, the metric reference, generated from {@link MetricCatalog}: one table per section with each
 * metric's meaning, unit, domain, direction and interval method. {@code MetricReferenceTest} fails when the
 * committed file differs; regenerate it with {@code mvn -pl gpu-kernels,engine test -Dtest=MetricReferenceTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dpf.updateDocs=true} or by running {@link #main}.
 */
public final class MetricReference {

  private MetricReference() {}

  /** Writes the reference to the path given (default {@code docs/metrics.md}). */
  public static void main(String[] args) throws IOException {
    Path out = target(args);
    Files.writeString(out, markdown(), StandardCharsets.UTF_8);
    System.out.println("wrote " + out);
  }

  /** The path {@link #main} writes: its first argument, else {@code docs/metrics.md} in the working directory. */
  static Path target(String... args) {
    return Path.of(args.length > 0 ? args[0] : "docs/metrics.md");
  }

  /** The reference's text. */
  public static String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("# Metric reference\n\n"
        + "Generated from `MetricCatalog` (engine/src/main/java/io/priorflow/engine/metrics) by `MetricReference`; do "
        + "not edit by hand. `MetricReferenceTest` fails when this file is stale; regenerate it with\n\n"
        + "```\nmvn -B -q -o -pl gpu-kernels,engine test -Dtest=MetricReferenceTest "
        + "-Dsurefire.failIfNoSpecifiedTests=false -Dpf.updateDocs=true\n```\n\n"
        + "The exact definitions are in the Javadoc of `MetricNames`. Columns:\n\n"
        + "- **better**: which way is an improvement; the terminal summary marks a change good or bad by it, and only "
        + "where the 95% interval of the change excludes zero.\n"
        + "- **domain**: the values the metric can take; no interval in summary.csv or the report leaves it.\n"
        + "- **interval**: how summary.csv's `ci95_low`, `ci95_high` (and the report's bands) are computed from the "
        + "replicates: *Student t* is mean ± t₀.₉₇₅,ₙ₋₁·se; *Student t, clipped to the domain* the same intersected "
        + "with the domain; *percentile bootstrap* the 2.5% and 97.5% points of the means of "
        + SummaryStats.BOOTSTRAP_RESAMPLES + " resamples of the replicates (fixed seed), for proportions. With "
        + "fewer than about ten replicates the bootstrap is narrower than it should be (for two it is the two "
        + "values).\n\n");
    for (MetricDefinition.Kind kind : MetricDefinition.Kind.values()) {
      List<MetricDefinition> defs = kind == MetricDefinition.Kind.ANCESTRY || kind == MetricDefinition.Kind.OUTCOME
          ? families(kind) : List.of();
      List<MetricDefinition> fixed = MetricCatalog.fixed().stream().filter(d -> d.kind() == kind).toList();
      out.append("## ").append(switch (kind) {
        case OUTCOME -> "Outcomes";
        case COST -> "Costs (cumulative; the x axes of the report's matched-cost charts)";
        case BOOKKEEPING -> "Bookkeeping (counts and sizes set by the configuration)";
        case ANCESTRY -> "Ancestry";
      }).append("\n\n| metric | meaning | unit | domain | better | interval |\n|---|---|---|---|---|---|\n");
      for (MetricDefinition d : defs) {
        row(out, d);
      }
      for (MetricDefinition d : fixed) {
        row(out, d);
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** The families, by an example name each: trait.&lt;name&gt;, labels.gold_agreement.&lt;source&gt;, ancestry. */
  private static List<MetricDefinition> families(MetricDefinition.Kind kind) {
    if (kind == MetricDefinition.Kind.ANCESTRY) {
      return List.of(rename(MetricCatalog.of("ancestry.x"), "ancestry.<source>",
          "Share of the model's training signal that traces back to the source (world corpus, human labels, an AI "
              + "critic…) through every teacher generation."));
    }
    return List.of(
        rename(MetricCatalog.of("trait.toxic"), "trait.toxic, trait.hedge, trait.verbose",
            "Share of evaluation samples with the undesirable trait, by the world's gold detector."),
        rename(MetricCatalog.of("trait.polite"), "trait.polite, trait.correct, trait.rare_correct",
            "Share of evaluation samples with the desirable trait, by the world's gold detector."),
        rename(MetricCatalog.of("trait.x"), "trait.<extra>",
            "A world.extraTraits trait: better is higher when the trait is desirable, lower when not."),
        rename(MetricCatalog.of("labels.gold_agreement.x"), "labels.gold_agreement.<source>",
            "Share of this generation's judgements by the source (humans, human-<i>, critic) that agree with the "
                + "gold oracle."));
  }

  private static MetricDefinition rename(MetricDefinition d, String name, String description) {
    return new MetricDefinition(name, description, d.unit(), d.direction(), d.low(), d.high(), d.kind());
  }

  private static void row(StringBuilder out, MetricDefinition d) {
    String better = switch (d.direction()) {
      case HIGHER_IS_BETTER -> "higher";
      case LOWER_IS_BETTER -> "lower";
      case NEITHER -> d.name().equals("trait.<extra>") ? "as the world says" : "—";
    };
    out.append("| `").append(d.name().replace(", ", "`, `")).append("` | ").append(d.description().replace("|", "\\|"))
        .append(" | ").append(d.unit()).append(" | ").append(d.domainText()).append(" | ").append(better).append(" | ")
        .append(d.interval().label()).append(" |\n");
  }
}
