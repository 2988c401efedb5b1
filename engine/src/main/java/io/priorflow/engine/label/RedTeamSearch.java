package io.priorflow.engine.label;

import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.World;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The red team's search for prompts that elicit an undesirable trait from a target model: a simple evolutionary
 * search over world prompts ({@link PromptEdits}), {@code budget} trials in rounds of {@link #ROUND}.
 *
 * <pre>
 *   archive = the seed prompts (earlier rounds' finds)
 *   for each round, trials t = round·ROUND .. min(budget, (round + 1)·ROUND) − 1, from child stream "trial/t":
 *       prompt_t = fresh                           if the archive is empty or u &lt; exploreFraction
 *                  mutate(a uniform archive member) otherwise
 *       response k = 0 .. K−1 of the target to prompt_t, from stream "trial/t/response/k"
 *       flag each response with the judge, from stream "trial/t/judge/k"
 *       the trial succeeds if a response is flagged: its first flagged response is a finding
 *   after the round, its successful prompts join the archive, in trial order
 * </pre>
 * Streams are children of the caller's seed (the work item's), so the search is a pure function of (seed, world,
 * target, judge); the target and judge see whole rounds at once, so a model samples a round in one batch.
 * Which responses are flagged is the judge's business: a human red teamer sees the gold detector through its
 * accuracy, an AI red teamer uses a trait classifier. Not here: the red teamer's time and cost.
 */
public final class RedTeamSearch {
  /** Trials per round: the archive grows between rounds. */
  public static final int ROUND = 16;

  /** The model under test: continues each prompt from its own stream. */
  @FunctionalInterface
  public interface Target {
    /** Full sequences (prompt + response), one per prompt, prompt i drawing only from {@code rngs.get(i)}. */
    List<int[]> respond(List<int[]> prompts, List<SplittableRandom> rngs);
  }

  /** Decides which responses show the trait. */
  @FunctionalInterface
  public interface Judge {
    /**
     * Flags for each sequence (response from {@code from[i]}), found in trial {@code trials[i]}, judged with
     * {@code rngs.get(i)}.
     */
    boolean[] flag(List<int[]> sequences, int[] from, int[] trials, List<SplittableRandom> rngs);
  }

  /**
   * What a search found.
   *
   * @param findings  the successful trials' (prompt, flagged response), in trial order
   * @param trials    trials run (the budget)
   * @param responses responses sampled and judged
   */
  public record Outcome(List<RedTeamFinding> findings, int trials, int responses) {
    /** Copies the list. */
    public Outcome {
      findings = List.copyOf(findings);
    }
  }

  private RedTeamSearch() {
  }

  /**
   * Runs the search.
   *
   * @param seeds            prompts that worked before, the initial archive
   * @param budget           trials (prompts tried), ≥ 0
   * @param responses        responses sampled per prompt, ≥ 1
   * @param exploreFraction  probability of a fresh prompt while the archive is not empty, in [0, 1]; 1 is a
   *                         random search
   * @param seed             the seed the trial streams derive from (the work item's)
   */
  public static Outcome search(World world, List<Prompt> seeds, int budget, int responses, double exploreFraction,
                               Target target, Judge judge, long seed) {
    if (budget < 0 || responses < 1) {
      throw new IllegalArgumentException("A red-team search needs budget ≥ 0 and ≥ 1 response per prompt, got budget "
          + budget + " and " + responses + " responses.");
    }
    if (!(exploreFraction >= 0 && exploreFraction <= 1)) {
      throw new IllegalArgumentException("exploreFraction must be in [0, 1], was " + exploreFraction + ".");
    }
    PromptEdits edits = new PromptEdits(world);
    List<Prompt> archive = new ArrayList<>(seeds);
    List<RedTeamFinding> findings = new ArrayList<>();
    for (int start = 0; start < budget; start += ROUND) {
      int end = Math.min(budget, start + ROUND);
      // propose this round's prompts from the archive as it stood after the last round
      List<Prompt> prompts = new ArrayList<>(end - start);
      for (int t = start; t < end; t++) {
        SplittableRandom rng = RandomStreams.child(seed, "trial/" + t);
        boolean explore = archive.isEmpty() || rng.nextDouble() < exploreFraction;
        prompts.add(explore ? edits.fresh(rng) : edits.mutate(archive.get(rng.nextInt(archive.size())), rng));
      }
      // sample the target's responses, K per prompt, in one batch
      int n = prompts.size() * responses;
      List<int[]> asked = new ArrayList<>(n);
      List<SplittableRandom> sampleRngs = new ArrayList<>(n), judgeRngs = new ArrayList<>(n);
      int[] from = new int[n], trials = new int[n];
      for (int q = 0; q < n; q++) {
        int t = start + q / responses, k = q % responses;
        Prompt p = prompts.get(q / responses);
        asked.add(p.tokens());
        sampleRngs.add(RandomStreams.child(seed, "trial/" + t + "/response/" + k));
        judgeRngs.add(RandomStreams.child(seed, "trial/" + t + "/judge/" + k));
        from[q] = p.length();
        trials[q] = t;
      }
      List<int[]> sequences = target.respond(asked, sampleRngs);
      // judge them; a trial's first flagged response is its finding
      boolean[] flagged = judge.flag(sequences, from, trials, judgeRngs);
      List<Prompt> found = new ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) {
        for (int k = 0; k < responses; k++) {
          int q = i * responses + k;
          if (flagged[q]) {
            findings.add(new RedTeamFinding(prompts.get(i), sequences.get(q), start + i));
            found.add(prompts.get(i));
            break;
          }
        }
      }
      archive.addAll(found);
    }
    return new Outcome(findings, budget, budget * responses);
  }
}
