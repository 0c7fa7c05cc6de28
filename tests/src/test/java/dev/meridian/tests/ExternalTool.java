package dev.meridian.tests;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meridian.testkit.RepositoryRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command-line tool from the repository root; skips (with the reason) when it is not
 * installed, or when the build asks to leave external tools out ({@code -Pfast} sets {@value
 * #SKIP_PROPERTY}: cfn-lint, the SAM transform, Redocly and the deploy scripts check the template
 * and the docs, not the code a fast loop is for).
 */
public final class ExternalTool {
  public record Result(int exitCode, String output) {}

  static final String SKIP_PROPERTY = "meridian.skipExternalTools";

  private ExternalTool() {}

  public static void assumeInstalled(String command, String installHint) {
    assumeNotLeftOut(command);
    boolean found = List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
        .anyMatch(dir -> Path.of(dir, command).toFile().canExecute());
    if (!found) {
      System.err.println("SKIPPED: " + command + " is not installed (" + installHint + ")");
    }
    assumeTrue(found, command + " is not installed: " + installHint);
  }

  private static void assumeNotLeftOut(String command) {
    if (Boolean.getBoolean(SKIP_PROPERTY)) {
      System.err.println("SKIPPED: " + command + " is left out of this build (" + SKIP_PROPERTY
          + "=true, set by -Pfast; ./mvnw -B verify runs it)");
    }
    assumeTrue(!Boolean.getBoolean(SKIP_PROPERTY), command + " is left out of this build (-Pfast)");
  }

  public static Result run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
    assumeNotLeftOut(command[0]);
    Process process = new ProcessBuilder(command)
        .directory(RepositoryRoot.path().toFile())
        .redirectErrorStream(true)
        .start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
