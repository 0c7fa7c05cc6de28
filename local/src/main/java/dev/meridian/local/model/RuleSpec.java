package dev.meridian.local.model;

import java.util.List;

/**
 * An EventBridge rule on a bus, with its event pattern (JSON, intrinsics resolved) and targets.
 * A target is either a resource in this region (a queue, by logical id) or another region's bus
 * (by ARN): the local stack turns the latter into a partitionable cross-region link.
 */
public record RuleSpec(String logicalId, String busName, String eventPatternJson, List<Target> targets) {

  /** One target of a rule. */
  public record Target(String id, String arn, String queueLogicalId, String busRegion, String busName) {
    public boolean isCrossRegionBus() {
      return busRegion != null;
    }
  }

  public RuleSpec {
    targets = List.copyOf(targets);
  }
}
