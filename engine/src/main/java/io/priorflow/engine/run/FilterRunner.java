package io.priorflow.engine.run;

import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.metrics.LabelCounters;
import io.priorflow.engine.scenario.FilterStage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The {@code filter} stage: keeps the best share of the items by the critic or by gold. */
final class FilterRunner implements StageRunner<FilterStage> {
  static final FilterRunner KIND = new FilterRunner();

  private FilterRunner() {}

  @Override
  public List<Item> run(LineageRun l, Generation gen, String stage, FilterStage s, List<Item> items)
      throws InterruptedException {
    return filter(l, gen, stage, gen.g, s, items);
  }

  /** Keeps the best keepFraction by the critic's (noisy) score or by gold utility; ties go to the lower id. */
  static List<Item> filter(LineageRun l, Generation gen, String stage, int g, FilterStage s, List<Item> items)
      throws InterruptedException {
    LineageRun.requireData(stage, items);
    double[] scores;
    LineageRun.Critique critique = null;
    long aiLabels = 0;
    if (s.by() == FilterStage.By.CRITIC) {
      critique = l.critique(stage, g, items);
      scores = critique.scores();
      aiLabels = items.size();
    } else {
      l.run.dispatch(stage, "filter", l.spec.name(), g, List.of());
      scores = new double[items.size()];
      for (int i = 0; i < items.size(); i++) {
        scores[i] = l.run.world.at(g).oracle().score(items.get(i).datum().tokens()).utility();
      }
    }
    Integer[] order = new Integer[items.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparing(i -> i));
    int keep = Math.max(1, (int) Math.round(s.keepFraction() * items.size()));
    boolean[] kept = new boolean[items.size()];
    for (int j = 0; j < keep; j++) kept[order[j]] = true;
    List<Item> out = new ArrayList<>(keep);
    String labeller = s.by() == FilterStage.By.CRITIC ? ScenarioRun.CRITIC : "gold";
    String model = s.by() == FilterStage.By.CRITIC ? l.criticId : null;
    for (int i = 0; i < items.size(); i++) {
      if (!kept[i]) continue;
      Item it = items.get(i);
      var d = critique == null ? it.datum() : critique.sourced(i, it.datum()); // the index, if the critic read it
      out.add(new Item(l.judged(d, s.by() == FilterStage.By.CRITIC, LabelKind.KEEP, 1, labeller, model),
          it.prompt()));
    }
    l.counters = l.counters.plus(new LabelCounters(0, aiLabels, 0, 0));
    l.emitWithLabels(stage, out.size(), 0, 0, 0, aiLabels);
    return out;
  }
}
