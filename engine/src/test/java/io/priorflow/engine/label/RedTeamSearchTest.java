package io.priorflow.engine.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.World;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * {@link RedTeamSearch} against its class comment, with a scripted target and judge: rounds of {@link
 * RedTeamSearch#ROUND} trials, K responses per prompt in one batch, each from its named stream, a trial's first
 * flagged response as its finding, and the archive growing between rounds. RedTeamTest runs the search on a trained
 * model; this checks the bookkeeping its rates rest on.
 */
class RedTeamSearchTest {
  static final World WORLD = LabelKit.WORLD;
  static final long SEED = 42;

  /**
   * A target that answers each prompt with the prompt and one token, a running count of the responses it gave, and
   * records what it was asked; a judge that flags the responses a rule picks and records what it saw.
   */
  static final class Script implements RedTeamSearch.Target, RedTeamSearch.Judge {
    final List<List<int[]>> asked = new ArrayList<>();
    final List<Long> sampleDraws = new ArrayList<>(), judgeDraws = new ArrayList<>();
    final List<int[]> judgedFrom = new ArrayList<>(), judgedTrials = new ArrayList<>();
    final int responses;
    final IntPredicate flagTrial;
    final IntPredicate flagResponse;
    int count;

    Script(int responses, IntPredicate flagTrial, IntPredicate flagResponse) {
      this.responses = responses;
      this.flagTrial = flagTrial;
      this.flagResponse = flagResponse;
    }

    @Override
    public List<int[]> respond(List<int[]> prompts, List<SplittableRandom> rngs) {
      asked.add(prompts);
      assertEquals(prompts.size(), rngs.size());
      List<int[]> out = new ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) {
        int[] p = prompts.get(i), s = Arrays.copyOf(p, p.length + 1);
        s[p.length] = count++;
        out.add(s);
        sampleDraws.add(rngs.get(i).nextLong());
      }
      return out;
    }

    @Override
    public boolean[] flag(List<int[]> sequences, int[] from, int[] trials, List<SplittableRandom> rngs) {
      judgedFrom.add(from);
      judgedTrials.add(trials);
      boolean[] f = new boolean[sequences.size()];
      for (int q = 0; q < f.length; q++) {
        judgeDraws.add(rngs.get(q).nextLong());
        f[q] = flagTrial.test(trials[q]) && flagResponse.test(q % responses);
      }
      return f;
    }
  }

  @Test
  void trialsRunInRoundsAndATrialsFirstFlaggedResponseIsItsFinding() {
    // 40 trials, 3 responses each; even trials have their 2nd and 3rd responses flagged
    Script s = new Script(3, t -> t % 2 == 0, k -> k >= 1);
    RedTeamSearch.Outcome o = RedTeamSearch.search(WORLD, List.of(), 40, 3, 0.2, s, s, SEED);
    assertEquals(40, o.trials());
    assertEquals(120, o.responses());
    assertEquals(List.of(48, 48, 24), s.asked.stream().map(List::size).toList(), "rounds of 16 trials × 3");
    assertEquals(120, s.count);
    // the judge sees each batch's trial numbers and where each response starts
    for (int b = 0; b < 3; b++) {
      int[] trials = s.judgedTrials.get(b), from = s.judgedFrom.get(b);
      for (int q = 0; q < trials.length; q++) {
        assertEquals(16 * b + q / 3, trials[q], "batch " + b + " item " + q);
        assertEquals(s.asked.get(b).get(q).length, from[q], "a response starts after its prompt");
      }
      // the K responses of a trial are to one prompt
      for (int q = 0; q < trials.length; q += 3) {
        assertArrayEquals(s.asked.get(b).get(q), s.asked.get(b).get(q + 2));
      }
    }
    // findings: every even trial, in trial order, with its 2nd response (the first flagged one)
    assertEquals(20, o.findings().size());
    for (int j = 0; j < 20; j++) {
      RedTeamFinding f = o.findings().get(j);
      assertEquals(2 * j, f.trial());
      assertEquals(3 * f.trial() + 1, f.sequence()[f.sequence().length - 1], "the first flagged response");
      assertArrayEquals(f.prompt().tokens(), Arrays.copyOf(f.sequence(), f.prompt().length()));
    }
  }

  @Test
  void everyResponseAndVerdictDrawsFromItsNamedStream() {
    Script s = new Script(2, t -> false, k -> false);
    RedTeamSearch.search(WORLD, List.of(), 20, 2, 0.2, s, s, SEED);
    int i = 0;
    for (int t = 0; t < 20; t++) {
      for (int k = 0; k < 2; k++, i++) {
        assertEquals(RandomStreams.child(SEED, "trial/" + t + "/response/" + k).nextLong(), s.sampleDraws.get(i));
        assertEquals(RandomStreams.child(SEED, "trial/" + t + "/judge/" + k).nextLong(), s.judgeDraws.get(i));
      }
    }
  }

  /** The class comment's proposal rule, replayed: fresh if the archive is empty or u &lt; explore, else mutate. */
  static List<int[]> expectedPrompts(List<Prompt> seeds, int budget, double explore, IntPredicate found) {
    PromptEdits edits = new PromptEdits(WORLD);
    List<Prompt> archive = new ArrayList<>(seeds);
    List<int[]> out = new ArrayList<>();
    for (int start = 0; start < budget; start += RedTeamSearch.ROUND) {
      List<Prompt> hits = new ArrayList<>();
      for (int t = start; t < Math.min(budget, start + RedTeamSearch.ROUND); t++) {
        SplittableRandom rng = RandomStreams.child(SEED, "trial/" + t);
        boolean fresh = archive.isEmpty() || rng.nextDouble() < explore;
        Prompt p = fresh ? edits.fresh(rng) : edits.mutate(archive.get(rng.nextInt(archive.size())), rng);
        out.add(p.tokens());
        if (found.test(t)) hits.add(p);
      }
      archive.addAll(hits);
    }
    return out;
  }

  static List<int[]> askedPrompts(Script s, int responses) {
    List<int[]> out = new ArrayList<>();
    for (List<int[]> batch : s.asked) for (int q = 0; q < batch.size(); q += responses) out.add(batch.get(q));
    return out;
  }

  static void assertSamePrompts(List<int[]> expected, List<int[]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int t = 0; t < expected.size(); t++) assertArrayEquals(expected.get(t), actual.get(t), "trial " + t);
  }

  @Test
  void promptsAreFreshOrMutationsOfTheArchiveAsItStoodAfterTheLastRound() {
    IntPredicate found = t -> t % 5 == 1;
    List<Prompt> seeds = List.of(new PromptEdits(WORLD).fresh(new SplittableRandom(1)),
        new PromptEdits(WORLD).fresh(new SplittableRandom(2)));
    for (double explore : new double[] {0, 0.3, 1}) {
      for (List<Prompt> start : List.of(List.<Prompt>of(), seeds)) {
        Script s = new Script(2, found, k -> k == 0);
        RedTeamSearch.Outcome o = RedTeamSearch.search(WORLD, start, 50, 2, explore, s, s, SEED);
        assertSamePrompts(expectedPrompts(start, 50, explore, found), askedPrompts(s, 2));
        assertEquals(10, o.findings().size());
      }
    }
    // explore 0 with seeds: every prompt of the first round is a mutation of a seed, so shares its tag or kind
    Script s = new Script(1, t -> false, k -> false);
    RedTeamSearch.search(WORLD, seeds, 16, 1, 0, s, s, SEED);
    for (int[] p : askedPrompts(s, 1)) {
      boolean related = false;
      for (Prompt seed : seeds) related |= p[1] == seed.tokens()[1] || p[2] == seed.tokens()[2];
      assertTrue(related, Arrays.toString(p));
    }
  }

  @Test
  void noBudgetAsksNothingAndBadArgumentsAreRejected() {
    Script s = new Script(1, t -> true, k -> true);
    RedTeamSearch.Outcome none = RedTeamSearch.search(WORLD, List.of(), 0, 1, 0.2, s, s, SEED);
    assertEquals(0, none.trials());
    assertEquals(0, none.responses());
    assertTrue(none.findings().isEmpty());
    assertTrue(s.asked.isEmpty());
    // one trial past a round boundary makes a round of one
    RedTeamSearch.Outcome seventeen = RedTeamSearch.search(WORLD, List.of(), 17, 1, 0.2, s, s, SEED);
    assertEquals(List.of(16, 1), s.asked.stream().map(List::size).toList());
    assertEquals(17, seventeen.findings().size());
    assertThrows(IllegalArgumentException.class, () -> RedTeamSearch.search(WORLD, List.of(), -1, 1, 0.2, s, s, 1));
    assertThrows(IllegalArgumentException.class, () -> RedTeamSearch.search(WORLD, List.of(), 4, 0, 0.2, s, s, 1));
    assertThrows(IllegalArgumentException.class, () -> RedTeamSearch.search(WORLD, List.of(), 4, 1, -0.1, s, s, 1));
    assertThrows(IllegalArgumentException.class, () -> RedTeamSearch.search(WORLD, List.of(), 4, 1, 1.1, s, s, 1));
    assertThrows(IllegalArgumentException.class,
        () -> RedTeamSearch.search(WORLD, List.of(), 4, 1, Double.NaN, s, s, 1));
    // the edges of the ranges are allowed
    RedTeamSearch.search(WORLD, List.of(), 1, 1, 0, s, s, 1);
    RedTeamSearch.search(WORLD, List.of(), 1, 1, 1, s, s, 1);
  }

  @Test
  void aFindingIsAValueOverItsSequencesContents() {
    Prompt p = new PromptEdits(WORLD).fresh(new SplittableRandom(4));
    int[] seq = {1, 2, 3};
    RedTeamFinding f = new RedTeamFinding(p, seq, 5);
    seq[0] = 9; // copied on the way in
    assertEquals(new RedTeamFinding(p, new int[] {1, 2, 3}, 5), f);
    assertEquals(new RedTeamFinding(p, new int[] {1, 2, 3}, 5).hashCode(), f.hashCode());
    assertTrue(!f.equals(new RedTeamFinding(p, new int[] {1, 2, 4}, 5)));
    assertTrue(!f.equals(new RedTeamFinding(p, new int[] {1, 2, 3}, 6)));
    assertTrue(!f.equals(new RedTeamFinding(new PromptEdits(WORLD).fresh(new SplittableRandom(99)), seq, 5)));
    assertTrue(!f.equals("not a finding"));
    assertEquals("RedTeamFinding[prompt=" + p + ", sequence=[1, 2, 3], trial=5]", f.toString());
  }
}
