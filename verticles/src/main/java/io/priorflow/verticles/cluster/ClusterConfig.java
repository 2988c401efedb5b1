package io.priorflow.verticles.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Where one node of a priorflow cluster listens and whom it joins. None of it changes results.
 *
 * @param name              the cluster name: nodes join only a cluster of the same name, so two runs or tests on
 *                          one machine never merge; {@link #uniqueName()} makes one per run
 * @param host              the one interface this node binds (Hazelcast and the event bus), an IP literal;
 *                          127.0.0.1 by default, so nothing is reachable from other machines
 * @param port              Hazelcast's member port
 * @param portAutoIncrement whether Hazelcast may take the next free port when {@code port} is taken (when no port
 *                          was asked for, so that several nodes started alike on one machine all come up)
 * @param members           the members to join over TCP-IP, as host:port (this node may be among them)
 * @param busPort           the event bus's port; 0 takes a free one (the cluster tells the others which)
 * @param tls               event-bus TLS with mutual authentication, or null for none
 */
public record ClusterConfig(String name, String host, int port, boolean portAutoIncrement, List<String> members,
                            int busPort, TlsConfig tls) {
  /** The interface nodes bind when none is given. */
  public static final String LOOPBACK = "127.0.0.1";
  /** Hazelcast's member port when none is given. */
  public static final int DEFAULT_PORT = 5701;
  /** The cluster name when none is given (a run with {@code --nodes} makes a unique one instead). */
  public static final String DEFAULT_NAME = "priorflow";

  /** Checks every field; resolves the host to an IP literal; copies the members. */
  public ClusterConfig {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
      throw new IllegalArgumentException("the cluster name must be 1-100 letters, digits, '.', '_' or '-', "
          + "starting with a letter or digit; was " + name);
    }
    host = ip("the host", host);
    checkPort("the port", port, false);
    checkPort("the event-bus port", busPort, true);
    if (members == null || members.isEmpty()) {
      throw new IllegalArgumentException("the member list must name at least one host:port, e.g. 127.0.0.1:5701");
    }
    List<String> m = new ArrayList<>();
    for (String s : members) m.add(member(s));
    members = List.copyOf(m);
  }

  /** Loopback, the default port (auto-increment), the default port as the one member, a random bus port. */
  public static ClusterConfig loopback(String name) {
    return new ClusterConfig(name, LOOPBACK, DEFAULT_PORT, true, List.of(LOOPBACK + ":" + DEFAULT_PORT), 0, null);
  }

  /** A cluster name no other run will pick: {@code pf-run-} and 12 random hex digits. */
  public static String uniqueName() {
    return "pf-run-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** The same with these members. */
  public ClusterConfig withMembers(List<String> members) {
    return new ClusterConfig(name, host, port, portAutoIncrement, members, busPort, tls);
  }

  /** The same on this Hazelcast port, without auto-increment. */
  public ClusterConfig withPort(int port) {
    return new ClusterConfig(name, host, port, false, members, busPort, tls);
  }

  /** The same with this TLS configuration (null: none). */
  public ClusterConfig withTls(TlsConfig tls) {
    return new ClusterConfig(name, host, port, portAutoIncrement, members, busPort, tls);
  }

  /** Whether the host is a loopback address (the default: the cluster is invisible to other machines). */
  public boolean loopbackOnly() {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Parses a comma-separated member list, {@code host:port,host:port}; blanks are skipped. */
  public static List<String> parseMembers(String list) {
    if (list == null) throw new IllegalArgumentException("the member list must be given, e.g. 127.0.0.1:5701");
    List<String> out = new ArrayList<>();
    for (String s : list.split(",")) {
      if (!s.isBlank()) out.add(member(s.strip()));
    }
    if (out.isEmpty()) throw new IllegalArgumentException("the member list '" + list + "' names no host:port");
    return out;
  }

  /** host:port with the host resolved to an IP literal. */
  static String member(String s) {
    int colon = s == null ? -1 : s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("a member must be host:port, e.g. 127.0.0.1:5701; was '" + s + "'");
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a member must be host:port with a numeric port; was '" + s + "'");
    }
    checkPort("the port of member " + s, port, false);
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    String ip = ip("member " + s, host);
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
  }

  private static String ip(String what, String host) {
    if (host == null || host.isBlank()) throw new IllegalArgumentException(what + " must be given");
    try {
      return InetAddress.getByName(host.strip()).getHostAddress().toLowerCase(Locale.ROOT);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(what + ": unknown host '" + host + "'");
    }
  }

  private static void checkPort(String what, int port, boolean zeroAllowed) {
    if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
      throw new IllegalArgumentException(what + " must be in [" + (zeroAllowed ? 0 : 1) + ", 65535], was " + port);
    }
  }
}
