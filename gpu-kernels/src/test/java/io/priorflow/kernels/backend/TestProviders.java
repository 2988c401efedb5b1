package io.priorflow.kernels.backend;

/**
 * Providers registered for the tests in {@code META-INF/services}: one available (it hands out a Java backend),
 * one unavailable, and one whose probe throws, which must count as unavailable.
 */
final class TestProviders {
  private TestProviders() {}

  /** "test-available": always available. */
  public static final class Available implements KernelBackendProvider {
    @Override
    public String name() {
      return "test-available";
    }

    @Override
    public boolean available() {
      return true;
    }

    @Override
    public KernelBackend create(int threads) {
      return new JavaBackend(threads);
    }
  }

  /** "test-unavailable": never available. */
  public static final class Unavailable implements KernelBackendProvider {
    @Override
    public String name() {
      return "test-unavailable";
    }

    @Override
    public boolean available() {
      return false;
    }

    @Override
    public KernelBackend create(int threads) {
      throw new AssertionError("create called on an unavailable provider");
    }
  }

  /** "test-throwing": its probe fails as a missing native library would. */
  public static final class Throwing implements KernelBackendProvider {
    @Override
    public String name() {
      return "test-throwing";
    }

    @Override
    public boolean available() {
      throw new UnsatisfiedLinkError("no device library (test)");
    }

    @Override
    public KernelBackend create(int threads) {
      throw new AssertionError("create called on an unavailable provider");
    }
  }
}
