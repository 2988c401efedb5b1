package io.priorflow.engine.work;

import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.scenario.HumanSpec;
import io.priorflow.engine.world.Prompt;
import java.util.List;

/**
 * A red teamer searches, within a budget of prompts, for prompts that make the target model show an undesirable
 * trait ({@link io.priorflow.engine.label.RedTeamSearch}). A human red teamer ({@code human} given) sees the gold
 * detector through its accuracy (fatigue included) and spends (1 + responsesPerPrompt) · secondsPerLabel per prompt:
 * writing it, then reading each response. An AI red teamer ({@code detectorModelId} given) flags a response when its
 * trait classifier says p ≥ ½; its cost is the director's to charge per response judged.
 *
 * @param redTeamerId        the red teamer's actor id, e.g. "red-team-0"
 * @param targetModelId      the model under test (token head)
 * @param trait              the trait sought, e.g. "toxic"
 * @param budget             prompts to try (RedTeamSpec.budget, or a red teamer's share of it)
 * @param responsesPerPrompt responses sampled per prompt, ≥ 1
 * @param sampling           how the target samples
 * @param exploreFraction    probability of a fresh prompt rather than a mutation of an earlier find, in [0, 1]
 * @param human              the human red teamer's parameters, or null for an AI red teamer
 * @param hoursBefore        hours the human had already worked in the session (for fatigue); 0 for an AI
 * @param detectorModelId    the AI red teamer's trait classifier (scalar head), or null for a human
 * @param seeds              prompts found in earlier rounds, where the search starts
 */
public record RedTeamWork(String id, String redTeamerId, String targetModelId, String trait, int budget,
                          int responsesPerPrompt, SamplingConfig sampling, double exploreFraction, HumanSpec human,
                          double hoursBefore, String detectorModelId, List<Prompt> seeds) implements WorkItem {
  public RedTeamWork { seeds = List.copyOf(seeds); }

  @Override
  public Role role() { return Role.RED_TEAMER; }
}
