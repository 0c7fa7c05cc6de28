package dev.meridian.tools.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Burst, then the steady rate. */
class TokenBucketTest {

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Test
  void aFullBucketAllowsTheBurstThenRefillsAtTheRate() {
    TokenBucket bucket = new TokenBucket(10, 5, nanos::get);
    for (int i = 0; i < 5; i++) {
      assertThat(bucket.tryAcquire()).as("request %d of the burst", i + 1).isTrue();
    }
    assertThat(bucket.tryAcquire()).isFalse();
    nanos.addAndGet(99_000_000L); // 99 ms at 10/s: 0.99 token
    assertThat(bucket.tryAcquire()).isFalse();
    nanos.addAndGet(2_000_000L);
    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isFalse();
  }

  @Test
  void refillNeverExceedsTheBurst() {
    TokenBucket bucket = new TokenBucket(100, 3, nanos::get);
    nanos.addAndGet(60_000_000_000L);
    assertThat(bucket.available()).isEqualTo(3.0);
    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isTrue();
    assertThat(bucket.tryAcquire()).isFalse();
  }

  @Test
  void fractionalRates() {
    TokenBucket bucket = new TokenBucket(0.5, 1, nanos::get);
    assertThat(bucket.tryAcquire()).isTrue();
    nanos.addAndGet(1_900_000_000L);
    assertThat(bucket.tryAcquire()).isFalse();
    nanos.addAndGet(100_000_000L);
    assertThat(bucket.tryAcquire()).isTrue();
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new TokenBucket(0, 1, nanos::get)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(1, 0, nanos::get)).isInstanceOf(IllegalArgumentException.class);
  }
}
