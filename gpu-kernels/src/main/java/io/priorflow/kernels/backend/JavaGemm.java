package io.priorflow.kernels.backend;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Java backend's matrix product C(m, n) = [C +] op(A) · op(B), op = identity or transpose: packed panels and a
 * register-blocked Vector API microkernel, split over {@link Workers} in tiles of C.
 *
 * <p>Dimensions: C is (m, n), k is the inner dimension; A is (m, k) or, transposed, (k, m); B is (k, n) or,
 * transposed, (n, k); all flat row-major.
 *
 * <p>How each element is summed (the determinism argument). The microkernel vectorises across independent output
 * columns — C(i, j..j+L) — and walks k in order, broadcasting A(i, p) and fusing it with a row of B:
 * {@code acc = fma(A(i, p), B(p, j), acc)} for p = 0..k−1, starting from C(i, j) when accumulating and from 0
 * otherwise. Lanes never meet (no reduction across lanes), a lane's fma is IEEE-identical to {@link Math#fma}, and a
 * float stored to C between k-blocks and reloaded is the same float, so every element gets exactly the bits of the
 * scalar chain in {@link #scalarGemm} whatever the vector width, tile size or thread count. This rounds differently
 * from the reference loops (which multiply, add and only then add C), within the tests' tolerance.
 *
 * <p>The work, in two phases of {@link Workers#run}:
 * <pre>
 *   A ──pack──► MR-row micro-panels; per k-block, MR rows of kc values, zero rows past m  ┐
 *   B ──pack──► NR-column micro-panels, (NR values of one p) × k, zero-padded past n       ┴─► tiles of C, each task:
 *       for each k-block of KC: for each NR panel in the tile: for each MR panel: microkernel (MR × NR, KC deep)
 * </pre>
 * The microkernel reads A(r, p) of a panel at {@code aOff + r·rs + p·ps}, so full panels of A are read where they
 * lie: rows at stride k (rs = k, ps = 1), or, transposed, the MR values of one p side by side (rs = 1, ps = m). Only
 * a last panel short of MR rows is packed (zero rows past m, rs = kc, ps = 1), and untransposed A with k &gt;
 * {@link #KC}, whose rows at stride k could share L1 sets; its packing is a copy of rows. Packing B makes the
 * microkernel read it contiguously whatever the transpose. The tile grid is chosen
 * from (m, n, k) alone. Packed panels live in one {@link Scratch} buffer per call. Problems under
 * {@link #SCALAR_WORK} multiply-adds skip packing and run {@link #scalarGemm} on the calling thread.
 *
 * <p>Not here: bias, scaling or other epilogues (callers do those), and anything but float.
 */
final class JavaGemm {
  /** The machine's preferred vector shape; results do not depend on it (see the class Javadoc). */
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  /** Lanes per vector. */
  static final int L = SPECIES.length();
  /**
   * Microkernel rows. 12 rows × 2 vectors is 24 accumulators + 2 B vectors + 1 broadcast = 27 of AVX-512's 32
   * registers, and the n widths of the models here (128, 192, 256, 512) are multiples of NR = 32. With AVX2's 16
   * registers some accumulators spill, yet it still measured faster than a 6 × 2 kernel (73 against 54 GFLOP/s
   * from L1 on Zen 5 with -XX:UseAVX=2), so there is one kernel for all widths.
   */
  static final int MR = 12;
  /** Microkernel columns: two vectors. */
  static final int NR = 2 * L;
  /** k-block depth: a KC × NR panel of B (32 KiB at L = 16) stays in L1 while the MR panels of A stream past it. */
  static final int KC = 256;
  /** Most MR panels (rows) in one task's tile. */
  static final int TILE_M_PANELS = 16;
  /** Most NR panels (columns) in one task's tile. */
  static final int TILE_N_PANELS = 8;
  /** Enough tasks to balance a few threads, when each would still have {@link #MIN_TASK_WORK}. */
  static final int TARGET_TASKS = 12;
  /** Multiply-adds below which a tile is not split further. */
  static final long MIN_TASK_WORK = 1L << 20;
  /** Panels packed per packing task. */
  static final int PACK_PANELS = 8;
  /** Below this many multiply-adds (m·n·k) the product runs unpacked on the calling thread. */
  static final long SCALAR_WORK = 1L << 13;

  private final Workers workers;
  private final Scratch scratch;

  JavaGemm(Workers workers, Scratch scratch) {
    this.workers = workers;
    this.scratch = scratch;
  }

  /**
   * C(m, n) = [C +] op(A) · op(B). a: (m, k), or (k, m) when transA; b: (k, n), or (n, k) when transB; c: (m, n).
   * Threads: packing tasks over groups of panels, then one task per tile of C (see the class Javadoc).
   */
  void gemm(float[] a, float[] b, float[] c, int m, int k, int n, boolean transA, boolean transB,
            boolean accumulate) {
    if (m <= 0 || n <= 0) {
      return;
    }
    if (k <= 0) {
      if (!accumulate) {
        Arrays.fill(c, 0, m * n, 0f);
      }
      return;
    }
    long work = (long) m * n * k;
    if (work < SCALAR_WORK) {
      scalarGemm(a, b, c, m, k, n, transA, transB, accumulate);
      return;
    }
    int mPanels = ceilDiv(m, MR);
    int nPanels = ceilDiv(n, NR);
    // Tile grid from the shape alone: at most TILE_M × TILE_N panels per tile, split further (the dimension with
    // more panels per tile first) while there are fewer than TARGET_TASKS tiles and halves keep MIN_TASK_WORK.
    int rowTiles = ceilDiv(mPanels, TILE_M_PANELS);
    int colTiles = ceilDiv(nPanels, TILE_N_PANELS);
    while (rowTiles * colTiles < TARGET_TASKS && work / (2L * rowTiles * colTiles) >= MIN_TASK_WORK) {
      boolean splitRows = ceilDiv(mPanels, rowTiles) * MR >= ceilDiv(nPanels, colTiles) * NR;
      if (splitRows && rowTiles < mPanels) {
        rowTiles++;
      } else if (colTiles < nPanels) {
        colTiles++;
      } else if (rowTiles < mPanels) {
        rowTiles++;
      } else {
        break;
      }
    }
    int tiles = rowTiles * colTiles;
    // Full panels of A are read in place (panels before aFirst); the rest go to the buffer.
    int aFirst = transA || k <= KC ? m / MR : 0;
    long packed = ((long) (mPanels - aFirst) * MR + (long) nPanels * NR) * k + (long) tiles * MR * NR;
    if (packed > Integer.MAX_VALUE - 64) {
      // Packed operands past 2³¹ floats (8 GiB) do not fit one Java array; such products do not occur in this
      // project, so they take the slow scalar path, which gives the same bits.
      scalarGemm(a, b, c, m, k, n, transA, transB, accumulate);
      return;
    }
    int aSize = (mPanels - aFirst) * MR * k;
    int bSize = nPanels * NR * k;
    float[] buf = scratch.take((int) packed);
    try {
      int packA = ceilDiv(mPanels - aFirst, PACK_PANELS);
      int packB = ceilDiv(nPanels, PACK_PANELS);
      workers.run(packA + packB, (long) aSize + bSize, t -> {
        if (t < packA) {
          packA(a, buf, aFirst, m, k, transA, aFirst + t * PACK_PANELS,
              Math.min(mPanels, aFirst + (t + 1) * PACK_PANELS));
        } else {
          int u = t - packA;
          packB(b, buf, aSize, k, n, transB, u * PACK_PANELS, Math.min(nPanels, (u + 1) * PACK_PANELS));
        }
      });
      int rt = rowTiles;
      int ct = colTiles;
      workers.run(tiles, work, t -> computeTile(a, transA, aFirst, buf, aSize, aSize + bSize + t * MR * NR, c, m, k, n,
          accumulate,
          split(mPanels, rt, t / ct), split(mPanels, rt, t / ct + 1),
          split(nPanels, ct, t % ct), split(nPanels, ct, t % ct + 1)));
    } finally {
      scratch.give(buf);
    }
  }

  /** The first of `parts` near-equal pieces' start: piece i covers [split(i), split(i + 1)). */
  private static int split(int total, int parts, int i) {
    return (int) ((long) total * i / parts);
  }

  static int ceilDiv(int x, int y) {
    return (x + y - 1) / y;
  }

  /**
   * The scalar text of the same sums: C(i, j) = fma chain over p = 0..k−1 from C(i, j) (accumulate) or 0. Used for
   * tiny products, and by the tests as the bit-exact statement of what the vector path computes.
   */
  static void scalarGemm(float[] a, float[] b, float[] c, int m, int k, int n, boolean transA, boolean transB,
                         boolean accumulate) {
    for (int i = 0; i < m; i++) {
      int ci = i * n;
      if (!accumulate) {
        Arrays.fill(c, ci, ci + n, 0f);
      }
      for (int p = 0; p < k; p++) {
        float aip = transA ? a[p * m + i] : a[i * k + p];
        if (transB) {
          for (int j = 0; j < n; j++) {
            c[ci + j] = Math.fma(aip, b[j * k + p], c[ci + j]);
          }
        } else {
          int bp = p * n;
          for (int j = 0; j < n; j++) {
            c[ci + j] = Math.fma(aip, b[bp + j], c[ci + j]);
          }
        }
      }
    }
  }

  /**
   * Packs MR-row panels [p0, p1) of A into buf, panel q at (q − first)·MR·k: for each k-block [k0, k0 + kc) the
   * panel's MR rows of kc values, A(q·MR + r, k0 + p) at (q − first)·MR·k + k0·MR + r·kc + p, rows past m as 0. Each
   * layout has its own method so that the JIT profiles and compiles each loop on its own: sharing one method measured
   * 10% slower products once both layouts had run.
   */
  private static void packA(float[] a, float[] buf, int first, int m, int k, boolean transA, int p0, int p1) {
    for (int q = p0; q < p1; q++) {
      int i0 = q * MR;
      int rows = Math.min(MR, m - i0);
      int dst = (q - first) * MR * k;
      for (int k0 = 0; k0 < k; k0 += KC) {
        int kc = Math.min(KC, k - k0);
        if (transA) {
          packAPanelFromColumns(a, buf, dst + k0 * MR, i0, rows, m, k0, kc);
        } else {
          packAPanelFromRows(a, buf, dst + k0 * MR, i0, rows, k, k0, kc);
        }
      }
    }
  }

  /** A(i, p) = a[i·k + p]: each of the panel's rows is kc contiguous values, copied whole. */
  private static void packAPanelFromRows(float[] a, float[] buf, int dst, int i0, int rows, int k, int k0, int kc) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(a, (i0 + r) * k + k0, buf, dst + r * kc, kc);
    }
    Arrays.fill(buf, dst + rows * kc, dst + MR * kc, 0f);
  }

  /**
   * A(i, p) = a[p·m + i]: the panel's values of one p are contiguous in a, and go to its rows at stride kc. Only a
   * last panel short of MR rows is packed from columns (full ones are read in place), so the rows past m are zeroed.
   */
  private static void packAPanelFromColumns(float[] a, float[] buf, int dst, int i0, int rows, int m, int k0,
                                            int kc) {
    Arrays.fill(buf, dst + rows * kc, dst + MR * kc, 0f);
    for (int p = 0; p < kc; p++) {
      int src = (k0 + p) * m + i0;
      for (int r = 0; r < rows; r++) {
        buf[dst + r * kc + p] = a[src + r];
      }
    }
  }

  /**
   * Packs NR-column panels [p0, p1) of B into buf[base ..): panel q holds B(p, q·NR + j) at base + q·NR·k + p·NR + j,
   * columns past n as 0. One method per layout, as for A.
   */
  private static void packB(float[] b, float[] buf, int base, int k, int n, boolean transB, int p0, int p1) {
    for (int q = p0; q < p1; q++) {
      int j0 = q * NR;
      int cols = Math.min(NR, n - j0);
      if (transB) {
        packBPanelFromColumns(b, buf, base + q * NR * k, j0, cols, k);
      } else {
        packBPanelFromRows(b, buf, base + q * NR * k, j0, cols, n, k);
      }
    }
  }

  /** B(p, j) = b[p·n + j]: the panel's NR values of one p are contiguous in b; two vector copies when full. */
  private static void packBPanelFromRows(float[] b, float[] buf, int dst, int j0, int cols, int n, int k) {
    for (int p = 0; p < k; p++) {
      int d = dst + p * NR;
      int src = p * n + j0;
      if (cols == NR) {
        FloatVector.fromArray(SPECIES, b, src).intoArray(buf, d);
        FloatVector.fromArray(SPECIES, b, src + L).intoArray(buf, d + L);
      } else {
        System.arraycopy(b, src, buf, d, cols);
        Arrays.fill(buf, d + cols, d + NR, 0f);
      }
    }
  }

  /** B(p, j) = b[j·k + p] (b is (n, k)): read each row of b contiguously, write it with stride NR. */
  private static void packBPanelFromColumns(float[] b, float[] buf, int dst, int j0, int cols, int k) {
    for (int jj = 0; jj < cols; jj++) {
      int src = (j0 + jj) * k;
      for (int p = 0; p < k; p++) {
        buf[dst + p * NR + jj] = b[src + p];
      }
    }
    for (int jj = cols; jj < NR; jj++) {
      for (int p = 0; p < k; p++) {
        buf[dst + p * NR + jj] = 0f;
      }
    }
  }

  /**
   * One task: the tile of C covering MR panels [pi0, pi1) and NR panels [pj0, pj1), over all k in KC blocks in
   * order. A's panels before {@code aFirst} are read from a where they lie, the others from the packed buffer. Edge
   * blocks (past m or n) run in the scratch block at buf[tmp .. tmp + MR·NR) and copy their valid part.
   */
  private static void computeTile(float[] a, boolean transA, int aFirst, float[] buf, int bBase, int tmp, float[] c,
                                  int m, int k, int n, boolean accumulate, int pi0, int pi1, int pj0, int pj1) {
    for (int k0 = 0; k0 < k; k0 += KC) {
      int kc = Math.min(KC, k - k0);
      // Later k-blocks continue the chain from the partial sums stored in C.
      boolean load = accumulate || k0 > 0;
      for (int pj = pj0; pj < pj1; pj++) {
        int j0 = pj * NR;
        int bOff = bBase + pj * NR * k + k0 * NR;
        int cols = Math.min(NR, n - j0);
        for (int pi = pi0; pi < pi1; pi++) {
          int i0 = pi * MR;
          float[] pa = buf;
          int aOff = (pi - aFirst) * MR * k + k0 * MR;
          int rs = kc;
          int ps = 1;
          if (pi < aFirst) {
            pa = a;
            aOff = transA ? k0 * m + i0 : i0 * k + k0;
            rs = transA ? 1 : k;
            ps = transA ? m : 1;
          }
          int rows = Math.min(MR, m - i0);
          if (rows == MR && cols == NR) {
            micro(pa, aOff, rs, ps, buf, bOff, kc, c, i0 * n + j0, n, load);
          } else {
            Arrays.fill(buf, tmp, tmp + MR * NR, 0f);
            if (load) {
              for (int r = 0; r < rows; r++) {
                System.arraycopy(c, (i0 + r) * n + j0, buf, tmp + r * NR, cols);
              }
            }
            micro(pa, aOff, rs, ps, buf, bOff, kc, buf, tmp, NR, load);
            for (int r = 0; r < rows; r++) {
              System.arraycopy(buf, tmp + r * NR, c, (i0 + r) * n + j0, cols);
            }
          }
        }
      }
    }
  }

  /**
   * The microkernel: C(MR, NR) at c[cOff], row stride ldc, = [C +] Σ_p A(r, p) ⊗ pb(p, NR) over kc steps, with
   * A(r, p) = pa[aOff + r·rs + p·ps]. Each step broadcasts one A value per row and fuses it with the two B vectors;
   * the 24 accumulators stay in registers.
   */
  private static void micro(float[] pa, int aOff, int rs, int ps, float[] pb, int bOff, int kc, float[] c, int cOff,
                            int ldc, boolean load) {
    FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
    FloatVector c60, c61, c70, c71, c80, c81, c90, c91, ca0, ca1, cb0, cb1;
    if (load) {
      c00 = FloatVector.fromArray(SPECIES, c, cOff);
      c01 = FloatVector.fromArray(SPECIES, c, cOff + L);
      c10 = FloatVector.fromArray(SPECIES, c, cOff + ldc);
      c11 = FloatVector.fromArray(SPECIES, c, cOff + ldc + L);
      c20 = FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc);
      c21 = FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc + L);
      c30 = FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc);
      c31 = FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc + L);
      c40 = FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc);
      c41 = FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc + L);
      c50 = FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc);
      c51 = FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc + L);
      c60 = FloatVector.fromArray(SPECIES, c, cOff + 6 * ldc);
      c61 = FloatVector.fromArray(SPECIES, c, cOff + 6 * ldc + L);
      c70 = FloatVector.fromArray(SPECIES, c, cOff + 7 * ldc);
      c71 = FloatVector.fromArray(SPECIES, c, cOff + 7 * ldc + L);
      c80 = FloatVector.fromArray(SPECIES, c, cOff + 8 * ldc);
      c81 = FloatVector.fromArray(SPECIES, c, cOff + 8 * ldc + L);
      c90 = FloatVector.fromArray(SPECIES, c, cOff + 9 * ldc);
      c91 = FloatVector.fromArray(SPECIES, c, cOff + 9 * ldc + L);
      ca0 = FloatVector.fromArray(SPECIES, c, cOff + 10 * ldc);
      ca1 = FloatVector.fromArray(SPECIES, c, cOff + 10 * ldc + L);
      cb0 = FloatVector.fromArray(SPECIES, c, cOff + 11 * ldc);
      cb1 = FloatVector.fromArray(SPECIES, c, cOff + 11 * ldc + L);
    } else {
      FloatVector z = FloatVector.zero(SPECIES);
      c00 = z; c01 = z; c10 = z; c11 = z; c20 = z; c21 = z; c30 = z; c31 = z; c40 = z; c41 = z; c50 = z; c51 = z;
      c60 = z; c61 = z; c70 = z; c71 = z; c80 = z; c81 = z; c90 = z; c91 = z; ca0 = z; ca1 = z; cb0 = z; cb1 = z;
    }
    int a1 = aOff + rs;
    int a2 = a1 + rs;
    int a3 = a2 + rs;
    int a4 = a3 + rs;
    int a5 = a4 + rs;
    int a6 = a5 + rs;
    int a7 = a6 + rs;
    int a8 = a7 + rs;
    int a9 = a8 + rs;
    int aa = a9 + rs;
    int ab = aa + rs;
    for (int p = 0, q = 0; p < kc; p++, q += ps) {
      int b = bOff + p * NR;
      FloatVector b0 = FloatVector.fromArray(SPECIES, pb, b);
      FloatVector b1 = FloatVector.fromArray(SPECIES, pb, b + L);
      FloatVector x = FloatVector.broadcast(SPECIES, pa[aOff + q]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = FloatVector.broadcast(SPECIES, pa[a1 + q]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = FloatVector.broadcast(SPECIES, pa[a2 + q]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = FloatVector.broadcast(SPECIES, pa[a3 + q]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = FloatVector.broadcast(SPECIES, pa[a4 + q]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = FloatVector.broadcast(SPECIES, pa[a5 + q]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = FloatVector.broadcast(SPECIES, pa[a6 + q]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = FloatVector.broadcast(SPECIES, pa[a7 + q]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
      x = FloatVector.broadcast(SPECIES, pa[a8 + q]);
      c80 = x.fma(b0, c80);
      c81 = x.fma(b1, c81);
      x = FloatVector.broadcast(SPECIES, pa[a9 + q]);
      c90 = x.fma(b0, c90);
      c91 = x.fma(b1, c91);
      x = FloatVector.broadcast(SPECIES, pa[aa + q]);
      ca0 = x.fma(b0, ca0);
      ca1 = x.fma(b1, ca1);
      x = FloatVector.broadcast(SPECIES, pa[ab + q]);
      cb0 = x.fma(b0, cb0);
      cb1 = x.fma(b1, cb1);
    }
    c00.intoArray(c, cOff);
    c01.intoArray(c, cOff + L);
    c10.intoArray(c, cOff + ldc);
    c11.intoArray(c, cOff + ldc + L);
    c20.intoArray(c, cOff + 2 * ldc);
    c21.intoArray(c, cOff + 2 * ldc + L);
    c30.intoArray(c, cOff + 3 * ldc);
    c31.intoArray(c, cOff + 3 * ldc + L);
    c40.intoArray(c, cOff + 4 * ldc);
    c41.intoArray(c, cOff + 4 * ldc + L);
    c50.intoArray(c, cOff + 5 * ldc);
    c51.intoArray(c, cOff + 5 * ldc + L);
    c60.intoArray(c, cOff + 6 * ldc);
    c61.intoArray(c, cOff + 6 * ldc + L);
    c70.intoArray(c, cOff + 7 * ldc);
    c71.intoArray(c, cOff + 7 * ldc + L);
    c80.intoArray(c, cOff + 8 * ldc);
    c81.intoArray(c, cOff + 8 * ldc + L);
    c90.intoArray(c, cOff + 9 * ldc);
    c91.intoArray(c, cOff + 9 * ldc + L);
    ca0.intoArray(c, cOff + 10 * ldc);
    ca1.intoArray(c, cOff + 10 * ldc + L);
    cb0.intoArray(c, cOff + 11 * ldc);
    cb1.intoArray(c, cOff + 11 * ldc + L);
  }
}
