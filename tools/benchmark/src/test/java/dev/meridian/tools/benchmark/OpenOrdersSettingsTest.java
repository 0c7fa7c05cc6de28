package dev.meridian.tools.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenOrdersSettingsTest {
  @Test
  void defaultsAreThreeRunsOf200PlacementsWithNoneAThousandAndTenThousandOpenOrders() {
    OpenOrdersSettings settings = OpenOrdersSettings.parse(List.of());

    assertThat(settings.openOrders()).containsExactly(0, 1_000, 10_000);
    assertThat(settings.placements()).isEqualTo(200);
    assertThat(settings.warmUp()).isEqualTo(50);
    assertThat(settings.runs()).isEqualTo(3);
    assertThat(settings.output()).isEqualTo(Path.of("target/open-orders-benchmark.json"));
    assertThat(settings.mostOpenOrders()).isEqualTo(10_000);
  }

  @Test
  void optionsOverrideEveryCountAndTheSeriesAreSorted() {
    OpenOrdersSettings settings = OpenOrdersSettings.parse(List.of("--open-orders", "5_000,0,100", "--placements", "20",
        "--warm-up", "0", "--runs", "1", "--out", "/tmp/o.json"));

    assertThat(settings.openOrders()).containsExactly(0, 100, 5_000);
    assertThat(settings).extracting(OpenOrdersSettings::placements, OpenOrdersSettings::warmUp, OpenOrdersSettings::runs)
        .containsExactly(20, 0, 1);
    assertThat(settings.output()).isEqualTo(Path.of("/tmp/o.json"));
  }

  @Test
  void theSeriesWithoutOpenOrdersIsAlwaysMeasuredSinceTheOthersAreReadAgainstIt() {
    assertThatThrownBy(() -> OpenOrdersSettings.parse(List.of("--open-orders", "1000,10000")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must include 0");
  }

  @Test
  void unknownOptionsMissingValuesAndBadNumbersAreRefused() {
    assertThatThrownBy(() -> OpenOrdersSettings.parse(List.of("--orders", "3"))).hasMessageContaining("usage");
    assertThatThrownBy(() -> OpenOrdersSettings.parse(List.of("--runs"))).hasMessageContaining("usage");
    assertThatThrownBy(() -> OpenOrdersSettings.parse(List.of("--runs", "three"))).hasMessageContaining("--runs");
    assertThatThrownBy(() -> OpenOrdersSettings.parse(List.of("--placements", "0"))).hasMessageContaining("at least 1");
  }
}
