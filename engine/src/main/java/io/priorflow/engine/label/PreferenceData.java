package io.priorflow.engine.label;

import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.Label;
import io.priorflow.engine.data.LabelKind;
import io.priorflow.engine.data.LabellerKind;
import io.priorflow.engine.data.Provenance;
import io.priorflow.engine.data.SourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Preference data with provenance, for reward models and DPO: each comparison is two data of one prompt, labelled
 * {@link LabelKind#PREFERENCE} — value 1 on the chosen one, 0 on the rejected one, each naming the other as its
 * pair. In ancestry each side's label counts for who judged ({@code human:…}, or the critic's model).
 */
public final class PreferenceData {

  private PreferenceData() {
  }

  /**
   * The pair {chosen, rejected} with their preference labels added.
   *
   * @param modelId the judging model for an AI label (or null: a human, or a critic of fixed rules)
   */
  public static List<Datum> pair(Datum chosen, Datum rejected, LabellerKind labeller, String labellerId,
                                 String modelId) {
    return pair(chosen.withLabel(new Label(LabelKind.PREFERENCE, 1, labeller, labellerId, modelId, rejected.id())),
        rejected.withLabel(new Label(LabelKind.PREFERENCE, 0, labeller, labellerId, modelId, chosen.id())));
  }

  /**
   * The pair {chosen, rejected} as judged by a critic under a constitution: each side gets one preference label per
   * classifier ({@link Constitution#labels}).
   */
  public static List<Datum> pair(Datum chosen, Datum rejected, Constitution constitution, String criticId) {
    Datum c = chosen, r = rejected;
    for (Label l : constitution.labels(LabelKind.PREFERENCE, 1, criticId, rejected.id())) c = c.withLabel(l);
    for (Label l : constitution.labels(LabelKind.PREFERENCE, 0, criticId, chosen.id())) r = r.withLabel(l);
    return pair(c, r);
  }

  private static List<Datum> pair(Datum chosen, Datum rejected) {
    if (chosen.responseStart() != rejected.responseStart()) {
      throw new IllegalArgumentException("A preference compares two responses to one prompt, but " + chosen.id()
          + " starts its response at " + chosen.responseStart() + " and " + rejected.id() + " at "
          + rejected.responseStart() + ".");
    }
    return List.of(chosen, rejected);
  }

  /**
   * The red team's findings as data: datum i has id {@code idPrefix/00000i}, the finding's sequence, and
   * provenance {@link SourceKind#RED_TEAM} by {@code redTeamerId} with {@code modelId} = the target model, whose
   * response it is (so its ancestry origin is {@code model:<target>}).
   */
  public static List<Datum> redTeamData(List<RedTeamFinding> findings, String idPrefix, String redTeamerId,
                                        String targetModelId, int generation) {
    List<Datum> out = new ArrayList<>(findings.size());
    for (int i = 0; i < findings.size(); i++) {
      RedTeamFinding f = findings.get(i);
      out.add(new Datum(idPrefix + "/" + String.format(Locale.ROOT, "%06d", i), f.sequence(), f.prompt().length(),
          new Provenance(SourceKind.RED_TEAM, redTeamerId, targetModelId, generation, List.of())));
    }
    return out;
  }

  /**
   * Preference pairs for the next round from the red team's findings and a better response to each found prompt
   * (e.g. a human's demonstration, from a {@code DemonstrateWork} on the findings' prompts): for finding i, the
   * better response (id {@code idPrefix/00000i/better}, produced by {@code writerId}, a human, with the bad datum as
   * its parent) is chosen over the bad one (id {@code idPrefix/00000i}, {@link #redTeamData}). The red teamer gives
   * the preference: a human red teamer ({@code detectorModelId} null) or an AI one with its classifier's id.
   *
   * @param better one full sequence per finding, in order, each answering the finding's prompt
   * @return chosen, rejected, chosen, rejected, … in finding order
   */
  public static List<Datum> redTeamPairs(List<RedTeamFinding> findings, List<int[]> better, String idPrefix,
                                         String redTeamerId, String targetModelId, String detectorModelId,
                                         String writerId, int generation) {
    if (better.size() != findings.size()) {
      throw new IllegalArgumentException(findings.size() + " findings but " + better.size() + " better responses.");
    }
    List<Datum> bad = redTeamData(findings, idPrefix, redTeamerId, targetModelId, generation);
    LabellerKind kind = detectorModelId == null ? LabellerKind.HUMAN : LabellerKind.AI;
    List<Datum> out = new ArrayList<>(2 * bad.size());
    for (int i = 0; i < bad.size(); i++) {
      Datum b = bad.get(i);
      Datum good = new Datum(b.id() + "/better", better.get(i), b.responseStart(),
          Provenance.human(writerId, generation, List.of(b.id())));
      out.addAll(pair(good, b, kind, redTeamerId, detectorModelId));
    }
    return out;
  }
}
