package io.priorflow.engine.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.Label;
import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.data.LabellerKind;
import io.priorflow.engine.data.Provenance;
import io.priorflow.engine.data.SourceKind;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.PromptKind;
import io.priorflow.engine.world.Tag;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Preference pairs as data: both sides labelled, each pointing at the other; a pair compares two responses to one
 * prompt; red-team pairs put a written better response over each find, labelled by the red teamer (human or AI).
 */
class PreferenceDataTest {
  static final Prompt PROMPT = new Prompt(Tag.LOW, PromptKind.CHAT, new int[] {1, 2, 3}, -1, -1, -1);

  static Datum datum(String id, int responseStart) {
    return new Datum(id, new int[] {1, 2, 3, 4, 5}, responseStart, Provenance.world(0));
  }

  @Test
  void aPairLabelsTheChosenOneAndTheRejectedZeroEachPointingAtTheOther() {
    List<Datum> p = PreferenceData.pair(datum("a", 3), datum("b", 3), LabellerKind.AI, "critic-0", "m1");
    assertEquals(List.of("a", "b"), p.stream().map(Datum::id).toList());
    Label chosen = p.get(0).labels().get(0), rejected = p.get(1).labels().get(0);
    assertEquals(new Label(LabelKind.PREFERENCE, 1, LabellerKind.AI, "critic-0", "m1", "b"), chosen);
    assertEquals(new Label(LabelKind.PREFERENCE, 0, LabellerKind.AI, "critic-0", "m1", "a"), rejected);
  }

  @Test
  void aPairOfResponsesToDifferentPromptsIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PreferenceData.pair(datum("a", 3), datum("b", 4), LabellerKind.HUMAN, "h", null));
    assertEquals("A preference compares two responses to one prompt, but a starts its response at 3 and b at 4.",
        e.getMessage());
  }

  @Test
  void redTeamPairsPutTheBetterResponseOverEachFind() {
    List<RedTeamFinding> finds = List.of(new RedTeamFinding(PROMPT, new int[] {1, 2, 3, 9}, 4),
        new RedTeamFinding(PROMPT, new int[] {1, 2, 3, 8, 8}, 7));
    List<int[]> better = List.of(new int[] {1, 2, 3, 5}, new int[] {1, 2, 3, 6});
    List<Datum> human = PreferenceData.redTeamPairs(finds, better, "rt", "red-team-0", "target", null, "human-2", 3);
    assertEquals(List.of("rt/000000/better", "rt/000000", "rt/000001/better", "rt/000001"),
        human.stream().map(Datum::id).toList());
    assertArrayEquals(new int[] {1, 2, 3, 6}, human.get(2).tokens());
    assertArrayEquals(new int[] {1, 2, 3, 8, 8}, human.get(3).tokens());
    assertEquals(3, human.get(3).responseStart());
    assertEquals(new Provenance(SourceKind.RED_TEAM, "red-team-0", "target", 3, List.of()), human.get(1).provenance());
    assertEquals(Provenance.human("human-2", 3, List.of("rt/000000")), human.get(0).provenance());
    assertEquals(LabellerKind.HUMAN, human.get(0).labels().get(0).labeller());
    assertNull(human.get(0).labels().get(0).modelId());
    // an AI red teamer's preference is an AI label with its classifier's id
    List<Datum> ai = PreferenceData.redTeamPairs(finds, better, "rt", "red-team-1", "target", "clf", "human-2", 3);
    assertEquals(new Label(LabelKind.PREFERENCE, 1, LabellerKind.AI, "red-team-1", "clf", "rt/000001"),
        ai.get(2).labels().get(0));
    assertThrows(IllegalArgumentException.class,
        () -> PreferenceData.redTeamPairs(finds, better.subList(0, 1), "rt", "r", "t", null, "h", 1));
  }
}
