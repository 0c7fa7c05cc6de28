package dev.meridian.domain.product;

import dev.meridian.domain.clock.HlcStamp;
import java.util.Comparator;
import java.util.Objects;

/**
 * A last-writer-wins register: a value, the stamp of the write that set it, and the stamp of the
 * value that write replaced ({@code basedOn}, null for the first write).
 *
 * <p>{@code basedOn} is what lets a merge tell a conflict from a plain sequence: a write that
 * was based on the other side's stamp (or later) saw it, so it is an ordinary update; two writes
 * neither of which saw the other are concurrent, and the merge records a conflict.
 */
public record LwwRegister<T>(T value, HlcStamp stamp, HlcStamp basedOn) {
  public LwwRegister {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(stamp, "stamp");
    if (basedOn != null && basedOn.compareTo(stamp) >= 0) {
      throw new IllegalArgumentException("a write must be stamped after the value it replaced");
    }
  }

  public static <T> LwwRegister<T> initial(T value, HlcStamp stamp) {
    return new LwwRegister<>(value, stamp, null);
  }

  /** This register after a local write; an unchanged value keeps its stamp (no spurious conflicts). */
  public LwwRegister<T> write(T newValue, HlcStamp at) {
    if (value.equals(newValue)) {
      return this;
    }
    return new LwwRegister<>(newValue, at, stamp);
  }

  /**
   * The register with the greater stamp. Stamps are unique per write (the clock issues each
   * once, regions break ties), so equal stamps mean the same write; the value comparison only
   * keeps the function total if a caller ever breaks that rule.
   */
  public LwwRegister<T> merge(LwwRegister<T> other, Comparator<? super T> tieBreak) {
    int c = stamp.compareTo(other.stamp);
    if (c != 0) {
      return c > 0 ? this : other;
    }
    int v = tieBreak.compare(value, other.value);
    if (v != 0) {
      return v > 0 ? this : other;
    }
    if (Objects.equals(basedOn, other.basedOn)) {
      return this;
    }
    return basedOn == null ? this : other.basedOn == null ? other : (basedOn.compareTo(other.basedOn) >= 0 ? this : other);
  }

  /** True when merging {@code other} into this register changes nothing. */
  public boolean contains(LwwRegister<T> other, Comparator<? super T> tieBreak) {
    return merge(other, tieBreak).equals(this);
  }

  /** Neither write saw the other and they disagree. */
  public boolean concurrentWith(LwwRegister<T> other) {
    if (stamp.equals(other.stamp) || value.equals(other.value)) {
      return false;
    }
    LwwRegister<T> later = stamp.compareTo(other.stamp) > 0 ? this : other;
    LwwRegister<T> earlier = later == this ? other : this;
    return later.basedOn == null || later.basedOn.compareTo(earlier.stamp) < 0;
  }
}
