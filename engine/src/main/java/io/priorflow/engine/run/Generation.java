package io.priorflow.engine.run;

import io.priorflow.engine.data.Datum;
import io.priorflow.engine.label.LabourCost;
import io.priorflow.engine.scenario.HumanSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the stages of one generation of a lineage share while it runs: its teacher, the student its train stages
 * produce, the preference and rated data its label stages collect for the train stages after them, and the numbers
 * its metrics row reports. A new one starts each generation.
 */
final class Generation {
  /** The generation (≥ 1) and the model it starts from: the previous generation's student, or the base. */
  final int g;
  final String teacher;
  /** The student of the latest train stage that produced one, or null while none has. */
  String student;
  /** Preference data: chosen, rejected, chosen, rejected, … (prefer labels; red-team finds). */
  List<Datum> pairs = new ArrayList<>();
  /**
   * Rated examples for kto, in label order: every datum a rate or correct label stage judged, with its rating, and
   * each human correction (desirable).
   */
  final List<Rated> ratings = new ArrayList<>();
  /** Method metrics (agreement, trainer stats); see {@link io.priorflow.engine.metrics.MetricNames#METHOD}. */
  final Map<String, Double> methodMetrics = new TreeMap<>();
  /** Judgements against the gold oracle: source → {agreeing, all} (labels.gold_agreement.*). */
  final Map<String, long[]> goldVotes = new TreeMap<>();
  /** Assisted labels whose pre-label was wrong, and how many of them the human got wrong too. */
  long anchoredWrong, anchoredErrors;
  /** The labelling session: each human's hours so far (fatigue carries across stages). */
  LabourCost session = LabourCost.NONE;

  /** A judged datum for kto: desirable (accepted, or a correction) or not (rejected). */
  record Rated(Datum datum, boolean desirable) {}

  Generation(int g, String teacher) {
    this.g = g;
    this.teacher = teacher;
  }

  /** Counts one judgement by {@code source} against gold; a human's counts for "humans" too. */
  void vote(String source, boolean agrees) {
    for (String s : source.startsWith(HumanSpec.ID_PREFIX) ? List.of(source, "humans") : List.of(source)) {
      long[] v = goldVotes.computeIfAbsent(s, k -> new long[2]);
      if (agrees) v[0]++;
      v[1]++;
    }
  }
}
