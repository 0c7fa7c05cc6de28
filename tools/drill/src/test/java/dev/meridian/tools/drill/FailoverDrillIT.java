package dev.meridian.tools.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.meridian.testkit.RepositoryRoot;
import dev.meridian.testkit.emulator.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The short drill CI runs: region-outage on a two-region local stack at time factor 0.1 (about a
 * minute of load), started and stopped by the drill itself. Asserts what the drill's user reads:
 * the verification held, the fault was felt and failed over, the closing audit found the replicas
 * identical, the result and the audit follow their schemas, and the HTML report's charts draw in a
 * real browser (headless Chromium), with a point at zero for every second the failed region served nothing.
 */
class FailoverDrillIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path root;
  private static Path out;
  private static int exitCode;
  private static String console;
  private static JsonNode result;

  @BeforeAll
  static void drill() throws Exception {
    Assumptions.assumeTrue(MotoServer.isAvailable(), () -> "moto unavailable: " + MotoServer.unavailableReason().orElse(""));
    root = RepositoryRoot.path();
    out = root.resolve("tools/drill/target/drill-it");
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(new TeeStream(buffer, System.out), true, StandardCharsets.UTF_8);
    exitCode = DrillCommand.run(root, new String[] {"drill", "--scenario", "region-outage", "--regions", "2",
        "--time-factor", "0.1", "--rate", "3", "--out", out.toString()}, both);
    console = buffer.toString(StandardCharsets.UTF_8);
    Path file = out.resolve("result.json");
    assertThat(file).as("result.json written; console:\n" + console).exists();
    result = JSON.readTree(file.toFile());
  }

  @Test
  void everyVerificationHoldsAndTheCommandSaysSo() {
    List<String> failed = new ArrayList<>();
    result.path("checks").forEach(c -> {
      if (!c.path("passed").asBoolean()) {
        failed.add(c.path("name").asText() + ": " + c.path("detail").asText());
      }
    });
    assertThat(failed).as("failed checks").isEmpty();
    assertThat(result.path("passed").asBoolean()).isTrue();
    assertThat(exitCode).as("exit code").isZero();
    // About 125 on a quiet 2-core machine, 46 with the load average at 20: the floor only says the load really ran.
    assertThat(result.path("acknowledgedOrders").asInt()).as("orders acknowledged during the drill").isGreaterThan(25);
    assertThat(result.path("lostWrites").asInt()).isZero();
    assertThat(result.path("duplicateOrders").asInt()).isZero();
    assertThat(result.path("oversoldUnits").asInt()).isZero();
    assertThat(result.path("negativeStock").asInt()).isZero();
    assertThat(result.path("stockConserved").asBoolean()).isTrue();
    assertThat(result.path("convergenceAfterRecoveryMs").isNumber()).as("converged after recovery").isTrue();
    assertThat(console).contains("PASSED");
  }

  @Test
  void theFailedRegionsClientsSawErrorsThenWereServedElsewhere() {
    String failedRegion = result.path("roles").path("first").asText();
    JsonNode virginia = result.path("errorWindows").path("virginia");
    assertThat(virginia.path("failedRequests").asInt()).as("virginia's clients (routed to " + failedRegion + ") saw the fault")
        .isPositive();
    assertThat(virginia.path("errorWindowMs").asDouble()).isPositive();
    // They were served again during the fault: the healthy region answered virginia's requests.
    long servedElsewhere = 0;
    for (JsonNode row : result.path("latency").path("byLocationRegionOperation").properties().stream()
        .filter(e -> e.getKey().startsWith("virginia ") && !e.getKey().startsWith("virginia " + failedRegion + " "))
        .map(java.util.Map.Entry::getValue).toList()) {
      servedElsewhere += row.path("requests").asLong() - row.path("errors").asLong();
    }
    assertThat(servedElsewhere).as("virginia's requests answered by another region").isPositive();
    assertThat(result.path("markers").get(0).path("action").asText()).isEqualTo("start experiment region-outage on first");
    assertThat(result.path("markers").findValues("ok")).allMatch(JsonNode::asBoolean);
  }

  @Test
  void theFaultsCameFromTheRegionOutageExperimentTemplate() {
    JsonNode experiments = result.path("experiments");
    assertThat(experiments.size()).as("one run of the experiment: " + experiments).isEqualTo(1);
    JsonNode run = experiments.get(0);
    assertThat(run.path("experiment").asText()).isEqualTo("region-outage");
    assertThat(run.path("state").asText()).isEqualTo("stopped");
    assertThat(run.path("stoppedAtMs").asDouble()).isGreaterThan(run.path("startedAtMs").asDouble());
    assertThat(run.path("actions").findValuesAsText("actionId")).containsExactly(
        "aws:lambda:invocation-http-integration-response", "aws:dynamodb:global-table-pause-replication");
  }

  @Test
  void theResultFollowsItsDocumentedSchema() throws Exception {
    assertThat(schemaErrors("tools/drill/result.schema.json", result)).isEmpty();
  }

  /** The drill's own stack, read replica by replica after convergence: the same items, versions and stamps everywhere. */
  @Test
  void theClosingAuditFoundTheReplicasIdentical() throws Exception {
    JsonNode audit = JSON.readTree(out.resolve("audit.json").toFile());
    assertThat(audit).isEqualTo(result.path("audit"));
    assertThat(schemaErrors("tools/drill/audit.schema.json", audit)).isEmpty();
    assertThat(audit.path("divergentItems")).as("items that differ").isEmpty();
    assertThat(audit.path("missingOrders")).as("acknowledged orders missing").isEmpty();
    assertThat(audit.path("clean").asBoolean()).isTrue();
    assertThat(audit.path("expectedOrders").path("count").asInt()).isEqualTo(result.path("acknowledgedOrders").asInt());
    List<Integer> counts = new ArrayList<>();
    audit.path("itemsPerRegion").forEach(n -> counts.add(n.asInt()));
    assertThat(counts).hasSize(2).allMatch(n -> n > result.path("acknowledgedOrders").asInt());
    assertThat(audit.path("conflicts").size()).as("conflicts recorded in the drill's window")
        .isEqualTo(result.path("conflictsMerged").path("total").asInt());
    assertThat(console).contains("Incident audit: table").contains("AUDIT CLEAN");
  }

  private static List<String> schemaErrors(String schemaFile, JsonNode document) throws Exception {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    Schema schema = registry.getSchema(JSON.readTree(root.resolve(schemaFile).toFile()));
    return schema.validate(document).stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
  }

  @Test
  void theReportsChartsDrawInHeadlessChromium() throws Exception {
    String chromium = findOnPath("chromium", "chromium-browser", "google-chrome");
    Assumptions.assumeTrue(chromium != null,
        "chromium is not installed (apt-get install chromium; .ci/run installs it): the report's charts were not rendered");
    Path profile = Files.createTempDirectory("drill-chromium");
    Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", out.resolve("report.html").toUri().toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    Matcher body = Pattern.compile("<body[^>]*>").matcher(dom);
    assertThat(body.find()).as("a rendered <body>").isTrue();
    assertThat(body.group()).as("the drawing script finished without error")
        .doesNotContain("data-chart-error").contains("data-charts-drawn=\"" + HtmlReport.CHARTS + "\"");
    for (String chart : List.of("chart-requests", "chart-errors", "chart-latency")) {
      Matcher m = Pattern.compile("<svg id=\"" + chart + "\".*?</svg>", Pattern.DOTALL).matcher(dom);
      assertThat(m.find()).as(chart + " in the rendered DOM").isTrue();
      String svg = m.group();
      assertThat(svg).as(chart + " draws its series").contains("class=\"series\"");
      assertThat(Pattern.compile("<path d=\"M[0-9.]+ [0-9.]+ L").matcher(svg).find()).as(chart + " has a line").isTrue();
      assertThat(svg).as(chart + " marks the fault").contains("marker-fault");
    }
    assertZeroFilled(dom);
  }

  /**
   * The failed region's requests and errors lines have a point for every second of the drill, and
   * in the seconds of the fault in which nobody reached it the point is on the zero line (before,
   * the line skipped those seconds and drew a slope through them).
   */
  @SuppressWarnings("unchecked")
  private static void assertZeroFilled(String dom) throws Exception {
    String failedRegion = result.path("roles").path("first").asText();
    java.util.Set<Long> served = new java.util.HashSet<>();
    result.path("series").path("byRegion").path(failedRegion).forEach(row -> served.add(row.path("second").asLong()));
    JsonNode fault = null;
    for (JsonNode phase : result.path("phases")) {
      if (phase.path("name").asText().equals("fault")) {
        fault = phase;
      }
    }
    assertThat(fault).as("the fault phase").isNotNull();
    List<Long> silent = new ArrayList<>();
    for (long s = (long) Math.ceil(fault.path("startMs").asDouble() / 1000); s < (long) (fault.path("endMs").asDouble() / 1000); s++) {
      if (!served.contains(s)) {
        silent.add(s);
      }
    }
    assertThat(silent).as("seconds of the fault in which " + failedRegion + " served nobody (DNS had failed over)").isNotEmpty();
    long seconds = ((Number) HtmlReport.chartData(JSON.convertValue(result, java.util.Map.class)).get("seconds")).longValue();
    for (String chart : List.of("chart-requests", "chart-errors")) {
      Matcher svg = Pattern.compile("<svg id=\"" + chart + "\".*?</svg>", Pattern.DOTALL).matcher(dom);
      assertThat(svg.find()).isTrue();
      Matcher line = Pattern.compile("<path d=\"([^\"]+)\"[^>]*data-region=\"" + failedRegion + "\"").matcher(svg.group());
      assertThat(line.find()).as(chart + " draws " + failedRegion).isTrue();
      String[] tokens = line.group(1).trim().split("\\s+");
      assertThat(tokens.length / 2).as(chart + ": a point for every second of the drill").isEqualTo(seconds);
      // The charts' zero line: H - B in the drawing script (300 - 36).
      for (long s : silent) {
        assertThat(tokens[(int) (2 * s + 1)]).as(chart + ": second " + s + " of " + failedRegion + " is drawn at zero").isEqualTo("264.0");
      }
    }
  }

  private static String findOnPath(String... names) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      for (String name : names) {
        if (Files.isExecutable(Path.of(dir, name))) {
          return Path.of(dir, name).toString();
        }
      }
    }
    return null;
  }

  /** Writes to two streams: the console of the build and the buffer the test reads. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
