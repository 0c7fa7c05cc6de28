package dev.meridian.tools.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.tools.local.lambda.Invoker.InvokeResult;
import dev.meridian.tools.local.lambda.Invoker.InvokeResult.Status;
import dev.meridian.tools.local.lambda.fixtures.EchoHandler;
import dev.meridian.tools.local.lambda.fixtures.ExitHandler;
import dev.meridian.tools.local.lambda.fixtures.InitFailureHandler;
import dev.meridian.tools.local.lambda.fixtures.SleepHandler;
import dev.meridian.tools.local.lambda.fixtures.StreamHandler;
import dev.meridian.tools.local.lambda.fixtures.ThrowingHandler;
import dev.meridian.tools.local.model.FunctionSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real function processes under the real runtime interface client (needs Linux x86_64/aarch64). */
class LambdaRuntimeIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REGION = "eu-west-1";

  @TempDir
  static Path shared;
  static Path codeBase;

  Path work;
  final List<String> platform = new CopyOnWriteArrayList<>();
  LambdaRuntime runtime;

  @BeforeAll
  static void buildPackage() throws IOException {
    codeBase = Files.createDirectories(shared.resolve("code"));
    TestFunctions.buildZip(codeBase);
  }

  @BeforeEach
  void setUp() throws IOException {
    work = Files.createTempDirectory(shared, "work");
  }

  @AfterEach
  void tearDown() {
    if (runtime != null) {
      runtime.close();
    }
  }

  private LambdaRuntime start(FunctionSpec... specs) {
    return start(LambdaRuntime.Scaling.defaults(), specs);
  }

  private LambdaRuntime start(LambdaRuntime.Scaling scaling, FunctionSpec... specs) {
    LambdaRuntime.Options options = LambdaRuntime.Options.defaults(codeBase, work)
        .withExtraEnvironment(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5999"))
        .withPlatformLog(line -> {
          platform.add(line);
          System.out.println(line);
        });
    runtime = new LambdaRuntime(REGION, List.of(specs), options, scaling);
    return runtime;
  }

  private static FunctionSpec echo(int memoryMb) {
    return TestFunctions.spec("EchoFunction", EchoHandler.class, "handleRequest", memoryMb, 10,
        Map.of("GREETING", "hello", "JAVA_TOOL_OPTIONS", "-Dmeridian.fixture=yes"));
  }

  private static byte[] json(Object value) throws IOException {
    return JSON.writeValueAsBytes(value);
  }

  private static Map<String, Object> map(byte[] payload) throws IOException {
    return JSON.readValue(payload, new TypeReference<>() {});
  }

  private List<String> reports(String requestId) {
    return platform.stream().filter(l -> l.contains("REPORT RequestId: " + requestId)).toList();
  }

  @Test
  void coldStartThenWarmWithLambdaEnvironment() throws Exception {
    start(echo(512));
    Map<String, Object> event = Map.of("hello", "world", "n", 42, "nested", Map.of("list", List.of(1, 2, 3)));

    InvokeResult first = runtime.invoke("EchoFunction", json(event));
    assertThat(first.status()).as(new String(first.payload(), StandardCharsets.UTF_8)).isEqualTo(Status.SUCCESS);
    assertThat(first.coldStart()).isTrue();
    assertThat(reports(first.requestId())).singleElement().satisfies(r -> assertThat(r)
        .matches("\\[eu-west-1/EchoFunction] REPORT RequestId: " + first.requestId()
            + "\tDuration: \\d+\\.\\d{2} ms\tBilled Duration: \\d+ ms\tMemory Size: 512 MB\tMax Memory Used: \\d+ MB"
            + "\tInit Duration: \\d+\\.\\d{2} ms"));
    assertThat(platform).contains("[eu-west-1/EchoFunction] START RequestId: " + first.requestId() + " Version: $LATEST",
        "[eu-west-1/EchoFunction] END RequestId: " + first.requestId());

    InvokeResult second = runtime.invoke("EchoFunction", json(event));
    assertThat(second.status()).isEqualTo(Status.SUCCESS);
    assertThat(second.coldStart()).isFalse();
    assertThat(reports(second.requestId())).singleElement().satisfies(r -> assertThat(r)
        .doesNotContain("Init Duration").doesNotContain("Status:"));

    Map<String, Object> out = map(second.payload());
    assertThat(out.get("event")).isEqualTo(map(json(event)));
    assertThat(out.get("calls")).isEqualTo(2);
    assertThat(map(first.payload()).get("loadedAt")).isEqualTo(out.get("loadedAt"));
    assertThat(out.get("requestId")).isEqualTo(second.requestId());
    String name = "meridian-eu-west-1-EchoFunction";
    assertThat(out.get("functionName")).isEqualTo(name);
    assertThat(out.get("functionVersion")).isEqualTo("$LATEST");
    assertThat(out.get("invokedFunctionArn")).isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:" + name);
    assertThat(out.get("memoryLimitInMB")).isEqualTo(512);
    assertThat((Integer) out.get("remainingTimeInMillis")).isBetween(1, 10_000);
    assertThat(out.get("logGroupName")).isEqualTo("/aws/lambda/" + name);
    assertThat((String) out.get("traceHeader")).matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0");
    assertThat(out.get("javaToolOptionsProperty")).isEqualTo("yes");
    assertThat(out.get("classLoader")).asString().endsWith("CustomerClassLoader");

    // heap is 85 % of the memory size (SerialGC reports Xmx minus one survivor space)
    long maxHeap = ((Number) out.get("maxHeapBytes")).longValue();
    assertThat(maxHeap / (512.0 * 1024 * 1024)).isBetween(0.78, 0.86);
    @SuppressWarnings("unchecked")
    List<String> jvmArgs = (List<String>) out.get("jvmArgs");
    assertThat(jvmArgs).contains("-Xmx435m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
        "-Djava.net.preferIPv4Stack=true", "-Dmeridian.fixture=yes");

    @SuppressWarnings("unchecked")
    Map<String, String> env = (Map<String, String>) out.get("env");
    Path taskRoot = Path.of((String) out.get("userDir"));
    assertThat(env.get("LAMBDA_TASK_ROOT")).isEqualTo(taskRoot.toString());
    assertThat(taskRoot.getFileName().toString()).matches("EchoFunction-[0-9a-f]{16}");
    Set<String> expected = new HashSet<>(Set.of("GREETING", "JAVA_TOOL_OPTIONS", "AWS_ENDPOINT_URL", "AWS_REGION",
        "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API", "_HANDLER", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "TZ", "LANG"));
    for (String inherited : List.of("PATH", "HOME")) {
      if (System.getenv(inherited) != null) {
        expected.add(inherited);
      }
    }
    assertThat(env.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    String parentOnly = System.getenv().keySet().stream().filter(k -> !expected.contains(k)).findFirst().orElseThrow();
    assertThat(env).doesNotContainKey(parentOnly);
    assertThat(env).containsEntry("AWS_REGION", REGION).containsEntry("AWS_DEFAULT_REGION", REGION)
        .containsEntry("AWS_LAMBDA_FUNCTION_NAME", name).containsEntry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
        .containsEntry("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST").containsEntry("AWS_EXECUTION_ENV", "AWS_Lambda_java25")
        .containsEntry("_HANDLER", EchoHandler.class.getName() + "::handleRequest").containsEntry("TZ", ":UTC")
        .containsEntry("GREETING", "hello").containsEntry("AWS_ENDPOINT_URL", "http://127.0.0.1:5999");
    assertThat(env.get("AWS_LAMBDA_RUNTIME_API")).matches("127\\.0\\.0\\.1:\\d+");
    assertThat(env.get("AWS_LAMBDA_LOG_STREAM_NAME")).matches("\\d{4}/\\d{2}/\\d{2}/\\[\\$LATEST][0-9a-f]{32}");

    FunctionStatus status = runtime.status("EchoFunction");
    assertThat(status.state()).isEqualTo(FunctionStatus.State.WARM);
    assertThat(status.pid()).isEqualTo(((Number) out.get("pid")).longValue());
    assertThat(status.coldStarts()).isEqualTo(1);
    assertThat(status.invocations()).isEqualTo(2);
    assertThat(status.lastInitDuration()).isPositive();
    assertThat(status.lastDuration()).isPositive();
    String log = Files.readString(status.logFile());
    assertThat(log).contains("echo handler invoked, call 2", "echo via LambdaLogger " + second.requestId(),
        "START RequestId: " + second.requestId(), "REPORT RequestId: " + second.requestId());
    System.out.println("RIC command line: " + String.join(" ", runtime.lastCommand("EchoFunction")));
  }

  @Test
  void handlerExceptionIsAFunctionErrorAndKeepsTheEnvironmentWarm() throws Exception {
    start(TestFunctions.spec("ThrowingFunction", ThrowingHandler.class, null, 256, 10, Map.of()));
    InvokeResult result = runtime.invoke("ThrowingFunction", json(Map.of("message", "bad input")));
    assertThat(result.status()).isEqualTo(Status.FUNCTION_ERROR);
    Map<String, Object> error = map(result.payload());
    assertThat(error).containsEntry("errorMessage", "boom: bad input")
        .containsEntry("errorType", "java.lang.IllegalStateException").containsKey("stackTrace");
    long pid = runtime.status("ThrowingFunction").pid();

    InvokeResult again = runtime.invoke("ThrowingFunction", json(Map.of("message", "x")));
    assertThat(again.status()).isEqualTo(Status.FUNCTION_ERROR);
    assertThat(again.coldStart()).isFalse();
    assertThat(runtime.status("ThrowingFunction").pid()).isEqualTo(pid);
    assertThat(reports(again.requestId())).singleElement().satisfies(r -> assertThat(r).doesNotContain("Status:"));
  }

  @Test
  void timeoutKillsTheProcessAndTheNextCallIsCold() throws Exception {
    start(TestFunctions.spec("SleepFunction", SleepHandler.class, null, 256, 2, Map.of()));
    InvokeResult warmUp = runtime.invoke("SleepFunction", json(Map.of("sleepMillis", 0)));
    assertThat(warmUp.status()).isEqualTo(Status.SUCCESS);
    long pid = runtime.status("SleepFunction").pid();

    long t0 = System.nanoTime();
    InvokeResult result = runtime.invoke("SleepFunction", json(Map.of("sleepMillis", 60_000)));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(result.status()).isEqualTo(Status.TIMEOUT);
    assertThat(elapsed).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
    assertThat(result.duration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(map(result.payload()).get("errorMessage")).asString()
        .endsWith(result.requestId() + " Task timed out after 2.00 seconds");
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(runtime.status("SleepFunction").state()).isEqualTo(FunctionStatus.State.COLD);
    assertThat(platform).anyMatch(l -> l.endsWith(result.requestId() + " Task timed out after 2.00 seconds"));
    assertThat(reports(result.requestId())).singleElement()
        .satisfies(r -> assertThat(r).contains("\tDuration: 2000.00 ms\tBilled Duration: 2000 ms").endsWith("\tStatus: timeout"));

    InvokeResult next = runtime.invoke("SleepFunction", json(Map.of("sleepMillis", 0)));
    assertThat(next.status()).isEqualTo(Status.SUCCESS);
    assertThat(next.coldStart()).isTrue();
    assertThat(runtime.status("SleepFunction").coldStarts()).isEqualTo(2);
    System.out.printf("timeout returned after %d ms%n", elapsed.toMillis());
  }

  @Test
  void aTimeoutSetAtRunTimeRecyclesTheEnvironmentAndAppliesFromTheNextCall() throws Exception {
    start(TestFunctions.spec("SleepFunction", SleepHandler.class, null, 256, 10, Map.of()));
    assertThat(runtime.invoke("SleepFunction", json(Map.of("sleepMillis", 0))).status()).isEqualTo(Status.SUCCESS);
    long warmPid = runtime.status("SleepFunction").pid();

    assertThat(runtime.setTimeout("SleepFunction", 1, Duration.ofSeconds(10))).isEqualTo(1);
    assertThat(ProcessHandle.of(warmPid).map(ProcessHandle::isAlive).orElse(false)).as("recycled").isFalse();
    assertThat(runtime.status("SleepFunction").timeoutSeconds()).isEqualTo(1);
    InvokeResult slow = runtime.invoke("SleepFunction", json(Map.of("sleepMillis", 3_000)));
    assertThat(slow.status()).isEqualTo(Status.TIMEOUT);
    assertThat(slow.coldStart()).isTrue();
    assertThat(reports(slow.requestId())).singleElement().satisfies(r -> assertThat(r)
        .contains("\tDuration: 1000.00 ms").contains("\tInit Duration: ").endsWith("\tStatus: timeout"));
    assertThat(platform).anyMatch(l -> l.endsWith(slow.requestId() + " Task timed out after 1.00 seconds"));

    assertThat(runtime.setTimeout("SleepFunction", null, Duration.ofSeconds(10))).as("back to the template's").isEqualTo(10);
    assertThat(runtime.invoke("SleepFunction", json(Map.of("sleepMillis", 1_500))).status()).isEqualTo(Status.SUCCESS);
    assertThatThrownBy(() -> runtime.setTimeout("SleepFunction", 901, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recycleWaitsForTheInvocationInFlightThenTheNextCallIsCold() throws Exception {
    start(TestFunctions.spec("SleepFunction", SleepHandler.class, null, 256, 10, Map.of()));
    assertThat(runtime.invoke("SleepFunction", json(Map.of("sleepMillis", 0))).status()).isEqualTo(Status.SUCCESS);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<InvokeResult> inFlight = pool.submit(() -> runtime.invoke("SleepFunction", json(Map.of("sleepMillis", 1_000))));
      while (!runtime.status("SleepFunction").busy()) {
        Thread.sleep(10);
      }
      assertThat(runtime.recycle("SleepFunction", Duration.ofSeconds(10))).isTrue();
      assertThat(inFlight.get().status()).as("not cut short").isEqualTo(Status.SUCCESS);
      assertThat(runtime.status("SleepFunction").state()).isEqualTo(FunctionStatus.State.COLD);
      assertThat(runtime.recycle("SleepFunction", Duration.ofSeconds(1))).as("nothing left to stop").isFalse();
      InvokeResult next = runtime.invoke("SleepFunction", json(Map.of("sleepMillis", 0)));
      assertThat(next.coldStart()).isTrue();
      assertThat(reports(next.requestId())).singleElement().satisfies(r -> assertThat(r).contains("\tInit Duration: "));
      assertThat(runtime.status("SleepFunction").coldStarts()).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void initErrorIsARuntimeError() throws Exception {
    start(TestFunctions.spec("BrokenFunction", InitFailureHandler.class, null, 256, 10, Map.of()));
    InvokeResult result = runtime.invoke("BrokenFunction", json(Map.of()));
    assertThat(result.status()).isEqualTo(Status.RUNTIME_ERROR);
    assertThat(result.coldStart()).isTrue();
    String payload = new String(result.payload(), StandardCharsets.UTF_8);
    Map<String, Object> error = map(result.payload());
    // the RIC reports the wrapper only; the cause ("init boom") is in the function's log
    assertThat(error).containsEntry("errorType", "java.lang.ExceptionInInitializerError")
        .containsEntry("errorMessage", "Error loading class " + InitFailureHandler.class.getName());
    assertThat(Files.readString(runtime.status("BrokenFunction").logFile())).contains("init boom");
    assertThat(runtime.status("BrokenFunction").state()).isEqualTo(FunctionStatus.State.COLD);
    assertThat(reports(result.requestId())).singleElement().satisfies(r -> assertThat(r).contains("\tInit Duration: ").contains("\tStatus: error"));
    System.out.println("init error payload: " + payload);

    InvokeResult again = runtime.invoke("BrokenFunction", json(Map.of()));
    assertThat(again.status()).isEqualTo(Status.RUNTIME_ERROR);
    assertThat(again.coldStart()).isTrue();
    assertThat(runtime.status("BrokenFunction").coldStarts()).isEqualTo(2);
  }

  @Test
  void processExitIsARuntimeErrorAndTheNextCallIsCold() throws Exception {
    start(TestFunctions.spec("ExitFunction", ExitHandler.class, null, 256, 10, Map.of()),
        TestFunctions.spec("StreamFunction", StreamHandler.class, null, 256, 10, Map.of()));
    InvokeResult result = runtime.invoke("ExitFunction", json(Map.of()));
    assertThat(result.status()).isEqualTo(Status.RUNTIME_ERROR);
    assertThat(map(result.payload())).containsEntry("errorType", "Runtime.ExitError").extractingByKey("errorMessage")
        .asString().endsWith("exit status 3");
    assertThat(reports(result.requestId())).singleElement()
        .satisfies(r -> assertThat(r).endsWith("\tStatus: error\tError Type: Runtime.ExitError"));
    InvokeResult again = runtime.invoke("ExitFunction", json(Map.of()));
    assertThat(again.coldStart()).isTrue();

    InvokeResult stream = runtime.invoke("StreamFunction", "{\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8));
    assertThat(stream.status()).isEqualTo(Status.SUCCESS);
    assertThat(new String(stream.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"bytes\":11,\"raw\":{\"a\":[1,2]}}");
  }

  /**
   * Two environments at most: three concurrent invocations find one warm environment, start a
   * second (a cold start, with Init Duration in its REPORT) and are throttled the third time, at
   * once, with no START or REPORT line, as Lambda throttles.
   */
  @Test
  void concurrentInvocationsScaleOutUpToTheLimitThenAreThrottled() throws Exception {
    start(new LambdaRuntime.Scaling(new EnvironmentBudget(16), 2, Duration.ofMinutes(5)),
        TestFunctions.spec("SleepFunction", SleepHandler.class, null, 256, 30, Map.of()));
    assertThat(runtime.invoke("SleepFunction", json(Map.of("sleepMillis", 0))).coldStart()).isTrue();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<InvokeResult> results = new ArrayList<>();
    try {
      List<Future<InvokeResult>> futures = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        // Long enough that the warm one is still busy when the third arrives, however slow the second's init.
        futures.add(pool.submit(() -> runtime.invoke("SleepFunction", json(Map.of("sleepMillis", 4_000)))));
      }
      for (Future<InvokeResult> f : futures) {
        results.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(results).extracting(InvokeResult::status)
        .containsExactlyInAnyOrder(Status.SUCCESS, Status.SUCCESS, Status.THROTTLED);
    InvokeResult throttled = results.stream().filter(r -> r.status() == Status.THROTTLED).findFirst().orElseThrow();
    assertThat(map(throttled.payload())).containsEntry("errorType", "TooManyRequestsException");
    assertThat(reports(throttled.requestId())).as("a throttled invocation never ran").isEmpty();
    List<InvokeResult> cold = results.stream().filter(InvokeResult::coldStart).toList();
    assertThat(cold).as("one of the three started an environment").hasSize(1);
    assertThat(reports(cold.get(0).requestId())).singleElement().satisfies(r -> assertThat(r).contains("\tInit Duration: "));

    FunctionStatus status = runtime.status("SleepFunction");
    assertThat(status.coldStarts()).isEqualTo(2);
    assertThat(status.environments().idle()).isEqualTo(2);
    assertThat(status.environments().pids()).hasSize(2).doesNotHaveDuplicates();
    assertThat(status.environments().throttled()).isEqualTo(1);
  }

  @Test
  void anEnvironmentIdleForTheIdleTimeoutIsStoppedAndTheNextInvocationIsCold() throws Exception {
    start(new LambdaRuntime.Scaling(new EnvironmentBudget(16), 3, Duration.ofSeconds(1)),
        TestFunctions.spec("SleepFunction", SleepHandler.class, null, 256, 10, Map.of()));
    assertThat(runtime.invoke("SleepFunction", json(Map.of("sleepMillis", 0))).status()).isEqualTo(Status.SUCCESS);
    long pid = runtime.status("SleepFunction").pid();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (runtime.status("SleepFunction").state() != FunctionStatus.State.COLD && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(runtime.status("SleepFunction").environments().reclaimed()).isEqualTo(1);
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("reclaimed process").isFalse();
    InvokeResult next = runtime.invoke("SleepFunction", json(Map.of("sleepMillis", 0)));
    assertThat(next.coldStart()).isTrue();
    assertThat(reports(next.requestId())).singleElement().satisfies(r -> assertThat(r).contains("\tInit Duration: "));
  }

  @Test
  void unknownHandlerClassFailsEachInvocationLikeLambda() throws Exception {
    start(new FunctionSpec("TypoFunction", "dev.meridian.NoSuchHandler::handleRequest", "java25",
        Path.of(TestFunctions.ZIP), 256, 10, Map.of(), List.of()));
    InvokeResult result = runtime.invoke("TypoFunction", json(Map.of()));
    System.out.println("unknown handler: " + result.status() + " " + new String(result.payload(), StandardCharsets.UTF_8));
    // the RIC defers ClassNotFoundException to the invocation (not an init error), as Lambda shows it
    assertThat(result.status()).isEqualTo(Status.FUNCTION_ERROR);
    assertThat(map(result.payload())).containsEntry("errorType", "java.lang.ClassNotFoundException");
    assertThat(runtime.invoke("TypoFunction", json(Map.of())).coldStart()).isFalse();
  }

  @Test
  void regionsColdStartConcurrentlyFromOneWorkDir() throws Exception {
    FunctionSpec stream = TestFunctions.spec("StreamFunction", StreamHandler.class, null, 256, 10, Map.of());
    LambdaRuntime.Options options = LambdaRuntime.Options.defaults(codeBase, work).withPlatformLog(platform::add);
    start(echo(256), stream);
    try (LambdaRuntime other = new LambdaRuntime("us-east-1", List.of(echo(256), stream), options)) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<InvokeResult>> futures = new ArrayList<>();
        for (LambdaRuntime r : List.of(runtime, other)) {
          for (String fn : r.functionLogicalIds()) {
            futures.add(pool.submit(() -> r.invoke(fn, json(Map.of("fn", fn)))));
          }
        }
        for (Future<InvokeResult> f : futures) {
          InvokeResult result = f.get();
          assertThat(result.status()).as(new String(result.payload(), StandardCharsets.UTF_8)).isEqualTo(Status.SUCCESS);
          assertThat(result.coldStart()).isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(map(other.invoke("EchoFunction", json(Map.of())).payload()).get("functionName"))
          .isEqualTo("meridian-us-east-1-EchoFunction");
      assertThat(other.status("EchoFunction").logFile()).isEqualTo(work.resolve("logs/us-east-1/EchoFunction.log"));
    }
    try (var dirs = Files.list(work.resolve("functions"))) {
      assertThat(dirs.map(p -> p.getFileName().toString()).toList())
          .hasSize(2).allMatch(n -> n.matches("(Echo|Stream)Function-[0-9a-f]{16}"));
    }
  }

  @Test
  void missingPackageIsARuntimeError() {
    FunctionSpec missing = new FunctionSpec("MissingFunction", "x.Y::handleRequest", "java25",
        Path.of("nowhere/missing.zip"), 256, 3, Map.of(), List.of());
    start(missing);
    InvokeResult result = runtime.invoke("MissingFunction", "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(result.status()).isEqualTo(Status.RUNTIME_ERROR);
    assertThat(new String(result.payload(), StandardCharsets.UTF_8)).contains("missing.zip");
  }

  @Test
  void closeLeavesNoProcess() throws Exception {
    start(echo(256), TestFunctions.spec("SleepFunction", SleepHandler.class, null, 256, 30, Map.of()));
    assertThat(runtime.invoke("EchoFunction", json(Map.of())).status()).isEqualTo(Status.SUCCESS);
    long echoPid = runtime.status("EchoFunction").pid();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<InvokeResult> sleeping = pool.submit(() -> runtime.invoke("SleepFunction", json(Map.of())));
      while (runtime.status("SleepFunction").state() != FunctionStatus.State.WARM
          || !runtime.status("SleepFunction").busy()) {
        Thread.sleep(20);
      }
      long sleepPid = runtime.status("SleepFunction").pid();
      runtime.close();
      assertThat(sleeping.get().status()).isEqualTo(Status.RUNTIME_ERROR);
      for (long pid : new long[] {echoPid, sleepPid}) {
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d", pid).isFalse();
      }
      assertThat(ProcessHandle.current().descendants()
          .filter(p -> p.info().arguments().map(Arrays::asList).orElse(List.of())
              .contains(RuntimeInterfaceClient.MAIN_CLASS))
          .toList()).isEmpty();
      assertThat(runtime.status()).allSatisfy(s -> assertThat(s.state()).isEqualTo(FunctionStatus.State.COLD));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void coldStartAndWarmLatency() throws Exception {
    start(echo(1024));
    byte[] event = json(Map.of("hello", "world"));
    long t0 = System.nanoTime();
    InvokeResult first = runtime.invoke("EchoFunction", event);
    double coldMs = (System.nanoTime() - t0) / 1e6;
    assertThat(first.coldStart()).isTrue();
    double initMs = runtime.status("EchoFunction").lastInitDuration().toNanos() / 1e6;
    double[] warm = new double[200];
    for (int i = 0; i < warm.length; i++) {
      long s = System.nanoTime();
      InvokeResult r = runtime.invoke("EchoFunction", event);
      warm[i] = (System.nanoTime() - s) / 1e6;
      assertThat(r.status()).isEqualTo(Status.SUCCESS);
      assertThat(r.coldStart()).isFalse();
    }
    Arrays.sort(warm);
    System.out.printf("LAMBDA LATENCY: cold start (process start -> first response) %.1f ms (init %.1f ms); "
            + "warm over %d: median %.3f ms, p90 %.3f ms, max %.3f ms%n", coldMs, initMs, warm.length,
        warm[warm.length / 2], warm[(int) (warm.length * 0.9)], warm[warm.length - 1]);
    assertThat(warm[warm.length / 2]).isLessThan(50);
  }
}
