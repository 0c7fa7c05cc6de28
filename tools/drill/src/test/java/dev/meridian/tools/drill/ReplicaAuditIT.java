package dev.meridian.tools.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.meridian.adapter.dynamodb.Items;
import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.testkit.RepositoryRoot;
import dev.meridian.testkit.emulator.MotoExtension;
import dev.meridian.testkit.emulator.MotoServer;
import dev.meridian.tools.drill.ReplicaAudit.Acknowledged;
import dev.meridian.tools.drill.ReplicaAudit.Report;
import dev.meridian.tools.drill.ReplicaAudit.Window;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The incident audit against two regional replicas of one table in moto, read with real SDK
 * clients and parallel scan segments: a clean pair reports nothing, and each seeded divergence
 * (a version that differs, an acknowledged order one region lacks, a recorded conflict) is reported.
 */
@ExtendWith(MotoExtension.class)
class ReplicaAuditIT {
  private static final String US = "us-east-1";
  private static final String EU = "eu-west-1";
  private static final List<String> REGIONS = List.of(US, EU);
  private static final long T0 = System.currentTimeMillis() - 60_000;
  private static final Window WINDOW = new Window(Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 120_000));
  /** More items than one segment's first page would show if segments overlapped or were skipped. */
  private static final int ORDERS = 120;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aCleanPairReportsNothingAndEveryItemIsReadExactlyOnce(MotoServer moto) throws Exception {
    String table = "audit-clean";
    List<Acknowledged> acknowledged = new ArrayList<>();
    try (DynamoDbClient us = replica(moto, US, table); DynamoDbClient eu = replica(moto, EU, table)) {
      for (int i = 0; i < ORDERS; i++) {
        Order order = ReplicaAuditTest.placed("clean-" + i, T0 + i * 100L);
        putBoth(us, eu, table, Items.order(order, 1, US));
        acknowledged.add(new Acknowledged(order.id().value(), US, "PENDING_STOCK"));
      }
    }

    Report report = Audit.run(replicas(moto, table), Optional.of(acknowledged), WINDOW, 4);

    assertThat(report.itemsPerRegion()).containsExactly(Map.entry(US, ORDERS), Map.entry(EU, ORDERS));
    assertThat(report.divergences()).isEmpty();
    assertThat(report.missingOrders()).isEmpty();
    assertThat(report.conflicts()).isEmpty();
    assertThat(report.clean()).isTrue();
  }

  @Test
  void eachSeededDivergenceIsReported(MotoServer moto) throws Exception {
    String table = "audit-diverged";
    Order agreed = ReplicaAuditTest.placed("agreed", T0 + 1_000);
    Order versions = ReplicaAuditTest.placed("versions", T0 + 2_000);
    Order lost = ReplicaAuditTest.placed("lost", T0 + 3_000);
    Conflict conflict = ReplicaAuditTest.conflict(agreed.id().value(), T0 + 4_000);
    try (DynamoDbClient us = replica(moto, US, table); DynamoDbClient eu = replica(moto, EU, table)) {
      putBoth(us, eu, table, Items.order(agreed, 1, US));
      us.putItem(b -> b.tableName(table).item(Items.order(versions.cancel(ReplicaAuditTest.stamp(T0 + 2_500, US)), 2, US)));
      eu.putItem(b -> b.tableName(table).item(Items.order(versions, 1, US)));
      us.putItem(b -> b.tableName(table).item(Items.order(lost, 1, US)));
      putBoth(us, eu, table, Items.conflictRecord(conflict, EU));
    }
    List<Acknowledged> acknowledged = List.of(new Acknowledged(agreed.id().value(), US, "PLACED"),
        new Acknowledged(versions.id().value(), US, "CANCELLED"), new Acknowledged(lost.id().value(), US, "PLACED"));

    Report report = Audit.run(replicas(moto, table), Optional.of(acknowledged), WINDOW, 3);

    assertThat(report.clean()).isFalse();
    assertThat(report.divergences()).extracting(ReplicaAudit.Divergence::key, ReplicaAudit.Divergence::differs)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(ReplicaAudit.orderKey(versions.id().value()), List.of("version", "stamp:status")),
            org.assertj.core.groups.Tuple.tuple(ReplicaAudit.orderKey(lost.id().value()), List.of("presence")));
    assertThat(report.missingOrders()).singleElement().satisfies(m -> {
      assertThat(m.orderId()).isEqualTo(lost.id().value());
      assertThat(m.missingIn()).containsExactly(EU);
    });
    assertThat(report.conflicts()).singleElement().satisfies(c -> {
      assertThat(c.conflict().id()).isEqualTo(conflict.id());
      assertThat(c.recordedIn()).containsExactly(US, EU);
    });
  }

  /**
   * The command a user runs after a drill: the running local stack found through endpoints.json,
   * exit code 1, audit.json, and the audit in the drill's result.json and report.html.
   */
  @Test
  void theCommandPrintsTheFindingsWritesAuditJsonAndExitsNonZero(MotoServer moto, @TempDir Path root) throws Exception {
    String table = "audit-command";
    Order lost = ReplicaAuditTest.placed("lost", T0 + 3_000);
    try (DynamoDbClient us = replica(moto, US, table); DynamoDbClient eu = replica(moto, EU, table)) {
      us.putItem(b -> b.tableName(table).item(Items.order(lost, 1, US)));
    }
    runningStack(root, moto, table);
    Path result = root.resolve("drill/result.json");
    Files.createDirectories(result.getParent());
    Map<String, Object> drill = HtmlReportTest.result(120_000, Map.of());
    drill.put("startedAt", WINDOW.from().toString());
    drill.put("acknowledged", List.of(Map.of("orderId", lost.id().value(), "region", US, "status", "PLACED", "atMs", 3_000)));
    Files.writeString(result, JSON.writeValueAsString(drill));
    Files.writeString(root.resolve("drill/report.html"), HtmlReport.render(drill));
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    int exit = DrillCommand.run(root, new String[] {"audit", "--result", "drill/result.json", "--segments", "2"},
        new PrintStream(console, true, StandardCharsets.UTF_8));

    String printed = console.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(printed).isEqualTo(1);
    assertThat(printed).contains("ACKNOWLEDGED ORDERS MISSING").contains(lost.id().value()).contains("AUDIT FOUND DIFFERENCES");
    JsonNode audit = JSON.readTree(root.resolve("drill/audit.json").toFile());
    assertThat(audit.path("clean").asBoolean()).isFalse();
    assertThat(audit.path("missingOrders").get(0).path("missingIn").get(0).asText()).isEqualTo(EU);
    assertThat(audit.path("target").path("table").asText()).isEqualTo(table);
    Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()))
        .getSchema(JSON.readTree(RepositoryRoot.path().resolve("tools/drill/audit.schema.json").toFile()));
    assertThat(schema.validate(audit).stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList()).isEmpty();
    // Run after that drill, the audit is what the drill's report and result now show.
    assertThat(JSON.readTree(result.toFile()).path("audit")).isEqualTo(audit);
    assertThat(Files.readString(root.resolve("drill/report.html"))).contains("<h2 id=\"audit\">")
        .contains("<td>" + lost.id().value() + "</td>");
  }

  /** What {@code ./tools/local/stack up} leaves for tools: endpoints.json naming a live process, the emulator and the table. */
  private static void runningStack(Path root, MotoServer moto, String table) throws Exception {
    Map<String, Object> regions = new LinkedHashMap<>();
    REGIONS.forEach(r -> regions.put(r, Map.of("url", "http://127.0.0.1:9/" + r)));
    Map<String, Object> endpoints = new LinkedHashMap<>();
    endpoints.put("pid", ProcessHandle.current().pid());
    endpoints.put("emulator", moto.endpoint().toString());
    endpoints.put("table", table);
    endpoints.put("regions", regions);
    Files.createDirectories(root.resolve(".local-stack"));
    Files.writeString(root.resolve(".local-stack/endpoints.json"), JSON.writeValueAsString(endpoints));
  }

  private static Audit.Replicas replicas(MotoServer moto, String table) {
    return new Audit.Replicas("local-stack", table, REGIONS, moto::dynamoDb);
  }

  private static DynamoDbClient replica(MotoServer moto, String region, String table) {
    DynamoDbClient client = moto.dynamoDb(region);
    client.createTable(TableDesign.createTableRequest(table));
    return client;
  }

  private static void putBoth(DynamoDbClient us, DynamoDbClient eu, String table, Map<String, AttributeValue> item) {
    us.putItem(b -> b.tableName(table).item(item));
    eu.putItem(b -> b.tableName(table).item(item));
  }
}
