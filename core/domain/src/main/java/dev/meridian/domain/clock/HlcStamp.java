package dev.meridian.domain.clock;

import dev.meridian.domain.common.Validation;
import dev.meridian.domain.common.ValidationException;

/**
 * A hybrid logical clock timestamp: physical milliseconds, a logical counter, and the region
 * that issued it. Stamps are totally ordered by (physical, counter, region), so two stamps
 * issued by different regions are never equal and last-writer-wins is deterministic.
 *
 * <p>{@link #encode()} is fixed-width so that encoded stamps sort lexicographically in the same
 * order as {@link #compareTo} (used as DynamoDB sort keys and in event envelopes).
 */
public record HlcStamp(long physicalMillis, int counter, String region) implements Comparable<HlcStamp> {
  /** Encoded width of the physical part: enough for any millisecond timestamp until year 5138. */
  private static final int PHYSICAL_DIGITS = 14;
  private static final int COUNTER_DIGITS = 6;
  public static final int MAX_COUNTER = 999_999;

  public HlcStamp {
    Validation v = Validation.start();
    v.range(physicalMillis, 0, 99_999_999_999_999L, "physicalMillis");
    v.range(counter, 0, MAX_COUNTER, "counter");
    v.region(region, "region");
    v.orThrow();
  }

  @Override
  public int compareTo(HlcStamp o) {
    int c = Long.compare(physicalMillis, o.physicalMillis);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(counter, o.counter);
    return c != 0 ? c : region.compareTo(o.region);
  }

  public boolean isAfter(HlcStamp other) {
    return compareTo(other) > 0;
  }

  public static HlcStamp max(HlcStamp a, HlcStamp b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  public static HlcStamp min(HlcStamp a, HlcStamp b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** {@code 00001732600000000-000000-us-east-1}: sortable, human-readable, reversible. */
  public String encode() {
    return String.format("%0" + PHYSICAL_DIGITS + "d-%0" + COUNTER_DIGITS + "d-%s", physicalMillis, counter, region);
  }

  /** Parses {@link #encode()}'s format; anything else is a {@link ValidationException}. */
  public static HlcStamp decode(String encoded) {
    if (encoded == null || encoded.length() < PHYSICAL_DIGITS + COUNTER_DIGITS + 3
        || encoded.charAt(PHYSICAL_DIGITS) != '-' || encoded.charAt(PHYSICAL_DIGITS + COUNTER_DIGITS + 1) != '-') {
      throw ValidationException.of("stamp", "is not an encoded clock stamp");
    }
    try {
      long physical = Long.parseLong(encoded.substring(0, PHYSICAL_DIGITS));
      int counter = Integer.parseInt(encoded.substring(PHYSICAL_DIGITS + 1, PHYSICAL_DIGITS + COUNTER_DIGITS + 1));
      return new HlcStamp(physical, counter, encoded.substring(PHYSICAL_DIGITS + COUNTER_DIGITS + 2));
    } catch (NumberFormatException e) {
      throw ValidationException.of("stamp", "is not an encoded clock stamp");
    }
  }

  @Override
  public String toString() {
    return encode();
  }
}
