package dev.meridian.local.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesUpToTheCapAndResets() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    assertThat(b.current()).isZero();
    assertThat(b.next()).hasMillis(100);
    assertThat(b.next()).hasMillis(200);
    assertThat(b.next()).hasMillis(400);
    assertThat(b.next()).hasMillis(800);
    assertThat(b.next()).hasMillis(1600);
    assertThat(b.next()).hasMillis(2000);
    assertThat(b.next()).hasMillis(2000);
    b.reset();
    assertThat(b.next()).hasMillis(100);
  }
}
