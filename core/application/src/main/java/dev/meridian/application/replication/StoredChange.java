package dev.meridian.application.replication;

import java.util.Objects;

/**
 * An entity's new state as this region's table stream reported it.
 *
 * @param position     the stream record's sequence number (what a partial batch failure names)
 * @param originRegion the item's {@code originRegion}: the region whose write it is
 * @param version      the item's {@code version}
 */
public record StoredChange(String position, String originRegion, long version, Change change) {
  public StoredChange {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(originRegion, "originRegion");
    Objects.requireNonNull(change, "change");
  }
}
