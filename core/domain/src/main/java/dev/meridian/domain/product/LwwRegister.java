package dev.meridian.domain.product;

import dev.meridian.domain.clock.HlcStamp;
import java.util.Collections;
import java.util.Comparator;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A last-writer-wins register: a value, the stamp of the write that set it, and the stamps of
 * the writes of this field that the value's history knowingly replaced ({@code superseded}: the
 * value this write overwrote, what that value had superseded, and every write that lost to it in
 * a merge), all older than {@code stamp}.
 *
 * <p>{@code superseded} is what lets a merge tell a conflict from a plain sequence: the later of
 * two writes saw the earlier one exactly when the earlier one's stamp is among the later one's
 * superseded writes; otherwise neither saw the other, and the merge records a conflict. The stamp
 * of the replaced value alone is not enough: a region that edited a field twice in a row would
 * hide another region's concurrent edit made before its second edit's predecessor, and that edit
 * would vanish unrecorded.
 *
 * <p>The history is bounded: only the {@value #KNOWN_WRITES} newest superseded stamps are kept,
 * and a write older than all of them counts as seen. A concurrent write therefore goes
 * unrecorded only if it arrives after more than {@value #KNOWN_WRITES} later writes of the same
 * field were made without it.
 */
public record LwwRegister<T>(T value, HlcStamp stamp, SortedSet<HlcStamp> superseded) {
  public static final int KNOWN_WRITES = 32;

  public LwwRegister {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(stamp, "stamp");
    superseded = Collections.unmodifiableSortedSet(new TreeSet<>(superseded));
    if (superseded.size() > KNOWN_WRITES) {
      throw new IllegalArgumentException("a register keeps at most " + KNOWN_WRITES + " superseded writes");
    }
    if (!superseded.isEmpty() && superseded.last().compareTo(stamp) >= 0) {
      throw new IllegalArgumentException("a write must be stamped after the writes it superseded");
    }
  }

  public static <T> LwwRegister<T> initial(T value, HlcStamp stamp) {
    return new LwwRegister<>(value, stamp, new TreeSet<>());
  }

  /** This register after a local write; an unchanged value keeps its stamp (no spurious conflicts). */
  public LwwRegister<T> write(T newValue, HlcStamp at) {
    if (value.equals(newValue)) {
      return this;
    }
    SortedSet<HlcStamp> replaced = new TreeSet<>(superseded);
    replaced.add(stamp);
    return new LwwRegister<>(newValue, at, newest(replaced));
  }

  /**
   * The register with the greater stamp, having superseded everything either side had and the
   * losing write itself. Stamps are unique per write (the clock issues each once, regions break
   * ties), so equal stamps mean the same write; the value comparison only keeps the function
   * total if a caller ever breaks that rule.
   */
  public LwwRegister<T> merge(LwwRegister<T> other, Comparator<? super T> tieBreak) {
    LwwRegister<T> winner = winner(other, tieBreak);
    LwwRegister<T> loser = winner == this ? other : this;
    SortedSet<HlcStamp> known = new TreeSet<>(superseded);
    known.addAll(other.superseded);
    if (!loser.stamp.equals(winner.stamp)) {
      known.add(loser.stamp);
    }
    known = newest(known);
    return known.equals(winner.superseded) ? winner : new LwwRegister<>(winner.value, winner.stamp, known);
  }

  private LwwRegister<T> winner(LwwRegister<T> other, Comparator<? super T> tieBreak) {
    int c = stamp.compareTo(other.stamp);
    if (c != 0) {
      return c > 0 ? this : other;
    }
    return tieBreak.compare(value, other.value) >= 0 ? this : other;
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
    return !later.saw(earlier.stamp);
  }

  private boolean saw(HlcStamp write) {
    return superseded.contains(write) || superseded.size() == KNOWN_WRITES && write.compareTo(superseded.first()) < 0;
  }

  private static SortedSet<HlcStamp> newest(SortedSet<HlcStamp> stamps) {
    TreeSet<HlcStamp> kept = new TreeSet<>(stamps);
    while (kept.size() > KNOWN_WRITES) {
      kept.pollFirst();
    }
    return kept;
  }
}
