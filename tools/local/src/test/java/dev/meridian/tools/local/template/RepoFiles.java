package dev.meridian.tools.local.template;

import dev.meridian.testkit.RepositoryRoot;
import java.nio.file.Path;

/** The repository's real template.yaml and samconfig.toml, found from the test's working directory. */
public final class RepoFiles {

  private RepoFiles() {}

  public static Path template() {
    return RepositoryRoot.file("template.yaml");
  }

  public static Path samconfig() {
    return RepositoryRoot.file("samconfig.toml");
  }

  public static TemplateResolver resolver() {
    return TemplateResolver.load(template());
  }

  public static Samconfig config() {
    return Samconfig.load(samconfig());
  }
}
