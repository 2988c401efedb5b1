package io.priorflow.kernels.tornado;

import io.priorflow.kernels.backend.KernelBackend;
import io.priorflow.kernels.backend.KernelBackendProvider;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;

/**
 * Registers the TornadoVM backend as "tornado" (META-INF/services). Available when the JVM was started with a
 * TornadoVM SDK's flags (the {@code ./priorflow} launcher adds them where {@code TORNADOVM_HOME} is set) and
 * TornadoVM finds a device; without them the TornadoVM classes are missing and {@code Backends} counts the provider
 * as unavailable.
 */
public final class TornadoBackendProvider implements KernelBackendProvider {

  @Override
  public String name() { return "tornado"; }

  @Override
  public boolean available() {
    try {
      var runtime = TornadoRuntimeProvider.getTornadoRuntime();
      if (runtime.getNumBackends() < 1) {
        return false;
      }
      TornadoDevice device = runtime.getDefaultDevice();
      return device != null;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  @Override
  public KernelBackend create(int threads) {
    return new TornadoBackend();
  }
}
