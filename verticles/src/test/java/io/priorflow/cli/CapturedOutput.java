package io.priorflow.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures System.out and System.err during each test, for command-line tests:
 * {@code @RegisterExtension final CapturedOutput io = new CapturedOutput();} then {@code io.out()}, {@code io.err()}.
 */
final class CapturedOutput implements BeforeEachCallback, AfterEachCallback {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
  private PrintStream oldOut, oldErr;

  @Override
  public void beforeEach(ExtensionContext context) {
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

  /** Everything printed on System.out so far in this test. */
  String out() { return out.toString(StandardCharsets.UTF_8); }

  /** Everything printed on System.err so far in this test. */
  String err() { return err.toString(StandardCharsets.UTF_8); }
}
