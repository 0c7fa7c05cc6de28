package dev.meridian.tests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** openapi.yaml passes Redocly's recommended rules (redocly.yaml) with no error and no warning. */
class OpenApiLintTest {
  /** Pinned: the version tested on this project's machines (npm registry). */
  static final String REDOCLY = "@redocly/cli@2.77.0";

  @Test
  void openApiDocumentIsLintClean() throws Exception {
    ExternalTool.assumeInstalled("npx", "install Node.js and npm");
    ExternalTool.Result result = ExternalTool.run(600, "npx", "--yes", REDOCLY, "lint", "--format", "stylish", "openapi.yaml");
    System.out.println(result.output());
    assertThat(result.exitCode()).as("redocly lint exit code; output:%n%s", result.output()).isZero();
    // Redocly exits 0 on warnings; it reports them as "You have N warnings".
    assertThat(result.output()).contains("Your API description is valid").doesNotContain("You have");
  }
}
