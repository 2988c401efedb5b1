package io.priorflow.verticles.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cluster configuration without starting anything: parsing, checks, and the Hazelcast settings made from it. */
class ClusterConfigTest {

  @Test
  void parsesMemberListsAndResolvesHosts() {
    assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5702"),
        ClusterConfig.parseMembers(" localhost:5701, 127.0.0.1:5702,"));
    assertEquals(List.of("[0:0:0:0:0:0:0:1]:5701"), ClusterConfig.parseMembers("[::1]:5701"));
    for (String bad : List.of("", " , ", "127.0.0.1", "127.0.0.1:", ":5701", "127.0.0.1:x", "127.0.0.1:70000")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterConfig.parseMembers(bad));
      assertTrue(e.getMessage().contains("host:port") || e.getMessage().contains("port"), e.getMessage());
    }
  }

  @Test
  void checksNameHostAndPorts() {
    assertThrows(IllegalArgumentException.class, () -> new ClusterConfig("has space", "127.0.0.1", 5701, true,
        List.of("127.0.0.1:5701"), 0, null));
    assertThrows(IllegalArgumentException.class, () -> new ClusterConfig("ok", "no-such-host.invalid", 5701, true,
        List.of("127.0.0.1:5701"), 0, null));
    assertThrows(IllegalArgumentException.class, () -> new ClusterConfig("ok", "127.0.0.1", 0, true,
        List.of("127.0.0.1:5701"), 0, null));
    assertThrows(IllegalArgumentException.class, () -> new ClusterConfig("ok", "127.0.0.1", 5701, true, List.of(), 0,
        null));
    ClusterConfig c = ClusterConfig.loopback("ok");
    assertEquals("127.0.0.1", c.host());
    assertTrue(c.loopbackOnly());
    assertNotEquals(ClusterConfig.uniqueName(), ClusterConfig.uniqueName());
    assertTrue(ClusterConfig.uniqueName().matches("pf-run-[0-9a-f]{12}"));
  }

  @Test
  void hazelcastJoinsByTcpIpOnOneInterfaceOnly() {
    ClusterConfig c = new ClusterConfig("pf-test", "127.0.0.1", 15701, false, List.of("127.0.0.1:15702"), 0, null);
    Config hz = HazelcastSettings.config(c);
    assertEquals("pf-test", hz.getClusterName());
    JoinConfig join = hz.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled(), "multicast");
    assertFalse(join.getAutoDetectionConfig().isEnabled(), "auto-detection");
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:15702"), join.getTcpIpConfig().getMembers());
    assertTrue(hz.getNetworkConfig().getInterfaces().isEnabled());
    assertEquals(List.of("127.0.0.1"), List.copyOf(hz.getNetworkConfig().getInterfaces().getInterfaces()));
    assertEquals(15701, hz.getNetworkConfig().getPort());
    assertFalse(hz.getNetworkConfig().isPortAutoIncrement());
    assertEquals("false", hz.getProperty("hazelcast.socket.bind.any"));
    assertEquals("false", hz.getProperty("hazelcast.phone.home.enabled"));
    assertEquals("5", hz.getProperty("hazelcast.max.no.heartbeat.seconds"));
    assertEquals(1, hz.getMapConfig(HazelcastSettings.MODEL_MAPS + "run-1").getBackupCount(),
        "every model has a synchronous backup on another member");
    assertTrue(hz.getMultiMapConfigs().containsKey("__vertx.subs"), "vertx-hazelcast's own settings are kept");
  }
}
