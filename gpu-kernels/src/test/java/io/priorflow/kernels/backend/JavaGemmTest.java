package io.priorflow.kernels.backend;

import static io.priorflow.kernels.KernelAsserts.assertBitIdentical;
import static io.priorflow.kernels.KernelAsserts.randomArray;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vector path of {@link JavaGemm} (packing, k-blocks, edge tiles, threads) gives exactly the bits of the scalar
 * fma chain {@link JavaGemm#scalarGemm}, for every transpose and both accumulate flags. Since a lane's fma is the
 * scalar fma, this is also why the result cannot depend on the vector width.
 */
class JavaGemmTest {
  private static Workers workers;
  private static JavaGemm gemm;

  @BeforeAll
  static void open() {
    workers = new Workers(3);
    gemm = new JavaGemm(workers, new Scratch());
  }

  @AfterAll
  static void close() {
    workers.close();
  }

  @ParameterizedTest(name = "{0}x{1}x{2}")
  @CsvSource({"1,1,1", "12,32,32", "13,33,31", "17,3,65", "65,129,33", "129,257,17", "100,513,70", "257,519,263",
      "24,1000,96", "512,64,512", "25,256,40", "24,256,33", "5,0,7"})
  void vectorPathGivesTheScalarChainsBits(int m, int k, int n) {
    for (int mode = 0; mode < 8; mode++) {
      boolean transA = (mode & 1) != 0;
      boolean transB = (mode & 2) != 0;
      boolean acc = (mode & 4) != 0;
      float[] a = randomArray(m * 31L + k, m * k, 1f);
      float[] b = randomArray(n * 37L + k, k * n, 1f);
      float[] c0 = randomArray(m * 41L + n, m * n, 1f);
      float[] want = c0.clone();
      float[] got = c0.clone();
      JavaGemm.scalarGemm(a, b, want, m, k, n, transA, transB, acc);
      gemm.gemm(a, b, got, m, k, n, transA, transB, acc);
      assertBitIdentical(m + "x" + k + "x" + n + (transA ? " Aᵀ" : "") + (transB ? " Bᵀ" : "")
          + (acc ? " +=" : " ="), want, got, m * n);
    }
  }
}
