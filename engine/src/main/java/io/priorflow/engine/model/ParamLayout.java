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
 * for the MLP, and for the transformer (D width, F = MLP width, block l at {@code b = 2 + 12l}):
 * <pre>
 *   0            wte        (V, D)      token embeddings
 *   1            wpe        (C, D)      position embeddings
 *   b + 0, 1     ln1 γ, β   (D)
 *   b + 2, 3     qkv W, b   (3D, D), (3D)   rows: q | k | v
 *   b + 4, 5     proj W, b  (D, D), (D)
 *   b + 6, 7     ln2 γ, β   (D)
 *   b + 8, 9     fc W, b    (F, D), (F)
 *   b + 10, 11   fcproj W,b (D, F), (D)
 *   2 + 12L, +1  lnf γ, β   (D)
 *   4 + 12L, +1  out W, b   (nOut, D), (nOut)
 * </pre>
 * LayerNorm gains and every bias are not decayed.
 */
public record ParamLayout(List<Tensor> tensors) {

  /** One tensor: its name, shape and whether AdamW decays it (matrices yes, biases no, as in nanoGPT). */
  public record Tensor(String name, int rows, int cols, boolean decay) {
    public int size() { return rows * cols; }
  }

  public ParamLayout { tensors = List.copyOf(tensors); }

  public static ParamLayout of(TokenModelConfig c) {
    return c.isTransformer() ? transformer(c) : mlp(c);
  }

  private static ParamLayout transformer(TokenModelConfig c) {
    List<Tensor> t = new ArrayList<>();
    int d = c.embedDim();
    t.add(new Tensor("wte", c.vocab(), d, true));
    t.add(new Tensor("wpe", c.context(), d, true));
    for (int l = 0; l < c.layers(); l++) {
      int f = c.hidden().get(l);
      String p = "block" + l + ".";
      t.add(new Tensor(p + "ln1.g", 1, d, false));
      t.add(new Tensor(p + "ln1.b", 1, d, false));
      t.add(new Tensor(p + "qkv.w", 3 * d, d, true));
      t.add(new Tensor(p + "qkv.b", 1, 3 * d, false));
      t.add(new Tensor(p + "proj.w", d, d, true));
      t.add(new Tensor(p + "proj.b", 1, d, false));
      t.add(new Tensor(p + "ln2.g", 1, d, false));
      t.add(new Tensor(p + "ln2.b", 1, d, false));
      t.add(new Tensor(p + "fc.w", f, d, true));
      t.add(new Tensor(p + "fc.b", 1, f, false));
      t.add(new Tensor(p + "fcproj.w", d, f, true));
      t.add(new Tensor(p + "fcproj.b", 1, d, false));
    }
    t.add(new Tensor("lnf.g", 1, d, false));
    t.add(new Tensor("lnf.b", 1, d, false));
    t.add(new Tensor("out.w", c.outputWidth(), d, true));
    t.add(new Tensor("out.b", 1, c.outputWidth(), false));
    return new ParamLayout(t);
  }

  /** Transformer: index of block l's first tensor (ln1 γ); the block's tensors follow in the order above. */
  static int block(int l) { return 2 + 12 * l; }

  /** Transformer: offsets within a block. */
  static final int LN1_G = 0, LN1_B = 1, QKV_W = 2, QKV_B = 3, PROJ_W = 4, PROJ_B = 5, LN2_G = 6, LN2_B = 7,
      FC_W = 8, FC_B = 9, FCPROJ_W = 10, FCPROJ_B = 11;

  private static ParamLayout mlp(TokenModelConfig c) {
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
