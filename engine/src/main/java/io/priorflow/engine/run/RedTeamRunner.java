package io.priorflow.engine.run;

import io.priorflow.engine.label.LabourCost;
import io.priorflow.engine.label.PreferenceData;
import io.priorflow.engine.metrics.LabelCounters;
import io.priorflow.engine.metrics.MetricNames;
import io.priorflow.engine.label.RedTeamFinding;
import io.priorflow.engine.work.DemonstrateResult;
import io.priorflow.engine.work.DemonstrateWork;
import io.priorflow.engine.work.RedTeamResult;
import io.priorflow.engine.work.RedTeamWork;
import io.priorflow.engine.scenario.ModelRoles;
import io.priorflow.engine.scenario.RedTeamStage;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Vocabulary;
import java.util.ArrayList;
import java.util.List;

/** The {@code redteam} stage: red teamers search for prompts that elicit a trait; humans write better answers. */
final class RedTeamRunner implements StageRunner<RedTeamStage> {
  static final RedTeamRunner KIND = new RedTeamRunner();

  private RedTeamRunner() {}

  @Override
  public List<Item> run(LineageRun l, Generation gen, String stage, RedTeamStage s, List<Item> items)
      throws InterruptedException {
    redTeam(l, gen, stage, gen.g, s, gen.teacher);
    return items;
  }

  /**
   * Red teaming: actors.redTeamers' budget of prompts is split among the red teamers (the first budget mod count get
   * one more), one {@link RedTeamWork} each against the teacher, starting from earlier generations' finds. Human
   * labellers then write a better response to each found prompt (find q to human q mod count), each with its own
   * settings ({@code actors.humans.individuals}); as in a demonstrate stage, an absent labeller writes nothing and its
   * finds get no better response and make no pair, while every other writer keeps exactly its own finds (so a
   * counterfactual's {@code remove: human-i} removes that human's pairs and nothing else). Each (better, found) pair,
   * the found side with provenance red_team, joins this generation's preference data; every find, answered or not,
   * seeds later searches. A human red teamer's time and wage count as human cost, an AI red teamer's judged
   * responses as AI labels; each demonstration written is a human label. The stage's event counts the finds as its
   * data.
   */
  static void redTeam(LineageRun l, Generation gen, String stage, int g, RedTeamStage s, String teacher)
      throws InterruptedException {
    var rt = l.run.scenario.actors().redTeamers();
    var humans = l.run.scenario.actors().humans();
    boolean human = s.by() == RedTeamStage.By.HUMAN;
    String detector = human ? null
        : l.run.traitClassifier(s.trait(), l.run.classifierExamples(), ScenarioRun.CLASSIFIER_LABEL_NOISE,
            ModelRoles.redTeam(l.run.scenario));
    List<RedTeamWork> work = new ArrayList<>();
    for (int i = 0; i < rt.count(); i++) {
      int share = rt.budget() / rt.count() + (i < rt.budget() % rt.count() ? 1 : 0);
      if (share == 0) continue;
      String id = ScenarioRun.redTeamerId(i);
      work.add(new RedTeamWork(stage + "/" + ScenarioRun.pad(i), id, teacher, s.trait(), share,
          s.responsesPerPrompt(), l.samplingOf(Vocabulary.EOS), s.exploreFraction(), human ? humans : null,
          human ? gen.session.hoursOf(id) : 0, detector, l.redTeamSeeds));
    }
    List<WorkResult> found = l.run.dispatch(stage, "redteam", l.spec.name(), g, work);
    List<RedTeamFinding> finds = new ArrayList<>();
    List<String> finders = new ArrayList<>();
    long trials = 0, responses = 0;
    double hours = 0, usd = 0, redMakespan = 0;
    List<String> ids = new ArrayList<>();
    long[] done = new long[work.size()];
    double[] secs = new double[work.size()], paid = new double[work.size()];
    for (int w = 0; w < work.size(); w++) {
      RedTeamResult r = (RedTeamResult) found.get(w);
      for (RedTeamFinding f : r.findings()) {
        finds.add(f);
        finders.add(work.get(w).redTeamerId());
      }
      trials += r.trials();
      responses += r.responses();
      ids.add(work.get(w).redTeamerId());
      done[w] = r.trials();
      secs[w] = r.seconds();
      paid[w] = r.usd();
      redMakespan = Math.max(redMakespan, r.seconds() / 3600.0);
    }
    if (human) {
      LabourCost cost = LabourCost.of(ids, done, secs, paid);
      gen.session = gen.session.then(cost);
      hours += cost.hours();
      usd += cost.usd();
    }
    gen.methodMetrics.put(MetricNames.REDTEAM_FIND_RATE, trials == 0 ? 0 : finds.size() / (double) trials);
    // demonstrations: a better response to each found prompt, by the labellers present (LabelRunner.demonstrate's
    // rule: an absent writer's finds are left unanswered, not handed to the others)
    int writers = Math.min(humans.count(), finds.size());
    List<DemonstrateWork> demos = new ArrayList<>();
    List<Integer> present = new ArrayList<>();
    for (int h = 0; h < writers; h++) {
      if (humans.absent(h)) continue;
      present.add(h);
      List<Prompt> prompts = new ArrayList<>();
      for (int q = h; q < finds.size(); q += humans.count()) prompts.add(finds.get(q).prompt());
      demos.add(new DemonstrateWork(stage + "/demonstrate/" + ScenarioRun.pad(h), ScenarioRun.humanId(h),
          humans.forLabeller(h), gen.session.hoursOf(ScenarioRun.humanId(h)), prompts));
    }
    List<WorkResult> written = l.run.dispatch(stage + "/demonstrate", "redteam", l.spec.name(), g, demos);
    List<int[]> better = new ArrayList<>(java.util.Collections.nCopies(finds.size(), (int[]) null));
    double demoMakespan = 0;
    List<String> writerIds = new ArrayList<>();
    long[] wrote = new long[present.size()];
    double[] wSecs = new double[present.size()], wPaid = new double[present.size()];
    for (int w = 0; w < present.size(); w++) {
      int h = present.get(w);
      DemonstrateResult r = (DemonstrateResult) written.get(w);
      for (int k = 0; k < r.sequences().size(); k++) better.set(h + k * humans.count(), r.sequences().get(k));
      writerIds.add(ScenarioRun.humanId(h));
      wrote[w] = r.sequences().size();
      wSecs[w] = r.seconds();
      wPaid[w] = r.usd();
      demoMakespan = Math.max(demoMakespan, r.seconds() / 3600.0);
    }
    LabourCost demoCost = LabourCost.of(writerIds, wrote, wSecs, wPaid);
    gen.session = gen.session.then(demoCost);
    hours += demoCost.hours();
    usd += demoCost.usd();
    // gen.pairs, grouped by (red teamer, writer) so that each call's ids are distinct
    for (int i = 0; i < rt.count(); i++) {
      String teamer = ScenarioRun.redTeamerId(i);
      for (int h : present) {
        List<RedTeamFinding> fs = new ArrayList<>();
        List<int[]> bs = new ArrayList<>();
        for (int q = h; q < finds.size(); q += humans.count()) {
          if (!finders.get(q).equals(teamer)) continue;
          fs.add(finds.get(q));
          bs.add(better.get(q));
        }
        if (fs.isEmpty()) continue;
        gen.pairs.addAll(PreferenceData.redTeamPairs(fs, bs, stage + "/" + teamer + "/" + ScenarioRun.humanId(h),
            teamer, teacher, detector, ScenarioRun.humanId(h), g));
      }
    }
    for (RedTeamFinding f : finds) l.redTeamSeeds.add(f.prompt());
    keepLatest(l.redTeamSeeds, LineageRun.SEEDS_KEPT);
    long humanLabels = demoCost.labels() + (human ? responses : 0), aiLabels = human ? 0 : responses;
    l.counters = l.counters.plus(new LabelCounters(humanLabels, aiLabels, usd, hours));
    l.emitWithLabels(stage, finds.size(), (human ? redMakespan : 0) + demoMakespan, hours, usd, aiLabels);
  }

  /** Drops the oldest elements of {@code seeds} (the first) until at most {@code kept} remain, in their order. */
  static void keepLatest(List<?> seeds, int kept) {
    if (seeds.size() > kept) {
      seeds.subList(0, seeds.size() - kept).clear();
    }
  }
}
