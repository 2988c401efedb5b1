/**
 * The analytic worlds, whose collapse laws are known in closed form: a 1-D Gaussian refitted on its own samples
 * (Shumailov et al., Nature 2024) and least-squares regression refitted on its own labels (Dohmatob et al. 2024;
 * Gerstgrasser et al. 2024), each under the "replace" or "accumulate" data policy. The closed forms live beside
 * the simulations ({@code GaussianCollapseLaws}, {@code LinearCollapseLaws}) so theory and runs can be compared.
 * No token models and no actors here: plain arithmetic over doubles, every draw from a passed-in SplittableRandom.
 */
package io.priorflow.engine.analytic;
