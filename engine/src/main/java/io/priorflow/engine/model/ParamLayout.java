package io.priorflow.engine.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The parameter tensors of a {@link TokenModelConfig}, in their fixed order (the order of the model file, of
 * hashing, of the optimizer and of gradient-norm sums):
 * <pre>
 *   0            embed      (V, D)
 *   1 + 2l       layer l W  (H_l, nIn_l)     nIn_0 = C·D, nIn_l = H_(l−1)
 *   2 + 2l       layer l b  (H_l)
 *   1 + 2L       out W      (nOut, H_L)      nOut = V (token head) or 1 (scalar head)
 *   2 + 2L       out b      (nOut)
 * </pre>
 */
public record ParamLayout(List<Tensor> tensors) {

  /** One tensor: its name, shape and whether AdamW decays it (matrices yes, biases no, as in nanoGPT). */
  public record Tensor(String name, int rows, int cols, boolean decay) {
    public int size() { return rows * cols; }
  }

  public ParamLayout { tensors = List.copyOf(tensors); }

  public static ParamLayout of(TokenModelConfig c) {
    List<Tensor> t = new ArrayList<>();
    t.add(new Tensor("embed", c.vocab(), c.embedDim(), true));
    int nIn = c.inputWidth();
    for (int l = 0; l < c.layers(); l++) {
      int h = c.hidden().get(l);
      t.add(new Tensor("layer" + l + ".w", h, nIn, true));
      t.add(new Tensor("layer" + l + ".b", 1, h, false));
      nIn = h;
    }
    t.add(new Tensor("out.w", c.outputWidth(), nIn, true));
    t.add(new Tensor("out.b", 1, c.outputWidth(), false));
    return new ParamLayout(t);
  }

  public int count() { return tensors.size(); }

  public int size(int i) { return tensors.get(i).size(); }

  /** Total number of parameters. */
  public long parameterCount() {
    long n = 0;
    for (Tensor t : tensors) n += t.size();
    return n;
  }

  /** Index of layer l's weight matrix. */
  static int weight(int l) { return 1 + 2 * l; }

  /** Index of layer l's bias. */
  static int bias(int l) { return 2 + 2 * l; }

  /** Zero-filled arrays, one per tensor. */
  public float[][] zeros() {
    float[][] a = new float[tensors.size()][];
    for (int i = 0; i < a.length; i++) a[i] = new float[tensors.get(i).size()];
    return a;
  }
}
