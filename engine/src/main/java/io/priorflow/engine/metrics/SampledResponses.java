package io.priorflow.engine.metrics;

import io.priorflow.engine.world.Example;
import io.priorflow.engine.world.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The evaluation samples: full sequences {@code BOS tag prompt… SEP response… [EOS]}, each with the length of
 * its prompt, in a fixed order (prompt by prompt, samples of a prompt together). They come from a model
 * ({@link Evaluator#sample}) or from anywhere else — the world's own examples, say — so the scoring half of the
 * evaluator can be checked on sequences whose statistics are known.
 *
 * <p>Generated positions are {@code promptLength .. length−1}: the response tokens and, if the sample stopped,
 * its EOS. The <em>response</em> is the generated tokens before the first EOS.
 */
public final class SampledResponses {

  private final List<int[]> sequences;
  private final int[] promptLengths;

  /**
   * Copies the sequences.
   *
   * @throws IllegalArgumentException if the counts differ or a prompt length is not in [1, sequence length]
   */
  public SampledResponses(List<int[]> sequences, int[] promptLengths) {
    if (sequences.size() != promptLengths.length) {
      throw new IllegalArgumentException(sequences.size() + " sequences but " + promptLengths.length
          + " prompt lengths.");
    }
    List<int[]> copy = new ArrayList<>(sequences.size());
    for (int i = 0; i < sequences.size(); i++) {
      int[] s = sequences.get(i);
      if (promptLengths[i] < 1 || promptLengths[i] > s.length) {
        throw new IllegalArgumentException("Sample " + i + " has " + s.length + " tokens, so its prompt length must be"
            + " in [1, " + s.length + "], was " + promptLengths[i] + ".");
      }
      copy.add(s.clone());
    }
    this.sequences = List.copyOf(copy);
    this.promptLengths = promptLengths.clone();
  }

  /** The examples' full sequences (with EOS) as samples, e.g. to score the world itself. */
  public static SampledResponses ofExamples(List<Example> examples) {
    List<int[]> seqs = new ArrayList<>(examples.size());
    int[] lengths = new int[examples.size()];
    for (int i = 0; i < examples.size(); i++) {
      seqs.add(examples.get(i).sequence());
      lengths[i] = examples.get(i).prompt().length();
    }
    return new SampledResponses(seqs, lengths);
  }

  /** Number of samples. */
  public int size() {
    return sequences.size();
  }

  /** The full sequences, in order (do not modify the arrays). */
  List<int[]> sequences() {
    return sequences;
  }

  /** A copy of sample i's full sequence. */
  public int[] sequence(int i) {
    return sequences.get(i).clone();
  }

  /** The prompt length of sample i (index of its first generated position). */
  public int promptLength(int i) {
    return promptLengths[i];
  }

  /** A copy of every prompt length, in sample order. */
  public int[] promptLengths() {
    return promptLengths.clone();
  }

  /** Sample i's response: its generated tokens before the first EOS. */
  public int[] response(int i) {
    int[] s = sequences.get(i);
    int end = promptLengths[i];
    while (end < s.length && s[end] != Vocabulary.EOS) {
      end++;
    }
    return Arrays.copyOfRange(s, promptLengths[i], end);
  }

  /** Every response, in sample order. */
  public List<int[]> responses() {
    List<int[]> out = new ArrayList<>(size());
    for (int i = 0; i < size(); i++) {
      out.add(response(i));
    }
    return out;
  }
}
