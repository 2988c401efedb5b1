import io.priorflow.engine.model.ModelTraining;
import io.priorflow.engine.model.OptimizerConfig;
import io.priorflow.engine.model.ScoreLoss;
import io.priorflow.engine.model.SequenceBatch;
import io.priorflow.engine.model.TokenModel;
import io.priorflow.engine.model.TokenModelConfig;
import io.priorflow.kernels.backend.Backends;
import io.priorflow.kernels.backend.KernelBackend;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * CPU time of the training thread per optimizer step, 1 kernel thread: a measurement that load from other processes
 * barely moves (wall-clock rates on a shared 2-core machine swing by 2×), for comparing two builds alternately.
 * A benchmark, not a test. Run from the repository after a build:
 *
 *   java --add-modules jdk.incubator.vector -cp "verticles/target/lib/*" bench/ThreadCpuStep.java transformer
 *   java --add-modules jdk.incubator.vector -cp "verticles/target/lib/*" bench/ThreadCpuStep.java scalar
 *
 * transformer: the default transformer (vocabulary 96, context 64, width 64, 2 layers, 4 heads, MLP 256), token
 * steps on 32 random sequences of 64 tokens; scalar: the default window MLP with a scalar head (the critic's
 * model), score steps on 32 random sequences of 24 tokens scored from position 8. Prints the median and the least
 * milliseconds of CPU per step over 15 groups of steps, after a warm-up.
 */
public class ThreadCpuStep {
  public static void main(String[] args) {
    boolean scalar = args.length > 0 && args[0].equals("scalar");
    SplittableRandom r = new SplittableRandom(42);
    TokenModelConfig cfg = scalar ? TokenModelConfig.defaults(77, 0).withScalarHead()
        : TokenModelConfig.transformer(TokenModelConfig.Head.TOKEN, 96, 64, 64, 2, 4, 256, 0);
    int length = scalar ? 24 : 64;
    List<List<int[]>> seqs = new ArrayList<>();
    for (int b = 0; b < 8; b++) {
      List<int[]> batch = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        int[] s = new int[length];
        for (int t = 0; t < length; t++) s[t] = r.nextInt(cfg.vocab());
        batch.add(s);
      }
      seqs.add(batch);
    }
    List<SequenceBatch> batches = seqs.stream().map(SequenceBatch::allTokens).toList();
    int[] from = new int[32];
    java.util.Arrays.fill(from, 8);
    ScoreLoss loss = (sc, d) -> {
      for (int i = 0; i < sc.length; i++) d[i] = sc[i] / sc.length;
      return 0;
    };
    int perGroup = scalar ? 50 : 20;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    try (KernelBackend be = Backends.create(Backends.DEFAULT, 1);
         ModelTraining tr = new ModelTraining(TokenModel.initialize(cfg, r.split()), OptimizerConfig.defaults(), be)) {
      int step = 0;
      long warm = System.nanoTime() + 8_000_000_000L;
      while (System.nanoTime() < warm) step(tr, scalar, batches, seqs, from, loss, step++);
      List<Double> ms = new ArrayList<>();
      for (int k = 0; k < 15; k++) {
        long c0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < perGroup; i++) step(tr, scalar, batches, seqs, from, loss, step++);
        ms.add((mx.getCurrentThreadCpuTime() - c0) / 1e6 / perGroup);
      }
      Collections.sort(ms);
      System.out.printf(java.util.Locale.ROOT, "%s: CPU ms/step median %.3f, least %.3f%n",
          scalar ? "scalar" : "transformer", ms.get(ms.size() / 2), ms.get(0));
    }
  }

  private static void step(ModelTraining tr, boolean scalar, List<SequenceBatch> batches, List<List<int[]>> seqs,
                           int[] from, ScoreLoss loss, int step) {
    if (scalar) {
      tr.stepScores(seqs.get(step % seqs.size()), from, loss, 1e-3f);
    } else {
      tr.step(batches.get(step % batches.size()), 1e-3f);
    }
  }
}
