package dev.meridian.tests.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.tests.ExternalTool;
import dev.meridian.tools.local.template.Samconfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IAM as CloudFormation receives it: the template after the SAM transform, for every samconfig
 * environment ({@code deploy/samconfig_tool.py render}: the SAM translator that cfn-lint ships,
 * with the environment's region and parameters, as deploy/validate.sh runs it). What SAM adds on
 * its own (generated roles, managed policies for event sources and tracing, whose {@code "*"}
 * never shows in template.yaml) is visible only here.
 *
 * <ul>
 *   <li>No Allow statement anywhere in the stack (role and IAM policies, queue, topic and bus
 *       policies; every branch of every {@code Fn::If}) grants an action on {@code Resource: "*"},
 *       except {@link #NO_RESOURCE_LEVEL_PERMISSIONS}; none uses an action wildcard, NotAction or
 *       NotResource.</li>
 *   <li>No AWS managed policy is attached except AWSLambdaBasicExecutionRole.</li>
 *   <li>Every function has a role of its own, declared in the stack and trusted by Lambda only.</li>
 *   <li>Only the publisher's role and the cross-region forwarding role may call events:PutEvents.</li>
 *   <li>A role EventBridge assumes is limited by aws:SourceArn and aws:SourceAccount.</li>
 * </ul>
 *
 * <p>{@code -Dmeridian.contract.template} / {@code -Dmeridian.contract.samconfig} check other files,
 * as for the other contract tests.
 */
class TransformedTemplateContractTest {
  /** Actions that have no resource-level permissions, so they can only be granted on "*". */
  static final Set<String> NO_RESOURCE_LEVEL_PERMISSIONS = Set.of("xray:PutTraceSegments", "xray:PutTelemetryRecords");
  static final String BASIC_EXECUTION_ROLE = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
  static final String PUBLISHER = "PublisherFunction";
  static final String FORWARDING_ROLE = "EventBridgeCrossRegionRole";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, JsonNode> RENDERED = new HashMap<>();

  static Stream<String> environments() {
    return Contract.samconfig().environments().stream().map(Samconfig.Environment::name);
  }

  /** The environment's template after the SAM transform (rendered once per run). */
  static synchronized JsonNode rendered(String environment) {
    JsonNode cached = RENDERED.get(environment);
    if (cached != null) {
      return cached;
    }
    ExternalTool.assumeInstalled("cfn-lint", "pip install cfn-lint (it ships the SAM translator)");
    try {
      Path out = Files.createTempFile("meridian-rendered-" + environment + "-", ".json");
      out.toFile().deleteOnExit();
      List<String> command = new ArrayList<>(List.of("python3", "deploy/samconfig_tool.py"));
      String template = System.getProperty("meridian.contract.template");
      if (template != null && !template.isBlank()) {
        command.addAll(List.of("--template", Path.of(template).toAbsolutePath().toString()));
      }
      String samconfig = System.getProperty("meridian.contract.samconfig");
      if (samconfig != null && !samconfig.isBlank()) {
        command.addAll(List.of("--config", Path.of(samconfig).toAbsolutePath().toString()));
      }
      command.addAll(List.of("render", environment, out.toString()));
      ExternalTool.Result result = ExternalTool.run(300, command.toArray(String[]::new));
      assertThat(result.exitCode()).as("%s failed:%n%s", String.join(" ", command), result.output()).isZero();
      JsonNode rendered = JSON.readTree(out.toFile());
      RENDERED.put(environment, rendered);
      return rendered;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** A policy statement found in a resource's properties, with the path that leads to it. */
  record Found(String where, JsonNode statement) {}

  /**
   * Every statement ({@code Effect} plus {@code Action}/{@code NotAction}) in the resources'
   * properties, in every branch of every condition; trust policies are left to their own check.
   */
  static List<Found> statements(JsonNode template) {
    List<Found> out = new ArrayList<>();
    template.path("Resources").properties().forEach(r -> collect(r.getValue().path("Properties"), r.getKey(), out));
    return out;
  }

  private static void collect(JsonNode node, String where, List<Found> out) {
    if (node.isObject()) {
      if (node.has("Effect") && (node.has("Action") || node.has("NotAction"))) {
        out.add(new Found(where, node));
        return;
      }
      node.properties().forEach(e -> {
        if (!e.getKey().equals("AssumeRolePolicyDocument")) {
          collect(e.getValue(), where + "." + e.getKey(), out);
        }
      });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), where + "[" + i + "]", out);
      }
    }
  }

  /**
   * The literal strings a value can take: itself, the items of a list, both branches of an
   * {@code Fn::If} (never its condition name); other intrinsics ({@code Fn::Sub}, {@code Fn::GetAtt},
   * {@code Ref}) name one resource and count as not "*", so they are left out.
   */
  static List<String> literals(JsonNode value) {
    List<String> out = new ArrayList<>();
    if (value == null || value.isMissingNode() || value.isNull()) {
      return out;
    }
    if (value.isTextual()) {
      out.add(value.textValue());
    } else if (value.isArray()) {
      value.forEach(v -> out.addAll(literals(v)));
    } else if (value.isObject() && value.has("Fn::If")) {
      JsonNode args = value.get("Fn::If");
      out.addAll(literals(args.get(1)));
      out.addAll(literals(args.get(2)));
    }
    return out;
  }

  /** The value with every Fn::If branch kept, intrinsics other than Fn::If as they are. */
  static List<JsonNode> alternatives(JsonNode value) {
    List<JsonNode> out = new ArrayList<>();
    if (value == null || value.isMissingNode() || value.isNull()) {
      return out;
    }
    if (value.isArray()) {
      value.forEach(v -> out.addAll(alternatives(v)));
    } else if (value.isObject() && value.has("Fn::If")) {
      out.addAll(alternatives(value.get("Fn::If").get(1)));
      out.addAll(alternatives(value.get("Fn::If").get(2)));
    } else if (!(value.isObject() && value.has("Ref") && value.get("Ref").asText().equals("AWS::NoValue"))) {
      out.add(value);
    }
    return out;
  }

  /** {@code {"Fn::Sub": "arn:${AWS::Partition}:..."}} as the partition {@code aws} reads it. */
  static String arnText(JsonNode value) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.has("Fn::Sub") && value.get("Fn::Sub").isTextual()) {
      return value.get("Fn::Sub").textValue().replace("${AWS::Partition}", "aws");
    }
    return value.toString();
  }

  /** The logical id a {@code Role} value points at ({@code Fn::GetAtt [X, Arn]} or {@code "X.Arn"}). */
  static String roleLogicalId(JsonNode role) {
    JsonNode getAtt = role.path("Fn::GetAtt");
    if (getAtt.isArray() && getAtt.size() == 2 && getAtt.get(1).asText().equals("Arn")) {
      return getAtt.get(0).asText();
    }
    if (getAtt.isTextual() && getAtt.asText().endsWith(".Arn")) {
      return getAtt.asText().substring(0, getAtt.asText().length() - ".Arn".length());
    }
    return null;
  }

  static Map<String, JsonNode> resourcesOfType(JsonNode template, String type) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    template.path("Resources").properties().forEach(r -> {
      if (type.equals(r.getValue().path("Type").asText())) {
        out.put(r.getKey(), r.getValue());
      }
    });
    return out;
  }

  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("environments")
  void noStatementGrantsAnActionOnEveryResourceBeyondTheAllowlist(String environment) {
    List<Found> statements = statements(rendered(environment));
    assertThat(statements).as(environment + ": the scan found no policy statements at all (the scan is broken)")
        .hasSizeGreaterThan(5);
    List<String> problems = new ArrayList<>();
    for (Found found : statements) {
      JsonNode s = found.statement();
      if (!literals(s.get("Effect")).contains("Allow")) {
        continue;
      }
      if (s.has("NotAction") || s.has("NotResource")) {
        problems.add(found.where() + ": Allow with NotAction/NotResource grants everything else " + s);
        continue;
      }
      List<String> actions = literals(s.get("Action"));
      actions.stream().filter(a -> a.equals("*") || a.endsWith(":*"))
          .forEach(a -> problems.add(found.where() + ": action wildcard " + a));
      if (literals(s.get("Resource")).contains("*")) {
        Set<String> beyond = new TreeSet<>(actions);
        beyond.removeAll(NO_RESOURCE_LEVEL_PERMISSIONS);
        if (!beyond.isEmpty()) {
          problems.add(found.where() + ": " + beyond + " on Resource \"*\" (only " + NO_RESOURCE_LEVEL_PERMISSIONS
              + " have no resource-level permissions)");
        }
      }
    }
    assertThat(problems).as(environment + " after the SAM transform").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("environments")
  void noManagedPolicyButBasicExecution(String environment) {
    JsonNode template = rendered(environment);
    List<String> problems = new ArrayList<>();
    Map<String, JsonNode> roles = resourcesOfType(template, "AWS::IAM::Role");
    assertThat(roles).as(environment + ": roles").isNotEmpty();
    roles.forEach((id, role) -> {
      for (JsonNode arn : alternatives(role.path("Properties").path("ManagedPolicyArns"))) {
        if (!arnText(arn).equals(BASIC_EXECUTION_ROLE)) {
          problems.add(id + " attaches managed policy " + arnText(arn));
        }
      }
    });
    resourcesOfType(template, "AWS::IAM::ManagedPolicy").keySet()
        .forEach(id -> problems.add(id + ": a managed policy (write inline statements on the role)"));
    assertThat(problems).as(environment + " after the SAM transform").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("environments")
  void everyFunctionHasARoleOfItsOwnTrustedByLambdaOnly(String environment) {
    JsonNode template = rendered(environment);
    Map<String, JsonNode> functions = resourcesOfType(template, "AWS::Lambda::Function");
    assertThat(functions).as(environment + ": functions").hasSizeGreaterThanOrEqualTo(5);
    Map<String, String> roleOwner = new HashMap<>();
    for (Map.Entry<String, JsonNode> f : functions.entrySet()) {
      String roleId = roleLogicalId(f.getValue().path("Properties").path("Role"));
      assertThat(roleId).as(environment + ": " + f.getKey() + "'s Role is a role of this stack").isNotNull();
      assertThat(template.path("Resources").path(roleId).path("Type").asText()).as(f.getKey() + " -> " + roleId)
          .isEqualTo("AWS::IAM::Role");
      String other = roleOwner.put(roleId, f.getKey());
      assertThat(other).as(environment + ": " + roleId + " is shared by " + other + " and " + f.getKey()).isNull();
      JsonNode trust = template.path("Resources").path(roleId).path("Properties").path("AssumeRolePolicyDocument");
      for (JsonNode statement : alternatives(trust.path("Statement"))) {
        assertThat(literals(statement.path("Principal").path("Service"))).as(roleId + " trusts")
            .containsExactly("lambda.amazonaws.com");
        assertThat(statement.path("Principal").has("AWS")).as(roleId + " trusts no AWS principal").isFalse();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("environments")
  void onlyThePublisherAndTheForwardingRoleMayPutEvents(String environment) {
    JsonNode template = rendered(environment);
    String publisherRole = roleLogicalId(template.path("Resources").path(PUBLISHER).path("Properties").path("Role"));
    assertThat(publisherRole).as(environment + ": " + PUBLISHER + " has its own role").isNotNull();
    Set<String> putters = new TreeSet<>();
    for (Found found : statements(template)) {
      boolean allows = literals(found.statement().get("Effect")).contains("Allow");
      boolean putEvents = literals(found.statement().get("Action")).stream()
          .anyMatch(a -> a.equalsIgnoreCase("events:PutEvents"));
      if (allows && putEvents) {
        putters.add(found.where().substring(0, found.where().indexOf('.')));
      }
    }
    assertThat(putters).as(environment + ": principals' policies allowing events:PutEvents")
        .contains(publisherRole).isSubsetOf(publisherRole, FORWARDING_ROLE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("environments")
  void rolesThatEventBridgeAssumesNameTheSourceRuleAndAccount(String environment) {
    JsonNode template = rendered(environment);
    List<String> checked = new ArrayList<>();
    resourcesOfType(template, "AWS::IAM::Role").forEach((id, role) -> {
      JsonNode trust = role.path("Properties").path("AssumeRolePolicyDocument");
      for (JsonNode statement : alternatives(trust.path("Statement"))) {
        if (!literals(statement.path("Principal").path("Service")).contains("events.amazonaws.com")) {
          continue;
        }
        JsonNode condition = statement.path("Condition");
        assertThat(condition.path("StringEquals").has("aws:SourceAccount")).as(environment + ": " + id
            + " trust: StringEquals aws:SourceAccount").isTrue();
        assertThat(condition.path("ArnEquals").has("aws:SourceArn")).as(environment + ": " + id
            + " trust: ArnEquals aws:SourceArn (the rule that uses the role)").isTrue();
        checked.add(id);
      }
    });
    assertThat(checked).as(environment + ": roles EventBridge assumes").contains(FORWARDING_ROLE);
  }
}
