package io.priorflow.cli;

import io.priorflow.verticles.cluster.ClusterConfig;
import io.priorflow.verticles.cluster.TlsConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that place a node in a cluster, shared by {@code node} and {@code run}: cluster name, interface,
 * Hazelcast port, members to join, and event-bus TLS. The logic is in {@link ClusterConfig} and {@link TlsConfig}.
 */
public final class ClusterOptions {
  @Option(names = "--cluster", paramLabel = "NAME", description = "Cluster name: only nodes with the same name join "
      + "one another, so every run should have its own (run --nodes makes one up).")
  String name;

  @Option(names = "--host", paramLabel = "HOST", description = "The one interface to bind, for Hazelcast and the event "
      + "bus (default: ${DEFAULT-VALUE}: this machine only).", defaultValue = ClusterConfig.LOOPBACK)
  String host;

  @Option(names = "--port", paramLabel = "PORT", description = "Hazelcast's port (default: "
      + ClusterConfig.DEFAULT_PORT + "); the next free one is taken if it is busy.")
  Integer port;

  @Option(names = "--members", paramLabel = "HOST:PORT,...", description = "Members to join over TCP-IP (default: "
      + "HOST:" + ClusterConfig.DEFAULT_PORT + "). Multicast and cloud discovery are off.")
  String members;

  @Option(names = "--tls", description = "Event-bus TLS with mutual authentication: nodes exchange messages only with "
      + "peers whose certificate their trust store holds. Needs --key-store and --trust-store.")
  boolean tls;

  @Option(names = "--key-store", paramLabel = "FILE", description = "This node's key and certificate (.p12/.pfx: "
      + "PKCS12, .jks: JKS).")
  Path keyStore;

  @Option(names = "--key-store-password", paramLabel = "PASSWORD", description = "Its password (default: $"
      + TlsConfig.KEY_STORE_PASSWORD_ENV + ", which keeps it off the process list).",
      defaultValue = "${env:" + TlsConfig.KEY_STORE_PASSWORD_ENV + "}")
  String keyStorePassword;

  @Option(names = "--trust-store", paramLabel = "FILE", description = "The peers' certificates, or their CA's.")
  Path trustStore;

  @Option(names = "--trust-store-password", paramLabel = "PASSWORD", description = "Its password (default: $"
      + TlsConfig.TRUST_STORE_PASSWORD_ENV + ").", defaultValue = "${env:" + TlsConfig.TRUST_STORE_PASSWORD_ENV + "}")
  String trustStorePassword;

  /** Whether any option was given that only makes sense in a cluster. */
  boolean anyGiven() {
    return name != null || port != null || members != null || tls || keyStore != null || trustStore != null
        || !ClusterConfig.LOOPBACK.equals(host);
  }

  /**
   * One line on standard error when the node is reachable from other machines without event-bus TLS: anyone who
   * reaches it could join and answer work items (README, Cluster: threat model).
   */
  static void warnIfExposed(ClusterConfig c) {
    if (!c.loopbackOnly() && c.tls() == null) {
      System.err.println("priorflow: warning: " + c.host() + " is reachable from other machines and the event bus "
          + "has no TLS: anyone who reaches it can join the cluster and answer work items; use --tls (README, "
          + "Cluster)");
    }
  }

  /**
   * The configuration these options give.
   *
   * @param defaultName  the cluster name when --cluster is not given
   * @param defaultPort  Hazelcast's port when --port is not given
   * @throws IllegalArgumentException naming the option at fault
   */
  ClusterConfig config(String defaultName, int defaultPort) {
    if (!tls && (keyStore != null || trustStore != null)) {
      throw new IllegalArgumentException("--key-store and --trust-store need --tls");
    }
    TlsConfig t = tls ? new TlsConfig(keyStore, keyStorePassword, trustStore, trustStorePassword) : null;
    String clusterName = name != null ? name : defaultName;
    int p = port != null ? port : defaultPort;
    List<String> m = members != null ? ClusterConfig.parseMembers(members)
        : List.of(host + ":" + (port != null ? port : ClusterConfig.DEFAULT_PORT));
    return new ClusterConfig(clusterName, host, p, true, m, 0, t);
  }
}
