package io.priorflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code priorflow} command line. Exit status: 0 done; 2 the arguments or an input file are invalid (a
 * one-line message, never a stack trace); 1 the command failed.
 */
@Command(
    name = "priorflow",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
        "An event-driven actor simulation of the AI data engine: labellers, critics, generators and trainers "
            + "pass data and models along teacher -> student lineages; priorflow measures which priors are "
            + "amplified, which are lost, and where each came from.",
        ""},
    subcommands = {RunCommand.class, ValidateCommand.class, ReportCommand.class, BenchCommand.class, NodeCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Examples:", "  ./priorflow run scenarios/quickstart.yaml", "  ./priorflow validate scenarios/*.yaml",
        "  ./priorflow bench kernels"})
public final class Main implements Runnable {

  public static void main(String[] args) { System.exit(execute(args)); }

  /** Runs the command line and returns its exit status (tests call this instead of main). */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof IllegalArgumentException) {
        cmd.getErr().println("priorflow: " + ex.getMessage());
        return 2;
      }
      cmd.getErr().println("priorflow: failed: " + ex);
      if (System.getenv("PF_DEBUG") != null) ex.printStackTrace(cmd.getErr());
      else cmd.getErr().println("priorflow: set PF_DEBUG=1 for the stack trace.");
      return 1;
    });
    return cl.execute(args);
  }

  @Override
  public void run() { CommandLine.usage(this, System.out); }

  /** Reads the version from the jar manifest, or says it is a development build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"priorflow " + (v != null ? v : "(development build)"),
          "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }
  }
}
