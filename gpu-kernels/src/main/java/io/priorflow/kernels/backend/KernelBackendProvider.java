package io.priorflow.kernels.backend;

/**
 * A backend that lives outside this module and is found at run time through {@link java.util.ServiceLoader}: the
 * TornadoVM backend registers one (in {@code META-INF/services/io.priorflow.kernels.backend.KernelBackendProvider})
 * when its profile is built, so the default build needs no TornadoVM classes.
 *
 * <p>Implementations must be cheap to construct and must not touch a device in the constructor; {@link #available()}
 * does the probing, and a provider whose classes cannot load is simply treated as unavailable by {@link Backends}.
 */
public interface KernelBackendProvider {

  /** The backend's short name, as {@link KernelBackend#name()} returns it, e.g. "tornado". */
  String name();

  /** Whether the backend can run here (SDK present, a device found). May probe the machine; should not throw. */
  boolean available();

  /** A new backend using up to threads host threads (a GPU backend may ignore it); threads ≥ 1. */
  KernelBackend create(int threads);
}
