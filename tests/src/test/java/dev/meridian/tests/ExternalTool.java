package dev.meridian.tests;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meridian.testkit.RepositoryRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool from the repository root; skips (with the reason) when it is not installed. */
public final class ExternalTool {
  public record Result(int exitCode, String output) {}

  private ExternalTool() {}

  public static void assumeInstalled(String command, String installHint) {
    boolean found = List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
        .anyMatch(dir -> Path.of(dir, command).toFile().canExecute());
    if (!found) {
      System.err.println("SKIPPED: " + command + " is not installed (" + installHint + ")");
    }
    assumeTrue(found, command + " is not installed: " + installHint);
  }

  public static Result run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
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
