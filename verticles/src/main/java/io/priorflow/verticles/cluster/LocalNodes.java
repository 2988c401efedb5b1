package io.priorflow.verticles.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Worker nodes started as child JVMs on this machine ({@code run --nodes N} starts N−1): each runs
 * {@code priorflow node} with the run's cluster name, on the director's interface and a port of its own. They are
 * started first, so that their JVMs boot while the director's Hazelcast starts; each then waits for one line on its
 * standard input, {@link #join} sends them the director's address, and they join it (a child that joined nobody
 * would found a cluster of its own). Their output is read by a thread each, which keeps the last
 * {@link #TAIL} lines to say why a child failed (no file is left behind, even when the director is killed).
 *
 * <p>No child outlives the run: {@link #stop} ends them (SIGTERM, so they leave the cluster cleanly; SIGKILL after
 * {@link #GRACE}) and waits for them; a shutdown hook does the same when the director's JVM exits another way
 * (Ctrl-C, a failure); and each child is started with {@code --parent}, so it exits by itself when its standard
 * input closes, which happens even when the director is killed with SIGKILL.
 */
public final class LocalNodes implements AutoCloseable {
  /** How long a child may take to leave the cluster after SIGTERM before it gets SIGKILL. */
  static final long GRACE = 10;
  /** The CLI entry point children run. */
  static final String MAIN = "io.priorflow.cli.Main";
  /** Lines of each child's output kept for error messages. */
  static final int TAIL = 12;

  private final List<Process> processes = new ArrayList<>();
  private final List<Deque<String>> tails = new ArrayList<>();
  private final Thread hook = new Thread(this::stop, "pf-local-nodes-stop");
  private boolean stopped;

  private LocalNodes() {}

  /**
   * Starts {@code n} nodes; they wait for {@link #join}.
   *
   * @param config the director's configuration: its cluster name, host and TLS are the children's too
   */
  public static LocalNodes start(int n, ClusterConfig config) {
    LocalNodes nodes = new LocalNodes();
    Runtime.getRuntime().addShutdownHook(nodes.hook);
    try {
      for (int i = 1; i <= n; i++) nodes.startOne(i, config);
    } catch (RuntimeException e) {
      nodes.stop();
      throw e;
    }
    return nodes;
  }

  /** Tells every child the members to join (the director's Hazelcast address, host:port). */
  public void join(String members) {
    for (int i = 0; i < processes.size(); i++) {
      try {
        var in = processes.get(i).getOutputStream();
        in.write((members + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
      } catch (IOException e) { // it exited: checkAlive says why
        checkAlive();
        throw new UncheckedIOException("local worker node " + (i + 1) + " is not listening: " + e.getMessage(), e);
      }
    }
  }

  private void startOne(int i, ClusterConfig c) {
    List<String> args = new ArrayList<>(List.of("node", "--cluster", c.name(), "--host", c.host(),
        "--port", String.valueOf(freePort(c.host())), "--parent"));
    if (c.tls() != null) {
      args.addAll(List.of("--tls", "--key-store", c.tls().keyStore().toString(),
          "--trust-store", c.tls().trustStore().toString()));
    }
    ProcessBuilder pb = new ProcessBuilder(JavaCommand.of(MAIN, args)).redirectErrorStream(true);
    if (c.tls() != null) { // passwords through the environment, not the command line that ps shows
      pb.environment().put(TlsConfig.KEY_STORE_PASSWORD_ENV, c.tls().keyStorePassword());
      pb.environment().put(TlsConfig.TRUST_STORE_PASSWORD_ENV, c.tls().trustStorePassword());
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start local worker node " + i + ": " + e.getMessage(), e);
    }
    processes.add(p);
    Deque<String> tail = new ArrayDeque<>();
    tails.add(tail);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (tail) {
            if (tail.size() == TAIL) tail.removeFirst();
            tail.addLast(line);
          }
        }
      } catch (IOException ended) {
        // the child has gone
      }
    }, "pf-local-node-" + i + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** The children, in start order. */
  public List<Process> processes() {
    return List.copyOf(processes);
  }

  /**
   * Throws IllegalStateException with the end of its log when a child has exited (it failed to start or join).
   */
  public void checkAlive() {
    for (int i = 0; i < processes.size(); i++) {
      Process p = processes.get(i);
      if (!p.isAlive()) {
        throw new IllegalStateException("local worker node " + (i + 1) + " (pid " + p.pid() + ") exited with status "
            + p.exitValue() + tail(tails.get(i)));
      }
    }
  }

  /** Ends every child and waits for it. Idempotent. */
  public synchronized void stop() {
    if (stopped) return;
    stopped = true;
    for (Process p : processes) {
      try {
        p.getOutputStream().close(); // --parent: end of input
      } catch (IOException ignored) {
        // it has gone already
      }
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(GRACE, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(GRACE, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // called from the hook itself, or while the JVM exits: nothing to remove
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** A free TCP port on the host now (it may be taken by the time a child binds it: Hazelcast then takes the next). */
  static int freePort(String host) {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + host + ": " + e.getMessage(), e);
    }
  }

  private static String tail(Deque<String> tail) {
    try {
      Thread.sleep(200); // let the reader take the last lines
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (tail) {
      return tail.isEmpty() ? " (no output)" : "; its last output:\n  " + String.join("\n  ", tail);
    }
  }
}
