package dev.meridian.drill;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root from a test's working directory: itself, or its parent when Maven runs in the module. */
final class RepositoryRoot {
  private RepositoryRoot() {}

  static Path path() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("template.yaml")) ? here : here.getParent();
  }
}
