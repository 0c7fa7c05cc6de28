package dev.meridian.domain.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.domain.common.ValidationException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class HybridLogicalClockTest {
  private final AtomicLong wall = new AtomicLong(1_000_000);
  private final HybridLogicalClock clock = new HybridLogicalClock("eu-west-1", wall::get, Duration.ofSeconds(60));

  @Test
  void stampsIncreaseEvenWhenTheWallClockStandsStillOrStepsBack() {
    HlcStamp first = clock.now();
    HlcStamp second = clock.now();
    wall.addAndGet(-5_000); // NTP step backwards
    HlcStamp third = clock.now();
    assertThat(second).isGreaterThan(first);
    assertThat(third).isGreaterThan(second);
    assertThat(third.physicalMillis()).isEqualTo(first.physicalMillis());
  }

  @Test
  void aWriteAfterAReadIsOrderedAfterItWhateverTheWallClocksSay() {
    HlcStamp remoteAhead = new HlcStamp(wall.get() + 30_000, 7, "us-east-1");
    HlcStamp mine = clock.after(remoteAhead);
    assertThat(mine).isGreaterThan(remoteAhead);
    assertThat(mine.region()).isEqualTo("eu-west-1");
  }

  @Test
  void stampsBeyondTheToleratedSkewAreRefused() {
    HlcStamp runaway = new HlcStamp(wall.get() + 61_000, 0, "us-east-1");
    assertThatThrownBy(() -> clock.observe(runaway)).isInstanceOf(ClockSkewException.class)
        .hasMessageContaining("61000 ms ahead");
  }

  @Test
  void regionBreaksTiesSoStampsFromDifferentRegionsNeverCompareEqual() {
    HlcStamp a = new HlcStamp(5, 1, "eu-west-1");
    HlcStamp b = new HlcStamp(5, 1, "us-east-1");
    assertThat(a).isLessThan(b);
    assertThat(a.compareTo(b)).isEqualTo(-b.compareTo(a));
  }

  @Property
  void encodingRoundTripsAndSortsLikeTheStamps(
      @ForAll @LongRange(max = 99_999_999_999_999L) long p1, @ForAll @IntRange(max = 999_999) int c1,
      @ForAll @LongRange(max = 99_999_999_999_999L) long p2, @ForAll @IntRange(max = 999_999) int c2,
      @ForAll boolean sameRegion) {
    HlcStamp a = new HlcStamp(p1, c1, "eu-west-1");
    HlcStamp b = new HlcStamp(p2, c2, sameRegion ? "eu-west-1" : "ap-southeast-1");
    assertThat(HlcStamp.decode(a.encode())).isEqualTo(a);
    assertThat(Integer.signum(a.encode().compareTo(b.encode()))).isEqualTo(Integer.signum(a.compareTo(b)));
  }

  @Test
  void malformedEncodingsAreValidationErrors() {
    assertThatThrownBy(() -> HlcStamp.decode("yesterday")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> HlcStamp.decode("0000000000000x-000000-eu-west-1")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> HlcStamp.decode("00000000000001-000000-mars")).isInstanceOf(ValidationException.class);
  }
}
