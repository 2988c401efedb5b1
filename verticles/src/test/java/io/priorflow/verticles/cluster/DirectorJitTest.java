package io.priorflow.verticles.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cluster's director compiles with C1 only, its worker nodes with C2: the launcher ({@code priorflow}) adds
 * {@code -XX:TieredStopAtLevel=1} exactly for {@code run} with {@code --cluster} or {@code --nodes} above 1, and the
 * worker JVMs a director starts do not inherit it.
 */
class DirectorJitTest {
  private static final Path LAUNCHER = Path.of(System.getProperty("user.dir")).resolve("../priorflow").normalize();

  /** Runs the launcher's own {@code cluster_director} on {@code args}: true when it says "a cluster's director". */
  private static boolean director(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c",
        "source <(sed -n '/^cluster_director()/,/^}/p' \"$0\"); cluster_director \"$@\"", LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int status = p.waitFor();
    assertEquals("", out, "cluster_director prints nothing");
    if (status > 1) throw new AssertionError("cluster_director failed with " + status + " on " + List.of(args));
    return status == 0;
  }

  @Test
  void theLauncherLimitsTheJitOfAClustersDirectorOnly() throws Exception {
    assertEquals(true, director("run", "s.yaml", "--cluster", "lab"));
    assertEquals(true, director("run", "s.yaml", "--cluster=lab", "--members", "127.0.0.1:5701"));
    assertEquals(true, director("run", "s.yaml", "--nodes", "3"));
    assertEquals(true, director("run", "--nodes=2", "s.yaml"));
    assertEquals(false, director("run", "s.yaml", "--nodes", "1"), "--nodes 1 is one JVM: it trains");
    assertEquals(false, director("run", "s.yaml", "--nodes=1"));
    assertEquals(false, director("run", "s.yaml"));
    assertEquals(false, director("run", "s.yaml", "--set", "x=--cluster"), "a value is not an option");
    assertEquals(false, director("node", "--cluster", "lab"), "a worker node trains");
    assertEquals(false, director("validate", "s.yaml", "--nodes", "3"));
    assertEquals(false, director());
  }

  @Test
  void workerJvmsStartedByADirectorDoNotInheritItsTierLimit() {
    List<String> director = List.of("--add-modules=jdk.incubator.vector", "-XX:TieredStopAtLevel=1", "-Xmx2g",
        "-agentlib:jdwp=transport=dt_socket,server=y", "-Dpriorflow.home=/x");
    assertEquals(List.of("--add-modules=jdk.incubator.vector", "-Xmx2g", "-Dpriorflow.home=/x"),
        JavaCommand.passedOn(director));
  }
}
