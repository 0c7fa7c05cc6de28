package dev.meridian.tools.local.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A template evaluated for one stack (region, stack name, parameter values): parameters validated,
 * {@code Rules} asserted, {@code Conditions} evaluated, SAM {@code Globals} merged into the
 * resources, resources whose {@code Condition} is false dropped, and intrinsic functions resolved
 * on demand.
 *
 * <p>Evaluation is lazy: only the properties someone asks for are resolved, and {@code Fn::If}
 * evaluates only the branch its condition selects. So resources the local stack ignores (IAM,
 * logs, alarms, custom-domain resources) never need resolvable values, exactly as an untaken
 * {@code Fn::If} branch never does in CloudFormation.
 *
 * <p>Values are plain Java: {@code String}, numbers and {@code Boolean} as YAML typed them,
 * {@code List}, {@code Map}. {@code AWS::NoValue} removes the map key or list element it is
 * returned for (before an enclosing {@code Fn::Join} sees the list, as in CloudFormation); at the
 * top level it is an empty {@link Optional}.
 *
 * <p>{@code Ref} and {@code Fn::GetAtt} of resources resolve to the values described in {@link
 * LocalNames}: final names and ARNs, AWS-shaped queue URLs and placeholder stream labels that the
 * provisioner maps to moto's real values.
 */
public final class EvaluatedStack {

  /** The value of {@code AWS::NoValue} while resolving. */
  static final Object NO_VALUE = new Object() {
    @Override
    public String toString() {
      return "AWS::NoValue";
    }
  };

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVERLESS = "AWS::Serverless::";

  private final StackParameters stack;
  private final Map<String, Object> parameterValues = new LinkedHashMap<>();
  private final Map<String, Object> conditionDefinitions;
  private final Map<String, Boolean> forcedConditions;
  private final Map<String, Boolean> conditionValues = new HashMap<>();
  private final Set<String> conditionsInProgress = new LinkedHashSet<>();
  private final Map<String, Object> mappings;
  private final Map<String, Object> outputs;
  /** Every resource, SAM Globals merged, in template order. */
  private final Map<String, Map<String, Object>> declaredResources = new LinkedHashMap<>();
  /** The resources whose Condition holds (or that have none), in template order. */
  private final Map<String, Map<String, Object>> resources = new LinkedHashMap<>();
  private final Map<String, String> physicalNames = new HashMap<>();
  private final Set<String> namesInProgress = new HashSet<>();

  EvaluatedStack(Map<String, Object> template, StackParameters stack, Map<String, Boolean> forcedConditions) {
    this.stack = stack;
    this.forcedConditions = Map.copyOf(forcedConditions);
    this.conditionDefinitions = mapOrEmpty(template.get("Conditions"), "Conditions");
    this.mappings = mapOrEmpty(template.get("Mappings"), "Mappings");
    this.outputs = mapOrEmpty(template.get("Outputs"), "Outputs");
    checkTransform(template.get("Transform"));
    resolveParameters(mapOrEmpty(template.get("Parameters"), "Parameters"));
    assertRules(mapOrEmpty(template.get("Rules"), "Rules"));
    for (String name : conditionDefinitions.keySet()) {
      condition(name);
    }
    for (String name : forcedConditions.keySet()) {
      if (!conditionDefinitions.containsKey(name)) {
        throw new TemplateException("cannot force condition " + name + ": the template has no such condition");
      }
    }
    Map<String, Object> globals = mapOrEmpty(template.get("Globals"), "Globals");
    Map<String, Object> declared = mapOrEmpty(template.get("Resources"), "Resources");
    if (declared.isEmpty()) {
      throw new TemplateException("the template has no Resources");
    }
    declared.forEach((id, definition) -> {
      Map<String, Object> resource = new LinkedHashMap<>(asMap(definition, "resource " + id));
      Object type = resource.get("Type");
      if (!(type instanceof String typeName)) {
        throw new TemplateException("resource " + id + " has no Type");
      }
      if (typeName.startsWith(SERVERLESS) && globals.containsKey(typeName.substring(SERVERLESS.length()))) {
        resource.put("Properties",
            mergeGlobals(globals.get(typeName.substring(SERVERLESS.length())), resource.get("Properties")));
      }
      declaredResources.put(id, resource);
      Object condition = resource.get("Condition");
      if (condition == null || condition(String.valueOf(condition))) {
        resources.put(id, resource);
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Public view

  public String region() {
    return stack.region();
  }

  public String stackName() {
    return stack.stackName();
  }

  public StackParameters stackParameters() {
    return stack;
  }

  /** Every template parameter's effective value: a String, or a List of String for list types. */
  public Map<String, Object> parameters() {
    return Collections.unmodifiableMap(parameterValues);
  }

  /** The effective parameter values as strings (list types joined with commas). */
  public Map<String, String> parameterStrings() {
    Map<String, String> out = new LinkedHashMap<>();
    parameterValues.forEach((k, v) -> out.put(k, v instanceof List<?> l ? joinStrings(l, ",") : (String) v));
    return out;
  }

  /** A condition's value (forced conditions as forced). */
  public boolean condition(String name) {
    Boolean forced = forcedConditions.get(name);
    if (forced != null) {
      return forced;
    }
    Boolean known = conditionValues.get(name);
    if (known != null) {
      return known;
    }
    if (!conditionDefinitions.containsKey(name)) {
      throw new TemplateException("unknown condition " + name);
    }
    if (!conditionsInProgress.add(name)) {
      throw new TemplateException("conditions refer to each other in a cycle: " + conditionsInProgress);
    }
    try {
      boolean value = evalCondition(conditionDefinitions.get(name));
      conditionValues.put(name, value);
      return value;
    } catch (TemplateException e) {
      throw new TemplateException("condition " + name + " in region " + region() + ": " + e.getMessage(), e);
    } finally {
      conditionsInProgress.remove(name);
    }
  }

  /** Every condition of the template with its value, in template order. */
  public Map<String, Boolean> conditions() {
    Map<String, Boolean> out = new LinkedHashMap<>();
    conditionDefinitions.keySet().forEach(name -> out.put(name, condition(name)));
    return out;
  }

  /** The logical ids of the resources this stack creates (conditions applied), in template order. */
  public Set<String> resourceIds() {
    return Collections.unmodifiableSet(resources.keySet());
  }

  /** The logical ids of this stack's resources of {@code type}, in template order. */
  public List<String> resourceIds(String type) {
    return resources.entrySet().stream().filter(e -> type.equals(e.getValue().get("Type"))).map(Map.Entry::getKey)
        .toList();
  }

  public boolean hasResource(String logicalId) {
    return resources.containsKey(logicalId);
  }

  /** The resource's type; the resource must be one this stack creates. */
  public String resourceType(String logicalId) {
    return (String) resource(logicalId).get("Type");
  }

  /**
   * A resource property, intrinsics resolved: {@code property("Q", "RedrivePolicy",
   * "maxReceiveCount")} is {@code Properties.RedrivePolicy.maxReceiveCount}. Empty when absent or
   * {@code AWS::NoValue}. Only the requested value is resolved.
   */
  public Optional<Object> property(String logicalId, String... path) {
    Object node = resource(logicalId).get("Properties");
    String where = "resource " + logicalId + " (" + resourceType(logicalId) + ") property " + String.join(".", path);
    try {
      for (String key : path) {
        node = isIntrinsic(node) ? resolve(node) : node;
        if (node == null || node == NO_VALUE) {
          return Optional.empty();
        }
        if (!(node instanceof Map<?, ?> map)) {
          throw new TemplateException("expected a map before '" + key + "', found " + describe(node));
        }
        node = map.get(key);
      }
      Object value = resolve(node);
      return value == null || value == NO_VALUE ? Optional.empty() : Optional.of(value);
    } catch (TemplateException e) {
      throw new TemplateException(where + " in region " + region() + ": " + e.getMessage(), e);
    }
  }

  /** Resolves any template expression (for tools and tests); empty for {@code AWS::NoValue}. */
  public Optional<Object> evaluate(Object expression) {
    Object value = resolve(expression);
    return value == NO_VALUE ? Optional.empty() : Optional.ofNullable(value);
  }

  /** The stack's {@code Outputs} (conditions applied) as strings. */
  public Map<String, String> outputs() {
    Map<String, String> out = new LinkedHashMap<>();
    outputs.forEach((name, definition) -> {
      Map<String, Object> output = asMap(definition, "output " + name);
      Object condition = output.get("Condition");
      if (condition != null && !condition(String.valueOf(condition))) {
        return;
      }
      try {
        Object value = resolve(output.get("Value"));
        if (value != NO_VALUE) {
          out.put(name, scalarString(value));
        }
      } catch (TemplateException e) {
        throw new TemplateException("output " + name + " in region " + region() + ": " + e.getMessage(), e);
      }
    });
    return out;
  }

  /** {@code Ref} of a parameter, pseudo parameter or resource. */
  public Object ref(String name) {
    switch (name) {
      case "AWS::Region":
        return region();
      case "AWS::AccountId":
        return LocalNames.ACCOUNT_ID;
      case "AWS::Partition":
        return LocalNames.PARTITION;
      case "AWS::URLSuffix":
        return LocalNames.URL_SUFFIX;
      case "AWS::StackName":
        return stackName();
      case "AWS::StackId":
        return LocalNames.arn("cloudformation", region(),
            "stack/" + stackName() + "/" + LocalNames.generatedUuid(region() + "/" + stackName()));
      case "AWS::NotificationARNs":
        return List.of();
      case "AWS::NoValue":
        return NO_VALUE;
      default:
        break;
    }
    if (name.startsWith("AWS::")) {
      throw new TemplateException("unknown pseudo parameter " + name);
    }
    if (parameterValues.containsKey(name)) {
      return parameterValues.get(name);
    }
    if (resources.containsKey(name)) {
      return refResource(name);
    }
    int dot = name.indexOf('.');
    if (dot > 0 && resources.containsKey(name.substring(0, dot))) {
      return refSamSubResource(name.substring(0, dot), name.substring(dot + 1));
    }
    throw missing("Ref", name);
  }

  /** {@code Fn::GetAtt} of a resource. */
  public Object getAtt(String logicalId, String attribute) {
    if (!resources.containsKey(logicalId)) {
      throw missing("Fn::GetAtt", logicalId + "." + attribute);
    }
    String type = resourceType(logicalId);
    String name = physicalName(logicalId);
    String region = region();
    Object value = switch (type) {
      case "AWS::SQS::Queue" -> switch (attribute) {
        case "Arn" -> LocalNames.queueArn(region, name);
        case "QueueName" -> name;
        case "QueueUrl" -> LocalNames.queueUrl(region, name);
        default -> null;
      };
      case "AWS::Events::EventBus" -> switch (attribute) {
        case "Arn" -> LocalNames.eventBusArn(region, name);
        case "Name" -> name;
        default -> null;
      };
      case "AWS::Events::Rule" -> "Arn".equals(attribute) ? LocalNames.ruleArn(region, ruleBusName(logicalId), name)
          : null;
      case "AWS::DynamoDB::GlobalTable", "AWS::DynamoDB::Table" -> switch (attribute) {
        case "Arn" -> LocalNames.tableArn(region, name);
        case "StreamArn" -> LocalNames.streamArn(region, name);
        case "TableId" -> LocalNames.generatedUuid(region + "/" + name);
        default -> null;
      };
      case "AWS::Serverless::Function", "AWS::Lambda::Function" -> "Arn".equals(attribute)
          ? LocalNames.arn("lambda", region, "function:" + name) : null;
      case "AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api" -> switch (attribute) {
        case "ApiId" -> refResource(logicalId);
        case "ApiEndpoint" -> "https://" + refResource(logicalId) + ".execute-api." + region + "."
            + LocalNames.URL_SUFFIX;
        default -> null;
      };
      case "AWS::IAM::Role" -> switch (attribute) {
        case "Arn" -> "arn:" + LocalNames.PARTITION + ":iam::" + LocalNames.ACCOUNT_ID + ":role/" + name;
        case "RoleId" -> "AROA" + LocalNames.generatedId(name, 17).toUpperCase(java.util.Locale.ROOT);
        default -> null;
      };
      case "AWS::Logs::LogGroup" -> "Arn".equals(attribute)
          ? LocalNames.arn("logs", region, "log-group:" + name + ":*") : null;
      case "AWS::Route53::HealthCheck" -> "HealthCheckId".equals(attribute) ? refResource(logicalId) : null;
      case "AWS::ApiGatewayV2::DomainName" -> switch (attribute) {
        case "RegionalDomainName" -> "d-" + LocalNames.generatedId(region + "/" + logicalId, 10) + ".execute-api."
            + region + "." + LocalNames.URL_SUFFIX;
        case "RegionalHostedZoneId" -> "Z" + LocalNames.generatedId(region, 13).toUpperCase(java.util.Locale.ROOT);
        case "DomainName" -> refResource(logicalId);
        default -> null;
      };
      default -> null;
    };
    if (value == null) {
      throw new TemplateException("Fn::GetAtt " + logicalId + "." + attribute + ": attribute " + attribute + " of "
          + type + " is not supported by the local resolver");
    }
    return value;
  }

  /**
   * The resource's physical name: its explicit name property (QueueName, Name, TableName,
   * FunctionName, LogGroupName, RoleName) or CloudFormation's generated
   * {@code <stack>-<LogicalId>-<SUFFIX>} ({@link LocalNames#generatedName}).
   */
  public String physicalName(String logicalId) {
    String known = physicalNames.get(logicalId);
    if (known != null) {
      return known;
    }
    if (!namesInProgress.add(logicalId)) {
      throw new TemplateException("the name of " + logicalId + " depends on itself");
    }
    try {
      String type = resourceType(logicalId);
      String name = switch (type) {
        case "AWS::SQS::Queue" -> {
          boolean fifo = property(logicalId, "FifoQueue").map(EvaluatedStack::bool).orElse(false);
          yield explicitName(logicalId, "QueueName")
              .orElseGet(() -> fifo ? LocalNames.generatedName(stackName(), logicalId, 75) + ".fifo"
                  : LocalNames.generatedName(stackName(), logicalId, 80));
        }
        case "AWS::Events::EventBus" -> explicitName(logicalId, "Name")
            .orElseThrow(() -> new TemplateException("event bus " + logicalId + " needs a Name"));
        case "AWS::Events::Rule" -> explicitName(logicalId, "Name")
            .orElseGet(() -> LocalNames.generatedName(stackName(), logicalId, 64));
        case "AWS::DynamoDB::GlobalTable", "AWS::DynamoDB::Table" -> explicitName(logicalId, "TableName")
            .orElseGet(() -> LocalNames.generatedName(stackName(), logicalId, 255));
        case "AWS::Serverless::Function", "AWS::Lambda::Function" -> explicitName(logicalId, "FunctionName")
            .orElseGet(() -> LocalNames.generatedName(stackName(), logicalId, 64));
        case "AWS::Logs::LogGroup" -> explicitName(logicalId, "LogGroupName")
            .orElseGet(() -> LocalNames.generatedName(stackName(), logicalId, 512));
        case "AWS::IAM::Role" -> explicitName(logicalId, "RoleName")
            .orElseGet(() -> LocalNames.generatedName(stackName(), logicalId, 64));
        default -> LocalNames.generatedName(stackName(), logicalId, 128);
      };
      physicalNames.put(logicalId, name);
      return name;
    } finally {
      namesInProgress.remove(logicalId);
    }
  }

  /** The name of the bus an {@code AWS::Events::Rule} is on ({@code default} when unset). */
  public String ruleBusName(String logicalId) {
    return property(logicalId, "EventBusName").map(EvaluatedStack::scalarString).map(EvaluatedStack::busNameOf)
        .orElse("default");
  }

  /** A bus name from a bus name or ARN ({@code EventBusName} accepts both). */
  static String busNameOf(String nameOrArn) {
    return LocalNames.parseArn(nameOrArn).map(arn -> arn.resource().substring(arn.resource().indexOf('/') + 1))
        .orElse(nameOrArn);
  }

  // ---------------------------------------------------------------------------------------------
  // Intrinsic functions

  Object resolve(Object node) {
    if (node instanceof Map<?, ?> map) {
      if (map.size() == 1) {
        Map.Entry<?, ?> only = map.entrySet().iterator().next();
        String key = String.valueOf(only.getKey());
        if (key.equals("Ref")) {
          return ref(nameArgument("Ref", only.getValue()));
        }
        if (key.startsWith("Fn::")) {
          return function(key, only.getValue());
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> {
        Object value = resolve(v);
        if (value != NO_VALUE) {
          out.put(String.valueOf(k), value);
        }
      });
      return out;
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object element : list) {
        Object value = resolve(element);
        if (value != NO_VALUE) {
          out.add(value);
        }
      }
      return out;
    }
    return node;
  }

  private Object function(String name, Object args) {
    switch (name) {
      case "Fn::GetAtt": {
        List<String> parts;
        if (args instanceof String dotted) {
          int dot = dotted.indexOf('.');
          if (dot <= 0 || dot == dotted.length() - 1) {
            throw new TemplateException("Fn::GetAtt needs Resource.Attribute, got '" + dotted + "'");
          }
          parts = List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
        } else {
          List<?> list = arguments(name, args, 2, 2);
          parts = List.of(nameArgument(name, list.get(0)), scalarString(resolve(list.get(1))));
        }
        return getAtt(parts.get(0), parts.get(1));
      }
      case "Fn::Sub": {
        if (args instanceof String template) {
          return sub(template, Map.of());
        }
        List<?> list = arguments(name, args, 2, 2);
        if (!(list.get(0) instanceof String template)) {
          throw new TemplateException("Fn::Sub needs a string template, got " + describe(list.get(0)));
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        asMap(list.get(1), "Fn::Sub variables").forEach((k, v) -> variables.put(k, resolve(v)));
        return sub(template, variables);
      }
      case "Fn::If": {
        List<?> list = arguments(name, args, 3, 3);
        return condition(nameArgument(name, list.get(0))) ? resolve(list.get(1)) : resolve(list.get(2));
      }
      case "Fn::Equals":
      case "Fn::Not":
      case "Fn::And":
      case "Fn::Or":
        return evalCondition(Collections.singletonMap(name, args));
      case "Fn::Join": {
        List<?> list = arguments(name, args, 2, 2);
        String delimiter = scalarString(resolve(list.get(0)));
        return joinStrings(asList(resolve(list.get(1)), "Fn::Join values"), delimiter);
      }
      case "Fn::Select": {
        List<?> list = arguments(name, args, 2, 2);
        int index = intValue(resolve(list.get(0)));
        List<?> values = asList(resolve(list.get(1)), "Fn::Select values");
        if (index < 0 || index >= values.size()) {
          throw new TemplateException("Fn::Select index " + index + " is outside the list " + values);
        }
        return values.get(index);
      }
      case "Fn::Split": {
        List<?> list = arguments(name, args, 2, 2);
        String delimiter = scalarString(resolve(list.get(0)));
        String source = scalarString(resolve(list.get(1)));
        if (delimiter.isEmpty()) {
          throw new TemplateException("Fn::Split needs a non-empty delimiter");
        }
        return List.of(source.split(Pattern.quote(delimiter), -1));
      }
      case "Fn::FindInMap": {
        List<?> list = arguments(name, args, 3, 4);
        String mapName = scalarString(resolve(list.get(0)));
        String top = scalarString(resolve(list.get(1)));
        String second = scalarString(resolve(list.get(2)));
        Object mapping = mappings.get(mapName);
        Object level = mapping instanceof Map<?, ?> m ? m.get(top) : null;
        Object value = level instanceof Map<?, ?> m ? m.get(second) : null;
        if (value != null) {
          return resolve(value);
        }
        if (list.size() == 4) {
          Object fallback = asMap(list.get(3), "Fn::FindInMap default").get("DefaultValue");
          if (fallback != null) {
            return resolve(fallback);
          }
        }
        throw new TemplateException("Fn::FindInMap: no value for [" + mapName + ", " + top + ", " + second + "]");
      }
      case "Fn::GetAZs": {
        String region = scalarString(resolve(args));
        String azRegion = region.isEmpty() ? region() : region;
        return List.of(azRegion + "a", azRegion + "b", azRegion + "c");
      }
      case "Fn::Base64":
        return Base64.getEncoder().encodeToString(scalarString(resolve(args)).getBytes(StandardCharsets.UTF_8));
      case "Fn::Length":
        return asList(resolve(args), "Fn::Length").size();
      case "Fn::ToJsonString":
        return toJson(resolve(args));
      case "Fn::ImportValue":
        throw new TemplateException("Fn::ImportValue (a cross-stack export) cannot be resolved by the local stack,"
            + " which deploys this template alone");
      default:
        throw new TemplateException(name + " is not supported by the local resolver");
    }
  }

  private String sub(String template, Map<String, Object> variables) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int start = template.indexOf("${", i);
      if (start < 0) {
        out.append(template, i, template.length());
        break;
      }
      out.append(template, i, start);
      int end = template.indexOf('}', start + 2);
      if (end < 0) {
        throw new TemplateException("Fn::Sub: unterminated ${ in '" + template + "'");
      }
      String variable = template.substring(start + 2, end);
      if (variable.startsWith("!")) {
        out.append("${").append(variable, 1, variable.length()).append('}');
      } else {
        String key = variable.trim();
        Object value;
        if (variables.containsKey(key)) {
          value = variables.get(key);
        } else if (key.indexOf('.') > 0 && !parameterValues.containsKey(key)) {
          int dot = key.indexOf('.');
          value = getAtt(key.substring(0, dot), key.substring(dot + 1));
        } else {
          value = ref(key);
        }
        if (value == NO_VALUE || value instanceof List<?> || value instanceof Map<?, ?>) {
          throw new TemplateException("Fn::Sub: ${" + key + "} is " + describe(value) + ", not a string");
        }
        out.append(scalarString(value));
      }
      i = end + 1;
    }
    return out.toString();
  }

  private boolean evalCondition(Object expression) {
    if (expression instanceof Boolean b) {
      return b;
    }
    if (expression instanceof String s && (s.equals("true") || s.equals("false"))) {
      return Boolean.parseBoolean(s);
    }
    if (!(expression instanceof Map<?, ?> map) || map.size() != 1) {
      throw new TemplateException("not a condition function: " + describe(expression));
    }
    Map.Entry<?, ?> only = map.entrySet().iterator().next();
    String name = String.valueOf(only.getKey());
    Object args = only.getValue();
    switch (name) {
      case "Condition":
        return condition(nameArgument(name, args));
      case "Fn::Equals": {
        List<?> list = arguments(name, args, 2, 2);
        return comparable(resolve(list.get(0))).equals(comparable(resolve(list.get(1))));
      }
      case "Fn::Not":
        return !evalCondition(arguments(name, args, 1, 1).get(0));
      case "Fn::And": {
        for (Object operand : arguments(name, args, 2, 10)) {
          if (!evalCondition(operand)) {
            return false;
          }
        }
        return true;
      }
      case "Fn::Or": {
        for (Object operand : arguments(name, args, 2, 10)) {
          if (evalCondition(operand)) {
            return true;
          }
        }
        return false;
      }
      case "Fn::Contains": {
        List<?> list = arguments(name, args, 2, 2);
        return comparableList(resolve(list.get(0))).contains(comparable(resolve(list.get(1))));
      }
      case "Fn::EachMemberEquals": {
        List<?> list = arguments(name, args, 2, 2);
        Object expected = comparable(resolve(list.get(1)));
        return comparableList(resolve(list.get(0))).stream().allMatch(expected::equals);
      }
      case "Fn::EachMemberIn": {
        List<?> list = arguments(name, args, 2, 2);
        return comparableList(resolve(list.get(1))).containsAll(comparableList(resolve(list.get(0))));
      }
      default:
        if (name.equals("Ref") || name.startsWith("Fn::")) {
          Object value = resolve(expression);
          if (value instanceof Boolean b) {
            return b;
          }
        }
        throw new TemplateException(name + " is not a condition function (supported: Condition, Fn::Equals, "
            + "Fn::Not, Fn::And, Fn::Or, and in Rules Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn)");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Parameters, Rules, Transform

  private void resolveParameters(Map<String, Object> definitions) {
    List<String> violations = new ArrayList<>();
    for (String provided : stack.parameters().keySet()) {
      if (!definitions.containsKey(provided)) {
        violations.add(provided + " is not a parameter of the template");
      }
    }
    definitions.forEach((name, raw) -> {
      Map<String, Object> definition = asMap(raw, "parameter " + name);
      String type = definition.get("Type") == null ? "String" : String.valueOf(definition.get("Type"));
      String value = stack.parameters().get(name);
      if (value == null && definition.containsKey("Default")) {
        value = scalarString(definition.get("Default"));
      }
      if (value == null) {
        violations.add(name + " has no value (no override and no Default)");
        return;
      }
      boolean isList = type.equals("CommaDelimitedList") || type.startsWith("List<");
      List<String> values = isList
          ? (value.isEmpty() ? List.of() : List.of(value.split(",", -1)).stream().map(String::trim).toList())
          : List.of(value);
      if (!stack.uncheckedParameters().contains(name)) {
        boolean numeric = type.equals("Number") || type.equals("List<Number>");
        for (String v : values) {
          validateParameter(name, definition, numeric, v, violations);
        }
      }
      parameterValues.put(name, isList ? values : value);
    });
    for (String unchecked : stack.uncheckedParameters()) {
      if (!definitions.containsKey(unchecked)) {
        violations.add(unchecked + " (unchecked override) is not a parameter of the template");
      }
    }
    if (!violations.isEmpty()) {
      throw new ParameterValidationException(region(), violations);
    }
  }

  private static void validateParameter(String name, Map<String, Object> definition, boolean numeric, String value,
      List<String> violations) {
    String shown = name + " = '" + value + "'";
    Object constraint = definition.get("ConstraintDescription");
    String because = constraint == null ? "" : " (" + scalarString(constraint) + ")";
    BigDecimal number = null;
    if (numeric) {
      try {
        number = new BigDecimal(value.trim());
      } catch (NumberFormatException e) {
        violations.add(shown + " is not a number");
        return;
      }
    }
    Object allowed = definition.get("AllowedValues");
    if (allowed instanceof List<?> allowedValues) {
      List<String> options = allowedValues.stream().map(EvaluatedStack::scalarString).toList();
      boolean ok = options.contains(value);
      if (!ok && number != null) {
        final BigDecimal n = number;
        ok = options.stream().anyMatch(o -> {
          try {
            return new BigDecimal(o).compareTo(n) == 0;
          } catch (NumberFormatException e) {
            return false;
          }
        });
      }
      if (!ok) {
        violations.add(shown + " is not one of the AllowedValues " + options + because);
      }
    }
    Object pattern = definition.get("AllowedPattern");
    if (pattern != null) {
      try {
        if (!Pattern.compile(scalarString(pattern)).matcher(value).matches()) {
          violations.add(shown + " does not match AllowedPattern " + scalarString(pattern) + because);
        }
      } catch (PatternSyntaxException e) {
        violations.add(name + ": AllowedPattern " + pattern + " is not a valid regular expression");
      }
    }
    if (!numeric) {
      int length = value.codePointCount(0, value.length());
      if (definition.get("MinLength") != null && length < intValue(definition.get("MinLength"))) {
        violations.add(shown + " is shorter than MinLength " + definition.get("MinLength") + because);
      }
      if (definition.get("MaxLength") != null && length > intValue(definition.get("MaxLength"))) {
        violations.add(shown + " is longer than MaxLength " + definition.get("MaxLength") + because);
      }
    } else {
      if (definition.get("MinValue") != null
          && number.compareTo(new BigDecimal(scalarString(definition.get("MinValue")))) < 0) {
        violations.add(shown + " is below MinValue " + definition.get("MinValue") + because);
      }
      if (definition.get("MaxValue") != null
          && number.compareTo(new BigDecimal(scalarString(definition.get("MaxValue")))) > 0) {
        violations.add(shown + " is above MaxValue " + definition.get("MaxValue") + because);
      }
    }
  }

  private void assertRules(Map<String, Object> rules) {
    List<String> failures = new ArrayList<>();
    rules.forEach((name, raw) -> {
      Map<String, Object> rule = asMap(raw, "rule " + name);
      try {
        if (rule.containsKey("RuleCondition") && !evalCondition(rule.get("RuleCondition"))) {
          return;
        }
        for (Object assertionRaw : asList(rule.getOrDefault("Assertions", List.of()), "rule " + name + " Assertions")) {
          Map<String, Object> assertion = asMap(assertionRaw, "rule " + name + " assertion");
          if (!evalCondition(assertion.get("Assert"))) {
            Object description = assertion.get("AssertDescription");
            failures.add(name + ": " + (description == null ? "assertion failed" : scalarString(description).trim()));
          }
        }
      } catch (TemplateException e) {
        throw new TemplateException("rule " + name + " in region " + region() + ": " + e.getMessage(), e);
      }
    });
    if (!failures.isEmpty()) {
      throw new TemplateException("the template's Rules reject the parameters for region " + region() + ":\n  - "
          + String.join("\n  - ", failures));
    }
  }

  private static void checkTransform(Object transform) {
    List<?> transforms = transform == null ? List.of() : transform instanceof List<?> l ? l : List.of(transform);
    for (Object t : transforms) {
      String name = scalarString(t);
      if (!name.equals("AWS::Serverless-2016-10-31") && !name.equals("AWS::LanguageExtensions")) {
        throw new TemplateException("Transform " + name + " is not supported by the local resolver");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Resources

  private Map<String, Object> resource(String logicalId) {
    Map<String, Object> resource = resources.get(logicalId);
    if (resource == null) {
      throw missing("resource", logicalId);
    }
    return resource;
  }

  private Optional<String> explicitName(String logicalId, String property) {
    return property(logicalId, property).map(EvaluatedStack::scalarString).filter(s -> !s.isEmpty());
  }

  private Object refResource(String logicalId) {
    String type = resourceType(logicalId);
    return switch (type) {
      case "AWS::SQS::Queue" -> LocalNames.queueUrl(region(), physicalName(logicalId));
      case "AWS::Events::Rule" -> {
        String bus = ruleBusName(logicalId);
        yield "default".equals(bus) ? physicalName(logicalId) : bus + "|" + physicalName(logicalId);
      }
      case "AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api", "AWS::Serverless::Api", "AWS::ApiGateway::RestApi" ->
          LocalNames.generatedId(stackName() + "/" + region() + "/" + logicalId, 10);
      case "AWS::Route53::HealthCheck" -> LocalNames.generatedUuid(stackName() + "/" + region() + "/" + logicalId);
      case "AWS::ApiGatewayV2::DomainName" -> property(logicalId, "DomainName").map(EvaluatedStack::scalarString)
          .orElseThrow(() -> new TemplateException(logicalId + " has no DomainName"));
      // Ref of a stage is its name (the Route 53 health check's path is built from it).
      case "AWS::ApiGatewayV2::Stage" -> property(logicalId, "StageName").map(EvaluatedStack::scalarString)
          .orElseThrow(() -> new TemplateException(logicalId + " has no StageName"));
      default -> physicalName(logicalId);
    };
  }

  /** SAM's {@code Ref: Api.Stage}, {@code Ref: Function.Alias}, {@code Ref: Function.Version}. */
  private Object refSamSubResource(String logicalId, String part) {
    String type = resourceType(logicalId);
    if (part.equals("Stage") && type.equals("AWS::Serverless::HttpApi")) {
      return property(logicalId, "StageName").map(EvaluatedStack::scalarString).orElse("$default");
    }
    if (type.equals("AWS::Serverless::Function") && (part.equals("Alias") || part.equals("Version"))) {
      String arn = (String) getAtt(logicalId, "Arn");
      return part.equals("Version") ? arn + ":1"
          : arn + ":" + property(logicalId, "AutoPublishAlias").map(EvaluatedStack::scalarString).orElseThrow(
              () -> new TemplateException("Ref " + logicalId + ".Alias needs AutoPublishAlias"));
    }
    throw new TemplateException("Ref " + logicalId + "." + part + " is not supported for " + type);
  }

  private TemplateException missing(String what, String target) {
    String id = target.contains(".") ? target.substring(0, target.indexOf('.')) : target;
    Map<String, Object> declared = declaredResources.get(id);
    if (declared != null) {
      return new TemplateException(what + " " + target + ": resource " + id + " is not created in region " + region()
          + " (its Condition " + declared.get("Condition") + " is false)");
    }
    return new TemplateException(what + " " + target + ": no such parameter, pseudo parameter or resource");
  }

  // ---------------------------------------------------------------------------------------------
  // SAM Globals

  /**
   * SAM's Globals semantics: maps merge key by key (the resource wins), lists concatenate (globals
   * first), anything else the resource's value wins. An intrinsic on either side is a value, not a
   * map to merge.
   */
  static Object mergeGlobals(Object global, Object local) {
    if (local == null) {
      return global;
    }
    if (global instanceof Map<?, ?> g && local instanceof Map<?, ?> l && !isIntrinsic(g) && !isIntrinsic(l)) {
      Map<String, Object> out = new LinkedHashMap<>();
      g.forEach((k, v) -> out.put(String.valueOf(k), v));
      l.forEach((k, v) -> out.put(String.valueOf(k), mergeGlobals(g.get(k), v)));
      return out;
    }
    if (global instanceof List<?> g && local instanceof List<?> l) {
      List<Object> out = new ArrayList<>(g);
      out.addAll(l);
      return out;
    }
    return local;
  }

  // ---------------------------------------------------------------------------------------------
  // Value helpers

  static boolean isIntrinsic(Object node) {
    if (node instanceof Map<?, ?> map && map.size() == 1) {
      String key = String.valueOf(map.keySet().iterator().next());
      return key.equals("Ref") || key.startsWith("Fn::");
    }
    return false;
  }

  /** A scalar as CloudFormation turns it into a string. */
  static String scalarString(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof BigInteger || value instanceof Short) {
      return value.toString();
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Double || value instanceof Float) {
      return value.toString();
    }
    if (value instanceof Boolean b) {
      return b.toString();
    }
    throw new TemplateException("expected a string, found " + describe(value));
  }

  static int intValue(Object value) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(scalarString(value).trim());
    } catch (NumberFormatException e) {
      throw new TemplateException("expected an integer, found " + describe(value));
    }
  }

  static double doubleValue(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(scalarString(value).trim());
    } catch (NumberFormatException e) {
      throw new TemplateException("expected a number, found " + describe(value));
    }
  }

  static boolean bool(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    String s = scalarString(value).trim();
    if (s.equalsIgnoreCase("true")) {
      return true;
    }
    if (s.equalsIgnoreCase("false")) {
      return false;
    }
    throw new TemplateException("expected true or false, found " + describe(value));
  }

  static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new TemplateException("cannot write " + describe(value) + " as JSON", e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object value, String what) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      ((Map<Object, Object>) map).forEach((k, v) -> out.put(String.valueOf(k), v));
      return out;
    }
    throw new TemplateException(what + " must be a map, found " + describe(value));
  }

  static List<?> asList(Object value, String what) {
    if (value instanceof List<?> list) {
      return list;
    }
    throw new TemplateException(what + " must be a list, found " + describe(value));
  }

  private static Map<String, Object> mapOrEmpty(Object value, String what) {
    return value == null ? new LinkedHashMap<>() : asMap(value, what);
  }

  private static List<?> arguments(String function, Object args, int min, int max) {
    if (!(args instanceof List<?> list) || list.size() < min || list.size() > max) {
      String count = min == max ? String.valueOf(min) : min + " to " + max;
      throw new TemplateException(function + " takes a list of " + count + " arguments, found " + describe(args));
    }
    return list;
  }

  private String nameArgument(String function, Object value) {
    Object resolved = value instanceof String ? value : resolve(value);
    if (resolved instanceof String s && !s.isEmpty()) {
      return s;
    }
    throw new TemplateException(function + " needs a name, found " + describe(value));
  }

  private static String joinStrings(List<?> values, String delimiter) {
    List<String> strings = new ArrayList<>(values.size());
    for (Object v : values) {
      strings.add(scalarString(v));
    }
    return String.join(delimiter, strings);
  }

  private static Object comparable(Object value) {
    return value instanceof List<?> list ? comparableList(list) : scalarString(value);
  }

  private static List<String> comparableList(Object value) {
    return asList(value, "a list argument").stream().map(EvaluatedStack::scalarString).toList();
  }

  static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value == NO_VALUE) {
      return "AWS::NoValue";
    }
    String text = String.valueOf(value);
    String type = value instanceof Map ? "a map " : value instanceof List ? "a list " : "";
    return type + (text.length() > 120 ? text.substring(0, 117) + "..." : text);
  }
}
