package dev.meridian.application.replication;

import dev.meridian.domain.clock.HlcStamp;
import java.util.Objects;

/**
 * One change of one entity, as published to the region's bus and consumed by every peer's
 * reconciler (the {@code detail} of the EventBridge event; see {@code events/schemas/}).
 *
 * @param schemaVersion the envelope version; consumers reject versions they do not know and
 *                      ignore fields they do not know
 * @param eventId       immutable across forwarding (EventBridge's own id and {@code region}
 *                      change when a rule forwards an event): derived from origin, entity, key
 *                      and version, so a republished change has the same id
 * @param originRegion  the region whose write this is
 * @param version       the item's {@code version} after the write
 * @param clock         the newest clock stamp of the state, or the publisher's clock for
 *                      unstamped entities; the basis of the end-to-end lag metric
 * @param change        the entity's full new state
 */
public record ChangeEvent(int schemaVersion, String eventId, String originRegion, long version, HlcStamp clock,
    Change change) {

  public static final int SCHEMA_VERSION = 1;

  public ChangeEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(originRegion, "originRegion");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(change, "change");
  }

  public static ChangeEvent of(String originRegion, long version, HlcStamp clock, Change change) {
    return new ChangeEvent(SCHEMA_VERSION, eventIdOf(originRegion, change.entity(), change.key(), version),
        originRegion, version, clock, change);
  }

  public static String eventIdOf(String originRegion, String entity, String key, long version) {
    return originRegion + "/" + entity + "/" + key + "/" + version;
  }

  public String entity() {
    return change.entity();
  }

  public String key() {
    return change.key();
  }
}
