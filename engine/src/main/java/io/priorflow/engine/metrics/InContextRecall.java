package io.priorflow.engine.metrics;

import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Tag;
import io.priorflow.engine.world.Vocabulary.Group;
import io.priorflow.engine.world.World;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * In-context recall of held-out facts: {@code knowledge.context_accuracy} and {@code knowledge.heldout_accuracy}
 * (definitions in {@link MetricNames}). Each probe asks a held-out fact twice under the high tag — once after a
 * fact-recall document that states it first, before {@code documents.statements − 1} distractor statements, once as
 * the bare question — and the gold parser judges the first VALUE token of each completion against the fact's
 * value. No training data carries a held-out fact, so only reading the context beats chance, 1 / values.
 *
 * <pre>
 *   probe i  fact f = i mod (N·A): entity T + f / A, attribute f mod A        (N held out, T trainable, A attributes)
 *   stated   BOS tag_high  e a v  e' a' v' …  what a e SEP   ─ stream child(seed, "recall/i/stated") ─▶ completion
 *   bare     BOS tag_high  what a e SEP                      ─ stream child(seed, "recall/i/bare")   ─▶ completion
 * </pre>
 * With the default 3 statements the stated value ends 11 tokens before the answer, out of reach of an 8-token
 * window. Models are reached through a {@link Completer} — a token model's {@code sample}, or a hand-written
 * oracle in the tests — so this works for any model family. Not a trainer; nothing here changes a model.
 */
public final class InContextRecall {
  private InContextRecall() {}

  /** Item id of the probes' stream (the statements' distractors). */
  public static final String PROBES_ITEM = "evaluation/recall";

  /** Completes each prompt from its own stream: the full sequence, prompt then generated tokens. */
  @FunctionalInterface
  public interface Completer {
    /** One full sequence per prompt, in order; prompt i draws only from rngs[i]. */
    List<int[]> complete(List<int[]> prompts, List<SplittableRandom> rngs);
  }

  /**
   * One held-out fact, asked with and without it in context.
   *
   * @param stated the question after a document stating the fact first
   * @param bare   the question alone
   */
  public record Probe(Prompt stated, Prompt bare) {}

  /**
   * The probes of a world: none without held-out entities; otherwise every held-out fact equally often, the
   * fewest rounds over them that give at least {@code atLeast} probes, distractors drawn in order from rng.
   */
  public static List<Probe> draw(World world, int atLeast, SplittableRandom rng) {
    int n = world.facts().heldOutEntities();
    if (n == 0) {
      return List.of();
    }
    int a = world.facts().attributes();
    int facts = n * a;
    int count = Math.max(1, (atLeast + facts - 1) / facts) * facts;
    List<Probe> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int f = i % facts;
      int entity = world.facts().trainableEntities() + f / a;
      Prompt stated = world.recallProbe(Tag.HIGH, entity, f % a, 0, rng);
      out.add(new Probe(stated, world.recallProbe(Tag.HIGH, entity, f % a, -1, rng)));
    }
    return List.copyOf(out);
  }

  /** Chance level of both metrics: 1 / the number of values a fact can take. */
  public static double chance(World world) {
    return 1.0 / world.vocabulary().count(Group.VALUE);
  }

  /**
   * knowledge.context_accuracy and knowledge.heldout_accuracy of the completions, handing the completer at most
   * {@code batchSize} prompts per call (the result does not depend on it). Empty for no probes.
   */
  public static Map<String, Double> measure(World world, List<Probe> probes, Completer model, long seed,
                                            int batchSize) {
    Map<String, Double> m = new LinkedHashMap<>();
    if (probes.isEmpty()) {
      return m;
    }
    m.put(MetricNames.KNOWLEDGE_CONTEXT_ACCURACY, accuracy(world, probes, true, model, seed, batchSize));
    m.put(MetricNames.KNOWLEDGE_HELDOUT_ACCURACY, accuracy(world, probes, false, model, seed, batchSize));
    return m;
  }

  private static double accuracy(World world, List<Probe> probes, boolean stated, Completer model, long seed,
                                 int batchSize) {
    int correct = 0;
    int n = probes.size();
    for (int start = 0; start < n; start += Math.min(batchSize, n - start)) {
      int end = start + Math.min(batchSize, n - start);
      List<int[]> prompts = new ArrayList<>(end - start);
      List<SplittableRandom> rngs = new ArrayList<>(end - start);
      for (int i = start; i < end; i++) {
        prompts.add((stated ? probes.get(i).stated() : probes.get(i).bare()).tokens());
        rngs.add(RandomStreams.child(seed, "recall/" + i + (stated ? "/stated" : "/bare")));
      }
      List<int[]> done = model.complete(prompts, rngs);
      if (done.size() != prompts.size()) {
        throw new IllegalStateException("The model completed " + done.size() + " of " + prompts.size()
            + " recall probes.");
      }
      for (int[] s : done) {
        correct += world.parser().parse(s).correct() ? 1 : 0;
      }
    }
    return correct / (double) n;
  }
}
