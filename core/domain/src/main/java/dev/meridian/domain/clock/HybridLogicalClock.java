package dev.meridian.domain.clock;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A hybrid logical clock (Kulkarni et al., 2014) for one region.
 *
 * <p>Guarantees: every stamp it issues is greater than every stamp it issued or observed
 * before, so a write that follows another causally (a region read the state, then wrote) always
 * wins last-writer-wins against it, whatever the wall clocks say. Between concurrent writes,
 * the wall clock decides, then the counter, then the region name.
 *
 * <p>Tolerated skew: {@link #observe} refuses a stamp more than {@code maxSkew} ahead of this
 * region's wall clock ({@link #DEFAULT_MAX_SKEW}, one minute). Within that bound the physical part
 * of every stamp stays within {@code maxSkew} of real time, and a concurrent write can win
 * against a write made up to {@code maxSkew} later in real time only if its region's clock ran
 * that far ahead. NTP-synchronised hosts (AWS Time Sync) stay within milliseconds; beyond the
 * bound a region's events are refused rather than allowed to win every future conflict.
 */
public final class HybridLogicalClock {
  public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(1);

  private final String region;
  private final LongSupplier wallClockMillis;
  private final long maxSkewMillis;
  private long physical;
  private int counter;

  public HybridLogicalClock(String region, LongSupplier wallClockMillis, Duration maxSkew) {
    this.region = Objects.requireNonNull(region, "region");
    this.wallClockMillis = Objects.requireNonNull(wallClockMillis, "wallClockMillis");
    this.maxSkewMillis = maxSkew.toMillis();
    new HlcStamp(0, 0, region); // validates the region name once
  }

  public static HybridLogicalClock system(String region) {
    return new HybridLogicalClock(region, System::currentTimeMillis, DEFAULT_MAX_SKEW);
  }

  public String region() {
    return region;
  }

  /** A fresh stamp, greater than any stamp issued or observed so far. */
  public synchronized HlcStamp now() {
    long wall = wallClockMillis.getAsLong();
    if (wall > physical) {
      physical = wall;
      counter = 0;
    } else {
      advanceCounter();
    }
    return new HlcStamp(physical, counter, region);
  }

  /**
   * A fresh stamp greater than {@code seen} as well: use it when writing over a state that
   * carries {@code seen}, so the write is ordered after what it read.
   *
   * @throws ClockSkewException when {@code seen} is beyond the tolerated skew
   */
  public synchronized HlcStamp after(HlcStamp seen) {
    observe(seen);
    return now();
  }

  /**
   * Advances this clock past a stamp from elsewhere.
   *
   * @throws ClockSkewException when the stamp is more than the tolerated skew ahead of the wall clock
   */
  public synchronized void observe(HlcStamp remote) {
    long wall = wallClockMillis.getAsLong();
    if (remote.physicalMillis() - wall > maxSkewMillis) {
      throw new ClockSkewException(remote, wall, maxSkewMillis);
    }
    if (remote.physicalMillis() > physical) {
      physical = remote.physicalMillis();
      counter = remote.counter();
    } else if (remote.physicalMillis() == physical && remote.counter() > counter) {
      counter = remote.counter();
    }
  }

  private void advanceCounter() {
    if (counter == HlcStamp.MAX_COUNTER) {
      // A million stamps in one millisecond: borrow the next millisecond rather than overflow.
      physical++;
      counter = 0;
    } else {
      counter++;
    }
  }
}
