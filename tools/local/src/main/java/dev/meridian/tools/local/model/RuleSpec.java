package dev.meridian.tools.local.model;

import java.util.List;

/**
 * An EventBridge rule on a bus, with its event pattern (JSON, intrinsics resolved) and targets.
 * A target is either a resource in this region (a queue, by logical id) or another region's bus
 * (by ARN): the local stack turns the latter into a partitionable cross-region link.
 *
 * @param eventPatternJson the pattern, or null for a rule without one (schedule rules)
 * @param name             the rule's physical name (the template's {@code Name}, else generated
 *                         as CloudFormation does: {@code <stack>-<LogicalId>-<SUFFIX>}); null when
 *                         built with the short constructor
 * @param enabled          {@code State: ENABLED} (the default)
 */
public record RuleSpec(String logicalId, String busName, String eventPatternJson, List<Target> targets,
    String name, boolean enabled) {

  /**
   * One target of a rule.
   *
   * @param queueLogicalId the target queue in this region, or null
   * @param busRegion      the target bus's region when it is ANOTHER region's bus, else null
   * @param busName        the target bus's name when the target is a bus (any region), else null
   */
  public record Target(String id, String arn, String queueLogicalId, String busRegion, String busName) {
    public boolean isCrossRegionBus() {
      return busRegion != null;
    }
  }

  public RuleSpec {
    targets = List.copyOf(targets);
  }

  /** The original shape: no physical name, enabled. */
  public RuleSpec(String logicalId, String busName, String eventPatternJson, List<Target> targets) {
    this(logicalId, busName, eventPatternJson, targets, null, true);
  }
}
