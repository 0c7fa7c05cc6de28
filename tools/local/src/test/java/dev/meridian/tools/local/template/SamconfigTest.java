package dev.meridian.tools.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamconfigTest {

  private static final Path FILE = Path.of("samconfig.toml");

  @Test
  void realSamconfigHasTheThreeRegionsInFileOrder() {
    Samconfig config = RepoFiles.config();

    assertThat(config.environments()).extracting(Samconfig.Environment::name)
        .containsExactly("us-east-1", "eu-west-1", "ap-southeast-1");
    assertThat(config.environments()).extracting(Samconfig.Environment::region)
        .containsExactly("us-east-1", "eu-west-1", "ap-southeast-1");
    assertThat(config.environments()).extracting(Samconfig.Environment::stackName).containsOnly("meridian");
  }

  @Test
  void realParameterOverridesAreParsedIncludingEmptyQuotedValues() {
    Map<String, String> p = RepoFiles.config().environment("eu-west-1").orElseThrow().parameterOverrides();

    assertThat(p).containsKeys("TableName", "DeployFingerprint", "TableStreamArn", "AlarmTopicArn",
        "AlarmEmail", "HealthReservedConcurrency", "HealthCheckPath", "JwtCustomerClientIds");
    assertThat(p).contains(entry("TableHomeRegion", "us-east-1"), entry("PeerRegion1", "us-east-1"),
        entry("PeerRegion2", "eu-west-1"), entry("PeerRegion3", "ap-southeast-1"), entry("PeerRegion4", ""),
        entry("DomainName", ""), entry("DeployFingerprint", ""), entry("TableStreamArn", ""), entry("JwtIssuer",
            "https://REPLACE-ME.invalid/oidc-issuer"), entry("ThrottlingRateLimit", "100"));
    // every template parameter is listed (samconfig.toml's own rule); the secret health-check stage,
    // empty in samconfig.toml, gets a value of its shape, as deploy.sh gives it
    Map<String, String> deployed = new HashMap<>(p);
    deployed.put("HealthCheckPath", "0".repeat(32));
    assertThat(p.keySet()).containsExactlyInAnyOrderElementsOf(
        RepoFiles.resolver().evaluate(new StackParameters("us-east-1", "meridian", deployed)).parameters().keySet());
  }

  @Test
  void overridesGrammarFollowsTheSamCli() {
    assertThat(Samconfig.parseParameterOverrides(
        " A=1  B=\"two words\" C='single \"q\"' D=\"\" E=x\\ y F=\"esc \\\" quote\" G=a=b "))
        .containsExactly(entry("A", "1"), entry("B", "two words"), entry("C", "single \"q\""), entry("D", ""),
            entry("E", "x y"), entry("F", "esc \" quote"), entry("G", "a=b"));
    assertThat(Samconfig.parseParameterOverrides("ParameterKey=A,ParameterValue=1 ParameterKey=B,ParameterValue=\"x y\""))
        .containsExactly(entry("A", "1"), entry("B", "x y"));
    assertThat(Samconfig.parseParameterOverrides("P=C:\\dir")).containsExactly(entry("P", "C:\\dir"));
    assertThat(Samconfig.parseParameterOverrides("   ")).isEmpty();
  }

  @Test
  void malformedOverridesAreRejected() {
    assertThatThrownBy(() -> Samconfig.parseParameterOverrides("A=1 junk"))
        .isInstanceOf(TemplateException.class).hasMessageContaining("Key=Value");
    assertThatThrownBy(() -> Samconfig.parseParameterOverrides("A=\"open"))
        .isInstanceOf(TemplateException.class).hasMessageContaining("unterminated");
    assertThatThrownBy(() -> Samconfig.parseParameterOverrides("A=\"x\"y"))
        .isInstanceOf(TemplateException.class).hasMessageContaining("unexpected");
  }

  @Test
  void listFormGlobalSectionAndNonDeployTablesAreHandled() {
    Samconfig config = Samconfig.parse("""
        version = 0.1
        [default.global.parameters]
        stack_name = "ignored"
        [b.global.parameters]
        stack_name = "from-global"
        region = "eu-west-1"
        [b.deploy.parameters]
        parameter_overrides = ["A=1", "B=\\"x y\\"", "C=3 D=4"]
        [a.deploy.parameters]
        stack_name = "s"
        region = "us-east-1"
        parameter_overrides = "A=2"
        """, FILE);

    assertThat(config.environments()).extracting(Samconfig.Environment::name).containsExactly("b", "a");
    Samconfig.Environment b = config.environment("b").orElseThrow();
    assertThat(b.stackName()).isEqualTo("from-global");
    assertThat(b.region()).isEqualTo("eu-west-1");
    assertThat(b.parameterOverrides()).containsExactly(entry("A", "1"), entry("B", "x y"), entry("C", "3"),
        entry("D", "4"));
    assertThat(config.environmentForRegion("us-east-1").orElseThrow().parameterOverrides())
        .containsExactly(entry("A", "2"));
  }

  @Test
  void anEnvironmentWithoutRegionIsAnError() {
    assertThatThrownBy(() -> Samconfig.parse("[x.deploy.parameters]\nstack_name = \"s\"\n", FILE))
        .isInstanceOf(TemplateException.class).hasMessageContaining("[x]").hasMessageContaining("no region");
    assertThatThrownBy(() -> Samconfig.parse("[x.deploy\n", FILE))
        .isInstanceOf(TemplateException.class).hasMessageContaining("not valid TOML");
  }
}
