package dev.meridian.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.testkit.RepositoryRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * samconfig.toml ships placeholders for the values only a real deployment has (the JWT issuer and
 * the app clients' ids). The offline checks accept them; {@code check --deployable}, which
 * deploy/deploy.sh runs before a real deployment, refuses them, so a deployment can no longer
 * succeed with an issuer that makes every route answer 401.
 */
class DeployPlaceholdersTest {
  private static final Path ROOT = RepositoryRoot.path();

  @Test
  void theShippedConfigPassesTheOfflineCheckButIsNotDeployable() throws Exception {
    ExternalTool.assumeInstalled("python3", "Python 3.11 or later");
    ExternalTool.Result offline = ExternalTool.run(60, "python3", "deploy/samconfig_tool.py", "check");
    assertThat(offline.exitCode()).as(offline.output()).isZero();

    ExternalTool.Result deployable = ExternalTool.run(60, "python3", "deploy/samconfig_tool.py", "check", "--deployable");
    assertThat(deployable.exitCode()).as(deployable.output()).isEqualTo(1);
    assertThat(deployable.output()).contains("JwtIssuer='https://REPLACE-ME.invalid/oidc-issuer' is a placeholder")
        .contains("JwtCustomerClientIds").contains("JwtAdminClientId").contains("JwtOperationsClientId");
  }

  @Test
  void aConfigWithRealValuesIsDeployable() throws Exception {
    ExternalTool.assumeInstalled("python3", "Python 3.11 or later");
    String real = Files.readString(ROOT.resolve("samconfig.toml"))
        .replace("https://REPLACE-ME.invalid/oidc-issuer", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example")
        .replace("REPLACE-ME-customer-client-id", "4customerclient").replace("REPLACE-ME-admin-client-id", "4adminclient")
        .replace("REPLACE-ME-operations-client-id", "4operationsclient");
    assertThat(real).doesNotContain("REPLACE-ME");
    Path config = Files.createTempFile("samconfig-", ".toml");
    try {
      Files.writeString(config, real);
      ExternalTool.Result result = ExternalTool.run(60, "python3", "deploy/samconfig_tool.py", "--config", config.toString(),
          "check", "--deployable");
      assertThat(result.exitCode()).as(result.output()).isZero();
    } finally {
      Files.deleteIfExists(config);
    }
  }

  @Test
  void theDeployScriptRunsTheDeployableCheckBeforeARealDeployment() throws Exception {
    assertThat(Files.readString(ROOT.resolve("deploy/deploy.sh"))).contains("check --deployable");
  }
}
