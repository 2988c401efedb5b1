package io.priorflow.verticles;

import io.priorflow.engine.label.Constitution;
import io.priorflow.engine.model.SamplingConfig;
import io.priorflow.engine.scenario.HumanSpec;
import io.priorflow.engine.work.ConstitutionWork;
import io.priorflow.engine.work.CriticPreferWork;
import io.priorflow.engine.work.DemonstrateWork;
import io.priorflow.engine.work.LabelWork;
import io.priorflow.engine.work.PreferWork;
import io.priorflow.engine.work.RedTeamWork;
import io.priorflow.engine.work.WorkItem;
import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One item of every labelling, critic and red-team kind on {@link TestWork}'s tiny models, each a few milliseconds:
 * model-assisted rating, human preferences, demonstrations, constitutional scoring and preferences (the critic
 * model stands in for two trait classifiers), and a human red teamer against the teacher.
 */
public final class LabelTestWork {
  private LabelTestWork() {}

  public static List<WorkItem> oneOfEach(TestWork work, String prefix) {
    List<Example> ex = TestWork.examples(prefix + "/labelling", 4);
    List<Prompt> prompts = ex.stream().map(Example::prompt).toList();
    List<int[]> seqs = ex.stream().map(Example::sequence).toList();
    int[] from = ex.stream().mapToInt(e -> e.prompt().length()).toArray();
    SplittableRandom rng = TestWork.STREAMS.forChild(prefix, "second-responses");
    List<int[]> others = new ArrayList<>();
    for (Prompt p : prompts) others.add(TestWork.WORLD.sampleResponse(p, rng).sequence());
    HumanSpec human = new HumanSpec(2, 0.8, Map.of("polite", 0.1), 30, 25, 0.02, 0.2);
    HumanSpec redTeamer = new HumanSpec(1, 0.5, Map.of(), 20, 40, 0.02, 0);
    Constitution constitution = new Constitution(List.of(
        new Constitution.Rule("not toxic", "toxic", work.criticId, false, 1.0),
        new Constitution.Rule("polite", "polite", work.criticId, true, 0.2)));
    return List.of(
        new LabelWork(prefix + "/assisted", "human-0", human, 0.5, prompts, seqs, "correct",
            new boolean[] {true, false, true, false}),
        new PreferWork(prefix + "/prefer", "human-1", human, 0, seqs, others, new boolean[] {true, false, true, true}),
        new DemonstrateWork(prefix + "/demonstrate", "human-0", human, 1, prompts),
        new ConstitutionWork(prefix + "/constitution", "critic-0", constitution, seqs, from, 0.5),
        new CriticPreferWork(prefix + "/critic-prefer", "critic-0", null, constitution, seqs, others, from, 1.0),
        new RedTeamWork(prefix + "/red-team", "red-team-0", work.teacherId, "toxic", 20, 2,
            new SamplingConfig(1f, 0, 5, Vocabulary.EOS), 0.3, redTeamer, 0, null, List.of(prompts.get(0))));
  }
}
