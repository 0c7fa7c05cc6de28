package dev.meridian.tools.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.testkit.Machine;
import dev.meridian.tools.benchmark.OpenOrdersReport.Run;
import dev.meridian.tools.benchmark.OpenOrdersReport.Series;
import dev.meridian.tools.benchmark.OpenOrdersReport.WideOrder;
import dev.meridian.tools.benchmark.OpenOrdersReport.WrittenItems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OpenOrdersReportTest {
  private static final long MS = 1_000_000;
  private static final OpenOrdersSettings SETTINGS = new OpenOrdersSettings(List.of(0, 10_000), 4, 0, 3, Path.of("o.json"));
  private static final Machine MACHINE = new Machine(2, "Test CPU", 24.0, "OpenJDK 25", "Linux", "0.10 0.20 0.30");
  private static final WideOrder WIDE = new WideOrder("o-1", 95 * MS, 3_833, 1_056, new TreeMap<>(Map.of("wide-01", 259L,
      "wide-02", 262L)));

  /** Four placements: three at {@code p50} ms, one at {@code p99} ms (so p50 is {@code p50}, p99 is {@code p99}). */
  private static Series series(int k, int run, long p50, long p99) {
    return new Series(k, run, List.of(p50 * MS, p50 * MS, p50 * MS, p99 * MS), List.of(MS, MS, MS, MS));
  }

  private static OpenOrdersReport report(long largestHold) {
    List<Series> series = new ArrayList<>(List.of(series(0, 1, 10, 40), series(0, 2, 12, 30), series(0, 3, 50, 50)));
    series.addAll(List.of(series(10_000, 1, 13, 45), series(10_000, 2, 11, 80), series(10_000, 3, 12, 90)));
    List<Run> runs = List.of(new Run(1, "1.00 0.50 0.25", List.of(3 * MS)), new Run(2, "2.00 1.00 0.50", List.of(4 * MS)),
        new Run(3, "3.00 1.50 0.75", List.of(5 * MS)));
    List<WrittenItems> written = List.of(new WrittenItems(0, "open-orders-0", 12, 599, 327, 271),
        new WrittenItems(10_000, "open-orders-10000", 12, 601, largestHold, 279));
    return new OpenOrdersReport(SETTINGS, "2026-12-07T18:00:00Z", MACHINE, "4.00 2.00 1.00", series, runs, written, WIDE);
  }

  @Test
  void eachSeriesIsTheMedianOfItsRunsAndReadAgainstTheSeriesWithoutOpenOrders() {
    OpenOrdersReport report = report(329);

    assertThat(report.medianP50(0)).isEqualTo(12.0);
    assertThat(report.medianP99(0)).isEqualTo(40.0);
    assertThat(report.medianP50(10_000)).isEqualTo(12.0);
    assertThat(report.medianP99(10_000)).isEqualTo(80.0);
    assertThat(report.p50Ratio(10_000)).isEqualTo(1.0);
    assertThat(report.p99Ratio(10_000)).isEqualTo(2.0);
  }

  @Test
  void theTableHasOneRowPerSeriesWithEveryRunsFiguresAndTheItemsSizes() {
    String[] lines = report(329).table().split("\n");

    assertThat(lines).hasSize(4);
    assertThat(lines[0]).startsWith("| open orders of the product (K) | p50 (ms), median of 3 runs |");
    assertThat(lines[3]).isEqualTo("| 10,000 | 12.00 | 80.00 | 1.00× | 2.00× | 13.00, 11.00, 12.00 | 45.00, 80.00, 90.00 "
        + "| 601 | 329 | 279 |");
  }

  @Test
  void theTargetsSayWhichHoldsWithTheFigureJudged() {
    OpenOrdersReport report = report(329);

    assertThat(report.p50Holds()).isTrue();
    assertThat(report.p99Holds()).isFalse();
    assertThat(report.itemsHold()).isTrue();
    assertThat(report.targets()).contains("K = 10,000 against K = 0, medians of 3 runs")
        .contains("p50 1.00× (at most 1.20×): holds").contains("p99 2.00× (at most 1.50×): DOES NOT HOLD")
        .contains("largest item a 1-line placement wrote: 601 bytes (at most 2,048): holds");
  }

  @Test
  void anItemOverTwoKilobytesMissesTheItemTarget() {
    OpenOrdersReport report = report(2_049);

    assertThat(report.largestItem()).isEqualTo(2_049);
    assertThat(report.itemsHold()).isFalse();
  }

  @Test
  void theWideOrderLineGivesOrderHoldAndTheShardsRange() {
    assertThat(report(329).wideOrder())
        .isEqualTo("2-line order o-1 (placed in 95.00 ms) wrote: order item 3,833 bytes, hold 1,056 bytes, 2 stock shards of 259 to 262 bytes\n");
  }

  @Test
  void theContextSaysWhenOnWhatAndTheLoadAverageAtStartAfterEachRunAndAtEnd() {
    assertThat(report(329).context()).contains("date: 2026-12-07T18:00:00Z")
        .contains("load average at start: 0.10 0.20 0.30; after run 1: 1.00 0.50 0.25; after run 2: 2.00 1.00 0.50; "
            + "after run 3: 3.00 1.50 0.75; at end: 4.00 2.00 1.00")
        .contains("run 3: moto alone (one GetItem per round, 1): p50 5.00 ms");
  }

  @Test
  void jsonCarriesEveryRunTheMediansTheTargetsAndEveryItemOfTheWideOrder() {
    ObjectNode json = report(329).json();

    assertThat(json.at("/machine/loadAverageAtStart").asText()).isEqualTo("0.10 0.20 0.30");
    assertThat(json.at("/machine/loadAverageAtEnd").asText()).isEqualTo("4.00 2.00 1.00");
    assertThat(json.at("/series/1/openOrders").asInt()).isEqualTo(10_000);
    assertThat(json.at("/series/1/product").asText()).isEqualTo("open-orders-10000");
    assertThat(json.at("/series/1/runs").size()).isEqualTo(3);
    assertThat(json.at("/series/1/runs/2/p99Ms").asDouble()).isEqualTo(90.0);
    assertThat(json.at("/series/1/p99VsNoOpenOrders").asDouble()).isEqualTo(2.0);
    assertThat(json.at("/series/1/largestItemsWritten/holdBytes").asLong()).isEqualTo(329);
    assertThat(json.at("/targets/p99Holds").asBoolean()).isFalse();
    assertThat(json.at("/wideOrder/shardBytes/wide-02").asLong()).isEqualTo(262);
  }

  @Test
  void everySeriesNeedsOneEntryPerRunAndItsItems() {
    assertThatThrownBy(() -> new OpenOrdersReport(SETTINGS, "", MACHINE, "", List.of(series(0, 1, 1, 1)), List.of(),
        List.of(), WIDE)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(OpenOrdersReport.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    assertThat(OpenOrdersReport.median(List.of(9.0, 1.0, 5.0))).isEqualTo(5.0);
  }
}
