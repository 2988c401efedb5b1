package io.priorflow.engine.run;

import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.Label;
import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.data.Provenance;
import io.priorflow.engine.label.LabourCost;
import io.priorflow.engine.metrics.LabelCounters;
import io.priorflow.engine.work.DemonstrateResult;
import io.priorflow.engine.work.DemonstrateWork;
import io.priorflow.engine.scenario.LabelStage;
import io.priorflow.engine.work.LabelResult;
import io.priorflow.engine.work.LabelWork;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.engine.world.Prompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The {@code label} stage: rate, correct, prefer or demonstrate, by humans or the critic. */
final class LabelRunner implements StageRunner<LabelStage> {
  static final LabelRunner KIND = new LabelRunner();

  private LabelRunner() {}

  @Override
  public List<Item> run(LineageRun l, Generation gen, String stage, LabelStage s, List<Item> items)
      throws InterruptedException {
    return switch (s.task()) {
      case PREFER -> PreferRunner.prefer(l, gen, stage, gen.g, s, items, gen.teacher);
      case DEMONSTRATE -> demonstrate(l, gen, stage, gen.g, s, items);
      default -> label(l, gen, stage, gen.g, s, items);
    };
  }

  /**
   * Humans (or the critic) check a uniform sample of the items: accepted items gain a rating label, rejected ones
   * are dropped — or, under the task "correct", replaced by the human's corrected datum. Items outside the sample
   * pass unchecked. Humans get the sample round-robin (item j to labeller j mod count), one work item each.
   */
  static List<Item> label(LineageRun l, Generation gen, String stage, int g, LabelStage s, List<Item> items)
      throws InterruptedException {
    LineageRun.requireData(stage, items);
    int n = Math.min(s.sample(), items.size());
    int[] chosen = LineageRun.sample(items.size(), n, l.run.streams.forItem(stage + "/sample"));
    boolean[] accepted = new boolean[items.size()];
    java.util.Arrays.fill(accepted, true);
    Map<Integer, Item> corrected = new java.util.TreeMap<>();
    Map<Integer, String> labelledBy = new java.util.TreeMap<>();
    Map<Integer, Boolean> preLabelled = new java.util.TreeMap<>();
    Map<Integer, Integer> sampledAt = new java.util.TreeMap<>(); // item → its place in the critic's sample
    LineageRun.Critique critique = null; // the critic's judgement, when it labelled or pre-labelled
    String assistant = ScenarioRun.CRITIC, assistantModel = l.criticId; // who pre-labels an assisted stage
    double hours = 0, usd = 0, makespan = 0;
    long humanLabels = 0, aiLabels = 0;
    if (s.by() == LabelStage.By.CRITIC) {
      List<Item> sampled = new ArrayList<>();
      for (int j : chosen) sampled.add(items.get(j));
      critique = l.critique(stage, g, sampled);
      double[] scores = critique.scores();
      for (int q = 0; q < chosen.length; q++) {
        accepted[chosen[q]] = scores[q] >= 0;
        gen.vote(ScenarioRun.CRITIC, accepted[chosen[q]] == l.good(items.get(chosen[q]), g));
        labelledBy.put(chosen[q], ScenarioRun.CRITIC);
      }
      aiLabels = n;
    } else {
      var humans = l.run.scenario.actors().humans();
      int count = Math.min(humans.count(), n);
      boolean[] pre = null;
      if (s.assisted()) {
        List<Item> sampled = new ArrayList<>();
        for (int j : chosen) sampled.add(items.get(j));
        String classifier = s.assistantOrDefault() == LabelStage.Assistant.CLASSIFIER ? l.assistant(stage, g) : null;
        double[] scores;
        if (classifier != null) {
          scores = l.score(stage, g, sampled, classifier);
          assistant = ScenarioRun.ASSISTANT;
          assistantModel = classifier;
        } else {
          critique = l.critique(stage, g, sampled);
          scores = critique.scores();
        }
        pre = new boolean[items.size()];
        for (int q = 0; q < chosen.length; q++) {
          pre[chosen[q]] = scores[q] >= 0;
          preLabelled.put(chosen[q], scores[q] >= 0);
        }
        aiLabels = n;
      }
      List<LabelWork> work = new ArrayList<>();
      List<List<Integer>> assigned = new ArrayList<>();
      List<Integer> workers = new ArrayList<>(); // the labellers present: an absent one's items stay unlabelled
      for (int h = 0; h < count; h++) {
        if (humans.absent(h)) continue;
        workers.add(h);
        List<Integer> mine = new ArrayList<>();
        for (int q = h; q < n; q += humans.count()) mine.add(chosen[q]);
        List<Prompt> prompts = new ArrayList<>();
        List<int[]> seqs = new ArrayList<>();
        for (int j : mine) {
          prompts.add(items.get(j).prompt());
          seqs.add(items.get(j).datum().tokens());
        }
        assigned.add(mine);
        boolean[] myPre = null;
        if (pre != null) {
          myPre = new boolean[mine.size()];
          for (int q = 0; q < mine.size(); q++) myPre[q] = pre[mine.get(q)];
        }
        work.add(new LabelWork(stage + "/" + ScenarioRun.pad(h), ScenarioRun.humanId(h), humans.forLabeller(h),
            gen.session.hoursOf(ScenarioRun.humanId(h)), prompts, seqs,
            s.task().name().toLowerCase(java.util.Locale.ROOT), myPre));
      }
      List<String> labellers = new ArrayList<>();
      long[] done = new long[workers.size()];
      double[] secs = new double[workers.size()], paid = new double[workers.size()];
      List<WorkResult> results = l.run.dispatch(stage, "label", l.spec.name(), g, work);
      for (int w = 0; w < workers.size(); w++) {
        int h = workers.get(w);
        LabelResult r = (LabelResult) results.get(w);
        String who = ScenarioRun.humanId(h);
        List<Integer> mine = assigned.get(w);
        for (int q = 0; q < mine.size(); q++) {
          int j = mine.get(q);
          accepted[j] = r.accepted()[q];
          boolean gold = l.good(items.get(j), g);
          gen.vote(who, accepted[j] == gold);
          l.humanVerdicts.add(new Generation.Rated(items.get(j).datum().withLabel(Label.human(LabelKind.RATING,
              accepted[j] ? 1 : 0, who)), accepted[j]));
          if (pre != null) {
            gen.vote(assistant, pre[j] == gold);
            if (pre[j] != gold) {
              gen.anchoredWrong++;
              if (accepted[j] != gold) gen.anchoredErrors++;
            }
          }
          labelledBy.put(j, who);
          int[] fix = r.corrections().get(q);
          if (!accepted[j] && fix.length > 0) {
            Item orig = items.get(j);
            Datum d = new Datum(orig.datum().id() + "/fix", fix, orig.prompt().length(),
                Provenance.human(who, g, List.of(orig.datum().id())))
                .withLabel(Label.human(LabelKind.CORRECTION, 1, who));
            corrected.put(j, new Item(d, orig.prompt()));
          }
        }
        hours += r.seconds() / 3600.0;
        usd += r.usd();
        makespan = Math.max(makespan, r.seconds() / 3600.0);
        labellers.add(ScenarioRun.humanId(h));
        done[w] = mine.size();
        secs[w] = r.seconds();
        paid[w] = r.usd();
        humanLabels += mine.size();
      }
      gen.session = gen.session.then(LabourCost.of(labellers, done, secs, paid));
    }
    for (int q = 0; q < chosen.length; q++) sampledAt.put(chosen[q], q);
    List<Item> out = new ArrayList<>(items.size());
    for (int j = 0; j < items.size(); j++) {
      Item it = items.get(j);
      String who = labelledBy.get(j);
      if (who == null) {
        out.add(it);
        continue;
      }
      if (critique != null) { // the critic judged it (or pre-labelled it): its datum names the index it read
        it = new Item(critique.sourced(sampledAt.get(j), it.datum()), it.prompt());
      }
      if (accepted[j]) {
        Datum d = s.by() == LabelStage.By.CRITIC ? l.judged(it.datum(), true, LabelKind.RATING, 1, who, l.criticId)
            : it.datum().withLabel(Label.human(LabelKind.RATING, 1, who));
        if (preLabelled.containsKey(j)) d = preLabel(l, d, preLabelled.get(j), assistant, assistantModel);
        out.add(new Item(d, it.prompt()));
        gen.ratings.add(new Generation.Rated(d, true));
      } else {
        // rejected: dropped from the data, kept as an undesirable example for kto
        Datum bad = s.by() == LabelStage.By.CRITIC ? l.judged(it.datum(), true, LabelKind.RATING, 0, who, l.criticId)
            : it.datum().withLabel(Label.human(LabelKind.RATING, 0, who));
        gen.ratings.add(new Generation.Rated(bad, false));
        if (corrected.containsKey(j)) {
          Item c = corrected.get(j);
          Datum d = critique == null ? c.datum() : critique.sourced(sampledAt.get(j), c.datum());
          if (preLabelled.containsKey(j)) d = preLabel(l, d, preLabelled.get(j), assistant, assistantModel);
          out.add(new Item(d, c.prompt()));
          gen.ratings.add(new Generation.Rated(d, true));
        }
      }
    }
    l.counters = l.counters.plus(new LabelCounters(humanLabels, aiLabels, usd, hours));
    l.emitWithLabels(stage, out.size(), makespan, hours, usd, aiLabels);
    return out;
  }

  /** The datum with the pre-label an assisted stage showed: the critic's (as it labels), or the assistant's. */
  private static Datum preLabel(LineageRun l, Datum d, boolean accept, String who, String model) {
    return who.equals(ScenarioRun.CRITIC) ? l.judged(d, true, LabelKind.RATING, accept ? 1 : 0, who, model)
        : d.withLabel(Label.ai(LabelKind.RATING, accept ? 1 : 0, who, model));
  }

  /**
   * Demonstrations: humans write a response to each of {@code sample} fresh world prompts (prompt q to human q mod
   * count, one {@link DemonstrateWork} each); each becomes a datum with human provenance and no labels, added after
   * this generation's data so far.
   */
  static List<Item> demonstrate(LineageRun l, Generation gen, String stage, int g, LabelStage s, List<Item> items)
      throws InterruptedException {
    var humans = l.run.scenario.actors().humans();
    SplittableRandom rng = l.run.streams.forItem(stage + "/prompts");
    List<Prompt> prompts = new ArrayList<>(s.sample());
    for (int i = 0; i < s.sample(); i++) prompts.add(l.run.world.at(g).samplePrompt(rng));
    int writers = Math.min(humans.count(), prompts.size());
    List<DemonstrateWork> work = new ArrayList<>();
    List<Integer> present = new ArrayList<>(); // an absent labeller's prompts get no demonstration
    for (int h = 0; h < writers; h++) {
      if (humans.absent(h)) continue;
      present.add(h);
      List<Prompt> mine = new ArrayList<>();
      for (int q = h; q < prompts.size(); q += humans.count()) mine.add(prompts.get(q));
      work.add(new DemonstrateWork(stage + "/" + ScenarioRun.pad(h), ScenarioRun.humanId(h), humans.forLabeller(h),
          gen.session.hoursOf(ScenarioRun.humanId(h)), mine));
    }
    List<WorkResult> results = l.run.dispatch(stage, "label", l.spec.name(), g, work);
    Item[] written = new Item[prompts.size()];
    List<String> ids = new ArrayList<>();
    long[] done = new long[present.size()];
    double[] secs = new double[present.size()], paid = new double[present.size()];
    for (int w = 0; w < present.size(); w++) {
      int h = present.get(w);
      DemonstrateResult r = (DemonstrateResult) results.get(w);
      String who = ScenarioRun.humanId(h);
      for (int k = 0; k < r.sequences().size(); k++) {
        int q = h + k * humans.count();
        Prompt p = prompts.get(q);
        written[q] = new Item(new Datum(stage + "/" + ScenarioRun.pad(q), r.sequences().get(k), p.length(),
            Provenance.human(who, g, List.of())), p);
      }
      ids.add(who);
      done[w] = r.sequences().size();
      secs[w] = r.seconds();
      paid[w] = r.usd();
    }
    LabourCost cost = LabourCost.of(ids, done, secs, paid);
    gen.session = gen.session.then(cost);
    List<Item> out = new ArrayList<>(items);
    for (Item it : written) if (it != null) out.add(it);
    l.counters = l.counters.plus(new LabelCounters(cost.labels(), 0, cost.usd(), cost.hours()));
    l.emitWithLabels(stage, out.size(), cost.makespanHours(), cost.hours(), cost.usd(), 0);
    return out;
  }
}
