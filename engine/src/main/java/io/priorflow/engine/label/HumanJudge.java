package io.priorflow.engine.label;

import io.priorflow.engine.rng.Draws;
import io.priorflow.engine.scenario.HumanSpec;
import io.priorflow.engine.world.GoldOracle;
import io.priorflow.engine.world.GoldScore;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Tag;
import io.priorflow.engine.world.World;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How a simulated human labeller judges, given the gold oracle's verdict it cannot see directly. Every draw comes
 * from the streams the caller passes. With h the labeller's {@link HumanSpec} and t the hours worked so far:
 * <pre>
 *   a(t)        = ½ + (accuracy − ½) · max(0, 1 − fatiguePerHour · t)      accuracy decays toward a coin flip
 *   bias(x)     = Σ_{traits k of x with a bias} biases[k]                  e.g. polite: +0.2
 *
 *   utility     the world's gold utility, or under the labeller's own weights (HumanSpec.utility)
 *   rate        good = utility(x) ≥ 0
 *               P(accept x)        = clamp((good ? a : 1 − a) + bias(x))
 *   prefer      gold prefers x if utility(x) &gt; utility(y) (a tie prefers neither)
 *               P(prefer x over y) = clamp((x better ? a : y better ? 1 − a : ½) + bias(x) − bias(y))
 *   demonstrate the human drafts two responses to the prompt, each the world's response under the high-quality
 *               tag's profile (the prompt's tokens are kept), and submits the one it prefers by the rule above;
 *               so accuracy, biases and fatigue shape what humans write, too
 * </pre>
 * Time: a label takes {@code secondsPerLabel} (s); writing a demonstration or a correction takes {@link
 * #WRITE_FACTOR}·s. Cost is seconds / 3600 · costPerHour.
 *
 * <p><b>Model-assisted labelling.</b> When an AI pre-label (a critic's verdict) is shown:
 * <pre>
 *   anchored ~ Bernoulli(anchoring)              the human copies the pre-label without judging
 *   own      ~ Bernoulli(P(accept) or P(prefer))  the human's own judgement, drawn as without a pre-label
 *   label    = anchored ? pre-label : own
 *   seconds  = CONFIRM_FRACTION · s  if label = pre-label (reading and confirming)
 *              s                     otherwise (overriding: judging from scratch)
 * </pre>
 * So time per item falls with pre-label quality (a right pre-label is mostly confirmed, a wrong one mostly
 * overridden at full cost), and anchoring turns a share {@code anchoring} of wrong pre-labels into wrong labels:
 * the error rate on wrong pre-labels is anchoring + (1 − anchoring)·(1 − a) instead of 1 − a. The own judgement
 * is drawn whether or not the human anchors, so with and without a pre-label the same stream gives the same own
 * judgement (the comparison is paired). Not modelled: humans who get faster with practice, or who learn to
 * distrust a critic.
 */
public final class HumanJudge {
  /** Confirming a pre-label takes this share of a label's time. */
  public static final double CONFIRM_FRACTION = 0.4;
  /** Writing a demonstration or a correction takes this many labels' time. */
  public static final double WRITE_FACTOR = 3.0;

  private final HumanSpec spec;
  private final World world;
  private final GoldOracle oracle;
  private final int[] biasTrait;
  private final double[] biasValue;

  /** @throws IllegalArgumentException if a bias names a trait the world does not have */
  public HumanJudge(HumanSpec spec, World world) {
    this.spec = spec;
    this.world = world;
    this.oracle = world.oracle().withUtility(spec.utility());
    Map<String, Double> biases = spec.biases() == null ? Map.of() : spec.biases();
    biasTrait = new int[biases.size()];
    biasValue = new double[biases.size()];
    int i = 0;
    for (Map.Entry<String, Double> b : biases.entrySet()) {
      biasTrait[i] = world.traits().indexOf(b.getKey());
      biasValue[i++] = b.getValue();
    }
  }

  /**
   * The oracle whose utility this labeller judges by: the world's gold, or under the labeller's own {@link
   * HumanSpec#utility} weights (e.g. an abstention-aware scoring).
   */
  public GoldOracle oracle() {
    return oracle;
  }

  /** The labeller's parameters. */
  public HumanSpec spec() {
    return spec;
  }

  /** a(t): accuracy after {@code hours} of work. */
  public double accuracyAt(double hours) {
    return 0.5 + (spec.accuracy() - 0.5) * Math.max(0, 1 - spec.fatiguePerHour() * hours);
  }

  /** bias(x): the sum of the biases of the traits the sequence has. */
  public double bias(GoldScore gold) {
    double b = 0;
    for (int i = 0; i < biasTrait.length; i++) if (gold.has(biasTrait[i])) b += biasValue[i];
    return b;
  }

  /** P(accept) of a sequence with this gold verdict, after {@code hours} of work. */
  public double pAccept(GoldScore gold, double hours) {
    double a = accuracyAt(hours);
    return clamp((gold.utility() >= 0 ? a : 1 - a) + bias(gold));
  }

  /** P(prefer the first) of two responses to one prompt with these gold verdicts, after {@code hours} of work. */
  public double pPreferFirst(GoldScore first, GoldScore second, double hours) {
    double a = accuracyAt(hours);
    int cmp = Double.compare(first.utility(), second.utility());
    double p = cmp > 0 ? a : cmp < 0 ? 1 - a : 0.5;
    return clamp(p + bias(first) - bias(second));
  }

  /**
   * One binary label (accept, or prefer the first): the own judgement ~ Bernoulli(pOwn) from {@code own}, and, if
   * a pre-label is shown ({@code pre} not null), anchoring from {@code anchor}. See the class comment.
   */
  public Decision decide(double pOwn, Boolean pre, SplittableRandom own, SplittableRandom anchor) {
    boolean mine = Draws.bernoulli(pOwn, own);
    if (pre == null) return new Decision(mine, false, spec.secondsPerLabel());
    boolean anchored = Draws.bernoulli(spec.anchoring(), anchor);
    boolean label = anchored ? pre : mine;
    double seconds = label == pre ? CONFIRM_FRACTION * spec.secondsPerLabel() : spec.secondsPerLabel();
    return new Decision(label, anchored, seconds);
  }

  /**
   * A label and what it took.
   *
   * @param label    accept (rate) or prefer the first (prefer)
   * @param anchored the human copied the pre-label without judging
   * @param seconds  simulated seconds spent
   */
  public record Decision(boolean label, boolean anchored, double seconds) {
  }

  /**
   * A response the human writes to the prompt (see the class comment), as a full sequence: the prompt's tokens,
   * the response, EOS. Takes {@link #writeSeconds()}.
   */
  public int[] demonstrate(Prompt prompt, double hours, SplittableRandom rng) {
    Prompt asked = new Prompt(Tag.HIGH, prompt.kind(), prompt.tokens(), prompt.entity(), prompt.attribute(),
        prompt.answer());
    int[] first = world.sampleResponse(asked, rng).sequence();
    int[] second = world.sampleResponse(asked, rng).sequence();
    double p = pPreferFirst(oracle.score(first), oracle.score(second), hours);
    return Draws.bernoulli(p, rng) ? first : second;
  }

  /** Seconds to write a demonstration or a correction: WRITE_FACTOR · secondsPerLabel. */
  public double writeSeconds() {
    return WRITE_FACTOR * spec.secondsPerLabel();
  }

  /** Dollars for this many seconds of work. */
  public double usd(double seconds) {
    return seconds / 3600.0 * spec.costPerHour();
  }

  private static double clamp(double p) {
    return Math.min(1, Math.max(0, p));
  }
}
