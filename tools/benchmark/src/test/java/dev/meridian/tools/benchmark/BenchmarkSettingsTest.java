package dev.meridian.tools.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BenchmarkSettingsTest {

  @Test
  void defaultsAreFiveColdStartsAndAThousandWarmInvocations() {
    BenchmarkSettings settings = BenchmarkSettings.from(new Properties());

    assertThat(settings.coldStarts()).isEqualTo(5);
    assertThat(settings.warmInvocations()).isEqualTo(1000);
    assertThat(settings.warmUp()).isEqualTo(100);
    assertThat(settings.output()).isEqualTo(Path.of("target/cold-warm-benchmark.json"));
  }

  @Test
  void systemPropertiesOverrideEveryCount() {
    Properties p = new Properties();
    p.setProperty(BenchmarkSettings.COLD_STARTS, "3");
    p.setProperty(BenchmarkSettings.WARM_INVOCATIONS, "10_000");
    p.setProperty(BenchmarkSettings.WARM_UP, "0");
    p.setProperty(BenchmarkSettings.OUTPUT, "/tmp/out.json");

    BenchmarkSettings settings = BenchmarkSettings.from(p);

    assertThat(settings).isEqualTo(new BenchmarkSettings(3, 10_000, 0, Path.of("/tmp/out.json")));
  }

  @Test
  void refusesCountsThatWouldMeasureNothing() {
    Properties noCold = new Properties();
    noCold.setProperty(BenchmarkSettings.COLD_STARTS, "0");
    assertThatThrownBy(() -> BenchmarkSettings.from(noCold)).hasMessageContaining(BenchmarkSettings.COLD_STARTS);

    Properties notANumber = new Properties();
    notANumber.setProperty(BenchmarkSettings.WARM_INVOCATIONS, "many");
    assertThatThrownBy(() -> BenchmarkSettings.from(notANumber)).hasMessageContaining("'many'");
  }
}
