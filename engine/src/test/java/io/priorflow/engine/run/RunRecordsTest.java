package io.priorflow.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.priorflow.engine.lineage.Architecture;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.scenario.Counterfactual;
import io.priorflow.engine.scenario.ModelSpec;
import io.priorflow.engine.scenario.Sweep;
import io.priorflow.engine.world.Vocabulary;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The run package's small records and helpers field by field, against their Javadoc and without a run: RunSpec's
 * checks, its copy of the parameters and its grid with counterfactuals; the architecture recorded for a model of
 * each family; a failed item's id.
 */
class RunRecordsTest {
  @Test
  void aRunSpecRejectsANegativePointOrReplicateAndCopiesItsParameters() {
    TreeMap<String, String> params = new TreeMap<>(Map.of("a", "1"));
    RunSpec s = new RunSpec(0, 0, "r0", params);
    params.put("b", "2");
    assertEquals(Map.of("a", "1"), s.params(), "a copy");
    assertThrows(UnsupportedOperationException.class, () -> s.params().put("c", "3"));
    assertNull(s.counterfactual());
    var e = assertThrows(IllegalArgumentException.class, () -> new RunSpec(-1, 0, "", new TreeMap<>()));
    assertEquals("Point and replicate must be ≥ 0, were -1 and 0.", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RunSpec(0, -1, "", new TreeMap<>()));
    assertEquals(new RunSpec(0, 0, "", new TreeMap<>()), RunSpec.single());
  }

  @Test
  void eachCounterfactualRunsBesideItsFactualRunWithTheReplicatesSeed() {
    var big = new Counterfactual("big", "more samples", List.of());
    var small = new Counterfactual("small", "fewer samples", List.of());
    List<RunSpec> runs = RunSpec.grid(Sweep.NONE, List.of(0), List.of(0, 1), List.of(big, small), true);
    assertEquals(List.of("r0-factual", "r0-big", "r0-small", "r1-factual", "r1-big", "r1-small"),
        runs.stream().map(RunSpec::name).toList());
    assertEquals(List.of(0, 0, 0, 1, 1, 1), runs.stream().map(RunSpec::replicate).toList());
    assertNull(runs.get(0).counterfactual(), "the factual run");
    assertEquals("big", runs.get(1).counterfactual());
    assertEquals(Map.of(Counterfactual.PARAM, Counterfactual.FACTUAL), runs.get(3).params());
    assertEquals(Map.of(Counterfactual.PARAM, "small"), runs.get(5).params());
    // without counterfactuals, the plain grid; unnamed for a single run
    assertEquals(List.of(new RunSpec(0, 0, "r0", new TreeMap<>()), new RunSpec(0, 1, "r1", new TreeMap<>())),
        RunSpec.grid(Sweep.NONE, List.of(0), List.of(0, 1), List.of(), true));
    assertEquals("-big", RunSpec.grid(Sweep.NONE, List.of(0), List.of(0), List.of(big), false).get(1).name());
  }

  static TokenModel model(ModelSpec spec) {
    return TokenModel.initialize(spec.toConfig(20, Vocabulary.PAD), new SplittableRandom(1));
  }

  @Test
  void theArchitectureOfEachFamilyNamesItsShape() {
    var mlp = new ModelSpec(null, 4, 8, List.of(16, 12),
        io.priorflow.engine.model.TokenModelConfig.Activation.TANH, null, null, null, null);
    TokenModel m = model(mlp);
    Architecture a = Architectures.of(m);
    assertEquals("mlp", a.family());
    assertEquals(m.config().head().name().toLowerCase(java.util.Locale.ROOT), a.head());
    assertEquals(m.parameterCount(), a.params());
    assertEquals(20, a.vocab());
    assertEquals(Map.of("context", 4, "embedDim", 8, "hidden", List.of(16, 12), "activation", "tanh"), a.shape());
    var tf = new ModelSpec(io.priorflow.engine.model.TokenModelConfig.Family.TRANSFORMER, 4, null, null, null, 8, 2, 2, 16);
    TokenModel t = model(tf);
    Architecture b = Architectures.of(t);
    assertEquals("transformer", b.family());
    assertEquals(t.parameterCount(), b.params());
    assertEquals(Map.of("context", 4, "width", 8, "layers", 2, "heads", 2, "mlpWidth", 16), b.shape());
  }

  /** A sweep of one point (largest point 0) still names its runs by point. */
  @Test
  void aOnePointSweepNamesThePoint() {
    assertEquals("p0-r1", Replicates.name(0, 0, 1, 2));
    assertEquals("r1", Replicates.name(0, -1, 1, 2), "no sweep");
  }

  @Test
  void aFailedItemNamesIt() {
    var e = new WorkFailedException("a/g1/s0-generate/000001", "no actor answered");
    assertEquals("a/g1/s0-generate/000001", e.itemId());
    assertEquals("no actor answered", e.getMessage());
  }

  /** Item ids' numbers are %06d: zeros in front up to six characters, a sign counted among them. */
  @Test
  void padIsPercentZeroSixD() {
    for (int i : new int[] {0, 1, 9, 10, 99_999, 100_000, 999_999, 1_000_000, 123_456_789, Integer.MAX_VALUE, -1, -9,
        -10, -99_999, -100_000, -123_456, Integer.MIN_VALUE}) {
      assertEquals(String.format(java.util.Locale.ROOT, "%06d", i), ScenarioRun.pad(i), "pad(" + i + ")");
    }
    for (int i = -2000; i < 20_000; i++) {
      assertEquals(String.format(java.util.Locale.ROOT, "%06d", i), ScenarioRun.pad(i), "pad(" + i + ")");
    }
  }
}
