package io.priorflow.engine.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The problems of one load, with the paths they concern. A later pass skips a check that involves a path an earlier
 * pass already found wrong (its value was dropped for the default, and a second message about it would mislead).
 */
final class ProblemList {
  private final List<Problem> problems = new ArrayList<>();
  private final Set<String> badPaths = new HashSet<>();
  private final Origins origins;
  private final List<String> arguments;

  /** Problems of a file whose {@code --set} arguments are these (their problems sort in this order). */
  ProblemList(Origins origins, List<String> arguments) {
    this(origins, arguments, List.of());
  }

  /** Problems of a file with {@code --set} and then {@code --sweep} arguments (their problems sort in this order). */
  ProblemList(Origins origins, List<String> arguments, List<String> sweeps) {
    this(origins, arguments, sweeps, List.of());
  }

  /** Problems of a file with {@code --set}, {@code --sweep} and {@code --counterfactual} arguments, sorted so. */
  ProblemList(Origins origins, List<String> arguments, List<String> sweeps, List<String> counterfactuals) {
    this.origins = origins;
    List<String> all = new ArrayList<>();
    arguments.forEach(a -> all.add(Origins.Origin.argument(a).source()));
    sweeps.forEach(a -> all.add(Origins.Origin.sweepArgument(a).source()));
    counterfactuals.forEach(a -> all.add("--counterfactual " + a));
    this.arguments = List.copyOf(all);
  }

  private ProblemList(List<String> argumentSources, Origins origins) {
    this.origins = origins;
    this.arguments = argumentSources;
  }

  /** An empty list over other origins (those of a copy of the tree), with the same arguments. */
  ProblemList fresh(Origins other) {
    return new ProblemList(arguments, other);
  }

  /** Adds every problem of another list (bad paths are not carried over). */
  void addAll(ProblemList other) {
    problems.addAll(other.problems);
  }

  /** The list the YAML reader adds to directly. */
  List<Problem> raw() {
    return problems;
  }

  /** Adds a problem at path, at its key's place if {@code atKey}, else at its value's. */
  void add(String path, boolean atKey, String message) {
    problems.add(origins.at(path, atKey).problem(path, message));
    badPaths.add(path);
  }

  /** Marks a path wrong without a message of its own (its problems were reported below it). */
  void markBad(String path) {
    badPaths.add(path);
  }

  /** True if any of the paths is, contains or lies below a path found wrong. */
  boolean touchesBad(String... paths) {
    for (String p : paths) {
      for (String b : badPaths) {
        if (FieldPath.within(p, b) || FieldPath.within(b, p)) {
          return true;
        }
      }
    }
    return false;
  }

  /** True if some problem names exactly this path. */
  boolean hasPath(String path) {
    return problems.stream().anyMatch(p -> p.path().equals(path));
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  /** File problems by line and column, then argument problems in argument order; exact repeats dropped. */
  List<Problem> sorted() {
    List<Problem> out = new ArrayList<>(problems.stream().distinct().toList());
    out.sort(Comparator.comparingInt((Problem p) -> p.line() == 0 ? 1 + arguments.indexOf(p.source()) : 0)
        .thenComparingInt(Problem::line).thenComparingInt(Problem::column));
    return out;
  }
}
