package io.priorflow.engine.scenario;

import io.priorflow.engine.scenario.Rules.Nullable;
import io.priorflow.engine.scenario.Rules.Pattern;
import io.priorflow.engine.scenario.Rules.Size;
import io.priorflow.engine.world.WorldConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scenario: one experiment, from the world through every lineage of teachers and students to the evaluation.
 * Every field has a default ({@link #defaults()}), so a file states only what it changes; unknown keys are errors.
 * Read files with {@link ScenarioLoader}, which fills the defaults, applies {@code --set} overrides and reports
 * every problem at once; a bare Jackson read of a partial file does not fill defaults.
 *
 * <pre>
 * name: tiny
 * seed: 7
 * world: { tags: { high: { correct: 0.95 } } }     # deep-merged over WorldConfig.defaults()
 * model: { context: 4, hidden: [64] }
 * lineages:
 *   - name: collapse
 *     generations: 3
 *     data: { policy: replace }
 *     stages:
 *       - { kind: generate, samples: 2000 }
 *       - { kind: train, method: sft }
 * </pre>
 *
 * @param name        names the scenario in reports; 1 to 64 characters of {@code [a-z0-9_-]}, starting with a
 *                    letter or digit; default "scenario"
 * @param description free text for reports, at most 10000 characters; default empty
 * @param seed        the root of every random stream of the run (any 64-bit integer); default 1
 * @param world       the token world, deep-merged over {@link WorldConfig#defaults()}; ignored when
 *                    {@code analytic} is set
 * @param analytic    an analytic world (Gaussian or linear regression) instead of the token world; null (the
 *                    default) means the token world
 * @param model       the architecture of every token model whose role names no model of its own (the shorthand
 *                    that sizes everything)
 * @param models      named architectures a role can use instead: lineages (students), bases, the critic, reward
 *                    models, red-team and constitution classifiers each may name one ({@link ModelRoles}); names of
 *                    1 to 64 characters of {@code [a-z0-9_-]}; null (the default) names none
 * @param training    the defaults of every train stage
 * @param actors      how many actors of each role and their parameters
 * @param lineages    the teacher → student chains to run and compare, 1 to 64, with distinct names; default one
 *                    lineage named "main"
 * @param evaluation  how every generation's model is measured against the gold oracle
 */
public record Scenario(
    @Pattern("[a-z0-9][a-z0-9_-]*") @Size(min = 1, max = 64) String name,
    @Size(max = 10_000) String description,
    long seed,
    WorldConfig world,
    @Nullable AnalyticSpec analytic,
    ModelSpec model,
    @Nullable @Size(min = 1, max = 64) Map<String, ModelSpec> models,
    TrainingSpec training,
    ActorsSpec actors,
    @Size(min = 1, max = 64) List<LineageSpec> lineages,
    EvaluationSpec evaluation) {

  /** Copies the list (null stays null, for the validator to report). */
  public Scenario {
    lineages = lineages == null ? null : List.copyOf(lineages);
    models = models == null ? null : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(models));
  }

  /** A scenario without named models: every role is sized by {@code model}. */
  public Scenario(String name, String description, long seed, WorldConfig world, AnalyticSpec analytic,
                  ModelSpec model, TrainingSpec training, ActorsSpec actors, List<LineageSpec> lineages,
                  EvaluationSpec evaluation) {
    this(name, description, seed, world, analytic, model, null, training, actors, lineages, evaluation);
  }

  /** Every default: the default token world, one lineage "main" of 5 generations, seed 1. */
  public static Scenario defaults() {
    return new Scenario("scenario", "", 1, WorldConfig.defaults(), null, ModelSpec.defaults(),
        TrainingSpec.defaults(), ActorsSpec.defaults(), List.of(LineageSpec.defaults()), EvaluationSpec.defaults());
  }

  /** The lineage of that name, if any. */
  public Optional<LineageSpec> lineage(String lineageName) {
    return lineages.stream().filter(l -> l.name().equals(lineageName)).findFirst();
  }
}
