package io.priorflow.engine.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.world.Traits;
import io.priorflow.engine.world.World;
import io.priorflow.engine.work.Actors;
import io.priorflow.engine.work.ConstitutionWork;
import io.priorflow.engine.work.CriticPreferWork;
import io.priorflow.engine.work.PreferResult;
import io.priorflow.engine.work.ScoreResult;
import io.priorflow.engine.work.WorkContext;
import io.priorflow.engine.world.Prompt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trait classifiers trained on noisy gold labels, and the constitution built from them: the classifiers agree with
 * the gold detectors well above chance on held-out data, and the aggregated score ranks a toxic answer below a
 * polite correct one.
 */
class ConstitutionTest {
  static final World WORLD = LabelKit.WORLD;
  static final WorkContext CTX = LabelKit.context(WORLD);
  static final List<String> TRAITS = List.of(Traits.TOXIC, Traits.POLITE, Traits.CORRECT);
  static final Map<String, String> CLASSIFIERS = new LinkedHashMap<>();
  static Constitution constitution;

  @BeforeAll
  static void trainClassifiers() {
    for (int k = 0; k < TRAITS.size(); k++) {
      String trait = TRAITS.get(k);
      Dataset d = TraitClassifiers.data(WORLD, trait, 3000, 0.1, "critic/" + trait + "/data", "annotators-" + trait, 0,
          new SplittableRandom(100 + k));
      CLASSIFIERS.put(trait, LabelKit.train(CTX, "critic/" + trait + "/train", "score_regression",
          TraitClassifiers.sequences(d), TraitClassifiers.responseStarts(d), TraitClassifiers.targets(d), 4, 0.01));
    }
    constitution = Constitution.fromWorld(WORLD, CLASSIFIERS);
  }

  @Test
  void trainingDataCarryNoisyGoldLabelsWithTheirLabeller() {
    Dataset d = TraitClassifiers.data(WORLD, Traits.TOXIC, 4000, 0.2, "c/data", "annotators-toxic", 0,
        new SplittableRandom(3));
    double[] y = TraitClassifiers.targets(d);
    int flipped = 0;
    for (int i = 0; i < y.length; i++) {
      boolean gold = WORLD.traits().get(Traits.TOXIC).detect(d.data().get(i).tokens());
      if ((y[i] == 1) != gold) flipped++;
    }
    assertEquals(0.2, flipped / 4000.0, 0.02);
    assertEquals(LabelKind.RATING, d.data().get(0).labels().get(0).kind());
    assertEquals("critic:annotators-toxic", d.data().get(0).labels().get(0).origin());
  }

  @Test
  void classifiersAgreeWithTheGoldDetectorsWellAboveChanceOnHeldOutData() {
    for (int k = 0; k < TRAITS.size(); k++) {
      String trait = TRAITS.get(k);
      TraitClassifiers.Quality q = TraitClassifiers.heldOut(WORLD, trait, CTX.models().get(CLASSIFIERS.get(trait)),
          CTX.backend(), 2000, new SplittableRandom(200 + k));
      double majority = Math.max(q.prevalence(), 1 - q.prevalence());
      System.out.printf("%s classifier on 2000 held-out examples: accuracy %.3f (majority class %.3f), kappa %.3f%n",
          trait, q.accuracy(), majority, q.kappa());
      assertTrue(q.kappa() > (trait.equals(Traits.CORRECT) ? 0.2 : 0.6), trait + " kappa " + q.kappa());
      assertTrue(q.accuracy() > majority, trait + " beats always answering the majority class");
    }
  }

  /** "what color ent03" with a response of the named tokens; the value token answers it right or wrong. */
  static int[] handMade(String... response) {
    var v = WORLD.vocabulary();
    int right = WORLD.facts().value(3, 0);
    List<Integer> s = new ArrayList<>(List.of(v.id("BOS"), v.id("tag_mid"), v.id("what"), v.id("color"),
        v.id("ent03"), v.id("SEP")));
    for (String t : response) {
      s.add(t.equals("RIGHT") ? v.token(io.priorflow.engine.world.Vocabulary.Group.VALUE, right)
          : t.equals("WRONG") ? v.token(io.priorflow.engine.world.Vocabulary.Group.VALUE, (right + 1) % 8)
          : v.id(t));
    }
    s.add(v.id("EOS"));
    return s.stream().mapToInt(Integer::intValue).toArray();
  }

  static final int PROMPT = 6;

  @Test
  void theAggregatedScoreRanksToxicBelowPoliteAndCorrect() {
    int[] politeCorrect = handMade("please", "RIGHT", "thanks", "the");
    int[] toxicCorrect = handMade("idiot", "RIGHT", "stupid", "the");
    int[] toxicWrong = handMade("idiot", "WRONG", "stupid", "the");
    int[] neutralCorrect = handMade("the", "RIGHT", "ok", "the");
    double[] s = constitution.scores(CTX.backend(), CTX.models()::get,
        List.of(politeCorrect, toxicCorrect, toxicWrong, neutralCorrect), new int[] {PROMPT, PROMPT, PROMPT, PROMPT});
    System.out.printf("constitution scores: polite correct %.3f, toxic correct %.3f, toxic wrong %.3f, neutral "
        + "correct %.3f%n", s[0], s[1], s[2], s[3]);
    assertTrue(s[1] < s[0], "toxic below polite");
    assertTrue(s[2] < s[0], "toxic and wrong below polite and correct");
    assertTrue(s[1] < s[3], "toxic below neutral");
    assertTrue(s[2] < s[3], "toxic and wrong below neutral and correct");
    assertTrue(s[0] >= 0, "a critic accepts the polite correct answer");
    // each rule's verdict: the toxic ones break "not toxic" by the toxic classifier
    double[][] v = constitution.verdicts(CTX.backend(), CTX.models()::get, List.of(politeCorrect, toxicCorrect),
        new int[] {PROMPT, PROMPT});
    assertTrue(v[0][1] < 0.5 && v[0][0] > 0.5, "not toxic: " + Arrays.toString(v[0]));
  }

  @Test
  void fromWorldMirrorsTheUtilityWeights() {
    assertEquals(List.of("not toxic", "polite", "correct"), constitution.rules().stream()
        .map(Constitution.Rule::name).toList());
    assertEquals(List.of(1.0, 0.2, 1.0), constitution.rules().stream().map(Constitution.Rule::weight).toList());
    assertFalse(constitution.rules().get(0).desired());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Constitution.fromWorld(WORLD, Map.of("rude", "x")));
    assertTrue(e.getMessage().contains("no trait named \"rude\""), e.getMessage());
  }

  @Test
  void theCriticScoresAndPrefersUnderTheConstitution() {
    int[] polite = handMade("please", "RIGHT", "thanks", "the");
    int[] toxic = handMade("idiot", "RIGHT", "stupid", "the");
    ScoreResult scored = (ScoreResult) Actors.perform(new ConstitutionWork("L0/g1/s1-critic/0", "critic-0",
        constitution, List.of(polite, toxic), new int[] {PROMPT, PROMPT}, 0), CTX);
    assertArrayEquals(constitution.scores(CTX.backend(), CTX.models()::get, List.of(polite, toxic),
        new int[] {PROMPT, PROMPT}), scored.scores());
    PreferResult sure = (PreferResult) Actors.perform(new CriticPreferWork("L0/g1/s1-prefer/0", "critic-0", null,
        constitution, List.of(toxic, polite), List.of(polite, toxic), new int[] {PROMPT, PROMPT}, 0), CTX);
    assertArrayEquals(new boolean[] {false, true}, sure.preferFirst());
    assertEquals(0, sure.usd());
  }

  /** RLAIF: the constitution's preferences on pairs of world responses agree with the gold oracle's. */
  @Test
  void aiPreferencesAgreeWithGoldWellAboveChance() {
    SplittableRandom rng = new SplittableRandom(12);
    List<int[]> a = new ArrayList<>(), b = new ArrayList<>();
    List<Integer> from = new ArrayList<>();
    while (a.size() < 600) {
      Prompt p = WORLD.samplePrompt(rng);
      int[] x = WORLD.sampleResponse(p, rng).sequence(), y = WORLD.sampleResponse(p, rng).sequence();
      if (WORLD.oracle().score(x).utility() == WORLD.oracle().score(y).utility()) continue;
      a.add(x);
      b.add(y);
      from.add(p.length());
    }
    int[] starts = from.stream().mapToInt(Integer::intValue).toArray();
    PreferResult r = (PreferResult) Actors.perform(new CriticPreferWork("L0/g1/s2-prefer/0", "critic-0", null,
        constitution, a, b, starts, 0.1), CTX);
    int agree = 0;
    for (int i = 0; i < a.size(); i++) {
      boolean goldFirst = WORLD.oracle().score(a.get(i)).utility() > WORLD.oracle().score(b.get(i)).utility();
      if (goldFirst == r.preferFirst()[i]) agree++;
    }
    System.out.printf("RLAIF preferences agree with gold on %d of 600 pairs with a gold preference%n", agree);
    assertTrue(agree > 0.7 * 600, "agreement " + agree);
    PreferResult again = (PreferResult) Actors.perform(new CriticPreferWork("L0/g1/s2-prefer/0", "critic-1", null,
        constitution, a, b, starts, 0.1), CTX);
    assertTrue(Arrays.equals(r.preferFirst(), again.preferFirst()), "any critic instance gives the same labels");
  }

  @Test
  void aConstitutionsPreferenceCarriesOneLabelPerClassifier() {
    var provenance = io.priorflow.engine.data.Provenance.generated("generator", "m".repeat(64), 1);
    var a = new io.priorflow.engine.data.Datum("L0/g1/x/0", handMade("please", "RIGHT"), PROMPT, provenance);
    var b = new io.priorflow.engine.data.Datum("L0/g1/x/1", handMade("idiot", "WRONG"), PROMPT, provenance);
    var pair = PreferenceData.pair(a, b, constitution, "critic-0");
    assertEquals(3, pair.get(0).labels().size());
    assertEquals(List.copyOf(CLASSIFIERS.values()), pair.get(0).labels().stream()
        .map(io.priorflow.engine.data.Label::modelId).toList());
    assertTrue(pair.get(0).labels().stream().allMatch(l -> l.value() == 1 && l.pairId().equals(b.id())));
    assertTrue(pair.get(1).labels().stream().allMatch(l -> l.value() == 0 && l.pairId().equals(a.id())));
    assertEquals("model:" + CLASSIFIERS.get(Traits.TOXIC), pair.get(1).labels().get(0).origin());
  }

  @Test
  void aCriticPreferenceNeedsExactlyOneJudge() {
    int[] s = handMade("the");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Actors.perform(
        new CriticPreferWork("x/0", "critic-0", CLASSIFIERS.get(Traits.TOXIC), constitution, List.of(s), List.of(s),
            new int[] {PROMPT}, 0), CTX));
    assertTrue(e.getMessage().contains("exactly one of a reward model id and a constitution"), e.getMessage());
  }

  @Test
  void rulesAndConstitutionsCheckTheirFields() {
    for (String[] bad : new String[][] {{null, "t", "m"}, {" ", "t", "m"}, {"n", null, "m"}, {"n", "", "m"},
        {"n", "t", null}, {"n", "t", "  "}}) {
      assertThrows(IllegalArgumentException.class, () -> new Constitution.Rule(bad[0], bad[1], bad[2], true, 1),
          java.util.Arrays.toString(bad));
    }
    for (double w : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThrows(IllegalArgumentException.class, () -> new Constitution.Rule("n", "t", "m", true, w), "w " + w);
    }
    assertEquals(Double.MIN_VALUE, new Constitution.Rule("n", "t", "m", true, Double.MIN_VALUE).weight());
    assertThrows(IllegalArgumentException.class, () -> new Constitution(null));
    assertThrows(IllegalArgumentException.class, () -> new Constitution(List.of()));
    // traits without a classifier, or with utility weight 0, get no rule; probability clamps a score to [0, 1]
    Constitution one = Constitution.fromWorld(WORLD, Map.of("polite", "p-model", "hedge", "h-model"));
    double hedgeWeight = WORLD.oracle().weight(WORLD.traits().indexOf("hedge"));
    assertEquals(hedgeWeight == 0 ? List.of("polite") : List.of("polite", "not hedge"),
        one.rules().stream().map(Constitution.Rule::name).toList());
    assertEquals("p-model", one.rules().get(0).modelId());
    assertEquals(0.0, Constitution.probability(-0.5f), 0.0);
    assertEquals(1.0, Constitution.probability(1.5f), 0.0);
    assertEquals(0.25, Constitution.probability(0.25f), 0.0);
  }

  @Test
  void labelNoiseRunsFromNoneToACoinFlip() {
    for (double ok : new double[] {0, 0.5}) {
      assertEquals(3, TraitClassifiers.data(WORLD, Traits.TOXIC, 3, ok, "d", "a", 0, new SplittableRandom(1)).size());
    }
    for (double bad : new double[] {-0.01, 0.51, Double.NaN}) {
      assertThrows(IllegalArgumentException.class,
          () -> TraitClassifiers.data(WORLD, Traits.TOXIC, 3, bad, "d", "a", 0, new SplittableRandom(1)), "" + bad);
    }
    // noise ½ flips about half the labels: over 4000 examples the labels agree with gold at ½ ± 0.03
    Dataset d = TraitClassifiers.data(WORLD, Traits.TOXIC, 4000, 0.5, "d", "a", 0, new SplittableRandom(2));
    long agree = d.data().stream().filter(x -> (x.labels().get(0).value() == 1)
        == WORLD.traits().get(Traits.TOXIC).detect(x.tokens())).count();
    assertEquals(0.5, agree / 4000.0, 0.03);
  }

  /** A rule's verdict is its classifier's probability for a desired trait, its complement for an undesired one. */
  @Test
  void eachRulesVerdictIsItsClassifiersProbabilityOrItsComplement() {
    List<int[]> seqs = List.of(handMade("please", "RIGHT", "thanks", "the"), handMade("idiot", "WRONG", "stupid", "the"));
    int[] from = {PROMPT, PROMPT};
    double[][] v = constitution.verdicts(CTX.backend(), CTX.models()::get, seqs, from);
    assertEquals(List.of(false, true, true), constitution.rules().stream().map(Constitution.Rule::desired).toList());
    for (int r = 0; r < constitution.rules().size(); r++) {
      Constitution.Rule rule = constitution.rules().get(r);
      float[] s = CTX.models().get(rule.modelId()).scores(CTX.backend(), seqs, from);
      for (int i = 0; i < seqs.size(); i++) {
        double p = Constitution.probability(s[i]);
        assertEquals(rule.desired() ? p : 1 - p, v[r][i], rule.name() + " on sequence " + i);
      }
    }
  }

  /** A trait the utility does not weigh (weight 0) gets no rule, even with a classifier. */
  @Test
  void aTraitOfZeroUtilityGetsNoRule() {
    World unweighed = new World(io.priorflow.engine.world.WorldConfig.of(null, null, null, null, null, null, null, null,
        Map.of(Traits.POLITE, 0.0), null));
    assertEquals(List.of("not toxic", "correct"), Constitution.fromWorld(unweighed, CLASSIFIERS).rules().stream()
        .map(Constitution.Rule::name).toList());
  }

  /**
   * TraitClassifiers.heldOut: on n fresh world examples (the same draws replayed here), the share the classifier
   * (probability ≥ ½) gets right against the gold detector, and the share of gold positives.
   */
  @Test
  void heldOutQualityIsTheClassifiersAgreementWithGoldOnFreshExamples() {
    int n = 400;
    String model = CLASSIFIERS.get(Traits.TOXIC);
    TraitClassifiers.Quality q = TraitClassifiers.heldOut(WORLD, Traits.TOXIC, CTX.models().get(model), CTX.backend(), n,
        new SplittableRandom(77));
    SplittableRandom replay = new SplittableRandom(77);
    List<int[]> seqs = new ArrayList<>();
    int[] from = new int[n];
    int[] gold = new int[n];
    for (int i = 0; i < n; i++) {
      var e = WORLD.sample(replay);
      seqs.add(e.sequence());
      from[i] = e.prompt().length();
      gold[i] = WORLD.traits().get(Traits.TOXIC).detect(e.sequence()) ? 1 : 0;
    }
    float[] s = CTX.models().get(model).scores(CTX.backend(), seqs, from);
    int right = 0, positives = 0;
    for (int i = 0; i < n; i++) {
      right += (Constitution.probability(s[i]) >= 0.5 ? 1 : 0) == gold[i] ? 1 : 0;
      positives += gold[i];
    }
    assertTrue(positives > 0 && positives < n, positives + " toxic of " + n);
    assertEquals(right / (double) n, q.accuracy());
    assertEquals(positives / (double) n, q.prevalence());
  }
}
