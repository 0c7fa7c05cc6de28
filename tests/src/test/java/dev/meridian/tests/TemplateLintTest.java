package dev.meridian.tests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The template is lint-clean (zero errors, warnings and informational findings) for every region
 * in samconfig.toml: with default parameters, and after the SAM transform with each environment's
 * own parameter values. deploy/validate.sh does the work so that users run the same check.
 */
class TemplateLintTest {

  @Test
  void templateIsCleanForEveryDeploymentRegion() throws Exception {
    ExternalTool.assumeInstalled("cfn-lint", "pip install cfn-lint");
    ExternalTool.Result result = ExternalTool.run(300, "bash", "deploy/validate.sh");
    System.out.println(result.output());
    assertThat(result.exitCode()).as("deploy/validate.sh exit code; output:%n%s", result.output()).isZero();
    assertThat(result.output()).contains("us-east-1", "eu-west-1", "ap-southeast-1");
  }
}
