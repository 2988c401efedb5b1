package io.priorflow.engine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.priorflow.engine.data.Dataset;
import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.Provenance;
import io.priorflow.engine.rng.RandomStreams;
import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.FactTable;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.PromptKind;
import io.priorflow.engine.world.Tag;
import io.priorflow.engine.world.Vocabulary;
import io.priorflow.engine.world.World;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Hallucination, abstention and calibration on fact questions, by popularity bucket, and the monofact rate. */
class HonestyTest {
  static final World WORLD = World.defaults();

  @Test
  void theWorldItselfHallucinatesAndAbstainsAtItsProfilesRates() {
    SplittableRandom rng = new RandomStreams(2).forItem("honesty/world");
    List<int[]> seqs = new ArrayList<>();
    long facts = 0;
    double expectWrong = 0, expectHedge = 0;
    while (facts < 30_000) {
      Example e = WORLD.sample(rng);
      seqs.add(e.sequence());
      if (e.prompt().kind() == PromptKind.FACT) {
        facts++;
        var p = WORLD.config().tags().get(e.prompt().tag());
        expectWrong += 1 - p.correct() - p.hedge();
        expectHedge += p.hedge();
      }
    }
    double[] conf = new double[seqs.size()];
    Arrays.fill(conf, 0.5);
    Map<String, Double> m = Honesty.metrics(WORLD, seqs, conf);
    // the world's fact answers are wrong with probability 1 − correct − hedge of their tag's profile
    double wrong = expectWrong / facts, hedge = expectHedge / facts;
    assertEquals(wrong, m.get(MetricNames.HONESTY_HALLUCINATION), 4 * Math.sqrt(wrong * (1 - wrong) / facts));
    assertEquals(hedge, m.get(MetricNames.HONESTY_ABSTENTION), 4 * Math.sqrt(hedge * (1 - hedge) / facts));
    // and equally on every bucket: the world's correctness does not depend on the entity
    for (String b : List.of("_head", "_torso", "_tail")) {
      assertEquals(wrong, m.get(MetricNames.HONESTY_HALLUCINATION + b), 0.03, b);
    }
    // confidence 0.5 against the world's accuracy among answers, correct / (1 − hedge) of each profile
    double acc = 1 - wrong / (1 - hedge);
    assertEquals(Math.abs(acc - 0.5), m.get(MetricNames.HONESTY_CALIBRATION_ERROR), 0.02);
  }

  @Test
  void calibrationErrorIsTheBinnedGapBetweenConfidenceAndAccuracy() {
    Prompt fact = factPrompt();
    int right = WORLD.vocabulary().token(Vocabulary.Group.VALUE, fact.answer());
    int wrong = WORLD.vocabulary().token(Vocabulary.Group.VALUE, (fact.answer() + 1) % 8);
    int the = WORLD.vocabulary().id("the"), idk = WORLD.vocabulary().id("idk");
    List<int[]> seqs = new ArrayList<>();
    List<Double> conf = new ArrayList<>();
    // 10 answers at confidence 0.85, 5 of them right: |0.5 − 0.85|; 10 at 0.25, 2 right: |0.2 − 0.25|
    for (int i = 0; i < 10; i++) {
      seqs.add(seq(fact, the, i < 5 ? right : wrong));
      conf.add(0.85);
    }
    for (int i = 0; i < 10; i++) {
      seqs.add(seq(fact, the, i < 2 ? right : wrong));
      conf.add(0.25);
    }
    seqs.add(seq(fact, the, idk));                       // an abstention
    conf.add(Double.NaN);
    seqs.add(seq(fact, right));                          // not well formed: neither
    conf.add(Double.NaN);
    Map<String, Double> m = Honesty.metrics(WORLD, seqs, conf.stream().mapToDouble(Double::doubleValue).toArray());
    assertEquals(0.5 * 0.35 + 0.5 * 0.05, m.get(MetricNames.HONESTY_CALIBRATION_ERROR), 1e-12);
    assertEquals(13 / 22.0, m.get(MetricNames.HONESTY_HALLUCINATION), 1e-12);
    assertEquals(1 / 22.0, m.get(MetricNames.HONESTY_ABSTENTION), 1e-12);
  }

  @Test
  void bucketsFollowThePopularityMass() {
    FactTable facts = WORLD.facts();
    assertEquals(Honesty.Bucket.HEAD, Honesty.bucket(facts, 0));
    double before = 0;
    for (int e = 0; e < facts.entities(); e++) {
      Honesty.Bucket b = Honesty.bucket(facts, e);
      Honesty.Bucket expected = facts.popularity(e) == 0 ? Honesty.Bucket.TAIL
          : before < 0.5 ? Honesty.Bucket.HEAD : before < 0.9 ? Honesty.Bucket.TORSO : Honesty.Bucket.TAIL;
      assertEquals(expected, b, "entity " + e);
      before += facts.popularity(e);
    }
  }

  @Test
  void theMonofactRateIsGoodTuringsShareOfFactsSeenOnce() {
    Prompt a = factPrompt(), b = null;
    SplittableRandom rng = new RandomStreams(4).forItem("honesty/prompts");
    while (b == null) {
      Prompt p = WORLD.samplePrompt(rng);
      if (p.kind() == PromptKind.FACT && (p.entity() != a.entity() || p.attribute() != a.attribute())) b = p;
    }
    int the = WORLD.vocabulary().id("the");
    int ra = WORLD.vocabulary().token(Vocabulary.Group.VALUE, a.answer());
    int rb = WORLD.vocabulary().token(Vocabulary.Group.VALUE, b.answer());
    int wrongB = WORLD.vocabulary().token(Vocabulary.Group.VALUE, (b.answer() + 1) % 8);
    List<Datum> data = new ArrayList<>();
    int[][] seqs = {seq(a, the, ra), seq(a, the, ra), seq(b, the, rb), seq(b, the, wrongB)};
    for (int i = 0; i < seqs.length; i++) {
      data.add(new Datum("d" + i, seqs[i], a.tokens().length, Provenance.world(0)));
    }
    // a observed twice, b once (its wrong answer states no fact): N = 3 observations, N₁ = 1 fact seen once
    assertEquals(1 / 3.0, Honesty.monofactRate(WORLD, Dataset.of("d", "world", data)), 1e-15);
    assertTrue(Double.isNaN(Honesty.monofactRate(WORLD, Dataset.of("e", "world", data.subList(3, 4)))));
  }

  static Prompt factPrompt() {
    SplittableRandom rng = new RandomStreams(3).forItem("honesty/fact");
    while (true) {
      Prompt p = WORLD.samplePromptWithTag(Tag.HIGH, rng);
      if (p.kind() == PromptKind.FACT) return p;
    }
  }

  static int[] seq(Prompt p, int... response) {
    int[] s = Arrays.copyOf(p.tokens(), p.tokens().length + response.length + 1);
    System.arraycopy(response, 0, s, p.tokens().length, response.length);
    s[s.length - 1] = Vocabulary.EOS;
    return s;
  }
}
