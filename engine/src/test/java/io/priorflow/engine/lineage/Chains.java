package io.priorflow.engine.lineage;

import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.Label;
import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.data.Provenance;
import io.priorflow.engine.data.TestData;
import io.priorflow.engine.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hand-computable teacher → student chain of the {@link Ancestry} Javadoc: every response has 10 tokens, the
 * critic "C" is a fixed-rule critic (source critic:C), the human is "h".
 */
final class Chains {

  static final RunLineage RUN = new RunLineage(Json.sha256Hex("scenario".getBytes(StandardCharsets.UTF_8)), 42,
      List.of("run", "chain.yaml", "--seed", "42"), "java", "cpu", "Test 21", "TestOS x86_64", "dev");

  private Chains() {
  }

  static String model(String name) {
    return TestData.modelId(name);
  }

  static TrainerLineage trainer(String method) {
    return new TrainerLineage(method, Map.of("lr", "0.001", "epochs", "2"), 7, 0);
  }

  static Training fromScratch(String... datasets) {
    return new Training(null, List.of(datasets), trainer("sft"));
  }

  static Training fineTune(String init, String... datasets) {
    return new Training(init, List.of(datasets), trainer("sft"));
  }

  /** Generation 0's corpus: 100 world data × 10 tokens = 1000 tokens. */
  static Dataset world0() {
    return Dataset.of("g0/world", "world", TestData.world("g0/world", 100, 10, 0));
  }

  /**
   * One generation's new data from a teacher: 100 samples, of which the critic C keeps 50 (label keep); h rewrites
   * 5 of the kept ones (new human data whose parent is the sample). Returns the 45 kept samples and 5 rewrites.
   */
  static Dataset filteredAndCorrected(String name, String teacherId, int generation) {
    List<Datum> data = new ArrayList<>();
    for (int i = 0; i < 100; i += 2) { // the odd ones were dropped by the filter
      String id = name + "/gen/" + i;
      if (i < 10) {
        data.add(TestData.datum(name + "/fix/" + i, 10, Provenance.human("h", generation, List.of(id))));
      } else {
        data.add(TestData.datum(id, 10, Provenance.generated("gen", teacherId, generation),
            Label.ai(LabelKind.KEEP, 1, "C", null)));
      }
    }
    return Dataset.of(name, name + "/stages", data);
  }
}
