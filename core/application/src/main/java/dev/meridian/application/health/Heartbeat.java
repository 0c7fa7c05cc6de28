package dev.meridian.application.health;

import dev.meridian.domain.common.Validation;
import java.time.Duration;
import java.time.Instant;

/**
 * One region's liveness mark in the global table: written by that region's scheduled heartbeat,
 * replicated to every peer. Each region writes only its own item, so replicas never race.
 *
 * @param region   the region that wrote it
 * @param at       the writer's wall clock when it wrote the item
 * @param interval the writer's schedule interval, so readers judge its age against the writer's
 *                 own cadence (the local stack runs heartbeats faster than AWS's one minute)
 */
public record Heartbeat(String region, Instant at, Duration interval) {
  public Heartbeat {
    Validation v = Validation.start();
    v.region(region, "region");
    v.notNull(at, "at");
    if (v.notNull(interval, "interval")) {
      v.require(!interval.isNegative() && !interval.isZero(), "interval", "must be positive");
    }
    v.orThrow();
  }
}
