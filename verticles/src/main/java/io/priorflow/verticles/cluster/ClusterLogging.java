package io.priorflow.verticles.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps Hazelcast, Vert.x and Netty quiet in a terminal: warnings and errors only, each on one line (a cause's
 * message, not its stack trace; set {@code PF_DEBUG=1} for stack traces). Hazelcast otherwise prints a dozen INFO
 * lines per member that joins or leaves. Its routine warnings about a member that has just gone are left out too
 * (failed reconnections, "suspected to be dead", missing heartbeats): the director says itself, in one line, when a
 * worker node leaves and what it re-sent.
 */
public final class ClusterLogging {
  private static final List<Logger> KEPT = new ArrayList<>(); // java.util.logging holds loggers weakly
  private static boolean done;

  private ClusterLogging() {}

  /** Limits the three libraries to warnings and prints every log record on one line; idempotent. */
  public static synchronized void quiet() {
    if (done) return;
    done = true;
    for (String name : List.of("com.hazelcast", "io.vertx", "io.netty")) {
      Logger l = Logger.getLogger(name);
      l.setLevel(Level.WARNING);
      KEPT.add(l);
    }
    for (String name : List.of("com.hazelcast.internal.server.tcp.TcpServerConnectionErrorHandler",
        "com.hazelcast.internal.cluster.impl.MembershipManager",
        "com.hazelcast.internal.cluster.impl.ClusterHeartbeatManager")) {
      Logger l = Logger.getLogger(name);
      l.setLevel(Level.SEVERE);
      KEPT.add(l);
    }
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      if (h instanceof ConsoleHandler) h.setFormatter(new OneLine(System.getenv("PF_DEBUG") != null));
    }
  }

  /** {@code priorflow: WARNING com.hazelcast.internal.cluster.ClusterService: message: cause}. */
  static final class OneLine extends Formatter {
    private final boolean stackTraces;

    OneLine(boolean stackTraces) {
      this.stackTraces = stackTraces;
    }

    @Override
    public String format(LogRecord r) {
      StringBuilder b = new StringBuilder("priorflow: ").append(r.getLevel().getName()).append(' ')
          .append(r.getLoggerName()).append(": ").append(formatMessage(r).strip());
      Throwable t = r.getThrown();
      if (t != null && !stackTraces) {
        b.append(": ").append(t);
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) b.append(" <- ").append(c);
      }
      b.append(System.lineSeparator());
      if (t != null && stackTraces) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        b.append(w);
      }
      return b.toString();
    }
  }
}
