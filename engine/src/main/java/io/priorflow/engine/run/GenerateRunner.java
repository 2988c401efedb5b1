package io.priorflow.engine.run;

import io.priorflow.engine.data.Datum;
import io.priorflow.engine.data.Provenance;
import io.priorflow.engine.train.InContext;
import io.priorflow.engine.scenario.GenerateStage;
import io.priorflow.engine.work.SampleResult;
import io.priorflow.engine.work.SampleWork;
import io.priorflow.engine.work.WorkResult;
import io.priorflow.engine.world.Prompt;
import io.priorflow.engine.world.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The {@code generate} stage: the teacher answers world prompts. */
final class GenerateRunner implements StageRunner<GenerateStage> {
  static final GenerateRunner KIND = new GenerateRunner();

  private GenerateRunner() {}

  @Override
  public List<Item> run(LineageRun l, Generation gen, String stage, GenerateStage s, List<Item> items)
      throws InterruptedException {
    return generate(l, gen, stage, gen.g, s, l.model(s.teacher(), gen));
  }

  /** The parent id that names the retrieval index (of generation k: {@code index@g<k>}) a datum's passages came from. */
  static final String INDEX_PARENT = "index@g";

  /** The teacher answers world prompts (with the stage's tag, if any), LineageRun.SAMPLE_BATCH prompts per item. */
  static List<Item> generate(LineageRun l, Generation gen, String stage, int g, GenerateStage s, String teacher)
      throws InterruptedException {
    SplittableRandom rng = l.run.streams.forItem(stage + "/prompts");
    List<Prompt> prompts = new ArrayList<>(s.samples());
    for (int i = 0; i < s.samples(); i++) {
      prompts.add(s.tag().toTag().map(t -> l.run.world.at(g).samplePromptWithTag(t, rng)).orElseGet(() ->
          l.run.world.at(g).samplePrompt(rng)));
    }
    // retrieval: the retrievers' passages before each fact question (items <stage>/retrieve/…)
    List<int[]> passages = null;
    if (s.retrieval() != null) {
      List<int[]> queries = new ArrayList<>(prompts.size());
      for (Prompt p : prompts) queries.add(p.tokens());
      passages = l.retrieve(stage + "/retrieve", g, queries, s.retrieval());
    }
    // prompting: each prompt as the teacher sees it, with in-context examples prepended when the stage asks
    List<int[]> asked = new ArrayList<>(prompts.size());
    SplittableRandom exampleRng = l.run.streams.forItem(stage + "/examples");
    int context = s.examples() == 0 ? 0 : l.run.store.get(teacher).config().context(); // what the teacher reads
    for (int q = 0; q < prompts.size(); q++) {
      int[] p = passages == null ? prompts.get(q).tokens()
          : io.priorflow.engine.work.Retriever.augment(l.run.world.vocabulary(), prompts.get(q).tokens(),
              passages.get(q));
      if (s.examples() == 0) {
        asked.add(p);
        continue;
      }
      List<int[]> examples = new ArrayList<>(s.examples());
      for (int e = 0; e < s.examples(); e++) {
        examples.add(s.examplesTag().toTag().map(t -> l.run.world.at(g).sampleWithTag(t, exampleRng))
            .orElseGet(() -> l.run.world.at(g).sample(exampleRng)).sequence());
      }
      asked.add(InContext.condition(examples, p, context));
    }
    List<SampleWork> work = new ArrayList<>();
    for (int from = 0; from < asked.size(); from += LineageRun.SAMPLE_BATCH) {
      work.add(new SampleWork(stage + "/" + ScenarioRun.pad(work.size()), teacher,
          asked.subList(from, Math.min(asked.size(), from + LineageRun.SAMPLE_BATCH)), s.sampling(Vocabulary.EOS)));
    }
    List<Item> out = new ArrayList<>(prompts.size());
    int i = 0;
    for (WorkResult r : l.run.dispatch(stage, "generate", l.spec.name(), g, work)) {
      for (int[] seq : ((SampleResult) r).sequences()) {
        Prompt p = prompts.get(i);
        // the datum is the prompt and the response: the examples and passages were context, not data
        int[] data = new int[p.length() + seq.length - asked.get(i).length];
        System.arraycopy(p.tokens(), 0, data, 0, p.length());
        System.arraycopy(seq, asked.get(i).length, data, p.length(), seq.length - asked.get(i).length);
        // a datum whose prompt got passages names the index they came from among its parents
        Provenance from = passages == null || passages.get(i).length == 0
            ? Provenance.generated(ScenarioRun.GENERATOR, teacher, g)
            : new Provenance(io.priorflow.engine.data.SourceKind.GENERATOR, ScenarioRun.GENERATOR, teacher, g,
                List.of(INDEX_PARENT + s.retrieval().indexGeneration(g)));
        out.add(new Item(new Datum(stage + "/" + ScenarioRun.pad(i), data, p.length(), from), p));
        i++;
      }
    }
    return out;
  }
}
