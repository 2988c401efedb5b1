package io.priorflow.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.priorflow.engine.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The resolved YAML of every shipped scenario, pinned by one SHA-256 taken before the world grew its fact-recall
 * documents and held-out entities. A run's lineage.json carries the SHA-256 of its resolved scenario, so a new
 * world field that is written out at its default would change every existing run's lineage; this test catches it.
 * A deliberate change to the format updates the hash here, with the reason in the commit.
 */
class ResolvedLibraryPinTest {

  private static final String LIBRARY_SHA256 = "d68608e950c9eab3133e3559bebcd98136d55f26e353b06e0292bf86a52b02d4";

  private static final java.util.Set<String> ADDED_AFTER_PIN = java.util.Set.of("capacity-gap.yaml", "in-context.yaml",
      "attribution.yaml", "kto.yaml", "online-dpo.yaml", "on-policy-distillation.yaml", "rlhf-algorithms.yaml",
      "preference-methods.yaml", "domain-adaptation.yaml", "abstention-rlhf.yaml");

  @Test
  void everyShippedScenarioResolvesToTheSameYamlAsBefore() throws IOException {
    StringBuilder all = new StringBuilder();
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("../scenarios"))) {
      // scenarios added after the pin was taken have no "before" to match
      files = s.filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !ADDED_AFTER_PIN.contains(p.getFileName().toString())).sorted().toList();
    }
    for (Path p : files) {
      all.append(p.getFileName()).append('\n').append(ScenarioLoader.load(p).resolvedYaml());
    }
    assertEquals(LIBRARY_SHA256, Json.sha256Hex(all.toString().getBytes(StandardCharsets.UTF_8)));
  }
}
