package dev.meridian.application.control;

import dev.meridian.domain.common.Validation;
import java.util.List;
import java.util.Optional;

/**
 * This region's place in the deployment, from configuration: its name, the mode, the configured
 * initial primary and standby (active-passive), every region of the deployment, and the standby
 * reserve's share of every restock.
 *
 * @param standbyReservePercent in active-passive mode, the share of every unit restocked that the
 *                              standby of the configured pair keeps for the day it is promoted
 */
public record Deployment(String region, DeploymentMode mode, String initialPrimary, String standby, List<String> regions,
    int standbyReservePercent) {
  public static final int MAX_STANDBY_RESERVE_PERCENT = 90;

  /** A deployment whose standby keeps no reserve. */
  public Deployment(String region, DeploymentMode mode, String initialPrimary, String standby, List<String> regions) {
    this(region, mode, initialPrimary, standby, regions, 0);
  }

  public Deployment {
    Validation v = Validation.start();
    v.region(region, "region");
    v.notNull(mode, "mode");
    v.region(initialPrimary, "initialPrimary");
    if (standby != null && !standby.isEmpty()) {
      v.region(standby, "standby");
    }
    regions = List.copyOf(regions);
    v.require(regions.contains(region), "regions", "must include this region " + region);
    v.range(standbyReservePercent, 0, MAX_STANDBY_RESERVE_PERCENT, "standbyReservePercent");
    v.orThrow();
  }

  /**
   * The region that keeps the standby reserve while {@code primary} is the primary: the other
   * region of the configured pair (after a promotion, the old primary becomes the standby), or the
   * configured standby when a region outside the pair was promoted. Empty when there is no reserve.
   */
  public Optional<String> reserveHolderWhile(String primary) {
    if (mode != DeploymentMode.ACTIVE_PASSIVE || standbyReservePercent == 0 || standby == null || standby.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(primary.equals(standby) ? initialPrimary : standby).filter(holder -> !holder.equals(primary));
  }

  public boolean knows(String otherRegion) {
    return regions.contains(otherRegion);
  }
}
