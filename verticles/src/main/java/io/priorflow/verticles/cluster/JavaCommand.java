package io.priorflow.verticles.cluster;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM like this one: the same {@code java}, the same JVM flags (those of
 * {@code bin/jvm.options}, and any {@code PF_JAVA_OPTS}, as this JVM was started with), the same class path. Agents
 * and debugger flags are left out: a second JVM cannot listen on the debugger's port. So is
 * {@code -XX:TieredStopAtLevel}: the launcher gives it to a cluster's director (C1 only, it trains nothing), and the
 * worker nodes a director starts need C2 for their kernels.
 */
public final class JavaCommand {
  private JavaCommand() {}

  /** {@code java <flags> -cp <class path> <mainClass> <args>}. */
  public static List<String> of(String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(flags());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /** This JVM's flags, as a child JVM gets them ({@link #passedOn}). */
  public static List<String> flags() {
    return passedOn(ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  /** The JVM flags a child gets from {@code flags}: all but agents, debugger options and the JIT's tier limit. */
  static List<String> passedOn(List<String> flags) {
    List<String> out = new ArrayList<>();
    for (String a : flags) {
      if (a.startsWith("-agentlib:") || a.startsWith("-agentpath:") || a.startsWith("-javaagent:")
          || a.startsWith("-Xrunjdwp") || a.equals("-Xdebug") || a.contains("jdwp")
          || a.startsWith("-XX:TieredStopAtLevel=")) {
        continue;
      }
      out.add(a);
    }
    return out;
  }
}
