package io.priorflow.kernels.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.priorflow.kernels.backend.KernelCases.Case;
import io.priorflow.kernels.backend.KernelCases.Outputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every {@link KernelCases} output of the Java backend is the same whatever the vector width: child JVMs run all
 * cases with {@code -XX:MaxVectorSize} = 64, 32 and 16 bytes (512-, 256- and 128-bit preferred species, so
 * different GEMM panel widths and loop tails) and on 1 and 3 threads, and print one SHA-256 of all output bits,
 * which must agree. Tagged slow: it starts six JVMs.
 */
@Tag("slow")
class VectorWidthTest {

  @Test
  void everyOutputIsTheSameOnAnyVectorWidth() throws Exception {
    Path launcher = Path.of(System.getProperty("java.home"), "bin", "java");
    assumeTrue(Files.isExecutable(launcher), "no java launcher at " + launcher);
    List<String> digests = new ArrayList<>();
    List<String> runs = new ArrayList<>();
    for (int bytes : new int[] {64, 32, 16}) {
      for (int threads : new int[] {1, 3}) {
        digests.add(childDigest(launcher, bytes, threads));
        runs.add("MaxVectorSize=" + bytes + ", threads=" + threads);
      }
    }
    for (int i = 1; i < digests.size(); i++) {
      assertEquals(digests.get(0), digests.get(i), runs.get(0) + " vs " + runs.get(i));
    }
  }

  private static String childDigest(Path launcher, int bytes, int threads)
      throws IOException, InterruptedException {
    List<String> cmd = List.of(launcher.toString(), "-ea", "-XX:MaxVectorSize=" + bytes, "--add-modules",
        "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), VectorWidthTest.class.getName(),
        Integer.toString(threads));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new AssertionError("child JVM failed (" + cmd + "): " + out);
    }
    // The first word is the species, for the failure message; the digest must not depend on it.
    return out.substring(out.indexOf(' ') + 1);
  }

  /** Child JVM: prints "species sha256" over every case's outputs on a Java backend with args[0] threads. */
  public static void main(String[] args) throws NoSuchAlgorithmException {
    try (JavaBackend be = new JavaBackend(Integer.parseInt(args[0]))) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Case c : KernelCases.all()) {
        Outputs o = c.run().apply(be);
        for (float[] a : o.arrays()) {
          for (float f : a) {
            int b = Float.floatToRawIntBits(f);
            md.update(new byte[] {(byte) b, (byte) (b >> 8), (byte) (b >> 16), (byte) (b >> 24)});
          }
        }
        for (double d : o.scalars()) {
          md.update(Long.toString(Double.doubleToRawLongBits(d)).getBytes(StandardCharsets.UTF_8));
        }
      }
      System.out.println(JavaGemm.SPECIES.vectorShape() + " " + HexFormat.of().formatHex(md.digest()));
    }
  }
}
