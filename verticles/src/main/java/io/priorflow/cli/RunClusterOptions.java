package io.priorflow.cli;

import io.priorflow.verticles.cluster.ClusterConfig;
import io.priorflow.verticles.cluster.ClusterRun;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code run} command's cluster options: {@code --nodes N} (N−1 local worker JVMs) and those of
 * {@link ClusterOptions} ({@code --cluster}, {@code --members} …: join a cluster of {@code priorflow node}s).
 * Neither: the run stays in one JVM.
 */
public final class RunClusterOptions {
  /** Most nodes --nodes starts on one machine. */
  static final int MAX_LOCAL_NODES = 64;

  @Option(names = "--nodes", paramLabel = "N", defaultValue = "1", description = "Run on N nodes of this machine: "
      + "the director and N-1 worker JVMs on loopback, in a cluster of their own, stopped at the end (default: "
      + "${DEFAULT-VALUE}, no cluster). Results are identical.")
  int nodes;

  @Mixin
  ClusterOptions cluster = new ClusterOptions();

  /** Whether the run is clustered: --nodes above 1, or any cluster option. */
  boolean clustered() {
    return nodes > 1 || cluster.anyGiven();
  }

  /**
   * Joins (or forms) the cluster as its director, starting the local worker nodes; null when the run is not
   * clustered. Each run then deploys its actors on the worker nodes ({@link ClusterRun#host}). Notes (formation
   * time, nodes leaving) go to standard error.
   *
   * @param local whether --local was given (it performs items in the director's thread: no cluster then)
   * @throws IllegalArgumentException for contradictory options
   */
  ClusterRun start(boolean local) throws InterruptedException {
    if (nodes < 1 || nodes > MAX_LOCAL_NODES) {
      throw new IllegalArgumentException("--nodes must be in [1, " + MAX_LOCAL_NODES + "], was " + nodes);
    }
    if (!clustered()) return null;
    if (local) throw new IllegalArgumentException("--local runs every item in the director's thread; it cannot be "
        + "combined with --nodes or the cluster options");
    boolean own = cluster.name == null; // --nodes without --cluster: a cluster of our own, on free ports
    if (own && nodes == 1) {
      throw new IllegalArgumentException("the cluster options need --cluster NAME (join the cluster of priorflow node "
          + "processes) or --nodes N (start N-1 local worker nodes)");
    }
    ClusterConfig config = cluster.config(ClusterConfig.uniqueName(),
        own && cluster.port == null ? freePort(cluster.host) : ClusterConfig.DEFAULT_PORT);
    if (own && cluster.members == null) config = config.withMembers(List.of(config.host() + ":" + config.port()));
    ClusterOptions.warnIfExposed(config);
    return ClusterRun.start(config, nodes - 1, line -> System.err.println("priorflow: " + line));
  }

  private static int freePort(String host) {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalArgumentException("--host " + host + ": cannot bind it: " + e.getMessage());
    }
  }
}
