package io.priorflow.verticles.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Hazelcast configuration of a priorflow node, in code: vertx-hazelcast's own data-structure settings (its
 * {@code default-cluster.xml}), then the network and timing below. Hazelcast's defaults join by multicast and
 * bind every interface; here nothing does either:
 * <ul>
 *   <li>join: TCP-IP to the configured members only; multicast and auto-detection (cloud discovery) off;</li>
 *   <li>bind: the one configured interface (loopback by default), for listening and for outgoing connections;</li>
 *   <li>cluster name: the run's, so two runs or tests on one machine never merge;</li>
 *   <li>failure detection ({@link #PROPERTIES}): a heartbeat every second, a member silent for 5 s is removed, so a
 *       killed node is noticed in seconds (Hazelcast's default is 60 s), and its work is re-sent then;</li>
 *   <li>quiet: Hazelcast logs through java.util.logging, which {@link ClusterLogging} limits to warnings, and
 *       never phones home.</li>
 * </ul>
 * The model map ({@link HazelcastModelStore}) keeps one synchronous backup on another member, so losing any one
 * node loses no model.
 */
public final class HazelcastSettings {
  /**
   * Hazelcast properties set on every node, by name. The timing ones trade a little chatter for quick failure
   * detection; on a loaded machine a node that stalls longer than {@code max.no.heartbeat} is taken for dead and
   * merges back when it recovers (its in-flight work has been re-sent meanwhile, which is harmless).
   */
  public static final Map<String, String> PROPERTIES = properties();

  /** Prefix of the model maps, {@code pf.models.<run id>}. */
  public static final String MODEL_MAPS = "pf.models.";

  private HazelcastSettings() {}

  private static Map<String, String> properties() {
    Map<String, String> p = new TreeMap<>();
    p.put("hazelcast.heartbeat.interval.seconds", "1");      // default 5
    p.put("hazelcast.max.no.heartbeat.seconds", "5");        // default 60: a silent member is removed after this
    p.put("hazelcast.wait.seconds.before.join", "0");        // default 5: the master would wait to batch joiners
    p.put("hazelcast.max.wait.seconds.before.join", "1");    // default 20
    p.put("hazelcast.merge.first.run.delay.seconds", "5");   // default 300: a member taken for dead merges back soon
    p.put("hazelcast.merge.next.run.delay.seconds", "5");    // default 120
    p.put("hazelcast.graceful.shutdown.max.wait", "5");      // default 600 s of partition migration on leaving
    p.put("hazelcast.socket.bind.any", "false");             // bind the configured interface, not 0.0.0.0
    p.put("hazelcast.socket.client.bind.any", "false");      // outgoing connections from that interface too
    p.put("hazelcast.phone.home.enabled", "false");          // no version check over the internet
    p.put("hazelcast.logging.type", "jdk");                  // java.util.logging, limited to warnings
    return java.util.Collections.unmodifiableMap(p);
  }

  /** The configuration of a node with these settings. */
  public static Config config(ClusterConfig c) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(c.name());
    hz.setInstanceName("pf-" + c.name() + "-" + java.util.UUID.randomUUID().toString().substring(0, 8));
    PROPERTIES.forEach(hz::setProperty);
    hz.getJetConfig().setEnabled(false);

    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(c.port()).setPortAutoIncrement(c.portAutoIncrement()).setPortCount(c.portAutoIncrement() ? 20 : 1);
    net.getInterfaces().clear().setEnabled(true).addInterface(c.host());
    net.getRestApiConfig().setEnabled(false);
    net.getMemcacheProtocolConfig().setEnabled(false);
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getGcpConfig().setEnabled(false);
    join.getAzureConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    join.getEurekaConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(c.members());

    hz.addMapConfig(new MapConfig(MODEL_MAPS + "*").setBackupCount(1).setAsyncBackupCount(0)
        .setStatisticsEnabled(false));
    return hz;
  }
}
