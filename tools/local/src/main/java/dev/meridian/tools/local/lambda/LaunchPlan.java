package dev.meridian.tools.local.lambda;

import dev.meridian.tools.local.model.FunctionSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How one function process is launched: its environment and its {@code java} command line, as the
 * Lambda Java managed runtime builds them. Pure functions of their inputs (unit-tested).
 */
final class LaunchPlan {

  /** Keys Lambda sets itself and refuses in a function's configuration. */
  static final Set<String> RESERVED = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION",
      "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
      "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
      "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
      "LAMBDA_RUNTIME_DIR");

  /** Taken from this JVM's environment when set; everything else of it is NOT inherited. */
  static final List<String> INHERITED = List.of("PATH", "HOME", "LANG");

  static final String ACCESS_KEY_ID = "ASIAMERIDIANLOCAL000";
  static final String SECRET_ACCESS_KEY = "meridian-local-secret-access-key";
  static final String SESSION_TOKEN = "meridian-local-session-token";

  /**
   * Tells a SnapStart function's handler which phase of a published version it is in: {@value
   * #PUBLISH} in the training run, {@value #RESTORE} in every environment (the name and values of
   * {@code dev.meridian.adapter.lambda.SnapStartHooks}: no CRaC JVM runs the hooks here).
   */
  static final String SNAPSTART_PHASE = "MERIDIAN_LOCAL_SNAPSTART";
  static final String PUBLISH = "publish";
  static final String RESTORE = "restore";

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private LaunchPlan() {}

  /**
   * The function's environment, precedence lowest first: {@link #INHERITED} from {@code
   * parentEnv} (LANG defaulting to {@code C.UTF-8}) and {@code TZ=:UTC}; the function's own
   * variables; the caller's {@code extras} (e.g. {@code AWS_ENDPOINT_URL}); Lambda's reserved
   * variables, which always win (Lambda rejects them in a function's configuration).
   */
  static Map<String, String> environment(FunctionSpec spec, String region, String functionName, String runtimeApi,
      Path taskRoot, Path runtimeDir, String logStreamName, Map<String, String> extras, Map<String, String> parentEnv) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String key : INHERITED) {
      String value = parentEnv.get(key);
      if (value != null) {
        env.put(key, value);
      }
    }
    env.putIfAbsent("LANG", "C.UTF-8");
    env.put("TZ", ":UTC");
    env.putAll(spec.environment());
    env.putAll(extras);
    env.put("AWS_REGION", region);
    env.put("AWS_DEFAULT_REGION", region);
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + (spec.runtime() == null ? "java25" : spec.runtime()));
    env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
    env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStreamName);
    env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
    env.put("_HANDLER", spec.handler());
    env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
    env.put("LAMBDA_RUNTIME_DIR", runtimeDir.toString());
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
    env.put("AWS_SESSION_TOKEN", SESSION_TOKEN);
    return env;
  }

  /**
   * The runtime's JVM options for {@code memoryMb}: Lambda's Java runtime defaults for an on-demand
   * init (client compiler only, serial GC, CDS, heap 85 % of the memory size, metaspace 10 % but at
   * least 64 MB) plus {@code -Xss512k} and {@code -Djava.net.preferIPv4Stack=true}. On java25 Lambda
   * keeps default tiered compilation for SnapStart functions, whose init runs once, before the
   * snapshot; here every environment runs its init (the AOT cache is not a snapshot), so every
   * function gets the on-demand flags: with C2 as well, two cores could not keep health under its
   * 2 s bound beside a four-client load ({@code ScaleOutE2EIT} failed twice). An option the
   * function's {@code JAVA_TOOL_OPTIONS} also sets is left out, so the function's choice wins (the
   * JVM reads JAVA_TOOL_OPTIONS before the command line, which would otherwise override it).
   */
  static List<String> jvmOptions(int memoryMb, String javaToolOptions) {
    List<String> defaults = List.of(
        "-XX:+TieredCompilation",
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-Xshare:auto",
        "-Xss512k",
        "-Xmx" + heapMb(memoryMb) + "m",
        "-XX:MaxMetaspaceSize=" + Math.max(64, memoryMb / 10) + "m",
        "-Djava.net.preferIPv4Stack=true");
    Set<String> overridden = new java.util.HashSet<>();
    if (javaToolOptions != null && !javaToolOptions.isBlank()) {
      for (String token : WHITESPACE.split(javaToolOptions.trim())) {
        overridden.add(optionKey(token));
      }
    }
    List<String> options = new ArrayList<>();
    for (String option : defaults) {
      if (!overridden.contains(optionKey(option))) {
        options.add(option);
      }
    }
    return options;
  }

  static int heapMb(int memoryMb) {
    return memoryMb * 85 / 100;
  }

  /** What a JVM option sets, so that two spellings of one setting compare equal. */
  static String optionKey(String option) {
    String o = option.trim();
    if (o.startsWith("-XX:")) {
      String name = o.substring(4);
      if (name.startsWith("+") || name.startsWith("-")) {
        name = name.substring(1);
      }
      int eq = name.indexOf('=');
      if (eq >= 0) {
        name = name.substring(0, eq);
      }
      if (name.startsWith("Use") && name.endsWith("GC")) {
        return "gc";
      }
      return switch (name) {
        case "MaxHeapSize", "MaxRAMPercentage", "MaxRAMFraction", "MaxRAM" -> "heap";
        case "ThreadStackSize" -> "stack";
        default -> "XX:" + name;
      };
    }
    if (o.startsWith("-Xmx")) {
      return "heap";
    }
    if (o.startsWith("-Xss")) {
      return "stack";
    }
    if (o.startsWith("-Xshare")) {
      return "Xshare";
    }
    if (o.startsWith("-D")) {
      int eq = o.indexOf('=');
      return "D:" + (eq < 0 ? o.substring(2) : o.substring(2, eq));
    }
    return o.toLowerCase(Locale.ROOT);
  }

  /**
   * {@code jvmOptions} starting from {@code cache}, the AOT cache of the function's published
   * version (JEP 483). The cache holds the class data sharing archive, and the JVM refuses {@code
   * -Xshare} beside it.
   */
  static List<String> startingFrom(List<String> jvmOptions, Path cache) {
    return withAot(jvmOptions, "-XX:AOTCache=" + cache);
  }

  /** {@code jvmOptions} writing an AOT cache to {@code cache} when the JVM exits (JEP 514's one-step training run). */
  static List<String> trainingInto(List<String> jvmOptions, Path cache) {
    return withAot(jvmOptions, "-XX:AOTCacheOutput=" + cache);
  }

  private static List<String> withAot(List<String> jvmOptions, String aotOption) {
    List<String> options = new ArrayList<>();
    for (String option : jvmOptions) {
      if (!optionKey(option).equals("Xshare")) {
        options.add(option);
      }
    }
    options.add(aotOption);
    return options;
  }

  /** The full command line: java, JVM options, the RIC's native library and classpath, main class, handler. */
  static List<String> command(String java, List<String> jvmOptions, Path jniLibrary, String classpath, String handler) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    command.add("-D" + RuntimeInterfaceClient.JNI_PROPERTY + "=" + jniLibrary);
    command.add("-cp");
    command.add(classpath);
    command.add(RuntimeInterfaceClient.MAIN_CLASS);
    command.add(handler);
    return command;
  }

  /** The java executable of this JVM. */
  static String currentJava() {
    return ProcessHandle.current().info().command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
