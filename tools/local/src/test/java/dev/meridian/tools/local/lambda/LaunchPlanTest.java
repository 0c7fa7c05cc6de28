package dev.meridian.tools.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.tools.local.model.FunctionSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchPlanTest {

  private static final FunctionSpec SPEC = new FunctionSpec("OrdersFunction", "dev.x.OrdersHandler::handleRequest",
      "java25", Path.of("functions/orders/target/orders-lambda.zip"), 1024, 20,
      Map.of("TABLE_NAME", "meridian", "TZ", "Europe/Paris", "AWS_REGION", "xx-fake-1", "JAVA_TOOL_OPTIONS", "-Xmx300m"),
      List.of());

  private static Map<String, String> env(Map<String, String> extras, Map<String, String> parent) {
    return LaunchPlan.environment(SPEC, "us-east-1", "meridian-us-east-1-OrdersFunction", "127.0.0.1:4242",
        Path.of("/w/functions/OrdersFunction-0123"), Path.of("/w/runtime"), "2024/05/01/[$LATEST]abc", extras, parent);
  }

  @Test
  void environmentIsLambdasAndNothingElseOfTheParent() {
    Map<String, String> env = env(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
        Map.of("PATH", "/usr/bin", "HOME", "/root", "SECRET_OF_THE_PARENT", "x", "AWS_PROFILE", "prod"));

    assertThat(env).containsOnlyKeys("PATH", "HOME", "LANG", "TZ", "TABLE_NAME", "JAVA_TOOL_OPTIONS",
        "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API", "_HANDLER",
        "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");
    assertThat(env)
        .containsEntry("PATH", "/usr/bin")
        .containsEntry("LANG", "C.UTF-8")
        .containsEntry("TZ", "Europe/Paris") // not reserved: the function may set it
        .containsEntry("AWS_REGION", "us-east-1") // reserved: the function's value is ignored
        .containsEntry("AWS_DEFAULT_REGION", "us-east-1")
        .containsEntry("AWS_EXECUTION_ENV", "AWS_Lambda_java25")
        .containsEntry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024")
        .containsEntry("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .containsEntry("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/meridian-us-east-1-OrdersFunction")
        .containsEntry("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:4242")
        .containsEntry("_HANDLER", "dev.x.OrdersHandler::handleRequest")
        .containsEntry("LAMBDA_TASK_ROOT", "/w/functions/OrdersFunction-0123")
        .containsEntry("AWS_ENDPOINT_URL", "http://127.0.0.1:5000");
  }

  @Test
  void reservedVariablesWinOverExtras() {
    Map<String, String> env = env(Map.of("AWS_LAMBDA_RUNTIME_API", "evil:1", "TABLE_NAME", "override"), Map.of());
    assertThat(env).containsEntry("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:4242").containsEntry("TABLE_NAME", "override")
        .doesNotContainKeys("PATH", "HOME");
  }

  @Test
  void jvmOptionsFollowLambdasJavaRuntime() {
    assertThat(LaunchPlan.jvmOptions(1024, null)).containsExactly("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-Xshare:auto", "-Xss512k", "-Xmx870m", "-XX:MaxMetaspaceSize=102m",
        "-Djava.net.preferIPv4Stack=true");
    assertThat(LaunchPlan.jvmOptions(128, "")).contains("-Xmx108m", "-XX:MaxMetaspaceSize=64m");
  }

  @Test
  void javaToolOptionsOverrideTheDefaultsTheySet() {
    assertThat(LaunchPlan.jvmOptions(512, "-XX:+UseG1GC -XX:MaxHeapSize=200m -Xss1m -Djava.net.preferIPv4Stack=false "
        + "-XX:-TieredCompilation"))
        .containsExactly("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:MaxMetaspaceSize=64m");
    assertThat(LaunchPlan.jvmOptions(512, "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"))
        .containsExactly("-XX:+UseSerialGC", "-Xshare:auto", "-Xss512k", "-Xmx435m", "-XX:MaxMetaspaceSize=64m",
            "-Djava.net.preferIPv4Stack=true");
  }

  @Test
  void optionKeysIdentifyTheSetting() {
    assertThat(LaunchPlan.optionKey("-Xmx1g")).isEqualTo(LaunchPlan.optionKey("-XX:MaxHeapSize=1073741824"))
        .isEqualTo(LaunchPlan.optionKey("-XX:MaxRAMPercentage=75"));
    assertThat(LaunchPlan.optionKey("-XX:+UseParallelGC")).isEqualTo(LaunchPlan.optionKey("-XX:+UseSerialGC"));
    assertThat(LaunchPlan.optionKey("-XX:+TieredCompilation")).isEqualTo(LaunchPlan.optionKey("-XX:-TieredCompilation"));
    assertThat(LaunchPlan.optionKey("-Da=1")).isEqualTo("D:a").isNotEqualTo(LaunchPlan.optionKey("-Dab=1"));
  }

  @Test
  void commandRunsTheRuntimeInterfaceClientWithTheHandler() {
    List<String> command = LaunchPlan.command("/jdk/bin/java", List.of("-Xmx870m"), Path.of("/w/runtime/lib.so"),
        "/a.jar:/b.jar", "dev.x.H::handleRequest");
    assertThat(command).containsExactly("/jdk/bin/java", "-Xmx870m",
        "-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=/w/runtime/lib.so", "-cp",
        "/a.jar:/b.jar", "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", "dev.x.H::handleRequest");
    assertThat(LaunchPlan.currentJava()).endsWith("java");
  }
}
