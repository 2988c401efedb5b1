/**
 * Speed measurements of the kernels: {@link io.priorflow.kernels.bench.KernelBench} times the matrix products, the
 * bulk of training's work, on each backend and thread count and prints a table or JSON lines. Numbers only, never
 * pass/fail; correctness lives in the kernel tests. Not here: the command line ({@code ./priorflow bench kernels} in
 * the verticles module) or whole-model training benchmarks.
 */
package io.priorflow.kernels.bench;
