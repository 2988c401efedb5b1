/**
 * Reference training kernels: plain static methods over flat row-major {@code float[]}, one op family per class
 * (products, dense layers, activations, embeddings, losses, optimizers, LoRA, reductions), each in TornadoVM's
 * loop-parallel shape — one outer loop over independent outputs, the math in a small static helper, no allocation.
 * They are the obviously-right text that the Java and TornadoVM backends are tested against, and are deliberately
 * slow. Not here: the {@code KernelBackend} seam and the fast backends, which live in {@code io.priorflow.kernels.backend}.
 */
package io.priorflow.kernels;
