package dev.meridian.tests.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import dev.meridian.tools.local.model.EventSourceSpec;
import dev.meridian.tools.local.model.FunctionSpec;
import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Environment: per region and function (Globals merged, intrinsics resolved by the project's
 * resolver), the template sets every variable the code reads and nothing the code does not read.
 *
 * <p>What the code reads comes from the constants in the function's zip: {@code
 * MeridianConfig.VARIABLES} (every function; AWS_REGION and AWS_LAMBDA_FUNCTION_NAME are set by
 * Lambda; the {@code *_QUEUE_URL} variables are optional there: required exactly where the
 * function's code calls their accessor, see {@link Contract#queueUrlVariablesRead}, and dead
 * elsewhere) and {@code HealthSettings.VARIABLES} (optional, with defaults; known only to
 * functions whose code reaches {@code HealthSettings}) and {@code ApiAccess.VARIABLES} (required by the
 * functions whose code reaches {@code ApiAccess}: the API functions). {@code POWERTOOLS_*} and
 * {@code JAVA_TOOL_OPTIONS} are read by Powertools and the JVM, {@link #READ_BY_THE_FIS_EXTENSION} by
 * the FIS extension. Then the values themselves are fed
 * to {@code MeridianConfig.from} / {@code HealthSettings.from}, which must accept them.
 */
class EnvironmentContractTest {
  static final String CONFIG = Contract.CONFIG;
  static final String HEALTH_POLICY = "dev.meridian.bootstrap.HealthSettings";
  static final String API_ACCESS = "dev.meridian.bootstrap.api.ApiAccess";
  static final Set<String> SET_BY_LAMBDA = Set.of("AWS_REGION", "AWS_LAMBDA_FUNCTION_NAME");
  static final String RECONCILE_QUEUE_URL = "RECONCILE_QUEUE_URL";
  static final String HEARTBEAT_INTERVAL_MS = "HEARTBEAT_INTERVAL_MS";
  /** Read by the FIS Lambda extension and Lambda's runtime (FaultInjection=enabled), not by Meridian's code. */
  static final Set<String> READ_BY_THE_FIS_EXTENSION = Set.of("AWS_LAMBDA_EXEC_WRAPPER", "AWS_FIS_CONFIGURATION_LOCATION");

  static Stream<Arguments> functionsPerRegion() {
    return Contract.deployment().regions().stream()
        .flatMap(region -> Contract.functions(region).stream().map(f -> Arguments.of(region, f)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("functionsPerRegion")
  void templateSetsWhatTheCodeReadsAndNothingElse(String region, FunctionSpec function) throws Exception {
    Contract.FunctionZip zip = Contract.zip(function);
    String where = function.logicalId() + " in " + region;
    Map<String, String> env = function.environment();
    List<String> configVariables = zip.constant(CONFIG, "VARIABLES");
    Set<String> reachable = reachableNames(zip);
    boolean readsHealthPolicy = reachable.contains(HEALTH_POLICY);
    List<String> accessVariables = reachable.contains(API_ACCESS) ? zip.constant(API_ACCESS, "VARIABLES") : List.of();
    Set<String> queuesRead = Contract.queueUrlVariablesRead(zip);
    Set<String> queueVariables = new TreeSet<>(configVariables.stream().filter(v -> v.endsWith("_QUEUE_URL")).toList());

    SortedSet<String> required = new TreeSet<>(configVariables);
    required.removeAll(SET_BY_LAMBDA);
    required.removeAll(queueVariables);
    required.addAll(queuesRead);
    required.addAll(accessVariables);
    SortedSet<String> missing = new TreeSet<>(required);
    missing.removeAll(env.keySet());
    assertThat(missing).as(where + ": the code reads these variables (" + CONFIG + ".VARIABLES; of the queue URLs,"
        + " those whose accessor it calls: " + queuesRead + ") but the template does not set them").isEmpty();

    Set<String> known = new TreeSet<>(configVariables);
    known.removeAll(queueVariables);
    known.addAll(queuesRead);
    List<String> healthVariables = readsHealthPolicy ? zip.constant(HEALTH_POLICY, "VARIABLES") : List.of();
    known.addAll(healthVariables);
    known.addAll(accessVariables);
    SortedSet<String> dead = new TreeSet<>();
    for (String name : env.keySet()) {
      if (!known.contains(name) && !name.startsWith("POWERTOOLS_") && !name.equals("JAVA_TOOL_OPTIONS")
          && !READ_BY_THE_FIS_EXTENSION.contains(name)) {
        dead.add(name);
      }
    }
    assertThat(dead).as(where + ": the template sets variables no code of this function reads (misspelled,"
        + " dead, or a queue URL whose accessor the code never calls; known: " + known
        + ", POWERTOOLS_*, JAVA_TOOL_OPTIONS)").isEmpty();

    // The code must accept the values (as Lambda will run it: plus AWS_REGION / function name).
    Map<String, String> runtime = new HashMap<>(env);
    runtime.put("AWS_REGION", region);
    runtime.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
    invokeFrom(zip, CONFIG, runtime, where);
    if (readsHealthPolicy) {
      invokeFrom(zip, HEALTH_POLICY, runtime, where);
    }
    if (!accessVariables.isEmpty()) {
      invokeFrom(zip, API_ACCESS, runtime, where);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("functionsPerRegion")
  void healthFunctionIsConfiguredForItsHeartbeatAndBacklog(String region, FunctionSpec function) {
    if (!function.handler().equals(RouteContractTest.HEALTH_HANDLER)) {
      return;
    }
    String where = function.logicalId() + " in " + region;
    Contract.FunctionZip zip = Contract.zip(function);
    // Guards the reachability scan the other test relies on: HealthHandler reads HealthSettings.
    assertThat(reachableNames(zip)).as(where + ": the bytecode scan must find HealthSettings reachable from"
        + " HealthHandler").contains(HEALTH_POLICY);
    Map<String, String> env = function.environment();
    assertThat(env).as(where + ": the health function needs " + RECONCILE_QUEUE_URL + " (the backlog probe)")
        .containsKey(RECONCILE_QUEUE_URL);
    assertThat(env).as(where + ": the health function must set " + HEARTBEAT_INTERVAL_MS
        + " (peers judge its heartbeat late against it)").containsKey(HEARTBEAT_INTERVAL_MS);
    List<Long> schedules = function.events().stream().filter(e -> e instanceof EventSourceSpec.Schedule)
        .map(e -> ((EventSourceSpec.Schedule) e).periodSeconds() * 1000).toList();
    assertThat(schedules).as(where + ": one heartbeat schedule").hasSize(1);
    assertThat(Long.parseLong(env.get(HEARTBEAT_INTERVAL_MS))).as(where + ": " + HEARTBEAT_INTERVAL_MS
        + " must equal the heartbeat Schedule's rate (ms)").isEqualTo(schedules.get(0));
  }

  static Set<String> reachableNames(Contract.FunctionZip zip) {
    Set<String> names = new TreeSet<>();
    for (JavaClass c : zip.reachable()) {
      names.add(c.getName());
    }
    return names;
  }

  private static void invokeFrom(Contract.FunctionZip zip, String className, Map<String, String> env, String where)
      throws Exception {
    try {
      zip.load(className).getMethod("from", Map.class).invoke(null, env);
    } catch (InvocationTargetException e) {
      throw new AssertionError(where + ": " + className + ".from rejects the template's environment " + env + ": "
          + e.getCause(), e.getCause());
    }
  }
}
