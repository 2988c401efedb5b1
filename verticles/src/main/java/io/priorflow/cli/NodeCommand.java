package io.priorflow.cli;

import io.priorflow.kernels.backend.Backends;
import io.priorflow.verticles.cluster.ClusterConfig;
import io.priorflow.verticles.cluster.ClusterNode;
import io.priorflow.verticles.cluster.WorkerNodeVerticle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code priorflow node}: a worker node. It joins the cluster and hosts the actors of whichever run's director
 * asks it ({@link WorkerNodeVerticle}), one run at a time, until it is stopped.
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Start a worker node: join a cluster and host the actors of the runs its director sends, one run "
        + "at a time, until stopped (Ctrl-C leaves the cluster cleanly).",
    footer = {"", "Examples (three terminals on one machine):",
        "  ./priorflow node --cluster lab --port 5701",
        "  ./priorflow node --cluster lab --port 5702 --members 127.0.0.1:5701",
        "  ./priorflow run scenarios/tiny.yaml --cluster lab --port 5703 --members 127.0.0.1:5701",
        "", "Everything binds --host only (default 127.0.0.1: invisible to other machines). See the README's "
        + "Cluster section for TLS and the threat model.",
        "", "Exit status: 0 stopped; 2 an argument is invalid; 1 the node could not join."})
final class NodeCommand implements Callable<Integer> {
  @Mixin
  ClusterOptions cluster = new ClusterOptions();

  @Option(names = "--threads", description = "Kernel threads of this node's actors (default: all cores). Results do "
      + "not depend on it.")
  Integer threads;

  @Option(names = "--parent", hidden = true, description = "Started by run --nodes: read the members to join from the "
      + "first line of standard input (the director sends its address once it is up), and exit when standard input "
      + "ends (the director has gone, however it ended).")
  boolean parent;

  @Override
  public Integer call() throws Exception {
    int t = threads != null ? threads : Backends.defaultThreads();
    if (t < 1 || t > 1024) throw new IllegalArgumentException("--threads must be in [1, 1024], was " + t);
    ClusterConfig config = cluster.config(ClusterConfig.DEFAULT_NAME, ClusterConfig.DEFAULT_PORT);
    ClusterOptions.warnIfExposed(config);
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (parent) {
      String line = stdin.readLine();
      if (line == null) return 0; // the director went before it was up
      config = config.withMembers(ClusterConfig.parseMembers(line));
    }
    long t0 = System.nanoTime();
    ClusterNode node;
    try {
      node = ClusterNode.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      node.vertx().deployVerticle(new WorkerNodeVerticle(node, t, NodeCommand::note))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      System.err.println("priorflow node: cannot join cluster " + config.name() + " on " + config.host() + ": " + c);
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try { // leave the cluster cleanly, so the others need not wait for the failure detector
        node.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // the JVM is exiting either way
      }
      stopped.countDown();
    }, "pf-node-stop"));
    note(String.format(Locale.ROOT, "joined cluster %s as node %s at %s in %.1f s (%d member%s, event bus %s); "
            + "waiting for a director", config.name(), node.nodeId(), node.memberAddress(),
        (System.nanoTime() - t0) / 1e9, node.members().size(), node.members().size() == 1 ? "" : "s",
        config.tls() != null ? "over mutual TLS" : "in clear on " + config.host()));
    if (parent) {
      Thread watch = new Thread(() -> {
        try (BufferedReader in = stdin) {
          while (in.readLine() != null) {
            // the parent writes nothing more; only the end of input matters
          }
        } catch (IOException ignored) {
          // a broken pipe is an end too
        }
        System.exit(0);
      }, "pf-parent-watch");
      watch.setDaemon(true);
      watch.start();
    }
    stopped.await();
    return 0;
  }

  private static void note(String line) {
    System.out.println("priorflow node: " + line);
  }
}
