package dev.meridian.tools.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meridian.testkit.RepositoryRoot;
import dev.meridian.tools.local.client.StackProcess;
import dev.meridian.tools.local.client.TimedHttpClient;
import dev.meridian.tools.local.control.FisExperiments;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code ./tools/drill/run drill|compare|audit|list}: see {@link #USAGE}. */
public final class DrillCommand {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  static final String USAGE = String.join("\n",
      "usage: ./tools/drill/run VERB [options]",
      "  drill --scenario NAME     run one scenario; exit 0 when every verification holds, 1 when one fails",
      "  compare --scenario NAME   the same workload in active-active, then active-passive (each on its own stack),",
      "                            side by side, with a monthly cost estimate per mode",
      "  audit                     compare the regions' replicas item by item (./tools/drill/run audit --help)",
      "  list                      the scenarios in tools/drill/scenarios, and whether each runs locally and on AWS",
      "options:",
      "  --mode active-active|active-passive   (drill; default active-active)",
      "  --regions 2|3 --time-factor F          the stack the drill starts (default 2 regions, time factor 1)",
      "  --use-running                          drill the local stack already running (.local-stack/endpoints.json)",
      "  --base-url URL --region-url REGION=URL (one per region) --token-command CMD",
      "                                         drill a deployed domain; CMD --sub S [--admin] prints a token",
      "  --table NAME                           the deployed table the closing audit reads (default meridian)",
      "  --rate R (iterations/s, default 3)  --customers N (per location, default 2)  --locations a,b,c",
      "  --seed S  --out DIR (default target/drill/<scenario>-<mode>, compare: target/drill/compare-<scenario>)",
      "  --reuse                                compare: keep a mode whose result.json the same --out already holds");

  private DrillCommand() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(RepositoryRoot.path(), args, System.out));
  }

  static int run(Path root, String[] argv, PrintStream out) throws Exception {
    List<String> args = new ArrayList<>(Arrays.asList(argv));
    if (args.isEmpty() || List.of("help", "--help", "-h").contains(args.get(0)) || (args.contains("--help") && !args.get(0).equals("audit"))) {
      out.println(USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    String verb = args.remove(0);
    try {
      return switch (verb) {
        case "list" -> list(root, out);
        case "drill" -> drill(root, args, out);
        case "compare" -> Compare.run(root, args, out);
        case "audit" -> {
          if (args.contains("--help")) {
            out.println(Audit.USAGE);
            yield 0;
          }
          yield Audit.command(root, args, out);
        }
        default -> usage(out, "unknown verb " + verb);
      };
    } catch (IllegalArgumentException e) {
      return usage(out, e.getMessage());
    }
  }

  /** Every scenario, its modes and whether it runs on each kind of target, with the reason when not. */
  static int list(Path root, PrintStream out) throws Exception {
    for (String name : Scenario.available(root)) {
      Scenario s = Scenario.load(root, name);
      out.printf("%-26s %s%n", name, String.join(", ", s.modes()));
      if (!s.experiments().isEmpty()) {
        out.printf("%26s experiments: %s (%s)%n", "", String.join(", ", s.experiments()), FisExperiments.TEMPLATE);
      }
      Runnability.verdicts(s).forEach((kind, verdict) -> out.printf("%26s %-6s %s%n", "", kind.label + ":", verdict));
      out.printf("%26s %s%n", "", s.description());
    }
    return 0;
  }

  private static int drill(Path root, List<String> args, PrintStream out) throws Exception {
    Scenario scenario = Scenario.load(root, required(args, "--scenario"));
    String mode = option(args, "--mode").orElse("active-active");
    Path dir = root.resolve(option(args, "--out").orElse("target/drill/" + scenario.name() + "-" + mode));
    Map<String, Object> result = runOne(root, args, scenario, mode, dir, "./tools/drill/run drill " + String.join(" ", args), out);
    return Boolean.TRUE.equals(result.get("passed")) ? 0 : 1;
  }

  /** Opens the target, runs the drill, writes result.json and report.html into {@code dir}, prints the summary. */
  static Map<String, Object> runOne(Path root, List<String> args, Scenario scenario, String mode, Path dir, String command,
      PrintStream out) throws Exception {
    if (!List.of("active-active", "active-passive").contains(mode)) {
      throw new IllegalArgumentException("--mode must be active-active or active-passive");
    }
    int regions = Integer.parseInt(option(args, "--regions").orElse("2"));
    if (regions < 2 || regions > 3) {
      throw new IllegalArgumentException("--regions must be 2 or 3");
    }
    double timeFactor = Double.parseDouble(option(args, "--time-factor").orElse("1"));
    if (!(timeFactor > 0 && timeFactor <= 1)) {
      throw new IllegalArgumentException("--time-factor must be in (0, 1]");
    }
    double rate = Double.parseDouble(option(args, "--rate").orElse("3"));
    int customers = Integer.parseInt(option(args, "--customers").orElse("2"));
    long seed = Long.parseLong(option(args, "--seed").orElse("8"));
    Duration requestTimeout = Duration.ofSeconds(10);
    TimedHttpClient api = new TimedHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(60));
    Files.createDirectories(dir);

    Target target;
    Optional<String> baseUrl = option(args, "--base-url");
    if (baseUrl.isPresent()) {
      Map<String, URI> regionUrls = new LinkedHashMap<>();
      for (int i = 0; i < args.size() - 1; i++) {
        if (args.get(i).equals("--region-url")) {
          String[] pair = args.get(i + 1).split("=", 2);
          if (pair.length != 2) {
            throw new IllegalArgumentException("--region-url takes REGION=URL");
          }
          regionUrls.put(pair[0], URI.create(pair[1]));
        }
      }
      target = DeployedTarget.connect(URI.create(baseUrl.get()), regionUrls, required(args, "--token-command"),
          option(args, "--table").orElse(Audit.DEFAULT_TABLE), api);
    } else {
      Optional<StackProcess> running = LocalTarget.running(root);
      if (args.contains("--use-running")) {
        target = LocalTarget.attach(running.orElseThrow(() -> new IllegalArgumentException(
            "--use-running: no local stack is running (start one with ./tools/local/stack up)")), api);
      } else if (running.isPresent()) {
        throw new IllegalArgumentException("a local stack is already running (pid " + running.get().pid + "): stop it with "
            + "./tools/local/stack down, or drill it with --use-running");
      } else {
        target = LocalTarget.start(root, regions, mode, timeFactor, dir.resolve("stack-console.log"), api, out);
      }
    }
    try {
      if (!target.mode().equals(mode) && (args.contains("--use-running") || baseUrl.isPresent())) {
        out.println("note: the target runs " + target.mode() + "; --mode " + mode + " is ignored");
      }
      List<String> locations = option(args, "--locations").map(l -> List.of(l.split(",")))
          .orElse(Drill.defaultLocations(target.regions()));
      Workload workload = new Workload(rate, customers, locations, 0.2, 0, 6, requestTimeout).with(scenario.workload());
      Drill drill = new Drill(target, new Drill.Settings(scenario, workload, seed, command), out);
      Map<String, Object> result = drill.run();
      Files.writeString(dir.resolve("result.json"), JSON.writeValueAsString(result));
      if (result.get("audit") instanceof Map<?, ?> audit) {
        Files.writeString(dir.resolve("audit.json"), JSON.writeValueAsString(audit));
      }
      Files.writeString(dir.resolve("report.html"), HtmlReport.render(result));
      Summary.print(result, out);
      out.println("  written: " + dir.resolve("result.json") + ", " + dir.resolve("audit.json") + ", " + dir.resolve("report.html"));
      return result;
    } finally {
      target.close();
    }
  }

  static Optional<String> option(List<String> args, String name) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
  }

  static String required(List<String> args, String name) {
    return option(args, name).orElseThrow(() -> new IllegalArgumentException(name + " is required"));
  }

  private static int usage(PrintStream out, String problem) {
    out.println(problem);
    out.println(USAGE);
    return 2;
  }
}
