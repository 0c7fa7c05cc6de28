package dev.meridian.tests.contract;

import static dev.meridian.tests.contract.FaultsContractTest.map;
import static dev.meridian.tests.contract.FaultsContractTest.resources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.tools.local.template.CfnYaml;
import dev.meridian.tools.local.template.EvaluatedStack;
import dev.meridian.tools.local.template.StackParameters;
import dev.meridian.tools.local.template.TemplateResolver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * deploy/region-switch.yaml against the ARC Region switch documentation and template.yaml: the
 * promote step runs one function per plan region, in the activating region; the Route 53 step
 * names the failover records template.yaml creates, and template.yaml makes those records follow
 * the plan's health check together with /health; the plan's role holds exactly the documented
 * sample policies of its two execution blocks.
 */
class RegionSwitchContractTest {
  /**
   * The sample policies of the custom action Lambda and Route 53 health check execution blocks:
   * https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_lambda.html and
   * https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_route53.html.
   */
  static final Set<String> PLAN_PERMISSIONS = Set.of("lambda:GetFunction", "lambda:InvokeFunction",
      "route53:ListResourceRecordSets");
  static final String HEALTH_CHECK_ID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

  static Map<String, Object> regionSwitch() {
    return CfnYaml.load(RegionSwitchPromoteFunctionTest.REGION_SWITCH);
  }

  static Map<String, Object> planProperties() {
    return map(map(resources(regionSwitch()).get("Plan")).get("Properties"));
  }

  static List<?> steps() {
    List<?> workflows = (List<?>) planProperties().get("Workflows");
    assertThat(workflows).as("one activate workflow (active-passive)").hasSize(1);
    assertThat(map(workflows.get(0))).containsEntry("WorkflowTargetAction", "activate");
    return (List<?>) map(workflows.get(0)).get("Steps");
  }

  @Test
  void thePromoteStepRunsThisStacksFunctionInTheActivatingRegion() {
    Map<String, Object> step = map(steps().get(0));
    assertThat(step).containsEntry("ExecutionBlockType", "CustomActionLambda");
    Map<String, Object> config = map(map(step.get("ExecutionBlockConfiguration")).get("CustomActionLambdaConfig"));
    assertThat(config).as("never depend on the region being left").containsEntry("RegionToRun", "activatingRegion");
    String functionName = (String) map(map(map(resources(regionSwitch()).get("PromoteFunction")).get("Properties"))
        .get("FunctionName")).get("Fn::Sub");
    List<Object> arns = ((List<?>) config.get("Lambdas")).stream().map(l -> map(map(l).get("Arn")).get("Fn::Sub"))
        .toList();
    assertThat(arns).as("one promote function in each plan region, named as PromoteFunction names itself")
        .containsExactlyInAnyOrder(
            "arn:${AWS::Partition}:lambda:${PrimaryRegion}:${AWS::AccountId}:function:" + functionName,
            "arn:${AWS::Partition}:lambda:${StandbyRegion}:${AWS::AccountId}:function:" + functionName);
  }

  @Test
  void thePlanExistsOnceInThePrimaryRegionsStackAndTheStackOnlyInPlanRegions() {
    TemplateResolver resolver = TemplateResolver.load(RegionSwitchPromoteFunctionTest.REGION_SWITCH);
    Map<String, String> regions = Map.of("PrimaryRegion", "us-east-1", "StandbyRegion", "eu-west-1");
    EvaluatedStack primary = resolver.evaluate(new StackParameters("us-east-1", "meridian-region-switch", regions));
    EvaluatedStack standby = resolver.evaluate(new StackParameters("eu-west-1", "meridian-region-switch", regions));
    assertThat(primary.hasResource("Plan")).isTrue();
    assertThat(standby.hasResource("Plan")).isFalse();
    assertThat(primary.hasResource("PromoteFunction")).isTrue();
    assertThat(standby.hasResource("PromoteFunction")).isTrue();
    assertThatThrownBy(() -> resolver.evaluate(new StackParameters("ap-southeast-1", "meridian-region-switch", regions)))
        .hasMessageContaining("PrimaryRegion and StandbyRegion only");
  }

  @Test
  void theRoute53StepNamesTheFailoverRecordsOfTemplateYaml() {
    Map<String, Object> step = map(((List<?>) map(steps().get(1)).get("Fn::If")).get(1));
    assertThat(step).containsEntry("ExecutionBlockType", "Route53HealthCheck");
    Map<String, Object> config = map(map(step.get("ExecutionBlockConfiguration")).get("Route53HealthCheckConfig"));
    assertThat(config).containsEntry("HostedZoneId", Map.of("Ref", "HostedZoneId"))
        .containsEntry("RecordName", Map.of("Ref", "DomainName"));
    for (Object recordSet : (List<?>) config.get("RecordSets")) {
      Map<String, Object> set = map(recordSet);
      assertThat(set.get("RecordSetIdentifier")).as("ApiFailoverRecord's SetIdentifier is the stack's region")
          .isEqualTo(set.get("Region"));
    }
    Map<String, Object> record = map(map(resources(FaultsContractTest.meridian()).get("ApiFailoverRecord"))
        .get("Properties"));
    assertThat(record.get("SetIdentifier")).isEqualTo(Map.of("Ref", "AWS::Region"));
  }

  /** With the plan's health check id, DNS needs /health and the plan to agree; without it, /health alone. */
  @Test
  void theFailoverRecordFollowsHealthAndThePlanTogether() {
    EvaluatedStack withPlan = activePassivePrimary(HEALTH_CHECK_ID);
    assertThat(withPlan.property("ApiFailoverRecord", "HealthCheckId"))
        .contains(withPlan.ref("RegionSwitchCombinedHealthCheck"));
    assertThat(withPlan.property("RegionSwitchCombinedHealthCheck", "HealthCheckConfig", "Type")).contains("CALCULATED");
    assertThat(withPlan.property("RegionSwitchCombinedHealthCheck", "HealthCheckConfig", "ChildHealthChecks"))
        .contains(List.of(withPlan.ref("RegionalHealthCheck"), HEALTH_CHECK_ID));
    assertThat(withPlan.property("RegionSwitchCombinedHealthCheck", "HealthCheckConfig", "HealthThreshold"))
        .as("both children healthy").contains(2);

    EvaluatedStack withoutPlan = activePassivePrimary("");
    assertThat(withoutPlan.hasResource("RegionSwitchCombinedHealthCheck")).isFalse();
    assertThat(withoutPlan.property("ApiFailoverRecord", "HealthCheckId")).contains(withoutPlan.ref("RegionalHealthCheck"));
  }

  @Test
  void thePlansRoleHoldsExactlyTheDocumentedPermissions() {
    Map<String, Object> role = map(map(resources(regionSwitch()).get("PlanExecutionRole")).get("Properties"));
    Set<String> granted = new TreeSet<>();
    for (Object policy : (List<?>) role.get("Policies")) {
      for (Object s : (List<?>) map(map(policy).get("PolicyDocument")).get("Statement")) {
        Map<String, Object> statement = map(s);
        if (statement.containsKey("Fn::If")) {
          statement = map(((List<?>) statement.get("Fn::If")).get(1));
        }
        Object action = statement.get("Action");
        if (action instanceof List<?> list) {
          list.forEach(a -> granted.add((String) a));
        } else {
          granted.add((String) action);
        }
      }
    }
    assertThat(granted).isEqualTo(PLAN_PERMISSIONS);
    Map<String, Object> trust = map(((List<?>) map(role.get("AssumeRolePolicyDocument")).get("Statement")).get(0));
    assertThat(map(trust.get("Principal"))).containsEntry("Service", "arc-region-switch.amazonaws.com");
  }

  private static EvaluatedStack activePassivePrimary(String regionSwitchHealthCheckId) {
    String region = Contract.homeRegion();
    StackParameters deployed = Contract.deployment().stack(region);
    Map<String, String> parameters = new LinkedHashMap<>(deployed.parameters());
    parameters.put("DeploymentMode", "active-passive");
    parameters.put("ActivePassivePrimaryRegion", region);
    parameters.put("DomainName", "api.example.com");
    parameters.put("HostedZoneId", "Z0123456789ABCDEFGHIJ");
    parameters.put("CertificateArn", "arn:aws:acm:" + region + ":123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    parameters.put("RegionSwitchHealthCheckId", regionSwitchHealthCheckId);
    return Contract.resolver().evaluate(new StackParameters(region, deployed.stackName(), parameters));
  }
}
