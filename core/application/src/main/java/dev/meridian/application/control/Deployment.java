package dev.meridian.application.control;

import dev.meridian.domain.common.Validation;
import java.util.List;

/**
 * This region's place in the deployment, from configuration: its name, the mode, the configured
 * initial primary and standby (active-passive), and every region of the deployment.
 */
public record Deployment(String region, DeploymentMode mode, String initialPrimary, String standby, List<String> regions) {
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
    v.orThrow();
  }

  public boolean knows(String otherRegion) {
    return regions.contains(otherRegion);
  }
}
