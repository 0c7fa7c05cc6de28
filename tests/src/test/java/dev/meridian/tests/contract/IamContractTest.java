package dev.meridian.tests.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import dev.meridian.tools.local.model.FunctionSpec;
import dev.meridian.tools.local.model.TableSpec;
import dev.meridian.tools.local.template.EvaluatedStack;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IAM: each function's policy (the inline policies of its own role, intrinsics resolved by the
 * project's resolver for each region) allows every DynamoDB / SQS /
 * EventBridge action its code calls, on the resources the code addresses.
 *
 * <p>The actions are DERIVED FROM THE BYTECODE in the function's zip with ArchUnit: calls (and
 * method references) to {@code DynamoDbClient} / {@code SqsClient} / {@code EventBridgeClient}
 * from the {@code dev.meridian} classes reachable from the function's own classes, its zip root
 * plus Meridian's own jars in {@code lib/} ({@code meridian-*.jar}) (class-level reachability; see {@link
 * Contract.FunctionZip#reachable()}: an over-approximation, which errs on the safe side).
 * {@code transactWriteItems} maps to the item actions of the {@code TransactWriteItem} builders the
 * same classes use (put/update/conditionCheck/delete); without any, to all four.
 *
 * <p>The resources come from the function's own environment (what the code addresses): table
 * {@code TABLE_NAME} (and its GSIs when the code sets {@code QueryRequest.indexName}), the bus
 * {@code EVENT_BUS_NAME}, and for SQS every queue whose {@code *_QUEUE_URL} variable the code reads
 * ({@link Contract#queueUrlVariablesRead}; each SQS action is checked on each of them, an
 * over-approximation like the reachability scan).
 */
class IamContractTest {
  static final Map<String, String> CLIENTS = Map.of(
      "software.amazon.awssdk.services.dynamodb.DynamoDbClient", "dynamodb",
      "software.amazon.awssdk.services.sqs.SqsClient", "sqs",
      "software.amazon.awssdk.services.eventbridge.EventBridgeClient", "events");
  static final String TRANSACT_ITEM_BUILDER = "software.amazon.awssdk.services.dynamodb.model.TransactWriteItem$Builder";
  static final String QUERY_BUILDER = "software.amazon.awssdk.services.dynamodb.model.QueryRequest$Builder";
  static final Map<String, String> TRANSACT_ITEM_ACTIONS = Map.of("put", "PutItem", "update", "UpdateItem",
      "conditionCheck", "ConditionCheckItem", "delete", "DeleteItem");
  /** Client methods that are not API calls. */
  static final Set<String> NOT_CALLS = Set.of("close", "serviceName", "serviceClientConfiguration", "waiter",
      "utilities", "builder", "create");

  static Stream<Arguments> functionsPerRegion() {
    return Contract.deployment().regions().stream()
        .flatMap(region -> Contract.functions(region).stream().map(f -> Arguments.of(region, f)));
  }

  // ---------------------------------------------------------------------------------------------
  // The code side

  /** Derived IAM action -> where the code calls it. */
  static SortedMap<String, SortedSet<String>> derivedActions(Contract.FunctionZip zip) {
    SortedMap<String, SortedSet<String>> actions = new TreeMap<>();
    SortedSet<String> transactItemActions = new TreeSet<>();
    List<String> transactCallers = new ArrayList<>();
    for (JavaClass c : zip.reachable()) {
      List<JavaAccess<?>> accesses = new ArrayList<>();
      accesses.addAll(c.getMethodCallsFromSelf());
      accesses.addAll(c.getMethodReferencesFromSelf());
      for (JavaAccess<?> access : accesses) {
        String owner = access.getTargetOwner().getName();
        String method = access.getName();
        String at = c.getSimpleName() + "." + access.getOrigin().getName() + " -> "
            + access.getTargetOwner().getSimpleName() + "." + method;
        if (owner.equals(TRANSACT_ITEM_BUILDER) && TRANSACT_ITEM_ACTIONS.containsKey(method)) {
          transactItemActions.add("dynamodb:" + TRANSACT_ITEM_ACTIONS.get(method));
          continue;
        }
        String service = CLIENTS.get(owner);
        if (service == null || NOT_CALLS.contains(method)) {
          continue;
        }
        if (service.equals("dynamodb") && method.equals("transactWriteItems")) {
          transactCallers.add(at);
          continue;
        }
        String api = method.endsWith("Paginator") ? method.substring(0, method.length() - "Paginator".length())
            : method;
        if (service.equals("dynamodb") && api.equals("transactGetItems")) {
          api = "getItem";
        }
        String action = service + ":" + Character.toUpperCase(api.charAt(0)) + api.substring(1);
        actions.computeIfAbsent(action, k -> new TreeSet<>()).add(at);
      }
    }
    if (!transactCallers.isEmpty()) {
      Collection<String> items = transactItemActions.isEmpty()
          ? TRANSACT_ITEM_ACTIONS.values().stream().map(a -> "dynamodb:" + a).toList() : transactItemActions;
      for (String action : items) {
        actions.computeIfAbsent(action, k -> new TreeSet<>()).addAll(
            transactCallers.stream().map(t -> t + " (a TransactWriteItem item)").toList());
      }
    }
    return actions;
  }

  static boolean queriesAnIndex(Contract.FunctionZip zip) {
    return zip.reachable().stream().anyMatch(c -> c.getMethodCallsFromSelf().stream()
        .anyMatch(call -> call.getTargetOwner().getName().equals(QUERY_BUILDER) && call.getName().equals("indexName")));
  }

  // ---------------------------------------------------------------------------------------------
  // The template side

  record Statement(boolean allow, List<String> actions, List<String> resources, String origin) {}

  /**
   * The statements of the function's own role ({@code Role: !GetAtt <X>Role.Arn}, an
   * {@code AWS::IAM::Role} of the stack): its inline policies, intrinsics resolved for the region.
   * SAM {@code Policies} on the function are refused: with {@code Role} set SAM ignores them, and
   * without it SAM adds managed policies this test cannot see (TransformedTemplateContractTest).
   */
  @SuppressWarnings("unchecked")
  static List<Statement> statements(EvaluatedStack stack, String functionId) {
    assertThat(stack.property(functionId, "Policies")).as(functionId + ": permissions belong in its own role,"
        + " not in SAM Policies").isEmpty();
    String roleArn = String.valueOf(stack.property(functionId, "Role").orElseThrow(() -> new AssertionError(
        functionId + " has no Role: SAM would generate one with AWS managed policies on Resource \"*\"")));
    String roleId = stack.resourceIds("AWS::IAM::Role").stream()
        .filter(id -> roleArn.equals(String.valueOf(stack.getAtt(id, "Arn")))).findFirst()
        .orElseThrow(() -> new AssertionError(functionId + ": Role " + roleArn + " is not a role of this stack"));
    Object policies = stack.property(roleId, "Policies").orElse(List.of());
    List<Statement> out = new ArrayList<>();
    for (Object policy : (List<Object>) policies) {
      Map<String, Object> p = (Map<String, Object>) policy;
      String origin = roleId + ".Policies[" + p.get("PolicyName") + "]";
      Object st = ((Map<String, Object>) p.get("PolicyDocument")).get("Statement");
      for (Object s : st instanceof List<?> sl ? sl : List.of(st)) {
        Map<String, Object> m = (Map<String, Object>) s;
        assertThat(m).as(origin + ": NotAction/NotResource are not supported by this test")
            .doesNotContainKeys("NotAction", "NotResource");
        out.add(new Statement("Allow".equals(m.get("Effect")), strings(m.get("Action")), strings(m.get("Resource")),
            origin + (m.get("Sid") == null ? "" : " Sid " + m.get("Sid"))));
      }
    }
    return out;
  }

  static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(value));
  }

  static boolean glob(String pattern, String value, boolean ignoreCase) {
    StringBuilder regex = new StringBuilder();
    for (char ch : pattern.toCharArray()) {
      switch (ch) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches();
  }

  static boolean allowed(List<Statement> statements, String action, String resource) {
    boolean allow = false;
    for (Statement s : statements) {
      boolean matches = s.actions().stream().anyMatch(a -> glob(a, action, true))
          && s.resources().stream().anyMatch(r -> glob(r, resource, false));
      if (matches && !s.allow()) {
        return false;
      }
      allow |= matches && s.allow();
    }
    return allow;
  }

  // ---------------------------------------------------------------------------------------------

  private static final Pattern QUEUE_URL = Pattern.compile("^https?://sqs\\.([a-z0-9-]+)\\.[^/]+/(\\d{12})/([^/]+)$");

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("functionsPerRegion")
  void policyAllowsEveryCallTheCodeMakes(String region, FunctionSpec function) {
    Contract.FunctionZip zip = Contract.zip(function);
    String where = function.logicalId() + " in " + region;
    EvaluatedStack stack = Contract.stack(region);
    String partition = String.valueOf(stack.evaluate(Map.of("Ref", "AWS::Partition")).orElseThrow());
    String account = String.valueOf(stack.evaluate(Map.of("Ref", "AWS::AccountId")).orElseThrow());
    List<Statement> statements = statements(stack, function.logicalId());
    SortedMap<String, SortedSet<String>> derived = derivedActions(zip);
    assertThat(derived).as(where + ": the bytecode scan found no AWS SDK calls at all (the scan is broken)")
        .isNotEmpty();
    Map<String, String> env = function.environment();

    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, SortedSet<String>> e : derived.entrySet()) {
      String action = e.getKey();
      String service = action.substring(0, action.indexOf(':'));
      List<String> resources = new ArrayList<>();
      switch (service) {
        case "dynamodb" -> {
          String tableName = env.get("TABLE_NAME");
          if (tableName == null) {
            problems.add(action + ": the code calls DynamoDB but TABLE_NAME is not set");
            continue;
          }
          String table = "arn:" + partition + ":dynamodb:" + region + ":" + account + ":table/" + tableName;
          resources.add(table);
          if (action.equals("dynamodb:Query") && queriesAnIndex(zip)) {
            Optional<TableSpec> spec = Contract.model(region).tables().stream()
                .filter(t -> t.tableName().equals(tableName)).findFirst();
            if (spec.isEmpty()) {
              problems.add("TABLE_NAME " + tableName + " is not a table of this region's stack");
            } else {
              spec.get().globalSecondaryIndexes().forEach(i -> resources.add(table + "/index/" + i.indexName()));
            }
          }
        }
        case "sqs" -> {
          Set<String> queues = Contract.queueUrlVariablesRead(zip);
          if (queues.isEmpty()) {
            problems.add(action + ": the code calls SQS but reads no *_QUEUE_URL variable");
            continue;
          }
          for (String variable : queues) {
            String url = env.get(variable);
            Matcher m = url == null ? null : QUEUE_URL.matcher(url);
            if (m == null || !m.matches()) {
              problems.add(action + ": the code calls SQS but " + variable + " is " + url);
              continue;
            }
            resources.add("arn:" + partition + ":sqs:" + m.group(1) + ":" + m.group(2) + ":" + m.group(3));
          }
        }
        case "events" -> resources.add("arn:" + partition + ":events:" + region + ":" + account + ":event-bus/"
            + env.getOrDefault("EVENT_BUS_NAME", "meridian"));
        default -> throw new IllegalStateException(service);
      }
      for (String resource : resources) {
        if (!allowed(statements, action, resource)) {
          problems.add(action + " on " + resource + " (called at " + e.getValue() + ")");
        }
      }
    }
    assertThat(problems).as(where + ": the policy does not allow these calls its code makes\n  policy: "
        + statements + "\n  derived from the code: " + derived.keySet()).isEmpty();

    SortedSet<String> granted = new TreeSet<>();
    statements.stream().filter(Statement::allow).forEach(s -> granted.addAll(s.actions()));
    granted.removeAll(derived.keySet());
    if (!granted.isEmpty()) {
      System.out.println("[IamContractTest] " + where + ": granted but not called by the code (informational): "
          + granted);
    }
  }
}
