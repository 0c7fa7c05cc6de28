package dev.meridian.adapter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void nextDoublesUpToTheCapAndResets() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 1);
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

  @Test
  void jitterStaysUnderTheAttemptsCeiling() {
    Backoff b = new Backoff(Backoff.TRANSACTION_INITIAL, Backoff.TRANSACTION_MAX, 7);
    assertThat(b.ceiling(1)).hasMillis(10);
    assertThat(b.ceiling(4)).hasMillis(80);
    assertThat(b.ceiling(60)).hasMillis(640);
    for (int attempt = 1; attempt <= 10; attempt++) {
      for (int draw = 0; draw < 200; draw++) {
        assertThat(b.jittered(attempt)).isBetween(Duration.ofMillis(1), b.ceiling(attempt));
      }
    }
  }

  @Test
  void reseededInstancesFromOneSnapshotDrawDifferentJitter() {
    // Two environments restored from one snapshot hold the same seed; reseeding is what separates them.
    Backoff first = new Backoff(Backoff.TRANSACTION_INITIAL, Backoff.TRANSACTION_MAX, 42);
    Backoff second = new Backoff(Backoff.TRANSACTION_INITIAL, Backoff.TRANSACTION_MAX, 42);
    assertThat(draws(first)).isEqualTo(draws(second));

    first.reseed(1);
    second.reseed(2);

    assertThat(draws(first)).isNotEqualTo(draws(second));
  }

  @Test
  void twoEnvironmentsRestoredFromOneSnapshotDrawDifferentJitterAfterRestore() {
    // One seed = one snapshot: before the hook runs both would retry in step.
    Backoff first = Backoff.transactions(42);
    Backoff second = Backoff.transactions(42);

    first.afterRestore();
    second.afterRestore();

    assertThat(draws(first)).isNotEqualTo(draws(second));
  }

  private static List<Long> draws(Backoff backoff) {
    List<Long> draws = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      draws.add(backoff.jittered(7).toMillis());
    }
    return draws;
  }
}
