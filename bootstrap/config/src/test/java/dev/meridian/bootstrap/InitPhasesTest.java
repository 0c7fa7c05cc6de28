package dev.meridian.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InitPhasesTest {
  @Test
  void theLineNamesEveryPhaseInTheOrderMeasuredWithItsMilliseconds() {
    InitPhases phases = InitPhases.begin();
    String wired = phases.time("sdk_clients_and_wiring_ms", () -> "wiring");
    phases.time("spring_context_ms", () -> {
      long until = System.nanoTime() + 20_000_000;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      return null;
    });

    assertThat(wired).isEqualTo("wiring");
    assertThat(phases.millis()).containsKeys(InitPhases.JVM_START, InitPhases.LOGGING)
        .containsKeys("sdk_clients_and_wiring_ms", "spring_context_ms");
    assertThat(phases.millis().get("spring_context_ms")).isGreaterThanOrEqualTo(20);
    assertThat(phases.line()).matches("init phases jvm_start_ms=\\d+ logging_ms=\\d+ sdk_clients_and_wiring_ms=\\d+ "
        + "spring_context_ms=\\d+");
  }
}
