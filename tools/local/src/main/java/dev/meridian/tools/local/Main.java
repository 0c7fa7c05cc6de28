package dev.meridian.tools.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.testkit.RepositoryRoot;
import dev.meridian.tools.local.jwt.TokenCommand;
import dev.meridian.tools.local.lambda.EnvironmentBudget;
import dev.meridian.tools.local.lambda.LambdaRuntime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The local stack's command line ({@code ./tools/local/stack <verb>}); {@link #USAGE} lists every verb.
 * Every verb but {@code up} and {@code token} talks to the running stack's control
 * API, found in {@code .local-stack/endpoints.json}.
 */
public final class Main {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String USAGE = String.join("\n",
      "usage: ./tools/local/stack VERB [options]",
      "  up [--regions 2|3] [--mode active-active|active-passive] [--time-factor F] [--endpoint URL]",
      "     [--entry-port P] [--control-port P] [--no-seed] [--standby-reserve-percent 0-90]",
      "     [--max-environments N] [--max-environments-per-function N] [--idle-timeout SECONDS]",
      "        start the stack in the foreground (default: 3 regions, active-active, time factor 1);",
      "        Ctrl-C or `down` stops it and every process it started. A function gets another execution",
      "        environment when all of its own are busy, up to its reserved concurrency in template.yaml or",
      "        --max-environments-per-function (3), within --max-environments for the stack (16, ~1 GB each);",
      "        beyond those it is throttled. Environments idle for --idle-timeout (300) are stopped.",
      "        --standby-reserve-percent overrides the template's StandbyReservePercent (active-passive).",
      "  down                                   stop the running stack",
      "  status [--json]                        health as the checkers see it, links, backlogs, queues, functions",
      "                                         (environments per function: busy/idle, cold starts, throttles)",
      "  token --sub S [--admin] [--scope S]... [--ttl 1h]   a JWT from the local dev issuer",
      "  fail REGION [--mode refuse|blackhole]  the region's API refuses or hangs; its links pause",
      "  recover REGION",
      "  partition A B [--links all|replication|events] | heal A B [--links ...]",
      "                                         cut or restore replication and/or event links between two regions",
      "  delay A B MS                           one-way delay between two regions",
      "  kill-switch REGION on|off | promote REGION   through the application's admin routes",
      "  experiment start|stop NAME REGION      an FIS experiment template of deploy/faults.yaml (region-outage,",
      "                                         isolate-region), each FIS action as the stack's own fault",
      "  stall-dynamodb REGION on|off           the region's DynamoDB hangs for its functions (SDK calls time out)",
      "  function-timeout REGION FUNCTION SECONDS|default",
      "                                         set a function's timeout in one region (as UpdateFunctionConfiguration;",
      "                                         its environments are recycled); FUNCTION: catalog, orders, health",
      "  recycle REGION FUNCTION                stop the function's environments (busy ones when their call ends);",
      "                                         the next call cold-starts",
      "(The stack's figures are measured by ./tools/benchmark/run figures.)");

  private Main() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args));
  }

  static int run(String[] args) throws Exception {
    if (args.length == 0) {
      return usage("a verb is required");
    }
    if (List.of("help", "--help", "-h").contains(args[0])
        || (!args[0].equals("token") && Arrays.asList(args).contains("--help"))) {
      System.out.println(USAGE);
      return 0;
    }
    Path root = RepositoryRoot.path();
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    switch (args[0]) {
      case "up":
        return up(root, rest);
      case "token":
        return TokenCommand.run(rest, System.out, System.err);
      case "down":
        return down(root);
      case "status":
        return control(root, "GET", "/status", rest.contains("--json"));
      case "fail":
        return rest.isEmpty() ? usage("fail REGION") : control(root, "POST", "/regions/" + rest.get(0) + "/fail?mode="
            + option(rest, "--mode").orElse("refuse"), true);
      case "recover":
        return rest.size() != 1 ? usage("recover REGION") : control(root, "POST", "/regions/" + rest.get(0) + "/recover", true);
      case "partition":
      case "heal":
        return rest.size() != 2 && !(rest.size() == 4 && rest.get(2).equals("--links"))
            ? usage(args[0] + " A B [--links all|replication|events]")
            : control(root, "POST", "/links/" + rest.get(0) + "/" + rest.get(1) + "/" + args[0] + "?links="
                + option(rest, "--links").orElse("all"), true);
      case "delay":
        return rest.size() != 3 ? usage("delay A B MS")
            : control(root, "POST", "/links/" + rest.get(0) + "/" + rest.get(1) + "/delay?ms=" + rest.get(2), true);
      case "kill-switch":
        return rest.size() != 2 || !List.of("on", "off").contains(rest.get(1)) ? usage("kill-switch REGION on|off")
            : control(root, "POST", "/regions/" + rest.get(0) + "/kill-switch?engaged=" + rest.get(1).equals("on"), true);
      case "promote":
        return rest.size() != 1 ? usage("promote REGION") : control(root, "POST", "/regions/" + rest.get(0) + "/promote", true);
      case "experiment":
        return rest.size() != 3 || !List.of("start", "stop").contains(rest.get(0)) ? usage("experiment start|stop NAME REGION")
            : control(root, "POST", "/regions/" + rest.get(2) + "/experiments/" + rest.get(1) + "/" + rest.get(0), true);
      case "stall-dynamodb":
        return rest.size() != 2 || !List.of("on", "off").contains(rest.get(1)) ? usage("stall-dynamodb REGION on|off")
            : control(root, "POST", "/regions/" + rest.get(0) + "/stall-dynamodb?on=" + rest.get(1).equals("on"), true);
      case "function-timeout":
        return rest.size() != 3 ? usage("function-timeout REGION FUNCTION SECONDS|default")
            : control(root, "POST", "/regions/" + rest.get(0) + "/functions/" + rest.get(1) + "/timeout?seconds="
                + rest.get(2), true);
      case "recycle":
        return rest.size() != 2 ? usage("recycle REGION FUNCTION")
            : control(root, "POST", "/regions/" + rest.get(0) + "/functions/" + rest.get(1) + "/recycle", true);
      default:
        return usage("unknown verb " + args[0]);
    }
  }

  private static int up(Path root, List<String> args) throws Exception {
    int regions = Integer.parseInt(option(args, "--regions").orElse("3"));
    if (regions < 2 || regions > 3) {
      return usage("--regions must be 2 or 3");
    }
    String mode = option(args, "--mode").orElse("active-active");
    double timeFactor = Double.parseDouble(option(args, "--time-factor").orElse("1"));
    if (!(timeFactor > 0 && timeFactor <= 1)) {
      return usage("--time-factor must be in (0, 1]");
    }
    URI endpoint = option(args, "--endpoint").map(URI::create).orElse(null);
    int entryPort = Integer.parseInt(option(args, "--entry-port").orElse("0"));
    int controlPort = Integer.parseInt(option(args, "--control-port").orElse("0"));
    int maxEnvironments = Integer.parseInt(option(args, "--max-environments")
        .orElse(Integer.toString(EnvironmentBudget.DEFAULT_MAX)));
    int perFunction = Integer.parseInt(option(args, "--max-environments-per-function")
        .orElse(Integer.toString(LambdaRuntime.Scaling.DEFAULT_MAX_PER_FUNCTION)));
    long idleSeconds = Long.parseLong(option(args, "--idle-timeout")
        .orElse(Long.toString(LambdaRuntime.Scaling.DEFAULT_IDLE_TIMEOUT.toSeconds())));
    if (maxEnvironments < 1 || perFunction < 1 || idleSeconds < 1) {
      return usage("--max-environments, --max-environments-per-function and --idle-timeout must be at least 1");
    }
    Map<String, String> parameters = new HashMap<>();
    option(args, "--standby-reserve-percent").ifPresent(percent -> parameters.put("StandbyReservePercent", percent));
    MultiRegionStack.Options options = new MultiRegionStack.Options(root, regions, mode, timeFactor, endpoint, entryPort, controlPort,
        !args.contains("--no-seed"), System.out, maxEnvironments, perFunction, Duration.ofSeconds(idleSeconds), parameters);
    MultiRegionStack stack;
    try {
      stack = MultiRegionStack.up(options);
    } catch (IllegalStateException e) {
      System.err.println("up failed: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("stopping the local stack ...");
      stack.close();
      stopped.countDown();
    }, "local-stack-shutdown"));
    stopped.await();
    return 0;
  }

  private static int down(Path root) throws IOException, InterruptedException {
    Path endpoints = root.resolve(".local-stack/endpoints.json");
    if (!Files.exists(endpoints)) {
      System.out.println("no local stack is running (no " + endpoints + ")");
      return 0;
    }
    long pid = JSON.readTree(endpoints.toFile()).path("pid").asLong();
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty()) {
      System.out.println("the local stack (pid " + pid + ") has already stopped");
      Files.deleteIfExists(endpoints);
      return 0;
    }
    List<ProcessHandle> tree = new ArrayList<>(process.get().descendants().toList());
    process.get().destroy();
    long deadline = System.currentTimeMillis() + 30_000;
    while (process.get().isAlive() && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    tree.add(process.get());
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    Files.deleteIfExists(endpoints);
    System.out.println("stopped the local stack (pid " + pid + ") and its " + (tree.size() - 1) + " child processes");
    return 0;
  }

  private static int control(Path root, String method, String path, boolean json) throws IOException, InterruptedException {
    Path endpoints = root.resolve(".local-stack/endpoints.json");
    if (!Files.exists(endpoints)) {
      System.err.println("no local stack is running: start one with ./tools/local/stack up");
      return 1;
    }
    JsonNode facts = JSON.readTree(endpoints.toFile());
    URI uri = URI.create(facts.path("control").asText() + path);
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(60)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    if (json || response.statusCode() != 200) {
      System.out.println(response.body());
    } else {
      StatusTable.print(JSON.readTree(response.body()), System.out);
    }
    return response.statusCode() == 200 ? 0 : 1;
  }

  private static Optional<String> option(List<String> args, String name) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
  }

  private static int usage(String problem) {
    System.err.println(problem);
    System.err.println(USAGE);
    return 2;
  }
}
