package dev.meridian.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository root, the one way every test and tool finds {@code template.yaml}, {@code
 * openapi.yaml}, {@code events/} and the function zips: the system property {@value #PROPERTY} when
 * set (the launch scripts set it), else the nearest directory at or above the working directory
 * that holds both {@code template.yaml} and {@code openapi.yaml} (Maven runs tests in the module's
 * directory, any depth below the root).
 */
public final class RepositoryRoot {
  public static final String PROPERTY = "meridian.root";

  private RepositoryRoot() {}

  public static Path path() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    Path start = Path.of("").toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isRegularFile(dir.resolve("openapi.yaml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no template.yaml beside an openapi.yaml at or above " + start
        + "; run from inside the repository or set -D" + PROPERTY);
  }

  /** {@code name} resolved against {@link #path()}. */
  public static Path file(String name) {
    return path().resolve(name);
  }
}
