package dev.meridian.tests.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.tools.local.template.CfnYaml;
import dev.meridian.tools.local.template.EvaluatedStack;
import dev.meridian.tools.local.template.StackParameters;
import dev.meridian.tools.local.template.TemplateResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/faults.yaml (the FIS experiment templates) against the FIS documentation and template.yaml:
 * every experiment ends within the hour, stops on an alarm of its own stack, uses known actions on
 * targets of the right type, targets what template.yaml exports only with FaultInjection=enabled,
 * and runs under a role holding exactly the permissions its actions need. The extension wiring in
 * template.yaml is off by default and, when on, reaches exactly the three API functions.
 *
 * <p>Other code can read the action ids the same way {@link #actionIds()} does: every
 * {@code AWS::FIS::ExperimentTemplate}'s {@code Properties.Actions.*.ActionId} in deploy/faults.yaml.
 */
class FaultsContractTest {
  static final Path FAULTS = Contract.ROOT.resolve("deploy/faults.yaml");
  static final String EXPERIMENT = "AWS::FIS::ExperimentTemplate";
  /**
   * An MREC replica that stays REPLICATION_NOT_AUTHORIZED for more than 20 hours is converted to a
   * single-Region table, irreversibly (DynamoDB global tables security:
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/globaltables-security.html), and
   * the pause action works by denying the replication role. An hour leaves a stuck experiment 19
   * hours for someone to notice.
   */
  static final Duration CAP = Duration.ofHours(1);

  static final String LAMBDA_HTTP_RESPONSE = "aws:lambda:invocation-http-integration-response";
  static final String PAUSE_REPLICATION = "aws:dynamodb:global-table-pause-replication";
  static final String START_AUTOMATION = "aws:ssm:start-automation-execution";

  /**
   * What each FIS action needs, as the "Permissions" of its entry in the FIS actions reference:
   * https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html (dynamodb:InjectError
   * is listed for MRSC tables only; Meridian's table is MREC). iam:PassRole is listed as needed when
   * the automation assumes a role, which StopEventLinksDocument does.
   */
  static final Map<String, Set<String>> PERMISSIONS = Map.of(
      LAMBDA_HTTP_RESPONSE, Set.of("s3:PutObject", "s3:DeleteObject", "lambda:GetFunction", "tag:GetResources"),
      PAUSE_REPLICATION, Set.of("dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy",
          "dynamodb:GetResourcePolicy", "dynamodb:DescribeTable", "tag:GetResources"),
      START_AUTOMATION, Set.of("ssm:GetAutomationExecution", "ssm:StartAutomationExecution",
          "ssm:StopAutomationExecution", "iam:PassRole"));

  /** Each action's resource type and the key its targets go under (same reference; none for SSM). */
  static final Map<String, Map.Entry<String, String>> TARGETS = Map.of(
      LAMBDA_HTTP_RESPONSE, Map.entry("Functions", "aws:lambda:function"),
      PAUSE_REPLICATION, Map.entry("Tables", "aws:dynamodb:global-table"));

  /** The API functions region-outage answers 503 for; publisher and reconciler keep running. */
  static final Set<String> API_FUNCTIONS = Set.of("CatalogFunction", "OrdersFunction", "HealthFunction");
  static final String FIS_LAYER = "{{resolve:ssm:/aws/service/fis/lambda-extension/AWS-FIS-extension-arm64/1.x.x}}";
  static final String CONFIGURATION_PREFIX = "FisConfigs/";

  static Map<String, Object> faults() {
    return CfnYaml.load(FAULTS);
  }

  static Map<String, Object> meridian() {
    return CfnYaml.load(Contract.TEMPLATE);
  }

  static Map<String, Object> resources(Map<String, Object> template) {
    return map(template.get("Resources"));
  }

  static Stream<String> experiments() {
    return resources(faults()).entrySet().stream()
        .filter(e -> EXPERIMENT.equals(map(e.getValue()).get("Type"))).map(Map.Entry::getKey);
  }

  /** The FIS action ids deploy/faults.yaml uses. */
  static Set<String> actionIds() {
    Set<String> ids = new TreeSet<>();
    experiments().forEach(id -> actions(id).values().forEach(a -> ids.add((String) map(a).get("ActionId"))));
    return ids;
  }

  static Map<String, Object> properties(String logicalId) {
    return map(map(resources(faults()).get(logicalId)).get("Properties"));
  }

  static Map<String, Object> actions(String experiment) {
    return map(properties(experiment).get("Actions"));
  }

  @Test
  void theTemplatesRunTheTwoScenariosWithTheActionsTheIssueNames() {
    assertThat(experiments()).containsExactlyInAnyOrder("RegionOutageExperiment", "IsolateRegionExperiment");
    assertThat(actionIds()).containsExactlyInAnyOrder(LAMBDA_HTTP_RESPONSE, PAUSE_REPLICATION, START_AUTOMATION);
    assertThat(actions("RegionOutageExperiment").values()).extracting(a -> map(a).get("ActionId"))
        .containsExactlyInAnyOrder(LAMBDA_HTTP_RESPONSE, PAUSE_REPLICATION);
    assertThat(actions("IsolateRegionExperiment").values()).extracting(a -> map(a).get("ActionId"))
        .containsExactlyInAnyOrder(PAUSE_REPLICATION, START_AUTOMATION);
    Map<String, Object> outage = map(actions("RegionOutageExperiment").get("AnswerServiceUnavailable"));
    assertThat(map(outage.get("Parameters"))).as("region-outage answers 503 without running the functions")
        .containsEntry("statusCode", "503").containsEntry("preventExecution", "true")
        .containsEntry("invocationPercentage", "100");
  }

  /** Every duration an action can be given, at the largest ExperimentMinutes the stack accepts. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("experiments")
  void everyActionEndsWithinTheHour(String experiment) {
    Map<String, Object> minutes = map(map(faults().get("Parameters")).get("ExperimentMinutes"));
    int largest = ((Number) minutes.get("MaxValue")).intValue();
    EvaluatedStack stack = faultsStack(Map.of("ExperimentMinutes", String.valueOf(largest)));
    List<String> checked = new ArrayList<>();
    actions(experiment).forEach((name, action) -> {
      for (String parameter : List.of("duration", "maxDuration")) {
        Optional<Object> value = stack.property(experiment, "Actions", name, "Parameters", parameter);
        value.ifPresent(v -> {
          Duration duration = Duration.parse(String.valueOf(v));
          assertThat(duration).as(experiment + " " + name + " " + parameter + " = " + v).isPositive()
              .isLessThanOrEqualTo(CAP);
          checked.add(name + "." + parameter);
        });
      }
    });
    assertThat(checked).as(experiment + ": every action has a duration or maxDuration")
        .hasSizeGreaterThanOrEqualTo(actions(experiment).size());
    assertThatThrownBy(() -> faultsStack(Map.of("ExperimentMinutes", String.valueOf(largest + 1))))
        .as("ExperimentMinutes above its MaxValue is refused").hasMessageContaining("ExperimentMinutes");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("experiments")
  void everyExperimentStopsOnAnAlarmOfItsStack(String experiment) {
    List<?> stopConditions = (List<?>) properties(experiment).get("StopConditions");
    assertThat(stopConditions).as(experiment + " StopConditions").isNotEmpty();
    for (Object condition : stopConditions) {
      Map<String, Object> c = map(condition);
      assertThat(c.get("Source")).as(experiment + ": a stop condition other than an alarm (\"none\" stops nothing)")
          .isEqualTo("aws:cloudwatch:alarm");
      String alarm = referencedResource(c.get("Value"));
      assertThat(map(resources(faults()).get(alarm))).as(experiment + " stops on " + alarm)
          .containsEntry("Type", "AWS::CloudWatch::Alarm");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("experiments")
  void everyActionTargetsResourcesOfItsType(String experiment) {
    Map<String, Object> targets = map(properties(experiment).get("Targets"));
    actions(experiment).forEach((name, a) -> {
      Map<String, Object> action = map(a);
      String id = (String) action.get("ActionId");
      assertThat(PERMISSIONS).as(experiment + " " + name + ": an action the FIS reference lists").containsKey(id);
      Map<String, Object> used = action.get("Targets") == null ? Map.of() : map(action.get("Targets"));
      Map.Entry<String, String> expected = TARGETS.get(id);
      if (expected == null) {
        assertThat(used).as(experiment + " " + name + " (" + id + ") takes no target").isEmpty();
        return;
      }
      assertThat(used.keySet()).as(experiment + " " + name + " target key").containsExactly(expected.getKey());
      String target = (String) used.get(expected.getKey());
      assertThat(targets).as(experiment + " " + name + " names a target of the template").containsKey(target);
      assertThat(map(targets.get(target))).as(experiment + " target " + target)
          .containsEntry("ResourceType", expected.getValue());
    });
  }

  /**
   * Every import names an export template.yaml defines only with FaultInjection=enabled, and the
   * Lambda targets are exactly the API functions: the experiments can only hit Meridian's own
   * resources, and only where the extension is wired.
   */
  @Test
  void everyImportIsAnExportOfTheMeridianStackWithFaultInjection() {
    Map<String, Map<String, Object>> exports = faultInjectionExports();
    List<String> imported = new ArrayList<>();
    collectImports(faults(), imported);
    assertThat(imported).as("deploy/faults.yaml imports").isNotEmpty();
    for (String name : imported) {
      assertThat(exports).as("template.yaml exports (Condition HasFaultInjection) named like " + name)
          .containsKey(name);
    }
    Set<String> functionsTargeted = new TreeSet<>();
    experiments().forEach(experiment -> map(properties(experiment).get("Targets")).values().forEach(t -> {
      Map<String, Object> target = map(t);
      if ("aws:lambda:function".equals(target.get("ResourceType"))) {
        for (Object arn : (List<?>) target.get("ResourceArns")) {
          List<String> names = new ArrayList<>();
          collectImports(arn, names);
          assertThat(names).as(experiment + " Lambda target " + arn + " is one import").hasSize(1);
          functionsTargeted.add(referencedResource(exports.get(names.get(0)).get("Value")));
        }
      }
    }));
    assertThat(functionsTargeted).as("the functions region-outage answers for").isEqualTo(new TreeSet<>(API_FUNCTIONS));
    assertThat(exports.get("TableName").get("Value")).as("the table the pause targets")
        .isEqualTo(Map.of("Ref", "TableName"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("experiments")
  void theRoleHoldsExactlyWhatItsActionsNeed(String experiment) {
    String role = referencedResource(properties(experiment).get("RoleArn"));
    Set<String> needed = new TreeSet<>();
    Set<String> actionsOfTheRole = new TreeSet<>();
    experiments().filter(other -> role.equals(referencedResource(properties(other).get("RoleArn"))))
        .forEach(other -> actions(other).values().forEach(a -> actionsOfTheRole.add((String) map(a).get("ActionId"))));
    actionsOfTheRole.forEach(id -> needed.addAll(PERMISSIONS.get(id)));
    Map<String, Object> roleProperties = properties(role);
    assertThat(roleProperties).as(role + ": inline policies only").doesNotContainKey("ManagedPolicyArns");
    Set<String> granted = new TreeSet<>();
    for (Object policy : (List<?>) roleProperties.get("Policies")) {
      for (Object s : (List<?>) map(map(policy).get("PolicyDocument")).get("Statement")) {
        Map<String, Object> statement = map(s);
        assertThat(statement.get("Effect")).isEqualTo("Allow");
        Object action = statement.get("Action");
        if (action instanceof List<?> list) {
          list.forEach(a -> granted.add((String) a));
        } else {
          granted.add((String) action);
        }
      }
    }
    assertThat(granted).as(role + " of " + experiment + ": exactly the FIS reference's permissions for "
        + actionsOfTheRole).isEqualTo(needed);
    Map<String, Object> trust = map(((List<?>) map(roleProperties.get("AssumeRolePolicyDocument")).get("Statement"))
        .get(0));
    assertThat(map(trust.get("Principal"))).as(role + " is assumed by FIS").containsEntry("Service", "fis.amazonaws.com");
  }

  /**
   * isolate-region's Automation re-enables every mapping it disabled, whether it runs to the end,
   * a step fails, or FIS cancels it (stop alarm, stop-experiment, maxDuration).
   */
  @Test
  void theAutomationRestoresEveryEventLinkItStops() {
    Map<String, Object> content = map(properties("StopEventLinksDocument").get("Content"));
    List<Map<String, Object>> steps = ((List<?>) content.get("mainSteps")).stream().map(FaultsContractTest::map).toList();
    List<String> names = steps.stream().map(s -> (String) s.get("name")).toList();
    Set<Object> stopped = new TreeSet<>();
    Set<Object> restored = new TreeSet<>();
    String firstRestore = null;
    for (Map<String, Object> step : steps) {
      Map<String, Object> inputs = map(step.get("inputs"));
      if (!"UpdateEventSourceMapping".equals(inputs.get("Api"))) {
        continue;
      }
      if (Boolean.FALSE.equals(inputs.get("Enabled"))) {
        stopped.add(inputs.get("UUID"));
      } else {
        assertThat(inputs.get("Enabled")).as(step.get("name") + " Enabled").isEqualTo(true);
        restored.add(inputs.get("UUID"));
        firstRestore = firstRestore == null ? (String) step.get("name") : firstRestore;
      }
    }
    assertThat(stopped).as("the publisher's and the reconciler's mappings").hasSize(2);
    assertThat(restored).as("every stopped mapping is enabled again").isEqualTo(stopped);
    int restoreAt = names.indexOf(firstRestore);
    for (Map<String, Object> step : steps.subList(0, restoreAt)) {
      boolean holdsALinkDown = names.indexOf((String) step.get("name")) >= names.indexOf("StopOutbound");
      if (holdsALinkDown) {
        assertThat(step.get("onCancel")).as(step.get("name") + ": a cancelled experiment restores the links")
            .isEqualTo("step:" + firstRestore);
      }
    }
    for (Map<String, Object> step : steps.subList(restoreAt, steps.size() - 1)) {
      assertThat(step.get("onFailure")).as(step.get("name") + ": one failed restore does not skip the next")
          .isEqualTo("step:" + names.get(names.indexOf((String) step.get("name")) + 1));
    }
  }

  /** FIS writes a Lambda fault where the extension reads it, and the roles on both sides agree. */
  @Test
  void theExtensionAndTheExperimentsUseTheSameConfigurationPrefix() {
    Map<String, Object> template = meridian();
    for (String function : API_FUNCTIONS) {
      Map<String, Object> variables = map(map(map(map(resources(template).get(function)).get("Properties"))
          .get("Environment")).get("Variables"));
      List<?> location = (List<?>) map(variables.get("AWS_FIS_CONFIGURATION_LOCATION")).get("Fn::If");
      assertThat(location.get(0)).isEqualTo("HasFaultInjection");
      assertThat(location.get(1)).as(function + " AWS_FIS_CONFIGURATION_LOCATION")
          .isEqualTo(Map.of("Fn::Sub", "${FaultInjectionConfigBucket.Arn}/" + CONFIGURATION_PREFIX));
    }
    String rolePolicies = String.valueOf(properties("RegionOutageRole").get("Policies"));
    assertThat(rolePolicies).as("RegionOutageRole writes under the prefix the extension reads")
        .contains("${Bucket}/" + CONFIGURATION_PREFIX + "*");
    for (String role : List.of("CatalogFunctionRole", "OrdersFunctionRole", "HealthFunctionRole")) {
      String policies = String.valueOf(map(map(resources(template).get(role)).get("Properties")).get("Policies"));
      assertThat(policies).as(role + " reads the prefix FIS writes")
          .contains("${FaultInjectionConfigBucket.Arn}/" + CONFIGURATION_PREFIX + "*");
    }
  }

  @Test
  void faultInjectionIsOffByDefault() {
    Map<String, Object> parameter = map(map(meridian().get("Parameters")).get("FaultInjection"));
    assertThat(parameter.get("Default")).isEqualTo("disabled");
    for (String region : Contract.deployment().regions()) {
      EvaluatedStack stack = Contract.stack(region);
      assertThat(stack.condition("HasFaultInjection")).as(region + " as samconfig.toml deploys it").isFalse();
      assertThat(stack.hasResource("FaultInjectionConfigBucket")).as(region).isFalse();
      assertThat(stack.outputs().keySet()).as(region + ": nothing for deploy/faults.yaml to import")
          .doesNotContain("CatalogFunctionArn", "FaultInjectionConfigBucketArn");
      for (String function : API_FUNCTIONS) {
        assertThat(stack.property(function, "Layers")).as(region + " " + function + " layers").isEmpty();
        assertThat(stack.property(function, "Environment", "Variables", "AWS_LAMBDA_EXEC_WRAPPER"))
            .as(region + " " + function + " wrapper").isEmpty();
      }
    }
  }

  @Test
  void faultInjectionEnabledWiresTheExtensionIntoTheApiFunctionsOnly() {
    String region = Contract.homeRegion();
    StackParameters deployed = Contract.deployment().stack(region);
    Map<String, String> parameters = new LinkedHashMap<>(deployed.parameters());
    parameters.put("FaultInjection", "enabled");
    EvaluatedStack stack = Contract.resolver().evaluate(new StackParameters(region, deployed.stackName(), parameters));
    assertThat(stack.hasResource("FaultInjectionConfigBucket")).isTrue();
    // The layer is the arm64 build: the functions run on arm64 (Globals).
    assertThat(String.valueOf(map(map(meridian().get("Globals")).get("Function")).get("Architectures")))
        .isEqualTo("[arm64]");
    for (String function : stack.resourceIds("AWS::Serverless::Function")) {
      Optional<Object> layers = stack.property(function, "Layers");
      Optional<Object> wrapper = stack.property(function, "Environment", "Variables", "AWS_LAMBDA_EXEC_WRAPPER");
      if (API_FUNCTIONS.contains(function)) {
        assertThat(layers).as(function).contains(List.of(FIS_LAYER));
        assertThat(wrapper).as(function).contains("/opt/aws-fis/bootstrap");
      } else {
        assertThat(layers).as(function + " is not a fault target").isEmpty();
        assertThat(wrapper).as(function + " is not a fault target").isEmpty();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  static EvaluatedStack faultsStack(Map<String, String> parameters) {
    return TemplateResolver.load(FAULTS).evaluate(new StackParameters(Contract.homeRegion(), "meridian-faults",
        parameters));
  }

  /** template.yaml's outputs exported only with FaultInjection, keyed by the export's name after the stack prefix. */
  static Map<String, Map<String, Object>> faultInjectionExports() {
    Map<String, Map<String, Object>> exports = new LinkedHashMap<>();
    map(meridian().get("Outputs")).forEach((name, o) -> {
      Map<String, Object> output = map(o);
      if (output.get("Export") == null || !"HasFaultInjection".equals(output.get("Condition"))) {
        return;
      }
      String exportName = (String) map(map(output.get("Export")).get("Name")).get("Fn::Sub");
      assertThat(exportName).as("output " + name + " export").startsWith("${AWS::StackName}-");
      exports.put(exportName.substring("${AWS::StackName}-".length()), output);
    });
    return exports;
  }

  /** Every Fn::ImportValue under {@code node}, as the export name after "${MeridianStackName}-". */
  static void collectImports(Object node, List<String> out) {
    if (node instanceof Map<?, ?> m) {
      if (m.size() == 1 && m.containsKey("Fn::ImportValue")) {
        String name = (String) map(m.get("Fn::ImportValue")).get("Fn::Sub");
        assertThat(name).as("import " + m).startsWith("${MeridianStackName}-");
        out.add(name.substring("${MeridianStackName}-".length()));
        return;
      }
      m.values().forEach(v -> collectImports(v, out));
    } else if (node instanceof List<?> l) {
      l.forEach(v -> collectImports(v, out));
    }
  }

  /** The logical id in {@code {Ref: X}} or {@code {Fn::GetAtt: "X.attr"}}. */
  static String referencedResource(Object node) {
    Map<String, Object> m = map(node);
    if (m.containsKey("Ref")) {
      return (String) m.get("Ref");
    }
    String getAtt = String.valueOf(m.get("Fn::GetAtt"));
    assertThat(getAtt).as("a Ref or Fn::GetAtt: " + node).contains(".");
    return getAtt.substring(0, getAtt.indexOf('.'));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    assertThat(node).as("a YAML mapping").isInstanceOf(Map.class);
    return (Map<String, Object>) node;
  }
}
