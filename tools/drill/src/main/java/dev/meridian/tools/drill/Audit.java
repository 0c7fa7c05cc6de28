package dev.meridian.tools.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.domain.common.Conflict;
import dev.meridian.tools.drill.ReplicaAudit.Acknowledged;
import dev.meridian.tools.drill.ReplicaAudit.Report;
import dev.meridian.tools.drill.ReplicaAudit.Window;
import dev.meridian.tools.local.client.StackProcess;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The incident audit ({@code ./tools/drill/run audit}, and the last step of every drill): reads
 * every region's replica of the table directly with a parallel scan, and reports what
 * {@link ReplicaAudit} finds as a table on the terminal and as {@code audit.json}
 * ({@code tools/drill/audit.schema.json}).
 */
final class Audit {
  static final String SCHEMA = "meridian-drill-audit/1";
  static final int DEFAULT_SEGMENTS = 4;
  /** Rows of each list printed on the terminal; audit.json holds them all. */
  private static final int PRINTED_ROWS = 25;

  /**
   * Where the replicas are: the table's name, its regions in deployment order, and a DynamoDB
   * client for each region (the local stack's emulator, or the region's real endpoint).
   */
  record Replicas(String kind, String table, List<String> regions, Function<String, DynamoDbClient> clients) {
    /** The local stack: every region's replica lives in the one emulator endpoints.json names. */
    static Replicas localStack(JsonNode endpoints, List<String> regions) {
      URI emulator = URI.create(endpoints.path("emulator").asText());
      String table = endpoints.path("table").asText(DEFAULT_TABLE);
      return new Replicas("local-stack", table, regions, region -> DynamoDbClient.builder().region(Region.of(region))
          .endpointOverride(emulator)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build());
    }

    /** A deployment: each region's public endpoint, credentials from the SDK's default chain. */
    static Replicas deployed(String table, List<String> regions) {
      return new Replicas("deployed", table, regions, region -> DynamoDbClient.builder().region(Region.of(region)).build());
    }
  }

  /** The template's default {@code TableName}, which the local stack provisions. */
  static final String DEFAULT_TABLE = "meridian";

  static final String USAGE = String.join("\n",
      "usage: ./tools/drill/run audit [--result DIR/result.json | --since ISO-INSTANT [--until ISO-INSTANT]] [options]",
      "  compares every region's replica of the table item by item (parallel scans); exit 0 when they agree,",
      "  1 when an item differs or an acknowledged order is missing, 2 on a usage error",
      "  --result FILE         a drill's result.json: its acknowledged orders and its time window",
      "  --since/--until T     without a result: every order placed in [since, until] (until: now) must be everywhere",
      "  --aws-regions A,B     audit a deployment in these regions (default credential chain); default: the running local stack",
      "  --table NAME          the table (default: the local stack's, or meridian)",
      "  --segments N          parallel scan segments per replica (default " + DEFAULT_SEGMENTS + ")",
      "  --out DIR             where audit.json goes (default: beside --result, else target/drill/audit)");

  private Audit() {}

  /** Scans every replica at once (each with its own segments), then compares them. */
  static Report run(Replicas replicas, Optional<List<Acknowledged>> acknowledged, Window window, int segments) throws Exception {
    Map<String, List<Map<String, AttributeValue>>> items = new LinkedHashMap<>();
    try (ExecutorService perRegion = Executors.newVirtualThreadPerTaskExecutor()) {
      Map<String, Future<List<Map<String, AttributeValue>>>> scans = new LinkedHashMap<>();
      for (String region : replicas.regions()) {
        scans.put(region, perRegion.submit(() -> {
          try (DynamoDbClient client = replicas.clients().apply(region)) {
            return ReplicaScan.all(client, replicas.table(), segments);
          }
        }));
      }
      for (Map.Entry<String, Future<List<Map<String, AttributeValue>>>> scan : scans.entrySet()) {
        try {
          items.put(scan.getKey(), scan.getValue().get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("scanning " + replicas.table() + " in " + scan.getKey() + " failed: " + e.getCause(),
              e.getCause());
        }
      }
    }
    return ReplicaAudit.compare(items, acknowledged, window);
  }

  // ------------------------------------------------------------------ the command

  static int command(Path root, List<String> args, PrintStream out) throws Exception {
    Optional<String> resultFile = DrillCommand.option(args, "--result");
    Optional<JsonNode> result = Optional.empty();
    if (resultFile.isPresent()) {
      Path file = root.resolve(resultFile.get());
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("--result: no such file " + file);
      }
      result = Optional.of(DrillCommand.JSON.readTree(file.toFile()));
    }
    Optional<List<Acknowledged>> acknowledged = result.map(Audit::acknowledged);
    Window window = result.isPresent() ? drillWindow(result.get()) : new Window(instant(DrillCommand.required(args, "--since"),
        "--since"), DrillCommand.option(args, "--until").map(t -> instant(t, "--until")).orElse(Instant.now()));
    int segments = Integer.parseInt(DrillCommand.option(args, "--segments").orElse(Integer.toString(DEFAULT_SEGMENTS)));

    Replicas replicas;
    Optional<String> awsRegions = DrillCommand.option(args, "--aws-regions");
    if (awsRegions.isPresent()) {
      replicas = Replicas.deployed(DrillCommand.option(args, "--table").orElse(DEFAULT_TABLE), List.of(awsRegions.get().split(",")));
    } else {
      StackProcess stack = StackProcess.running(root).orElseThrow(() -> new IllegalArgumentException(
          "no local stack is running (./tools/local/stack up), and no --aws-regions given; a drill that started its own stack "
              + "audited it before stopping it (result.json, audit.json)"));
      Replicas local = Replicas.localStack(stack.endpoints, stack.regions());
      replicas = new Replicas(local.kind(), DrillCommand.option(args, "--table").orElse(local.table()), local.regions(),
          local.clients());
    }
    Path dir = root.resolve(DrillCommand.option(args, "--out").orElse(resultFile.map(f -> {
      Path parent = Path.of(f).getParent();
      return parent == null ? "." : parent.toString();
    }).orElse("target/drill/audit")));
    long started = System.nanoTime();
    Report report = run(replicas, acknowledged, window, segments);
    Map<String, Object> json = toJson(report, replicas, segments, Duration.ofNanos(System.nanoTime() - started));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("audit.json"), DrillCommand.JSON.writeValueAsString(json));
    print(report, replicas, out);
    out.println("  written: " + dir.resolve("audit.json"));
    if (resultFile.isPresent()) {
      intoDrillReport(root.resolve(resultFile.get()), json, out);
    }
    return report.clean() ? 0 : 1;
  }

  /** An audit of a drill's run replaces the drill's own in its result.json and report.html, so the report shows the latest. */
  @SuppressWarnings("unchecked")
  private static void intoDrillReport(Path resultFile, Map<String, Object> audit, PrintStream out) throws Exception {
    Path report = resultFile.resolveSibling("report.html");
    if (!Files.isRegularFile(report)) {
      return;
    }
    Map<String, Object> result = DrillCommand.JSON.readValue(resultFile.toFile(), Map.class);
    result.put("audit", audit);
    Files.writeString(resultFile, DrillCommand.JSON.writeValueAsString(result));
    Files.writeString(report, HtmlReport.render(result));
    out.println("  updated: " + resultFile + ", " + report + " (the audit section)");
  }

  private static List<Acknowledged> acknowledged(JsonNode result) {
    JsonNode list = result.path("acknowledged");
    if (!list.isArray()) {
      throw new IllegalArgumentException("this result.json lists no acknowledged orders (written before the audit existed): "
          + "use --since and --until instead");
    }
    List<Acknowledged> out = new ArrayList<>();
    list.forEach(a -> out.add(new Acknowledged(a.path("orderId").asText(), a.path("region").asText(), a.path("status").asText())));
    return out;
  }

  /** From the drill's start to the end of its last phase: every write the drill made was stamped in it. */
  private static Window drillWindow(JsonNode result) {
    Instant started = instant(result.path("startedAt").asText(), "result.json startedAt");
    double lastMs = 0;
    for (JsonNode phase : result.path("phases")) {
      lastMs = Math.max(lastMs, phase.path("endMs").asDouble());
    }
    return new Window(started, started.plusMillis((long) Math.ceil(lastMs)));
  }

  private static Instant instant(String text, String what) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(what + " takes an ISO-8601 instant such as 2026-12-08T01:00:00Z, not '" + text + "'");
    }
  }

  // ------------------------------------------------------------------ output

  static Map<String, Object> toJson(Report report, Replicas replicas, int segments, Duration took) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("schema", SCHEMA);
    json.put("clean", report.clean());
    json.put("auditedAt", Instant.now().toString());
    json.put("tookMs", took.toMillis());
    json.put("target", Map.of("kind", replicas.kind(), "table", replicas.table(), "regions", replicas.regions(),
        "segments", segments));
    json.put("window", Map.of("from", report.window().from().toString(), "to", report.window().to().toString()));
    json.put("itemsPerRegion", report.itemsPerRegion());
    json.put("heartbeatsSkipped", report.heartbeatsSkipped());
    json.put("expectedOrders", Map.of("source", report.expectationSource(), "count", report.expectedOrders()));
    List<Map<String, Object>> divergent = new ArrayList<>();
    for (ReplicaAudit.Divergence d : report.divergences()) {
      Map<String, Object> byRegion = new LinkedHashMap<>();
      d.byRegion().forEach((region, item) -> byRegion.put(region, item == null ? null
          : Map.of("version", item.version() == null ? "" : item.version(), "stamps", item.stamps())));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("key", d.key());
      row.put("entity", d.entity());
      row.put("differs", d.differs());
      row.put("byRegion", byRegion);
      divergent.add(row);
    }
    json.put("divergentItems", divergent);
    json.put("missingOrders", report.missingOrders().stream().map(m -> Map.of("orderId", m.orderId(),
        "acknowledgedBy", m.acknowledgedBy(), "status", m.status(), "missingIn", m.missingIn())).toList());
    json.put("conflicts", report.conflicts().stream().map(Audit::conflict).toList());
    return json;
  }

  private static Map<String, Object> conflict(ReplicaAudit.RecordedConflict r) {
    Conflict c = r.conflict();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id());
    m.put("detectedAfter", c.detectedAfter().encode());
    m.put("entity", c.entity());
    m.put("key", c.key());
    m.put("field", c.field());
    m.put("rule", c.rule());
    m.put("winner", side(c.winner()));
    m.put("loser", side(c.loser()));
    m.put("recordedIn", r.recordedIn());
    return m;
  }

  private static Map<String, Object> side(Conflict.Side s) {
    return Map.of("value", s.value(), "region", s.region(), "stamp", s.stamp().encode());
  }

  static void print(Report report, Replicas replicas, PrintStream out) {
    out.printf("%nIncident audit: table %s, %s, replicas %s%n", replicas.table(), replicas.kind(), replicas.regions());
    out.printf("  window               %s .. %s%n", report.window().from(), report.window().to());
    StringBuilder scanned = new StringBuilder();
    report.itemsPerRegion().forEach((r, n) -> scanned.append(r).append(' ').append(n).append("   "));
    out.printf("  items scanned        %s(heartbeats skipped: %d)%n", scanned, report.heartbeatsSkipped());
    out.printf("  differing items      %d%n", report.divergences().size());
    out.printf("  acknowledged orders  %d expected (%s), %d missing from a region%n", report.expectedOrders(),
        report.expectationSource().equals("ledger") ? "the drill's ledger" : "placed in the window, in any replica",
        report.missingOrders().size());
    out.printf("  conflicts in window  %d%n", report.conflicts().size());
    if (!report.divergences().isEmpty()) {
      out.println("\n  DIFFERING ITEMS");
      StringBuilder header = new StringBuilder(String.format("  %-52s %-10s %-22s", "key", "entity", "differs"));
      replicas.regions().forEach(r -> header.append(String.format(" %-40s", r)));
      out.println(header);
      report.divergences().stream().limit(PRINTED_ROWS).forEach(d -> {
        StringBuilder row = new StringBuilder(String.format("  %-52s %-10s %-22s", d.key(), d.entity(), String.join(",", d.differs())));
        d.byRegion().values().forEach(i -> row.append(String.format(" %-40s", i == null ? "(absent)" : i.describe())));
        out.println(row);
      });
      more(out, report.divergences().size());
    }
    if (!report.missingOrders().isEmpty()) {
      out.println("\n  ACKNOWLEDGED ORDERS MISSING");
      out.printf("  %-40s %-16s %-14s %s%n", "order", "acknowledged by", "status", "missing in");
      report.missingOrders().stream().limit(PRINTED_ROWS).forEach(m -> out.printf("  %-40s %-16s %-14s %s%n", m.orderId(),
          m.acknowledgedBy(), m.status(), String.join(", ", m.missingIn())));
      more(out, report.missingOrders().size());
    }
    if (!report.conflicts().isEmpty()) {
      out.println("\n  CONFLICTS RECORDED IN THE WINDOW");
      out.printf("  %-36s %-8s %-28s %-14s %-28s %-24s %s%n", "detected after", "entity", "key", "field", "rule", "winner / loser",
          "recorded in");
      report.conflicts().stream().limit(PRINTED_ROWS).forEach(r -> {
        Conflict c = r.conflict();
        out.printf("  %-36s %-8s %-28s %-14s %-28s %-24s %s%n", c.detectedAfter().encode(), c.entity(), c.key(), c.field(),
            c.rule(), c.winner().region() + " / " + c.loser().region(), String.join(", ", r.recordedIn()));
      });
      more(out, report.conflicts().size());
    }
    out.println(report.clean() ? "  AUDIT CLEAN: every replica holds the same items, versions and stamps"
        : "  AUDIT FOUND DIFFERENCES (exit 1)");
  }

  private static void more(PrintStream out, int rows) {
    if (rows > PRINTED_ROWS) {
      out.printf("  ... %d more in audit.json%n", rows - PRINTED_ROWS);
    }
  }
}
