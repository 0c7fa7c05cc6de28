package dev.meridian.tests.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.tools.local.model.DnsSpec;
import dev.meridian.tools.local.model.HttpApiSpec;
import dev.meridian.tools.local.template.LocalDeployment;
import dev.meridian.tools.local.template.Samconfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue #16, Health: in every region the Route 53 health check calls the secret stage
 * ({@code HealthCheckStage}, named by the NoEcho parameter {@code HealthCheckPath}) and never the
 * public {@code GET /health}; the stage and the public route have throttles of their own, the
 * public one below the customer routes'; the secret appears in no output and never in
 * samconfig.toml.
 */
class HealthCheckContractTest {
  static final String PARAMETER = LocalDeployment.HEALTH_CHECK_PATH;

  static Stream<String> regions() {
    return Contract.deployment().regions().stream();
  }

  @ParameterizedTest
  @MethodSource("regions")
  void route53CallsTheSecretStageNeverThePublicRoute(String region) {
    String secret = Contract.deployment().parameters(region).get(PARAMETER);
    DnsSpec dns = Contract.resolver().resolveDnsAssumingCustomDomain(Contract.deployment().stack(region)).orElseThrow();
    assertThat(dns.healthCheck().resourcePath()).as(region + " RegionalHealthCheck ResourcePath")
        .isEqualTo("/" + secret + "/health")
        .isNotEqualTo("/health");
    HttpApiSpec api = Contract.model(region).api();
    assertThat(api.stages()).as(region + ": the API's stages besides $default").containsOnlyKeys(secret);
  }

  @ParameterizedTest
  @MethodSource("regions")
  void thePublicHealthRouteAndTheSecretStageAreThrottledApartAndBelowTheCustomerRoutes(String region) {
    HttpApiSpec api = Contract.model(region).api();
    String secret = Contract.deployment().parameters(region).get(PARAMETER);
    HttpApiSpec.Throttle publicHealth = api.routeThrottles().get("GET /health");
    assertThat(publicHealth).as(region + ": RouteSettings for GET /health").isNotNull();
    assertThat(publicHealth.rateLimit()).as("public /health rate").isLessThan(api.throttlingRateLimit());
    assertThat(publicHealth.burstLimit()).as("public /health burst").isLessThan(api.throttlingBurstLimit());
    HttpApiSpec.Throttle checkers = api.stages().get(secret);
    // Route 53's checkers send about 1-2 requests per second at RequestInterval 10: room for 10 times that.
    assertThat(checkers.rateLimit()).as("the secret stage's rate").isGreaterThanOrEqualTo(10);
    assertThat(checkers.burstLimit()).as("the secret stage's burst").isGreaterThanOrEqualTo(20);
    assertThat(api.routeThrottles()).as("only the public health route overrides the default route throttle")
        .containsOnlyKeys("GET /health");
  }

  @ParameterizedTest
  @MethodSource("regions")
  void noOutputCarriesTheSecret(String region) {
    String secret = Contract.deployment().parameters(region).get(PARAMETER);
    assertThat(Contract.stack(region).outputs()).allSatisfy((name, value) ->
        assertThat(value).as(region + " output " + name).doesNotContain(secret));
  }

  @Test
  void theParameterIsNoEchoWithoutADefaultAndSamconfigKeepsItEmpty() throws IOException {
    String template = Files.readString(Contract.TEMPLATE);
    Matcher block = Pattern.compile("(?m)^  " + PARAMETER + ":\\n((?:    .*\\n)+)").matcher(template);
    assertThat(block.find()).as(PARAMETER + " is declared").isTrue();
    assertThat(block.group(1)).as(PARAMETER + " declaration").contains("NoEcho: true").doesNotContain("Default:");
    assertThat(template).as("the rule refusing an empty " + PARAMETER).contains("HealthCheckPathIsSet:");
    List<Samconfig.Environment> environments = Contract.samconfig().environments();
    assertThat(environments).isNotEmpty().allSatisfy(e -> assertThat(e.parameterOverrides())
        .as(e.name() + " parameter_overrides").containsEntry(PARAMETER, ""));
  }
}
