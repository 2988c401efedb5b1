package io.priorflow.verticles.cluster;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM like this one: the same {@code java}, the same JVM flags (those of
 * {@code bin/jvm.options}, and any {@code PF_JAVA_OPTS}, as this JVM was started with), the same class path. Agents
 * and debugger flags are left out: a second JVM cannot listen on the debugger's port.
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

  /** This JVM's flags, without agents and debugger options. */
  public static List<String> flags() {
    List<String> out = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-agentlib:") || a.startsWith("-agentpath:") || a.startsWith("-javaagent:")
          || a.startsWith("-Xrunjdwp") || a.equals("-Xdebug") || a.contains("jdwp")) {
        continue;
      }
      out.add(a);
    }
    return out;
  }
}
