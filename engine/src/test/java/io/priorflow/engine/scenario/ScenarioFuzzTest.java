package io.priorflow.engine.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whatever the bytes, loading ends in a scenario or a {@link ScenarioException} whose every line has the problem
 * format — never another exception. Mutations of the debug scenario: flipped, deleted, inserted and duplicated bytes
 * and lines, truncations, YAML-significant characters, and a random {@code --set} now and then. Run more with
 * {@code -Dpf.fuzzCount=40000 -Dpf.fuzzSeed=N}.
 */
class ScenarioFuzzTest {
  private static final String[] TOKENS = {":", "- ", "[", "]", "{", "}", "\"", "'", "&a ", "*a", "!!str ", "#", "\t",
      "\n", "  ", "---\n", "~", "null", ".nan", "-1", "1e999", "1e-999999999", "1e99999999999", "99999999999999999999", "kind: ", "? ", "|", ">", ","};

  private static final String[] PATHS = {"seed", "name", "lineages[0]", "lineages[1].stages[0]", "lineages[2]",
      "lineages[0].stages[9].kind", "lineages[0].stages[1].kind", "world.tags.low", "world.utility.x", "model.hidden[0]",
      "model.hidden[3]", "analytic", "analytic.kind", "analytic.sd", "actors.humans.biases.polite", "evaluation.x"};

  @Test
  void mutatedScenariosFailCleanly() throws Exception {
    byte[] base = Files.readAllBytes(Path.of("../scenarios/tiny.yaml"));
    SplittableRandom rnd = new SplittableRandom(Long.getLong("pf.fuzzSeed", 20240611));
    int loaded = 0, rejected = 0;
    for (int i = 0; i < Integer.getInteger("pf.fuzzCount", 1000); i++) {
      byte[] b = mutate(base, rnd);
      List<String> sets = rnd.nextInt(4) == 0 ? List.of(PATHS[rnd.nextInt(PATHS.length)] + "="
          + TOKENS[rnd.nextInt(TOKENS.length)] + TOKENS[rnd.nextInt(TOKENS.length)]) : List.of();
      try {
        LoadedScenario l = ScenarioLoader.read(b, "fuzz.yaml", sets);
        assertEquals(l.scenario(), ScenarioLoader.parse(l.resolvedYaml(), "r", List.of()).scenario());
        loaded++;
      } catch (ScenarioException e) {
        rejected++;
        for (String line : e.getMessage().split("\n")) {
          if (!line.matches("(fuzz\\.yaml(:\\d+:\\d+)?|--set .*?): .+")) {
            fail("bad problem line " + line + "\nfor\n" + new String(b, StandardCharsets.UTF_8));
          }
        }
      } catch (RuntimeException e) {
        throw new AssertionError("mutation " + i + " threw " + e + " for " + sets + "\n"
            + new String(b, StandardCharsets.UTF_8), e);
      }
    }
    assertFalse(loaded == 0 || rejected == 0, loaded + " loaded, " + rejected + " rejected");
  }

  private static byte[] mutate(byte[] base, SplittableRandom rnd) {
    String s = new String(base, StandardCharsets.UTF_8);
    int edits = 1 + rnd.nextInt(4);
    for (int e = 0; e < edits && !s.isEmpty(); e++) {
      int at = rnd.nextInt(s.length());
      switch (rnd.nextInt(6)) {
        case 0 -> s = s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + rnd.nextInt(20)));
        case 1 -> s = s.substring(0, at) + TOKENS[rnd.nextInt(TOKENS.length)] + s.substring(at);
        case 2 -> s = s.substring(0, at);
        case 3 -> {
          String[] lines = s.split("\n", -1);
          int l = rnd.nextInt(lines.length);
          s = s + "\n" + lines[l];
        }
        case 4 -> s = s.substring(0, at) + (char) rnd.nextInt(0x20, 0x7f) + s.substring(at);
        default -> {
          byte[] raw = s.getBytes(StandardCharsets.UTF_8);
          raw[rnd.nextInt(raw.length)] = (byte) rnd.nextInt(256);
          return raw;
        }
      }
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
