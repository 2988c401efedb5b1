/**
 * The default world: a synthetic "internet" of (prompt, response) token sequences with known priors — quality
 * tags, a Zipf-popular fact table and arithmetic, polite and toxic registers (polite that turns toxic), hedging
 * and length — plus the gold traits, the gold oracle, and each trait's true prevalence computed exactly from
 * the world's parameters. {@link io.priorflow.engine.world.WorldConfig} is the scenario's {@code world:} block.
 * No models, training or actors here: the world only samples, parses and scores sequences.
 */
package io.priorflow.engine.world;
