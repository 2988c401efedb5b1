/**
 * The seam between models and the machine: {@link io.priorflow.kernels.backend.KernelBackend}, its implementations
 * — the reference (the plain loops of {@code io.priorflow.kernels}) and {@link io.priorflow.kernels.backend.JavaBackend}
 * (threads + Vector API, the fast default) — and {@link io.priorflow.kernels.backend.Backends}, which picks one by
 * name and finds others (TornadoVM) through {@link io.priorflow.kernels.backend.KernelBackendProvider}. Every
 * backend gives results that do not depend on its thread count. Not here: the reference math itself, or the
 * TornadoVM backend, which lives in the profile-only source folder {@code src/tornado/java}.
 */
package io.priorflow.kernels.backend;
