package dev.meridian.tests.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.tools.local.template.EvaluatedStack;
import dev.meridian.tools.local.template.Samconfig;
import dev.meridian.tools.local.template.StackParameters;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * samconfig.toml against template.yaml's Parameters, read with {@link Samconfig} and evaluated with
 * the project's {@code TemplateResolver} (which validates parameters and asserts the Rules).
 */
class SamconfigContractTest {

  static Stream<Samconfig.Environment> environments() {
    return Contract.samconfig().environments().stream();
  }

  /** The template's parameter names (every one gets an effective value in an evaluated stack). */
  static Set<String> templateParameters() {
    return Contract.stack(Contract.homeRegion()).parameters().keySet();
  }

  /**
   * Parameters without a Default: evaluating a stack that omits one fails with "P has no value
   * (no override and no Default)"; the resolver owns that rule, so this asks it rather than
   * reading the template a second time.
   */
  static SortedSet<String> parametersWithoutDefault() {
    Samconfig.Environment any = Contract.samconfig().environments().get(0);
    SortedSet<String> out = new TreeSet<>();
    for (String name : templateParameters()) {
      Map<String, String> without = new LinkedHashMap<>(any.parameterOverrides());
      without.remove(name);
      try {
        Contract.resolver().evaluate(new StackParameters(any.region(), any.stackName(), without));
      } catch (RuntimeException e) {
        if (String.valueOf(e.getMessage()).contains(name + " has no value")) {
          out.add(name);
        }
      }
    }
    return out;
  }

  @Test
  void thereAreEnvironments() {
    assertThat(Contract.samconfig().environments()).as("deployable environments in samconfig.toml").isNotEmpty();
    assertThat(parametersWithoutDefault()).as("the template's required parameters (sanity check of the probe)")
        .contains("TableHomeRegion", "JwtIssuer", "JwtCustomerClientIds", "JwtAdminClientId", "JwtOperationsClientId");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("environments")
  void everyOverrideIsATemplateParameter(Samconfig.Environment env) {
    SortedSet<String> unknown = new TreeSet<>(env.parameterOverrides().keySet());
    unknown.removeAll(templateParameters());
    assertThat(unknown).as("samconfig environment " + env.name() + ": parameter_overrides not in template.yaml"
        + " Parameters").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("environments")
  void everyParameterWithoutDefaultIsSet(Samconfig.Environment env) {
    SortedSet<String> missing = parametersWithoutDefault();
    missing.removeAll(env.parameterOverrides().keySet());
    assertThat(missing).as("samconfig environment " + env.name() + ": template parameters without a Default"
        + " missing from parameter_overrides").isEmpty();
  }

  /** samconfig.toml's own rule: every parameter listed, so sam deploy never re-uses a previous value. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("environments")
  void everyParameterIsListed(Samconfig.Environment env) {
    SortedSet<String> missing = new TreeSet<>(templateParameters());
    missing.removeAll(env.parameterOverrides().keySet());
    assertThat(missing).as("samconfig environment " + env.name() + ": template parameters not listed in"
        + " parameter_overrides (sam deploy would silently keep the previous deployment's value)").isEmpty();
  }

  /** Parameters deploy/deploy.sh computes per deployment (deploy/samconfig_tool.py COMPUTED_PARAMETERS). */
  static final Set<String> COMPUTED = Set.of("DeployFingerprint", "TableStreamArn", "HealthCheckPath");

  /**
   * What deploy.sh passes: samconfig's values, plus TableStreamArn outside the home region (the
   * replica's stream; here the ARN the local deployment predicts, as validate.sh uses a placeholder)
   * and HealthCheckPath (the secret stage name; here the local deployment's random one).
   */
  static StackParameters asDeployed(Samconfig.Environment env) {
    Map<String, String> p = new LinkedHashMap<>(env.parameterOverrides());
    p.put("HealthCheckPath", Contract.deployment().parameters(env.region()).get("HealthCheckPath"));
    if (!env.region().equals(Contract.homeRegion())) {
      p.put("TableStreamArn", Contract.deployment().parameters(env.region()).get("TableStreamArn"));
    }
    return new StackParameters(env.region(), env.stackName(), p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("environments")
  void environmentEvaluates(Samconfig.Environment env) {
    try {
      EvaluatedStack stack = Contract.resolver().evaluate(asDeployed(env));
      assertThat(stack.region()).isEqualTo(env.region());
    } catch (RuntimeException e) {
      throw new AssertionError("samconfig environment " + env.name() + " (with the parameters deploy.sh computes)"
          + " does not evaluate against template.yaml (constraints, Rules): " + e.getMessage(), e);
    }
  }

  /** A value in samconfig would be stale (a fingerprint, an old stream) or silently overwritten by deploy.sh. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("environments")
  void computedParametersAreListedEmpty(Samconfig.Environment env) {
    for (String name : COMPUTED) {
      assertThat(env.parameterOverrides()).as("samconfig environment " + env.name() + ": " + name
          + " is computed by deploy/deploy.sh and must be listed as \"\"").containsEntry(name, "");
    }
  }

  /** The template's rule stops a stack deployed without the health check's secret path (a hand-run sam deploy). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("environments")
  void aStackDeployedWithoutItsHealthCheckPathIsRejected(Samconfig.Environment env) {
    Map<String, String> p = new LinkedHashMap<>(asDeployed(env).parameters());
    p.put("HealthCheckPath", "");
    assertThatThrownBy(() -> Contract.resolver().evaluate(new StackParameters(env.region(), env.stackName(), p)))
        .as("samconfig environment " + env.name() + " with HealthCheckPath=\"\"")
        .hasMessageContaining("HealthCheckPathIsSet");
  }

  /** samconfig's values and a health-check path, as a hand-run deploy that forgot only the stream. */
  static StackParameters withHealthCheckPath(Samconfig.Environment env) {
    Map<String, String> p = new LinkedHashMap<>(env.parameterOverrides());
    p.put("HealthCheckPath", Contract.deployment().parameters(env.region()).get("HealthCheckPath"));
    return new StackParameters(env.region(), env.stackName(), p);
  }

  /** The template's rule stops a replica stack deployed without its stream (a hand-run sam deploy). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("environments")
  void aReplicaRegionDeployedWithoutItsStreamArnIsRejected(Samconfig.Environment env) {
    StackParameters withoutStream = withHealthCheckPath(env);
    if (env.region().equals(Contract.homeRegion())) {
      assertThat(Contract.resolver().evaluate(withoutStream).region()).isEqualTo(env.region());
      return;
    }
    assertThatThrownBy(() -> Contract.resolver().evaluate(withoutStream))
        .as("samconfig environment " + env.name() + " with TableStreamArn=\"\"")
        .hasMessageContaining("ReplicaStackKnowsItsStream");
  }

  @Test
  void sharedParametersAgreeAcrossEnvironments() {
    // Everything but the per-region ones must be identical, or regions would disagree on the table,
    // the bus, the peers or the issuer (samconfig.toml: "the lists must be identical everywhere").
    // The ones the template/samconfig document as "the same in every region"; others (CertificateArn,
    // AlarmTopicArn, throttling, log settings) may legitimately differ per region.
    Set<String> mustAgree = Set.of("TableName", "TableHomeRegion", "PeerRegion1", "PeerRegion2", "PeerRegion3",
        "PeerRegion4", "DeploymentMode", "ActivePassivePrimaryRegion", "ActivePassiveStandbyRegion", "StandbyReservePercent",
        "JwtIssuer",
        "JwtCustomerClientIds", "JwtAdminClientId", "JwtOperationsClientId", "JwtGroupsClaim", "AdminGroup", "EventBusName",
        "DomainName", "HostedZoneId");
    Map<String, String> first = new HashMap<>();
    String firstName = null;
    for (Samconfig.Environment env : Contract.samconfig().environments()) {
      if (firstName == null) {
        firstName = env.name();
        first.putAll(env.parameterOverrides());
        continue;
      }
      for (Map.Entry<String, String> e : env.parameterOverrides().entrySet()) {
        if (mustAgree.contains(e.getKey()) && first.containsKey(e.getKey())) {
          assertThat(e.getValue()).as("parameter " + e.getKey() + " in " + env.name() + " vs " + firstName)
              .isEqualTo(first.get(e.getKey()));
        }
      }
    }
  }
}
