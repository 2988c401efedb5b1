package io.priorflow.engine.work;

import io.priorflow.engine.metrics.EvaluationSet;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.World;
import io.priorflow.kernels.backend.KernelBackend;

/**
 * What an actor needs besides the item: the world (for the gold oracle and human demonstrations), the run's random
 * streams, the model store, a kernel backend, and the run's fixed evaluation set. Identical on every node of a run.
 */
public record WorkContext(World world, RandomStreams streams, ModelStore models, KernelBackend backend,
                          EvaluationSet evaluation) {}
