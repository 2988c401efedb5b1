package io.priorflow.kernels.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Choosing a backend by name: the built-ins, providers found through ServiceLoader (this module's test resources
 * register {@link TestProviders}), and one-line errors that list what is available.
 */
class BackendsTest {

  @Test
  void createsTheBuiltInBackends() {
    try (KernelBackend be = Backends.create("reference", 4)) {
      assertInstanceOf(ReferenceBackend.class, be);
      assertEquals(1, be.threads());
    }
    try (KernelBackend be = Backends.create("java", 3)) {
      assertInstanceOf(JavaBackend.class, be);
      assertEquals(3, be.threads());
    }
    try (KernelBackend be = Backends.create("java")) {
      assertEquals(Runtime.getRuntime().availableProcessors(), be.threads());
    }
  }

  @Test
  void createsAnAvailableProviderBackend() {
    try (KernelBackend be = Backends.create("test-available", 2)) {
      assertEquals("java", be.name());
      assertEquals(2, be.threads());
    }
  }

  @Test
  void namesListBuiltInsFirstThenAvailableProviders() {
    List<String> names = Backends.names();
    assertEquals(List.of("reference", "java"), names.subList(0, 2));
    assertTrue(names.contains("test-available"), names.toString());
    assertFalse(names.contains("test-unavailable"), names.toString());
    assertFalse(names.contains("test-throwing"), names.toString());
    assertEquals(Backends.tornadoAvailable(), names.contains(Backends.TORNADO));
  }

  @Test
  void unknownNameListsWhatIsAvailableOnOneLine() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.create("cuda", 1));
    assertTrue(e.getMessage().startsWith("Unknown kernel backend 'cuda'; available: reference, java"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void unavailableProviderSaysSoAndListsWhatIsAvailable() {
    for (String name : List.of("test-unavailable", "test-throwing")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.create(name, 1));
      assertTrue(e.getMessage().startsWith("Kernel backend '" + name + "' is not available on this machine; "
          + "available: reference, java"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
  }

  @Test
  void rejectsFewerThanOneThreadAndNoName() {
    assertThrows(IllegalArgumentException.class, () -> Backends.create("java", 0));
    assertThrows(IllegalArgumentException.class, () -> Backends.create(null, 1));
  }

  @Test
  void askingForTornadoWithoutItIsAnErrorThatSaysWhatToDo() {
    if (!Backends.tornadoAvailable()) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Backends.create(Backends.TORNADO, 1));
      assertTrue(e.getMessage().contains("TORNADOVM_HOME"), e.getMessage());
      assertTrue(e.getMessage().endsWith("available: " + String.join(", ", Backends.names())), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line");
    } else {
      try (KernelBackend be = Backends.create(Backends.TORNADO, 1)) {
        assertEquals(Backends.TORNADO, be.name());
      }
    }
  }
}
