package dev.meridian.tools.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

  private static List<Long> millis(long... values) {
    return LongStream.of(values).map(v -> v * 1_000_000).boxed().toList();
  }

  @Test
  void theMedianOfAnOddCountIsTheMiddleSampleWhateverTheOrder() {
    assertThat(LatencyStats.of(millis(900, 100, 300, 500, 700)).medianMillis()).isEqualTo(500.0);
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleSamples() {
    assertThat(LatencyStats.of(millis(4, 1, 3, 2)).medianMillis()).isEqualTo(2.5);
  }

  @Test
  void p99OfAThousandSamplesIsThe990thSmallest() {
    List<Long> samples = new ArrayList<>();
    for (long i = 1; i <= 1000; i++) {
      samples.add(i * 1_000_000);
    }
    Collections.shuffle(samples, new java.util.Random(7));

    LatencyStats stats = LatencyStats.of(samples);

    assertThat(stats.percentileMillis(99)).isEqualTo(990.0);
    assertThat(stats.percentileMillis(50)).isEqualTo(500.0);
    assertThat(stats.percentileMillis(100)).isEqualTo(1000.0);
    assertThat(stats.percentileMillis(0.01)).isEqualTo(1.0);
    assertThat(stats.count()).isEqualTo(1000);
  }

  @Test
  void aPercentileIsAlwaysASampleThatOccurred() {
    LatencyStats stats = LatencyStats.of(millis(10, 20, 1000));

    assertThat(stats.percentileMillis(99)).isEqualTo(1000.0);
    assertThat(stats.percentileMillis(50)).isEqualTo(20.0);
    assertThat(stats.percentileMillis(33)).isEqualTo(10.0);
  }

  @Test
  void sequentialThroughputIsTheCountOverTheTimeSpentWaiting() {
    // 4 invocations of 250 ms each: one client gets 4 per second.
    assertThat(LatencyStats.of(millis(250, 250, 250, 250)).sequentialThroughputPerSecond()).isCloseTo(4.0, within(1e-9));
  }

  @Test
  void minMaxAndMean() {
    LatencyStats stats = LatencyStats.of(millis(3, 1, 2));

    assertThat(stats.minMillis()).isEqualTo(1.0);
    assertThat(stats.maxMillis()).isEqualTo(3.0);
    assertThat(stats.meanMillis()).isEqualTo(2.0);
  }

  @Test
  void refusesNoSamplesNegativeSamplesAndPercentilesOutOfRange() {
    assertThatThrownBy(() -> LatencyStats.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LatencyStats.of(List.of(-1L))).isInstanceOf(IllegalArgumentException.class);
    LatencyStats stats = LatencyStats.of(millis(1));
    assertThatThrownBy(() -> stats.percentileMillis(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> stats.percentileMillis(100.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
