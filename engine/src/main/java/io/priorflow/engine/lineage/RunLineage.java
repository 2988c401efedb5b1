package io.priorflow.engine.lineage;

import java.util.List;

/**
 * What a run was: the scenario, the seed, how it was invoked, and where it ran [Tribuo ModelProvenance records
 * java, os and arch because results may differ between them]. The backend and device are here because GPU
 * reductions round differently from the Java backend. No wall-clock times (STYLE §6): times go to
 * {@code events.jsonl}.
 *
 * @param scenarioSha256 SHA-256 of the resolved scenario file, 64 lowercase hex digits
 * @param seed           the scenario seed
 * @param invocation     the command-line arguments that can change results, in order (the caller leaves out
 *                       output-only options such as {@code --out}, so re-runs into other directories agree)
 * @param backend        the kernel backend's name, e.g. "java", "reference", "tornado"
 * @param device         the device the backend ran on, e.g. "cpu" or a GPU's name
 * @param javaVersion    {@code java.vendor} and {@code java.version}
 * @param os             {@code os.name} and {@code os.arch}
 * @param projectVersion priorflow's build: its version, then {@code +} and the git commit it was built from when
 *                       known (semantic versioning's build metadata), e.g. {@code 0.1.0-SNAPSHOT+c7ac4249…}
 */
public record RunLineage(String scenarioSha256, long seed, List<String> invocation, String backend, String device,
                         String javaVersion, String os, String projectVersion) {

  /** Checks the fields; copies the invocation. */
  public RunLineage {
    if (scenarioSha256 == null || !scenarioSha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("scenarioSha256 must be 64 lowercase hex digits, was " + scenarioSha256 + ".");
    }
    invocation = invocation == null ? List.of() : List.copyOf(invocation);
    require("backend", backend);
    require("device", device);
    require("javaVersion", javaVersion);
    require("os", os);
    require("projectVersion", projectVersion);
  }

  /** A run lineage with this JVM's Java, OS and priorflow versions. */
  public static RunLineage current(String scenarioSha256, long seed, List<String> invocation, String backend,
                                   String device) {
    return new RunLineage(scenarioSha256, seed, invocation, backend, device,
        System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        currentProjectVersion());
  }

  /**
   * priorflow's build as {@code version+commit}: the version and git commit Maven wrote into build.properties
   * (engine/pom.xml), or the jar manifest's version, or "dev" (classes an IDE compiled without Maven). Nodes of a
   * cluster compare it, so they must run the same build. In lineage.json, so a run says which code made it; the
   * same build gives the same text, so re-runs stay byte-identical.
   */
  public static String currentProjectVersion() {
    return projectVersion(BUILD, RunLineage.class.getPackage().getImplementationVersion());
  }

  /**
   * {@link #currentProjectVersion()} from build.properties' values (placeholders removed) and the manifest's
   * version (null: none); apart so a test can give it a build without a version or a commit.
   */
  static String projectVersion(java.util.Properties build, String manifest) {
    String version = build.getProperty("version", manifest == null ? "dev" : manifest);
    String commit = build.getProperty("commit");
    return commit == null || commit.equals("unknown") ? version : version + "+" + commit;
  }

  private static final java.util.Properties BUILD = readBuild();

  private static java.util.Properties readBuild() {
    java.util.Properties p = new java.util.Properties();
    try (java.io.InputStream in = RunLineage.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot read priorflow's build.properties.", e);
    }
    // an unfiltered copy (an IDE copying resources as they are) holds placeholders: they are not values
    p.entrySet().removeIf(e -> e.getValue().toString().contains("${") || e.getValue().toString().isBlank());
    return p;
  }

  private static void require(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("A run lineage needs " + field + ", was " + value + ".");
    }
  }
}
