/**
 * Per-work-item random streams: every random draw in priorflow comes from a {@link java.util.SplittableRandom}
 * whose seed is a documented function of (scenario seed, item id), so results do not depend on which node or
 * thread ran an item, or how often it was retried. {@link io.priorflow.engine.rng.Draws} holds the few
 * distributions built on top (Gaussian, categorical) in a form that is bit-identical across JDKs.
 * There is deliberately no shared or global random source here.
 */
package io.priorflow.engine.rng;
