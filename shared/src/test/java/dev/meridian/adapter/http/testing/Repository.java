package dev.meridian.adapter.http.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files at the repository root ({@code openapi.yaml}, {@code events/}) as seen from a module's
 * tests: Maven runs them in the module's basedir ({@code shared}, {@code functions/<name>}).
 */
public final class Repository {
  private Repository() {}

  /** The first directory at or above the basedir that holds both {@code openapi.yaml} and {@code events/}. */
  public static Path root() {
    Path start = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("events")) && Files.isRegularFile(dir.resolve("openapi.yaml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no events/ folder next to an openapi.yaml above " + start);
  }

  /** {@code name} resolved against {@link #root()}. */
  public static Path file(String name) {
    return root().resolve(name);
  }
}
