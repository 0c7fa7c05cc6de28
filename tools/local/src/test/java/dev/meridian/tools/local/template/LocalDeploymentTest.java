package dev.meridian.tools.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.meridian.tools.local.model.RegionModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalDeploymentTest {

  private static final String LOCAL_ISSUER = "http://127.0.0.1:8321";

  @Test
  void defaultIsThreeRegionsHomeFirstWithSamconfigPeers() {
    LocalDeployment d = LocalDeployment.of(RepoFiles.config());

    assertThat(d.regions()).containsExactly("us-east-1", "eu-west-1", "ap-southeast-1");
    assertThat(d.homeRegion()).isEqualTo("us-east-1");
    assertThat(d.parameters("ap-southeast-1")).contains(entry("PeerRegion1", "us-east-1"),
        entry("PeerRegion2", "eu-west-1"), entry("PeerRegion3", "ap-southeast-1"), entry("PeerRegion4", ""));
    assertThat(d.uncheckedParameters()).isEmpty();
    assertThat(d.stack("eu-west-1").stackName()).isEqualTo("meridian");
  }

  @Test
  void everyRegionButTheHomeGetsItsReplicasStreamArnAsDeployShComputesIt() {
    LocalDeployment d = LocalDeployment.of(RepoFiles.config());

    // samconfig lists it "" everywhere; deploy.sh passes the replica's stream outside the home region
    assertThat(RepoFiles.config().environment("eu-west-1").orElseThrow().parameterOverrides())
        .containsEntry("TableStreamArn", "");
    assertThat(d.parameters("us-east-1")).containsEntry("TableStreamArn", "");
    assertThat(d.parameters("eu-west-1")).containsEntry("TableStreamArn",
        "arn:aws:dynamodb:eu-west-1:123456789012:table/meridian/stream/" + LocalNames.PLACEHOLDER_STREAM_LABEL);
    assertThat(d.parameters("ap-southeast-1")).containsEntry("TableStreamArn",
        LocalNames.streamArn("ap-southeast-1", "meridian"));
    // an explicit value wins
    String given = "arn:aws:dynamodb:eu-west-1:123456789012:table/meridian/stream/2026-01-01T00:00:00.000";
    assertThat(LocalDeployment.builder(RepoFiles.config()).parameter("TableStreamArn", given).build()
        .parameters("eu-west-1")).containsEntry("TableStreamArn", given);
  }

  @Test
  void twoRegionsRewriteThePeerListsEverywhere() {
    LocalDeployment d = LocalDeployment.of(RepoFiles.config(), 2);

    assertThat(d.regions()).containsExactly("us-east-1", "eu-west-1");
    for (String region : d.regions()) {
      assertThat(d.parameters(region)).contains(entry("PeerRegion1", "us-east-1"), entry("PeerRegion2", "eu-west-1"),
          entry("PeerRegion3", ""), entry("PeerRegion4", ""), entry("ActivePassivePrimaryRegion", "us-east-1"),
          entry("ActivePassiveStandbyRegion", "eu-west-1"));
    }
    assertThatThrownBy(() -> d.parameters("ap-southeast-1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void homeRegionComesFirstEvenWhenLaterInTheFileAndUnchosenActivePassiveRegionsAreReplaced() {
    Samconfig config = Samconfig.parse("""
        [eu.deploy.parameters]
        stack_name = "m"
        region = "eu-west-1"
        parameter_overrides = "TableHomeRegion=us-east-1 ActivePassivePrimaryRegion=ap-southeast-1 ActivePassiveStandbyRegion=eu-west-1"
        [ap.deploy.parameters]
        stack_name = "m"
        region = "ap-southeast-1"
        parameter_overrides = "TableHomeRegion=us-east-1 ActivePassivePrimaryRegion=ap-southeast-1 ActivePassiveStandbyRegion=eu-west-1"
        [us.deploy.parameters]
        stack_name = "m"
        region = "us-east-1"
        parameter_overrides = "TableHomeRegion=us-east-1 ActivePassivePrimaryRegion=ap-southeast-1 ActivePassiveStandbyRegion=eu-west-1"
        """, Path.of("samconfig.toml"));

    LocalDeployment two = LocalDeployment.of(config, 2);
    assertThat(two.regions()).containsExactly("us-east-1", "eu-west-1");
    assertThat(two.parameters("eu-west-1")).contains(entry("ActivePassivePrimaryRegion", "us-east-1"),
        entry("ActivePassiveStandbyRegion", "eu-west-1"));

    LocalDeployment three = LocalDeployment.of(config, 3);
    assertThat(three.regions()).containsExactly("us-east-1", "eu-west-1", "ap-southeast-1");
    assertThat(three.parameters("us-east-1")).contains(entry("ActivePassivePrimaryRegion", "ap-southeast-1"),
        entry("ActivePassiveStandbyRegion", "eu-west-1"));
  }

  @Test
  void localIssuerIsAcceptedOnlyAsAnOverride() {
    TemplateResolver resolver = RepoFiles.resolver();
    LocalDeployment d = LocalDeployment.builder(RepoFiles.config()).regionCount(2).jwtIssuer(LOCAL_ISSUER)
        .jwtClients("local-customer", "local-admin", "local-operations").deploymentMode("active-passive").build();

    RegionModel model = d.model(resolver, "eu-west-1");
    assertThat(model.api().issuer()).isEqualTo(LOCAL_ISSUER);
    assertThat(model.api().audience()).containsExactly("local-customer");
    assertThat(model.api().jwtAuthorizer("AdminJwt")).hasValueSatisfying(admin -> assertThat(admin.audience())
        .containsExactly("local-admin", "local-operations"));
    assertThat(model.functions().stream().filter(f -> f.logicalId().equals("OrdersFunction")).findFirst().orElseThrow()
        .environment()).contains(entry("JWT_CUSTOMER_CLIENT_IDS", "local-customer"), entry("JWT_ADMIN_CLIENT_IDS", "local-admin"),
        entry("JWT_OPERATIONS_CLIENT_IDS", "local-operations"), entry("ADMIN_GROUP", "meridian-admins"));
    assertThat(model.parameters()).contains(entry("DeploymentMode", "active-passive"));
    assertThat(model.functions()).allSatisfy(f -> assertThat(f.environment())
        .contains(entry("DEPLOYMENT_MODE", "active-passive")));
    assertThat(d.uncheckedParameters()).containsExactlyInAnyOrder("JwtIssuer", "JwtCustomerClientIds", "JwtAdminClientId",
        "JwtOperationsClientId");

    // the same value NOT given as an override is validated like any samconfig value
    LocalDeployment sneaky = LocalDeployment.builder(RepoFiles.config()).parameter("LogLevel", "INFO").build();
    StackParameters stack = sneaky.stack("us-east-1");
    java.util.Map<String, String> withHttp = new java.util.HashMap<>(stack.parameters());
    withHttp.put("JwtIssuer", LOCAL_ISSUER);
    assertThatThrownBy(() -> resolver.resolve(new StackParameters("us-east-1", "meridian", withHttp)))
        .isInstanceOf(ParameterValidationException.class)
        .hasMessageContaining("JwtIssuer = '" + LOCAL_ISSUER + "' does not match AllowedPattern ^https://.+")
        .hasMessageContaining("must be an https:// issuer URL");
  }

  @Test
  void otherOverridesAreStillValidated() {
    LocalDeployment d = LocalDeployment.builder(RepoFiles.config()).deploymentMode("active-standby")
        .parameter("LogLevel", "CHATTY").parameter("ThrottlingRateLimit", "0").build();

    assertThatThrownBy(() -> d.model(RepoFiles.resolver(), "us-east-1"))
        .isInstanceOfSatisfying(ParameterValidationException.class, e -> assertThat(e.violations()).containsExactly(
            "DeploymentMode = 'active-standby' is not one of the AllowedValues [active-active, active-passive]",
            "ThrottlingRateLimit = '0' is below MinValue 1",
            "LogLevel = 'CHATTY' is not one of the AllowedValues [TRACE, DEBUG, INFO, WARN, ERROR]"))
        .hasMessageStartingWith("invalid template parameters for region us-east-1:");
  }

  @Test
  void impossibleRegionCountsAndInconsistentHomesAreRejected() {
    assertThatThrownBy(() -> LocalDeployment.of(RepoFiles.config(), 4)).isInstanceOf(TemplateException.class)
        .hasMessageContaining("choose 1..3");
    assertThatThrownBy(() -> LocalDeployment.of(RepoFiles.config(), 0)).isInstanceOf(TemplateException.class);
    Samconfig inconsistent = Samconfig.parse("""
        [a.deploy.parameters]
        stack_name = "m"
        region = "us-east-1"
        parameter_overrides = "TableHomeRegion=us-east-1"
        [b.deploy.parameters]
        stack_name = "m"
        region = "eu-west-1"
        parameter_overrides = "TableHomeRegion=eu-west-1"
        """, Path.of("samconfig.toml"));
    assertThatThrownBy(() -> LocalDeployment.of(inconsistent)).isInstanceOf(TemplateException.class)
        .hasMessageContaining("TableHomeRegion must be set to the same region in every environment");
    assertThatThrownBy(() -> LocalDeployment.builder(RepoFiles.config()).parameter("PeerRegion2", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
