package io.priorflow.verticles.cluster;

import static io.priorflow.verticles.cluster.ClusterTesting.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event-bus TLS with mutual authentication: two nodes holding the cluster's certificate exchange messages; a node
 * with a certificate of its own, or with no TLS at all, joins the Hazelcast cluster (open-source membership is not
 * authenticated: the README's threat model) but can neither send a message to the cluster's nodes nor receive one
 * from them. Key stores are made with keytool in a temporary directory.
 */
@Tag("cluster")
@Timeout(180)
class TlsClusterIT {
  private static final String PASSWORD = "test-only-password";
  private static final DeliveryOptions SHORT = new DeliveryOptions().setSendTimeout(3000);

  @TempDir Path dir;
  private final String cluster = ClusterTesting.clusterName();
  private final List<ClusterNode> nodes = new ArrayList<>();

  private ClusterNode node(String members, TlsConfig tls) throws Exception {
    ClusterNode n = await(ClusterNode.start(ClusterTesting.loopback(cluster, members).withTls(tls)));
    nodes.add(n);
    return n;
  }

  @AfterEach
  void closeNodes() throws InterruptedException {
    ClusterTesting.closeSafely(nodes);
  }

  private static void refused(ClusterNode from, String address) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> await(from.vertx().eventBus().request(address, "ping", SHORT)));
    ReplyException re = assertInstanceOf(ReplyException.class, e.getCause());
    assertEquals(ReplyFailure.TIMEOUT, re.failureType(), "the message never arrived: " + re.getMessage());
  }

  @Test
  void onlyNodesWithTheClustersCertificateExchangeMessages() throws Exception {
    Path clusterKeys = ClusterTesting.keyPair(dir, "cluster", PASSWORD);
    Path rogueKeys = ClusterTesting.keyPair(dir, "rogue", PASSWORD);
    Path trusted = ClusterTesting.trustStore(dir, "trusted", PASSWORD, "cluster");
    Path rogueTrusts = ClusterTesting.trustStore(dir, "rogue-trusts", PASSWORD, "cluster", "rogue");
    TlsConfig tls = new TlsConfig(clusterKeys, PASSWORD, trusted, PASSWORD);

    ClusterNode a = node(null, tls);
    ClusterNode b = node(a.memberAddress(), tls);
    ClusterNode rogue = node(a.memberAddress(), new TlsConfig(rogueKeys, PASSWORD, rogueTrusts, PASSWORD));
    ClusterNode plain = node(a.memberAddress(), null);
    assertEquals(4, a.members().size(), "Hazelcast membership itself is not authenticated");

    AtomicInteger atB = new AtomicInteger();
    await(b.vertx().eventBus().<String>consumer("pf.test.b", m -> {
      atB.incrementAndGet();
      m.reply("pong");
    }).completion());
    AtomicInteger atRogue = new AtomicInteger();
    await(rogue.vertx().eventBus().<String>consumer("pf.test.rogue", m -> {
      atRogue.incrementAndGet();
      m.reply("pong");
    }).completion());

    assertEquals("pong", await(a.vertx().eventBus().request("pf.test.b", "ping", SHORT)).body());
    assertEquals(1, atB.get());
    refused(rogue, "pf.test.b");
    refused(plain, "pf.test.b");
    assertEquals(1, atB.get(), "nothing from the rogue or the plain node reached b");
    refused(a, "pf.test.rogue");
    assertEquals(0, atRogue.get(), "nothing from the cluster reached the rogue node");
  }

  @Test
  void storesThatCannotServeAreRefusedWithTheFileAndAHint() throws Exception {
    Path keys = ClusterTesting.keyPair(dir, "node", PASSWORD);
    Path trusted = ClusterTesting.trustStore(dir, "trusted", PASSWORD, "node");
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
        () -> new TlsConfig(keys, "not-the-password", trusted, PASSWORD));
    assertTrue(wrong.getMessage().startsWith(keys + ": cannot open the key store as PKCS12"), wrong.getMessage());
    assertTrue(wrong.getMessage().contains("HINT"), wrong.getMessage());
    IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
        () -> new TlsConfig(trusted, PASSWORD, trusted, PASSWORD));
    assertTrue(noKey.getMessage().contains("holds no private key"), noKey.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> new TlsConfig(dir.resolve("none.p12"), PASSWORD, trusted, PASSWORD));
    assertTrue(missing.getMessage().contains("no such key store"), missing.getMessage());
    IllegalArgumentException noPassword = assertThrows(IllegalArgumentException.class,
        () -> new TlsConfig(keys, null, trusted, PASSWORD));
    assertTrue(noPassword.getMessage().contains(TlsConfig.KEY_STORE_PASSWORD_ENV), noPassword.getMessage());
    assertTrue(!new TlsConfig(keys, PASSWORD, trusted, PASSWORD).toString().contains(PASSWORD),
        "toString names the stores, never the passwords");
  }
}
