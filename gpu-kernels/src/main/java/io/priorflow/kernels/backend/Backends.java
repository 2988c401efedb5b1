package io.priorflow.kernels.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Chooses a {@link KernelBackend} by name, once, at start-up: "reference" ({@link ReferenceBackend}), "java"
 * ({@link JavaBackend}, the default) or any backend a {@link KernelBackendProvider} registers through
 * {@link ServiceLoader}, such as "tornado". The built-in names win over a provider of the same name.
 *
 * <p>An unknown or unavailable name is an {@link IllegalArgumentException} whose one-line message lists what is
 * available, so the command line can print it as is. Not here: falling back to another backend, which is the
 * caller's decision.
 */
public final class Backends {
  private Backends() {}

  /** The backend used when none is asked for. */
  public static final String DEFAULT = "java";

  /** The name of the TornadoVM backend's provider. */
  public static final String TORNADO = "tornado";

  /** One thread per available processor. */
  public static int defaultThreads() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** {@link #create(String, int)} with {@link #defaultThreads()}. */
  public static KernelBackend create(String name) {
    return create(name, defaultThreads());
  }

  /**
   * A new backend by name, using up to threads threads (the reference always uses one). The caller closes it.
   *
   * @throws IllegalArgumentException if threads &lt; 1, or the name is unknown or not available on this machine
   */
  public static KernelBackend create(String name, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("A kernel backend needs at least 1 thread, was " + threads);
    }
    if (name == null) {
      throw new IllegalArgumentException("No kernel backend named; available: " + String.join(", ", names()));
    }
    switch (name) {
      case "reference":
        return new ReferenceBackend();
      case "java":
        return new JavaBackend(threads);
      default:
        break;
    }
    boolean known = false;
    for (KernelBackendProvider p : providers()) {
      if (name.equals(p.name())) {
        known = true;
        if (isAvailable(p)) {
          return p.create(threads);
        }
      }
    }
    String available = String.join(", ", names());
    if (TORNADO.equals(name)) {
      throw new IllegalArgumentException(known
          ? "Kernel backend 'tornado' is not available: the JVM was started without the TornadoVM SDK's flags, or "
              + "TornadoVM found no device (start with ./priorflow and TORNADOVM_HOME set; check the SDK with "
              + "'tornado --devices'); available: " + available
          : "Kernel backend 'tornado' is not available: this priorflow was built without a TornadoVM SDK, or the JVM "
              + "was started without its flags (set TORNADOVM_HOME to an SDK and start with ./priorflow, which adds "
              + "them; README, section TornadoVM); available: " + available);
    }
    throw new IllegalArgumentException(known
        ? "Kernel backend '" + name + "' is not available on this machine; available: " + available
        : "Unknown kernel backend '" + name + "'; available: " + available);
  }

  /** The names that {@link #create} accepts here: "reference", "java", then available providers in load order. */
  public static List<String> names() {
    List<String> names = new ArrayList<>(List.of("reference", "java"));
    for (KernelBackendProvider p : providers()) {
      if (!names.contains(p.name()) && isAvailable(p)) {
        names.add(p.name());
      }
    }
    return List.copyOf(names);
  }

  /** Whether a TornadoVM backend is registered and has found a device. */
  public static boolean tornadoAvailable() {
    for (KernelBackendProvider p : providers()) {
      if (TORNADO.equals(p.name()) && isAvailable(p)) {
        return true;
      }
    }
    return false;
  }

  /** The providers that load; one whose classes are missing (no SDK on the class path) is skipped. */
  private static List<KernelBackendProvider> providers() {
    List<KernelBackendProvider> list = new ArrayList<>();
    var it = ServiceLoader.load(KernelBackendProvider.class).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        list.add(it.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        // A provider that cannot be instantiated is not available; keep looking at the others.
      }
    }
    return list;
  }

  /** available(), with a provider that throws (e.g. a missing native library) counted as unavailable. */
  private static boolean isAvailable(KernelBackendProvider p) {
    try {
      return p.available();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
