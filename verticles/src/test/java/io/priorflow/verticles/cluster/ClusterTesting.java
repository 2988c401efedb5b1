package io.priorflow.verticles.cluster;

import io.priorflow.engine.scenario.LoadedScenario;
import io.priorflow.engine.scenario.Scenario;
import io.priorflow.engine.scenario.ScenarioLoader;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Helpers of the cluster tests: loopback configurations with a cluster name per test, the default scenario as a
 * director would send it, and key stores made with the JDK's keytool in a temporary directory (no key is ever
 * committed).
 */
final class ClusterTesting {
  private ClusterTesting() {}

  /** A cluster name no other test or run uses. */
  static String clusterName() {
    return "pf-it-" + UUID.randomUUID().toString().substring(0, 13);
  }

  /** A node on 127.0.0.1, a free Hazelcast port, joining {@code members} (its own address when null). */
  static ClusterConfig loopback(String cluster, String members) {
    int port = LocalNodes.freePort(ClusterConfig.LOOPBACK);
    String self = ClusterConfig.LOOPBACK + ":" + port;
    return new ClusterConfig(cluster, ClusterConfig.LOOPBACK, port, true, List.of(members == null ? self : members),
        0, null);
  }

  /**
   * Closes the nodes, last started first, each once the cluster is safe (every partition has its backups), so no
   * node leaves in the middle of a migration [vertx-hazelcast Lifecycle.closeClustered]; ignores nodes closed
   * already.
   */
  static void closeSafely(List<ClusterNode> nodes) throws InterruptedException {
    for (ClusterNode n : nodes.reversed()) {
      try {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (n.hazelcast().getLifecycleService().isRunning()
            && !n.hazelcast().getPartitionService().isClusterSafe() && System.nanoTime() < end) {
          Thread.sleep(20);
        }
        await(n.close());
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception alreadyClosed) {
        // a test closed it on purpose
      }
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  /** The default scenario (its world is {@code World.defaults()}, as the actor tests' items expect), resolved. */
  static LoadedScenario defaultScenario() {
    return ScenarioLoader.parse(ScenarioLoader.toYaml(Scenario.defaults()), "defaults", List.of());
  }

  /** The library's tiny scenario. */
  static Path tiny() {
    return Path.of(System.getProperty("user.dir")).resolve("../scenarios/tiny.yaml").normalize();
  }

  /**
   * A PKCS12 key store {@code <name>.p12} with a new EC key pair and a self-signed certificate for 127.0.0.1, and its
   * certificate exported as {@code <name>.crt}, both in {@code dir}.
   */
  static Path keyPair(Path dir, String name, String password) throws IOException, InterruptedException {
    Path store = dir.resolve(name + ".p12");
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
        "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password, "-keypass", password);
    keytool("-exportcert", "-alias", name, "-keystore", store.toString(), "-storepass", password,
        "-file", dir.resolve(name + ".crt").toString());
    return store;
  }

  /** A PKCS12 trust store {@code <name>.p12} in {@code dir} holding the certificates {@code <cert>.crt}. */
  static Path trustStore(Path dir, String name, String password, String... certs)
      throws IOException, InterruptedException {
    Path store = dir.resolve(name + ".p12");
    for (String c : certs) {
      keytool("-importcert", "-noprompt", "-alias", c, "-file", dir.resolve(c + ".crt").toString(),
          "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password);
    }
    return store;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
    }
  }
}
