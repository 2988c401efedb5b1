package io.priorflow.engine.run;

import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.Provenance;
import io.priorflow.engine.data.LabellerKind;
import io.priorflow.engine.label.Agreement;
import io.priorflow.engine.label.LabourCost;
import io.priorflow.engine.label.Overlap;
import io.priorflow.engine.label.PreferenceData;
import io.priorflow.engine.metrics.LabelCounters;
import io.priorflow.engine.metrics.MetricNames;
import io.priorflow.engine.work.CriticPreferWork;
import io.priorflow.engine.work.PreferResult;
import io.priorflow.engine.work.PreferWork;
import io.priorflow.engine.scenario.LabelStage;
import io.priorflow.engine.work.SampleResult;
import io.priorflow.engine.work.SampleWork;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.engine.world.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Preference labels (a label stage with task prefer), also used by online DPO's rounds. */
final class PreferRunner {
  private PreferRunner() {}

  /**
   * Preference labels: for each sampled item the teacher writes a second response to the same prompt, and humans
   * (or the critic) say which of the two is better. Humans get the pairs by {@link Overlap#assign} (round robin, an
   * {@code overlap} share labelled by {@code raters} humans, whose majority decides); each rater adds one
   * PREFERENCE label to both sides. An absent labeller judges nothing: a pair keeps the labels of its raters who are
   * present (none: the pair is not made), their majority decides (a tie goes to the first of them), and
   * {@code labels.kappa} and {@code labels.agreement} are Fleiss' κ and P̄ over the pairs that kept two labels or
   * more, generalised to a varying number of raters ({@link Agreement#ofVaryingRaters}). The chosen side replaces
   * the item in the stage's output (unsampled items pass unchanged) and the pair joins this generation's preference
   * data for dpo and reward_model.
   */
  static List<Item> prefer(LineageRun l, Generation gen, String stage, int g, LabelStage s, List<Item> items,
                           String teacher)
      throws InterruptedException {
    LineageRun.requireData(stage, items);
    int n = Math.min(s.sample(), items.size());
    int[] chosen = LineageRun.sample(items.size(), n, l.run.streams.forItem(stage + "/sample"));
    // 1. second responses from the teacher, LineageRun.SAMPLE_BATCH prompts per item
    List<SampleWork> sampling = new ArrayList<>();
    for (int from = 0; from < n; from += LineageRun.SAMPLE_BATCH) {
      List<int[]> batch = new ArrayList<>();
      for (int q = from; q < Math.min(n, from + LineageRun.SAMPLE_BATCH); q++) {
        batch.add(items.get(chosen[q]).prompt().tokens());
      }
      sampling.add(new SampleWork(stage + "/second/" + ScenarioRun.pad(sampling.size()), teacher, batch,
          l.samplingOf(Vocabulary.EOS)));
    }
    List<Datum> firsts = new ArrayList<>(n), seconds = new ArrayList<>(n);
    int q0 = 0;
    for (WorkResult r : l.run.dispatch(stage + "/second", "label", l.spec.name(), g, sampling)) {
      for (int[] seq : ((SampleResult) r).sequences()) {
        Item it = items.get(chosen[q0]);
        firsts.add(it.datum());
        seconds.add(new Datum(stage + "/second/" + ScenarioRun.pad(q0), seq, it.prompt().length(),
            Provenance.generated(ScenarioRun.GENERATOR, teacher, g)));
        q0++;
      }
    }
    // 2. the judgements: preferFirst per pair (the majority's for overlapped gen.pairs), and who judged
    boolean[] preferFirst = new boolean[n];
    List<List<String>> raters = new ArrayList<>();
    double hours = 0, usd = 0, makespan = 0;
    long humanLabels = 0, aiLabels = 0;
    if (s.by() == LabelStage.By.CRITIC) {
      // with the critic's retrieval: one query per pair (both responses answer the same prompt), its passages before
      // the question of both sides, and both sides name the index
      List<int[]> passages = l.criticPassages(stage, g, firsts);
      if (passages != null) {
        for (int q = 0; q < n; q++) {
          if (passages.get(q).length == 0) continue;
          firsts.set(q, LineageRun.withParent(firsts.get(q), l.criticIndex(g)));
          seconds.set(q, LineageRun.withParent(seconds.get(q), l.criticIndex(g)));
        }
      }
      List<CriticPreferWork> work = new ArrayList<>();
      for (int from = 0; from < n; from += LineageRun.SCORE_BATCH) {
        int to = Math.min(n, from + LineageRun.SCORE_BATCH);
        List<int[]> a = new ArrayList<>(), b = new ArrayList<>();
        int[] starts = new int[to - from];
        for (int q = from; q < to; q++) {
          int[] p = passages == null ? null : passages.get(q);
          a.add(l.asCriticReads(firsts.get(q).tokens(), p));
          b.add(l.asCriticReads(seconds.get(q).tokens(), p));
          starts[q - from] = firsts.get(q).responseStart() + (p == null ? 0 : p.length);
        }
        work.add(new CriticPreferWork(stage + "/" + ScenarioRun.pad(work.size()), ScenarioRun.CRITIC,
            l.run.constitution != null ? null : l.criticId, l.run.constitution, a, b, starts,
            l.run.scenario.actors().critics().temperature()));
      }
      int q = 0;
      for (WorkResult r : l.run.dispatch(stage, "label", l.spec.name(), g, work)) {
        for (boolean f : ((PreferResult) r).preferFirst()) {
          preferFirst[q] = f;
          l.voteOnPair(gen, ScenarioRun.CRITIC, f, firsts.get(q), seconds.get(q));
          raters.add(List.of(ScenarioRun.CRITIC));
          q++;
        }
      }
      aiLabels = n;
    } else {
      var humans = l.run.scenario.actors().humans();
      Overlap plan = Overlap.assign(n, humans.count(), s.overlap(), Math.min(s.raters(), humans.count()),
          l.run.streams.forItem(stage + "/overlap"));
      List<PreferWork> work = new ArrayList<>();
      List<Integer> workers = new ArrayList<>();
      for (int h = 0; h < humans.count(); h++) {
        List<Integer> mine = plan.byLabeller().get(h);
        if (mine.isEmpty() || humans.absent(h)) continue; // an absent labeller's gen.pairs go to no one
        List<int[]> a = new ArrayList<>(), b = new ArrayList<>();
        for (int q : mine) {
          a.add(firsts.get(q).tokens());
          b.add(seconds.get(q).tokens());
        }
        work.add(new PreferWork(stage + "/" + ScenarioRun.pad(h), ScenarioRun.humanId(h), humans.forLabeller(h),
            gen.session.hoursOf(ScenarioRun.humanId(h)), a, b, null));
        workers.add(h);
      }
      List<WorkResult> results = l.run.dispatch(stage, "label", l.spec.name(), g, work);
      Map<Integer, Map<Integer, Boolean>> votes = new java.util.TreeMap<>(); // pair → labeller → preferFirst
      List<String> ids = new ArrayList<>();
      long[] done = new long[workers.size()];
      double[] secs = new double[workers.size()], paid = new double[workers.size()];
      for (int w = 0; w < workers.size(); w++) {
        int h = workers.get(w);
        PreferResult r = (PreferResult) results.get(w);
        List<Integer> mine = plan.byLabeller().get(h);
        for (int k = 0; k < mine.size(); k++) {
          votes.computeIfAbsent(mine.get(k), x -> new java.util.TreeMap<>()).put(h, r.preferFirst()[k]);
          l.voteOnPair(gen, ScenarioRun.humanId(h), r.preferFirst()[k], firsts.get(mine.get(k)),
              seconds.get(mine.get(k)));
        }
        ids.add(ScenarioRun.humanId(h));
        done[w] = mine.size();
        secs[w] = r.seconds();
        paid[w] = r.usd();
      }
      LabourCost cost = LabourCost.of(ids, done, secs, paid);
      gen.session = gen.session.then(cost);
      hours = cost.hours();
      usd = cost.usd();
      makespan = cost.makespanHours();
      humanLabels = cost.labels();
      List<int[]> overlapped = new ArrayList<>();
      for (int q = 0; q < n; q++) {
        List<Integer> who = plan.byItem().get(q).stream().filter(h -> !humans.absent(h)).toList();
        if (who.isEmpty()) { // judged by absent labellers only: no pair
          raters.add(List.of());
          continue;
        }
        int[] labels = new int[who.size()];
        List<String> names = new ArrayList<>();
        for (int k = 0; k < who.size(); k++) {
          labels[k] = votes.get(q).get(who.get(k)) ? 1 : 0;
          names.add(ScenarioRun.humanId(who.get(k)));
        }
        preferFirst[q] = Overlap.majority(labels) == 1;
        raters.add(names);
        if (labels.length > 1) overlapped.add(labels);
      }
      if (!overlapped.isEmpty()) {
        // a pair that lost an assigned rater to an absence keeps the others' labels (two of three, say): Fleiss'
        // κ and P̄ generalised to a varying number of raters, which is Fleiss' own where none is absent. Not κ over
        // the pairs that kept every rater only: the raters rotate with the primary, so one absent human of four
        // with raters 3 takes a rater from three quarters of the overlapped pairs, and with raters = count from all
        Agreement.Report rep = Agreement.ofVaryingRaters(overlapped.toArray(int[][]::new), 2);
        gen.methodMetrics.put(MetricNames.LABELS_KAPPA, rep.fleiss());
        gen.methodMetrics.put(MetricNames.LABELS_AGREEMENT, rep.observed());
      }
    }
    // 3. labels: one PREFERENCE label per judge on each side; the chosen side goes on
    Map<Integer, Datum> winners = new java.util.TreeMap<>();
    for (int q = 0; q < n; q++) {
      if (raters.get(q).isEmpty()) continue;
      Datum c = preferFirst[q] ? firsts.get(q) : seconds.get(q);
      Datum r = preferFirst[q] ? seconds.get(q) : firsts.get(q);
      for (String who : raters.get(q)) {
        List<Datum> p = s.by() == LabelStage.By.CRITIC
            ? (l.run.constitution != null ? PreferenceData.pair(c, r, l.run.constitution, who)
                : PreferenceData.pair(c, r, LabellerKind.AI, who, l.criticId))
            : PreferenceData.pair(c, r, LabellerKind.HUMAN, who, null);
        c = p.get(0);
        r = p.get(1);
      }
      gen.pairs.add(c);
      gen.pairs.add(r);
      winners.put(chosen[q], c);
    }
    List<Item> out = new ArrayList<>(items.size());
    for (int j = 0; j < items.size(); j++) {
      Datum w = winners.get(j);
      out.add(w == null ? items.get(j) : new Item(w, items.get(j).prompt()));
    }
    l.counters = l.counters.plus(new LabelCounters(humanLabels, aiLabels, usd, hours));
    l.emitWithLabels(stage, out.size(), makespan, hours, usd, aiLabels);
    return out;
  }
}
