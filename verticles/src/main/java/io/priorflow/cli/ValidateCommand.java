package io.priorflow.cli;

import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.Problem;
import io.priorflow.engine.scenario.ScenarioException;
import io.priorflow.engine.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code priorflow validate SCENARIO... [--set PATH=VALUE]...}: loads each scenario as a run would, with the same
 * overrides, and prints {@code ok: FILE (name, N lineages)}, or every problem of every file on stderr, one per line
 * as {@code file:line:column: field.path: expected …, found …}. Exit status 0 when every file is valid, 2
 * otherwise.
 * It runs nothing.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Check scenario files without running them. Every problem of every file is reported at once, at "
        + "its file, line and column, with the field path, what was expected and what was found.",
    footer = {"", "Exit status: 0 every file is valid; 2 a file or an override has a problem.", "",
        "Examples:",
        "  ./priorflow validate scenarios/tiny.yaml",
        "  ./priorflow validate scenarios/*.yaml",
        "  ./priorflow validate scenarios/tiny.yaml \\",
        "      --set 'lineages[0].generations=10' --set seed=3",
        "  ./priorflow validate scenarios/tiny.yaml \\",
        "      --set 'lineages[0].stages[1]={kind: filter, keepFraction: 0.3}'",
        "  ./priorflow validate scenarios/tiny.yaml --resolved > resolved.yaml",
        "",
        "The format, every field with its range and default:",
        "  scenarios/scenario.schema.json"})
final class ValidateCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "SCENARIO", description = "Scenario files (YAML).")
  List<Path> files = new ArrayList<>();

  @Option(names = "--set", paramLabel = "PATH=VALUE",
      description = "Override a field, as a run would: PATH like lineages[0].stages[1].samples (or by name: "
          + "lineages[main].stages[gen].samples), VALUE in YAML (3, high, [64, 64], {kind: train}). Repeatable; "
          + "applied in order to every file.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--resolved",
      description = "Also print each valid file's resolved scenario (defaults and overrides applied) as YAML.")
  boolean resolved;

  @Spec
  CommandSpec spec;

  /**
   * The budget a run of the file would print: every sweep point and counterfactual once, at one run per core.
   * Lines start with "# ", so that the output of --resolved stays YAML.
   */
  private static String budget(LoadedScenario l) {
    var points = java.util.stream.IntStream.range(0, l.sweep().points()).boxed().toList();
    var runs = io.priorflow.engine.run.RunSpec.grid(l.sweep(), points, List.of(0), l.counterfactuals(),
        points.size() > 1 || !l.counterfactuals().isEmpty());
    int cores = Runtime.getRuntime().availableProcessors();
    var b = io.priorflow.engine.run.RunBudget.ofRuns(l, runs, cores);
    return "# " + b.describe(Runtime.getRuntime().maxMemory(), cores).replace("\n", "\n# ")
        + (runs.size() > 1 ? " (" + runs.size() + " runs, one replicate each)" : "");
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
    boolean allValid = true;
    for (Path file : files) {
      try {
        LoadedScenario l = ScenarioLoader.load(file, overrides);
        int n = l.scenario().lineages().size();
        out.println("ok: " + file + " (" + l.scenario().name() + ", " + n + (n == 1 ? " lineage)" : " lineages)"));
        out.println(budget(l));
        if (resolved) {
          out.print(l.resolvedYaml());
        }
      } catch (ScenarioException e) {
        allValid = false;
        for (Problem p : e.problems()) {
          err.println(p);
        }
      }
    }
    out.flush();
    err.flush();
    return allValid ? 0 : 2;
  }
}
