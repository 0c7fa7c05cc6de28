package dev.meridian.domain.order;

import dev.meridian.domain.clock.HlcStamp;
import java.util.Comparator;
import java.util.Objects;

/** An order's status with the stamp of the change that set it; merged by maximum precedence. */
public record StatusEntry(OrderStatus status, HlcStamp stamp) {
  static final Comparator<StatusEntry> PRECEDENCE = Comparator
      .comparing(StatusEntry::status)
      .thenComparing(StatusEntry::stamp);

  public StatusEntry {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(stamp, "stamp");
  }

  StatusEntry merge(StatusEntry other) {
    return PRECEDENCE.compare(this, other) >= 0 ? this : other;
  }
}
