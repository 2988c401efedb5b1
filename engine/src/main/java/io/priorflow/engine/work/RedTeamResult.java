package io.priorflow.engine.work;

import io.priorflow.engine.label.RedTeamFinding;
import java.util.List;

/**
 * What the red teamer found: each successful prompt with the target's flagged response, in trial order; how many
 * prompts it tried and responses it judged; the simulated seconds and dollars (0 for an AI red teamer).
 */
public record RedTeamResult(String id, List<RedTeamFinding> findings, int trials, int responses, double seconds,
                            double usd) implements WorkResult {
  public RedTeamResult { findings = List.copyOf(findings); }
}
