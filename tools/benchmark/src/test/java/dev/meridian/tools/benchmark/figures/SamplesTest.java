package dev.meridian.tools.benchmark.figures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplesTest {

  @Test
  void medianIsTheMiddleOrTheMeanOfTheTwoMiddleValues() {
    assertThat(of(5, 1, 3).median()).isEqualTo(3);
    assertThat(of(4, 1, 3, 2).median()).isEqualTo(2.5);
  }

  @Test
  void percentilesAreNearestRank() {
    Samples s = new Samples();
    for (int i = 1; i <= 50; i++) {
      s.add(i);
    }
    assertThat(s.percentile(95)).isEqualTo(48);
    assertThat(s.percentile(100)).isEqualTo(50);
    assertThat(of(7).percentile(95)).isEqualTo(7);
  }

  @Test
  void summaryRoundsToATenthAndKeepsTheValues() {
    Map<String, Object> summary = of(1.04, 2.26, 3.0).summary();
    assertThat(summary).containsEntry("n", 3).containsEntry("median", 2.3).containsEntry("min", 1.0).containsEntry("max", 3.0);
    assertThat(summary.get("values")).asList().containsExactly(1.0, 2.3, 3.0);
  }

  @Test
  void noSamplesIsSaidNotInvented() {
    assertThat(new Samples().describe()).isEqualTo("no samples");
    assertThat(new Samples().summary()).containsEntry("n", 0).doesNotContainKey("median");
    assertThatThrownBy(() -> new Samples().median()).isInstanceOf(IllegalStateException.class);
  }

  private static Samples of(double... values) {
    Samples s = new Samples();
    for (double v : values) {
      s.add(v);
    }
    return s;
  }
}
