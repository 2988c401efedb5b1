package io.priorflow.engine.metrics;

import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Tag;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The fixed evaluation protocol of a run: every model of every lineage and generation is measured on the same
 * prompts, with the same number of samples and sampling settings, and its loss on the same held-out examples.
 *
 * @param prompts          the evaluation prompts, in order
 * @param samplesPerPrompt responses drawn per prompt, ≥ 1
 * @param sampling         how responses are drawn; its stop token must be EOS, so a response ends where the
 *                         world's would
 * @param heldOut          held-out world examples for loss.world (may be empty: then loss.world is not measured)
 * @param recall           probes of held-out facts for knowledge.context_accuracy and knowledge.heldout_accuracy
 *                         (empty unless the world has held-out entities: then neither is measured)
 * @param examples         in-context examples: for prompt i, the full sequences that go before it, in order; empty
 *                         (no examples for any prompt) or one list per prompt
 */
public record EvaluationSet(List<Prompt> prompts, int samplesPerPrompt, SamplingConfig sampling,
                            List<Example> heldOut, List<InContextRecall.Probe> recall, List<List<int[]>> examples) {

  /** Item id of the evaluation prompts' stream. */
  public static final String PROMPTS_ITEM = "evaluation/prompts";
  /** Item id of the held-out examples' stream. */
  public static final String HELD_OUT_ITEM = "evaluation/held-out";
  /** Item id of the in-context examples' stream. */
  public static final String EXAMPLES_ITEM = "evaluation/examples";

  /** Copies the lists and checks the arguments. */
  public EvaluationSet {
    prompts = List.copyOf(prompts);
    heldOut = List.copyOf(heldOut);
    recall = recall == null ? List.of() : List.copyOf(recall);
    examples = examples == null ? List.of() : examples.stream().map(List::copyOf).toList();
    if (!examples.isEmpty() && examples.size() != prompts.size()) {
      throw new IllegalArgumentException("In-context examples for " + examples.size() + " of " + prompts.size()
          + " evaluation prompts.");
    }
    Objects.requireNonNull(sampling, "sampling");
    if (samplesPerPrompt < 1) {
      throw new IllegalArgumentException("samplesPerPrompt must be ≥ 1, was " + samplesPerPrompt + ".");
    }
    if (sampling.stopToken() != Vocabulary.EOS) {
      throw new IllegalArgumentException("Evaluation sampling must stop at EOS (token " + Vocabulary.EOS
          + "), but its stop token is " + sampling.stopToken() + ".");
    }
  }

  /** A set without in-context examples. */
  public EvaluationSet(List<Prompt> prompts, int samplesPerPrompt, SamplingConfig sampling, List<Example> heldOut,
                       List<InContextRecall.Probe> recall) {
    this(prompts, samplesPerPrompt, sampling, heldOut, recall, List.of());
  }

  /** A set without recall probes. */
  public EvaluationSet(List<Prompt> prompts, int samplesPerPrompt, SamplingConfig sampling, List<Example> heldOut) {
    this(prompts, samplesPerPrompt, sampling, heldOut, List.of());
  }

  /** The in-context examples before prompt i, in order (none for a set without examples). */
  public List<int[]> examplesOf(int i) {
    return examples.isEmpty() ? List.of() : examples.get(i);
  }

  /**
   * The standard set of a run: {@code prompts} prompts from {@code world.evaluationPrompts(prompts,
   * streams.itemSeed("evaluation/prompts"))} and {@code heldOut} wild examples drawn in order from
   * {@code streams.forItem("evaluation/held-out")}, sampled at {@code temperature} with no top-k and up to
   * {@link #maxNewTokens(World)} new tokens; and, if the world holds entities out, at least {@code prompts} recall
   * probes ({@link InContextRecall#draw}) from {@code streams.forItem("evaluation/recall")}.
   */
  public static EvaluationSet draw(World world, int prompts, int samplesPerPrompt, float temperature, int heldOut,
                                   RandomStreams streams) {
    return draw(world, prompts, samplesPerPrompt, temperature, heldOut, streams, 0, null);
  }

  /**
   * As {@link #draw(World, int, int, float, int, RandomStreams)}, and {@code examples} in-context examples for each
   * prompt: for prompt 0, 1, … in order, {@code examples} world examples with the tag (wild for null) drawn in order
   * from {@code streams.forItem("evaluation/examples")}, so the prompts, held-out examples and probes are those of
   * the set without examples.
   */
  public static EvaluationSet draw(World world, int prompts, int samplesPerPrompt, float temperature, int heldOut,
                                   RandomStreams streams, int examples, Tag examplesTag) {
    if (examples < 0) {
      throw new IllegalArgumentException("examples must be ≥ 0, was " + examples + ".");
    }
    if (heldOut < 0) {
      throw new IllegalArgumentException("heldOut must be ≥ 0, was " + heldOut + ".");
    }
    List<Prompt> p = world.evaluationPrompts(prompts, streams.itemSeed(PROMPTS_ITEM));
    SplittableRandom rng = streams.forItem(HELD_OUT_ITEM);
    List<Example> h = new ArrayList<>(heldOut);
    for (int i = 0; i < heldOut; i++) {
      h.add(world.sample(rng));
    }
    SamplingConfig sampling = new SamplingConfig(temperature, 0, maxNewTokens(world), Vocabulary.EOS);
    List<InContextRecall.Probe> recall = world.facts().heldOutEntities() == 0 ? List.of()
        : InContextRecall.draw(world, prompts, streams.forItem(InContextRecall.PROBES_ITEM));
    List<List<int[]>> shown = new ArrayList<>(examples == 0 ? 0 : p.size());
    SplittableRandom er = streams.forItem(EXAMPLES_ITEM);
    for (int i = 0; examples > 0 && i < p.size(); i++) {
      List<int[]> e = new ArrayList<>(examples);
      for (int j = 0; j < examples; j++) {
        e.add((examplesTag == null ? world.sample(er) : world.sampleWithTag(examplesTag, er)).sequence());
      }
      shown.add(e);
    }
    return new EvaluationSet(p, samplesPerPrompt, sampling, h, recall, shown);
  }

  /** Room for the world's longest response and its EOS: length.max body slots + 2 answer tokens + EOS. */
  public static int maxNewTokens(World world) {
    return world.config().length().max() + 3;
  }

  /** Number of evaluation samples: prompts × samples per prompt. */
  public int sampleCount() {
    return prompts.size() * samplesPerPrompt;
  }
}
