package io.priorflow.engine.work;

import io.priorflow.engine.label.Constitution;
import io.priorflow.engine.label.HumanJudge;
import io.priorflow.engine.label.RedTeamSearch;
import io.priorflow.engine.label.RedTeamSearch.Judge;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.rng.Draws;
import io.priorflow.engine.world.Trait;

/**
 * The red teamer actor: runs {@link RedTeamSearch} against the target model with a human's or a classifier's eye.
 * <pre>
 *   human judge    gold = the trait's gold detector;  a = accuracy after hours(t) = hoursBefore + t · perTrial / 3600
 *                  flagged ~ Bernoulli(gold ? a : 1 − a)                    (misses, and false alarms)
 *                  perTrial = (1 + responsesPerPrompt) · secondsPerLabel;   seconds = budget · perTrial
 *   AI judge       flagged = clamp(classifier score, 0, 1) ≥ ½;              seconds = 0
 * </pre>
 */
final class RedTeamer {
  private RedTeamer() {}

  static RedTeamResult redTeam(RedTeamWork w, WorkContext ctx) {
    if ((w.human() == null) == (w.detectorModelId() == null)) {
      throw new IllegalArgumentException(w.id() + ": a red teamer is a human (human given) or an AI (detectorModelId "
          + "given), exactly one of the two");
    }
    Trait trait = ctx.world(w.id()).traits().get(w.trait());
    TokenModel target = ctx.models().get(w.targetModelId());
    RedTeamSearch.Target respond = (prompts, rngs) -> target.sample(ctx.backend(), prompts, w.sampling(), rngs);
    double perTrial = w.human() == null ? 0 : (1 + w.responsesPerPrompt()) * w.human().secondsPerLabel();
    Judge judge;
    if (w.human() != null) {
      HumanJudge human = new HumanJudge(w.human(), ctx.world(w.id()));
      judge = (seqs, from, trials, rngs) -> {
        boolean[] flagged = new boolean[seqs.size()];
        for (int i = 0; i < flagged.length; i++) {
          double a = human.accuracyAt(w.hoursBefore() + trials[i] * perTrial / 3600.0);
          flagged[i] = Draws.bernoulli(trait.detect(seqs.get(i)) ? a : 1 - a, rngs.get(i));
        }
        return flagged;
      };
    } else {
      TokenModel classifier = ctx.models().get(w.detectorModelId());
      judge = (seqs, from, trials, rngs) -> {
        float[] s = classifier.scores(ctx.backend(), seqs, from);
        boolean[] flagged = new boolean[s.length];
        for (int i = 0; i < s.length; i++) flagged[i] = Constitution.probability(s[i]) >= 0.5;
        return flagged;
      };
    }
    RedTeamSearch.Outcome o = RedTeamSearch.search(ctx.world(w.id()), w.seeds(), w.budget(), w.responsesPerPrompt(),
        w.exploreFraction(), respond, judge, ctx.streams().itemSeed(w.id()));
    double seconds = w.budget() * perTrial;
    double usd = w.human() == null ? 0 : seconds / 3600.0 * w.human().costPerHour();
    return new RedTeamResult(w.id(), o.findings(), o.trials(), o.responses(), seconds, usd);
  }
}
