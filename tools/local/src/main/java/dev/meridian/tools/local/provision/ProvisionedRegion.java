package dev.meridian.tools.local.provision;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Provisioner} created in one region of moto, with the real (moto) values.
 *
 * @param tableName            the (first) table replica's name, or null if the region has none
 * @param tableStreamArn       its stream ARN (with moto's real label), or null
 * @param tableStreamArns      every table's stream ARN by table name
 * @param queueUrls            moto queue URLs ({@code http://127.0.0.1:<port>/123456789012/<name>})
 *                             by queue logical id
 * @param queueArns            queue ARNs by logical id
 * @param busArns              event bus ARNs by logical id
 * @param forwardingTargets    rule targets that are event buses: NOT given to moto (moto would
 *                             forward inside PutEvents, so a partition could not cut the link);
 *                             the local stack runs these links itself
 * @param functionEnvironments each function's environment variables by function logical id, with
 *                             the resolver's AWS-shaped queue URLs and placeholder stream ARNs
 *                             replaced by the real ones
 */
public record ProvisionedRegion(String region, String tableName, String tableStreamArn,
    Map<String, String> tableStreamArns, Map<String, String> queueUrls, Map<String, String> queueArns,
    Map<String, String> busArns, List<ForwardingTarget> forwardingTargets,
    Map<String, Map<String, String>> functionEnvironments) {

  /**
   * A rule target on another region's (or this region's) event bus, for the local stack's own
   * forwarding link: events put on {@code sourceBusName} in {@code fromRegion} that match
   * {@code eventPatternJson} go to {@code targetBusName} in {@code targetRegion}.
   */
  public record ForwardingTarget(String fromRegion, String sourceBusName, String ruleLogicalId, String ruleName,
      String targetId, String targetRegion, String targetBusName, String eventPatternJson) {}

  public ProvisionedRegion {
    tableStreamArns = unmodifiable(tableStreamArns);
    queueUrls = unmodifiable(queueUrls);
    queueArns = unmodifiable(queueArns);
    busArns = unmodifiable(busArns);
    forwardingTargets = List.copyOf(forwardingTargets);
    Map<String, Map<String, String>> environments = new LinkedHashMap<>();
    functionEnvironments.forEach((k, v) -> environments.put(k, unmodifiable(v)));
    functionEnvironments = Collections.unmodifiableMap(environments);
  }

  /** The moto URL of a queue, by logical id. */
  public String queueUrl(String logicalId) {
    String url = queueUrls.get(logicalId);
    if (url == null) {
      throw new IllegalArgumentException("no queue " + logicalId + " in " + region + ": " + queueUrls.keySet());
    }
    return url;
  }

  /** A function's environment, by logical id. */
  public Map<String, String> functionEnvironment(String logicalId) {
    Map<String, String> environment = functionEnvironments.get(logicalId);
    if (environment == null) {
      throw new IllegalArgumentException("no function " + logicalId + " in " + region);
    }
    return environment;
  }

  private static <K, V> Map<K, V> unmodifiable(Map<K, V> map) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
