package dev.meridian.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.application.health.HealthPolicy;
import dev.meridian.domain.common.ValidationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthSettingsTest {
  @Test
  void policyReadsTheEnvironmentWithDefaults() {
    assertThat(HealthSettings.from(Map.of())).isEqualTo(HealthPolicy.defaults());
    HealthPolicy local = HealthSettings.from(Map.of(HealthSettings.HEARTBEAT_INTERVAL_MS, "600",
        HealthSettings.CHECK_TIMEOUT_MS, "500", HealthSettings.DEADLINE_MS, "700"));
    assertThat(local.heartbeatInterval()).isEqualTo(Duration.ofMillis(600));
    assertThat(local.heartbeatSlack()).isEqualTo(Duration.ofMillis(150));
    assertThat(HealthSettings.from(Map.of(HealthSettings.HEARTBEAT_SLACK_MS, "5000")).heartbeatSlack())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(local.checkTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThatThrownBy(() -> HealthSettings.from(Map.of(HealthSettings.DEADLINE_MS, "2500")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("deadline");
    assertThatThrownBy(() -> HealthSettings.from(Map.of(HealthSettings.HEARTBEAT_INTERVAL_MS, "soon")))
        .isInstanceOf(ValidationException.class).hasMessageContaining(HealthSettings.HEARTBEAT_INTERVAL_MS);
  }
}
