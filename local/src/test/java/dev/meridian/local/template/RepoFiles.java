package dev.meridian.local.template;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's real template.yaml and samconfig.toml, found from the test's working directory. */
public final class RepoFiles {

  private RepoFiles() {}

  /** The repository root: the nearest ancestor of the working directory with template.yaml and samconfig.toml. */
  public static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isRegularFile(dir.resolve("samconfig.toml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no template.yaml + samconfig.toml above " + Path.of("").toAbsolutePath());
  }

  public static Path template() {
    return root().resolve("template.yaml");
  }

  public static Path samconfig() {
    return root().resolve("samconfig.toml");
  }

  public static TemplateResolver resolver() {
    return TemplateResolver.load(template());
  }

  public static Samconfig config() {
    return Samconfig.load(samconfig());
  }
}
