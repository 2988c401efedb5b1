package io.priorflow.engine.data;

/**
 * The names of the places training signal comes from, shared by {@link Provenance} and {@link Label}.
 *
 * <pre>
 *   world                     the world corpus
 *   human:&lt;actor or pool&gt;     a human labeller
 *   model:&lt;model id&gt;          a model (the lineage graph resolves it to the model's own ancestry)
 *   judge:&lt;model id&gt;          a model's judgement (a reward, keep or rating label it gave): resolved to the sources
 *                             of the judgements it learnt from, not to all of its training
 *   critic:&lt;actor id&gt;         an AI labeller or writer that is not a model (e.g. fixed constitutional rules)
 *   red_team:&lt;actor id&gt;       a red teamer that is not a model
 * </pre>
 * Every name except {@code model:…} and {@code judge:…} is an original source; see {@code io.priorflow.engine.lineage.Ancestry}.
 */
public final class Origins {

  /** The world corpus. */
  public static final String WORLD = "world";
  /** The prefix of origins that are models; what follows is the model id (SHA-256 of its file). */
  public static final String MODEL_PREFIX = "model:";

  /** The prefix of a model's judgements in a dataset's signal; what follows is the model id. */
  public static final String JUDGE_PREFIX = "judge:";

  private Origins() {
  }

  /** {@code judge:<modelId>}. */
  public static String judge(String modelId) {
    return JUDGE_PREFIX + modelId;
  }

  /** True for {@code judge:…} keys. */
  public static boolean isJudge(String origin) {
    return origin.startsWith(JUDGE_PREFIX);
  }

  /** {@code model:<modelId>}. */
  public static String model(String modelId) {
    return MODEL_PREFIX + modelId;
  }

  /** True for {@code model:…} origins, which are not original sources. */
  public static boolean isModel(String origin) {
    return origin.startsWith(MODEL_PREFIX);
  }

  /** The model id of a {@code model:…} origin. */
  public static String modelId(String origin) {
    if (!isModel(origin)) {
      throw new IllegalArgumentException("Origin \"" + origin + "\" is not a model origin (model:<id>).");
    }
    return origin.substring(MODEL_PREFIX.length());
  }

  static void requireText(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must be a non-empty string, was "
          + (value == null ? "null" : "\"" + value + "\"") + ".");
    }
  }
}
