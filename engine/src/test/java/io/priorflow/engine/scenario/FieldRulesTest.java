package io.priorflow.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.priorflow.engine.world.DocumentConfig;
import io.priorflow.engine.world.ExtraTraitConfig;
import io.priorflow.engine.world.KnowledgeConfig;
import io.priorflow.engine.world.LengthConfig;
import io.priorflow.engine.world.PromptMix;
import io.priorflow.engine.world.RegisterConfig;
import io.priorflow.engine.world.TagProfile;
import io.priorflow.engine.world.VocabularyConfig;
import io.priorflow.engine.world.WorldConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The table of the world's bounds in {@link FieldRules} says what {@link WorldConfig#problems()} checks: at each
 * bound the world has no problem with the field, one step beyond it has one. The schema and the structural pass read
 * the table; the world's records stay the authority.
 */
class FieldRulesTest {
  /** Where each world record sits in the world block, for probing. */
  private static final Map<Class<?>, String> PLACE = Map.of(
      WorldConfig.class, "", VocabularyConfig.class, "vocabulary", KnowledgeConfig.class, "knowledge",
      PromptMix.class, "prompts", DocumentConfig.class, "documents", TagProfile.class, "tags.mid", RegisterConfig.class, "register",
      LengthConfig.class, "length", ExtraTraitConfig.class, "extraTraits[0]");

  @Test
  void theWorldTableAgreesWithWorldConfigProblems() throws Exception {
    assertEquals(PLACE.keySet(), FieldRules.FOREIGN.keySet());
    int probed = 0;
    for (var table : FieldRules.FOREIGN.entrySet()) {
      for (var field : table.getValue().entrySet()) {
        FieldRules.Bounds b = field.getValue().range();
        if (b == null) {
          continue;
        }
        String place = PLACE.get(table.getKey());
        String path = (place.isEmpty() ? "" : place + ".") + field.getKey()
            + (field.getKey().equals("utility") ? ".toxic" : "");
        boolean integral = ScenarioTypes.kind(ScenarioTypes.component(table.getKey(), field.getKey()).orElseThrow()
            .getGenericType()) == ScenarioTypes.Kind.INT;
        double step = integral ? 1 : 1e-9;
        assertEquals(List.of(), problemsAt(path, b.min()), path + " = " + b.min());
        assertEquals(List.of(), problemsAt(path, b.max()), path + " = " + b.max());
        assertEquals(1, problemsAt(path, b.min() - step).size(), path + " below " + b.min());
        assertEquals(1, problemsAt(path, b.max() + step).size(), path + " above " + b.max());
        probed++;
      }
    }
    assertEquals(33, probed, "every ranged field of the world table is probed");
  }

  /** The world's range problems of that path when it alone is set to v (other fields made compatible). */
  private static List<String> problemsAt(String path, double v) throws Exception {
    var mapper = ScenarioLoader.mapper();
    ObjectNode world = mapper.valueToTree(WorldConfig.defaults());
    // neighbours that a bound probe must not trip: a long body for length, no hedging for correct, a valid trait
    world.withObject("length").put("max", 32);
    world.withObject("tags").withObject("mid").put("hedge", 0).put("toxic", 0);
    world.withArray("extraTraits").addObject().put("name", "gratitude").putArray("tokens").add("polite_0");
    ObjectNode parent = world;
    String[] parts = path.replace("[0]", "").split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      parent = parts[i].equals("extraTraits") ? (ObjectNode) world.withArray("extraTraits").get(0)
          : parent.withObject(parts[i]);
    }
    String last = parts[parts.length - 1];
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      parent.put(last, (long) v);
    } else {
      parent.put(last, v);
    }
    WorldConfig c = mapper.treeToValue(world, WorldConfig.class);
    return c.problems().stream().filter(p -> p.startsWith(path + " must be in ")).toList();
  }
}
