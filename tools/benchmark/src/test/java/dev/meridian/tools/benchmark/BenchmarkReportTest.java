package dev.meridian.tools.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.testkit.Machine;
import dev.meridian.tools.benchmark.BenchmarkReport.ColdSample;
import dev.meridian.tools.benchmark.BenchmarkReport.Measured;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkReportTest {
  private static final long MS = 1_000_000;
  private static final BenchmarkSettings SETTINGS = new BenchmarkSettings(3, 4, 0, Path.of("out.json"));
  private static final Machine MACHINE = new Machine(2, "Test CPU", 24.0, "OpenJDK 17", "Linux", "0.10 0.20 0.30");

  private static List<ColdSample> cold(long coldMs) {
    return List.of(new ColdSample(coldMs * MS, (coldMs - 100) * MS, 50 * MS),
        new ColdSample((coldMs + 1000) * MS, (coldMs + 900) * MS, 60 * MS),
        new ColdSample((coldMs - 500) * MS, (coldMs - 600) * MS, 40 * MS));
  }

  /** A SnapStart function: its cold starts from the AOT cache take half as long. */
  private static Measured measured(String name, boolean baseline, long coldMs, long warmMs) {
    List<Long> warm = List.of(warmMs * MS, warmMs * MS, warmMs * MS, 100 * warmMs * MS);
    return new Measured(name, name + "Handler::handleRequest", "GET /" + name, 1024, baseline, cold(coldMs),
        cold(coldMs / 2), warm, List.of(MS, MS, MS, MS), 300);
  }

  private final BenchmarkReport report = new BenchmarkReport(SETTINGS, MACHINE, "1.00 0.50 0.25",
      List.of(measured("hello-world", true, 4000, 2), measured("catalog", false, 3000, 6)),
      List.of(3 * MS, 4 * MS, 5 * MS, 90 * MS));

  @Test
  void ratiosDivideByTheBaselineOfTheSameRun() {
    Measured catalog = measured("catalog", false, 3000, 6);

    assertThat(report.coldRatio(catalog)).isEqualTo(0.75);
    assertThat(report.warmRatio(catalog)).isEqualTo(3.0);
  }

  @Test
  void theTableHasOneRowPerFunctionTheBaselineLast() {
    // catalog: warm 6, 6, 6, 600 ms -> 4 invocations in 0.618 s -> 6 per second for one client.
    String[] lines = report.table().split("\n");

    assertThat(lines).hasSize(4);
    assertThat(lines[2]).isEqualTo(
        "| catalog | `GET /catalog` | 1024 MB | 3,000 | 2,900 | 1,500 | 6.00 | 600.00 | 300 | 0.75× | 0.38× | 3.00× |");
    assertThat(lines[3]).startsWith("| hello-world (baseline) | `GET /hello-world` | 1024 MB | 4,000 | 3,900 | 2,000 | 2.00 "
        + "| 200.00 |").endsWith("| 1.00× | 0.50× | 1.00× |");
  }

  @Test
  void theBreakdownSaysWhereEachColdStartGoesAndWhatIsLeftUnexplained() {
    java.util.Map<String, Long> phases = new java.util.LinkedHashMap<>();
    phases.put("jvm_start_ms", 400L);
    phases.put("spring_context_ms", 1500L);
    List<ColdSample> cold = List.of(new ColdSample(3000 * MS, 2500 * MS, 300 * MS, phases));
    Measured catalog = new Measured("catalog", "CatalogHandler::handleRequest", "GET /products/{id}", 1024, false, cold,
        List.of(), List.of(MS), List.of(MS), 200);
    BenchmarkReport withPhases = new BenchmarkReport(SETTINGS, MACHINE, "1", List.of(measured("hello-world", true, 4000, 2),
        catalog), List.of(MS));

    String[] lines = withPhases.breakdown().split("\n");
    assertThat(lines[0]).isEqualTo("| function | variant | jvm start | spring context | rest of init | Init Duration "
        + "| first request |");
    assertThat(lines).contains("| catalog | without cache | 400 | 1,500 | 600 | 2,500 | 300 |",
        "| hello-world | without cache | - | - | - | 3,900 | 50 |");
  }

  @Test
  void anInitPhasesLineIsReadFromTheFunctionsJsonLog() {
    assertThat(ColdWarmBenchmark.initPhases("{\"level\":\"INFO\",\"message\":\"init phases jvm_start_ms=412 "
        + "logging_ms=230 spring_context_ms=1510\",\"function\":\"x\"}"))
        .containsExactly(java.util.Map.entry("jvm_start_ms", 412L), java.util.Map.entry("logging_ms", 230L),
            java.util.Map.entry("spring_context_ms", 1510L));
    assertThat(ColdWarmBenchmark.initPhases("{\"message\":\"GET /products 200 12 ms\"}")).isEmpty();
  }

  @Test
  void aFunctionWithoutSnapStartHasNoCachedColdStart() {
    Measured health = new Measured("health", "HealthHandler::handleRequest", "GET /health", 512, false, cold(1000),
        List.of(), List.of(2 * MS), List.of(MS), 150);
    BenchmarkReport withHealth = new BenchmarkReport(SETTINGS, MACHINE, "1.00 0.50 0.25",
        List.of(measured("hello-world", true, 4000, 2), health), List.of(3 * MS));

    assertThat(withHealth.table().split("\n")[2]).isEqualTo(
        "| health | `GET /health` | 512 MB | 1,000 | 900 | no SnapStart | 2.00 | 2.00 | 150 | 0.25× | - | 1.00× |");
    assertThat(withHealth.json().at("/functions/1/coldFromAotCache").isMissingNode()).isTrue();
    assertThat(withHealth.json().at("/functions/0/coldFromAotCache/vsBaselineColdWithoutCache").asDouble()).isEqualTo(0.5);
  }

  @Test
  void theEmulatorsOwnLatencyIsReportedBesideTheTable() {
    assertThat(report.emulatorFloor()).endsWith("4 in the same rounds): p50 4.50 ms, p99 90.00 ms");
    assertThat(report.json().at("/emulatorGetItem/p50Ms").asDouble()).isEqualTo(4.5);
  }

  @Test
  void coldSamplesAreListedInTheOrderMeasured() {
    assertThat(report.coldSamples()).contains(
        "catalog        cold (ms): 3,000 4,000 2,500; Init Duration: 2,900 3,900 2,400; first invocation: 50 60 40");
  }

  @Test
  void jsonCarriesSettingsMachineLoadAndEveryFigure() {
    ObjectNode json = report.json();

    assertThat(json.at("/settings/coldStarts").asInt()).isEqualTo(3);
    assertThat(json.at("/machine/loadAverageAtStart").asText()).isEqualTo("0.10 0.20 0.30");
    assertThat(json.at("/machine/loadAverageAtEnd").asText()).isEqualTo("1.00 0.50 0.25");
    assertThat(json.at("/functions/1/name").asText()).isEqualTo("catalog");
    assertThat(json.at("/functions/1/cold/medianMs").asDouble()).isEqualTo(3000.0);
    assertThat(json.at("/functions/1/cold/samples").size()).isEqualTo(3);
    assertThat(json.at("/functions/1/warm/p50Ms").asDouble()).isEqualTo(6.0);
    assertThat(json.at("/functions/1/warm/p99Ms").asDouble()).isEqualTo(600.0);
    assertThat(json.at("/functions/1/warm/p50VsBaseline").asDouble()).isEqualTo(3.0);
    assertThat(json.at("/functions/0/baseline").asBoolean()).isTrue();
  }

  @Test
  void needsExactlyOneBaseline() {
    assertThatThrownBy(() -> new BenchmarkReport(SETTINGS, MACHINE, "", List.of(measured("catalog", false, 1, 1)),
        List.of(MS)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
