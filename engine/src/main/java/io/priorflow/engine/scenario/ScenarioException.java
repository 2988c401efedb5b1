package io.priorflow.engine.scenario;

import java.util.List;

/**
 * A scenario that cannot be run: carries every problem found, in file order. The message is the problems, one per
 * line, so a command line can print it as it is. It is an {@link IllegalArgumentException}, which the command line
 * reports with exit status 2.
 */
public final class ScenarioException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The problems, never empty. */
  private final transient List<Problem> problems;

  /** A scenario exception for these problems (at least one). */
  public ScenarioException(List<Problem> problems) {
    super(String.join("\n", problems.stream().map(Problem::toString).toList()));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ScenarioException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** Every problem, sorted by line and column; problems of {@code --set} arguments last. */
  public List<Problem> problems() {
    return problems;
  }
}
