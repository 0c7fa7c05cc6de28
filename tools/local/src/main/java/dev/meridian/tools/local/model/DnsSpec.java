package dev.meridian.tools.local.model;

/**
 * The Route 53 side of one region's stack: the health check that probes the region's API and the
 * DNS record that uses it (what the local Route 53 stand-in imitates).
 *
 * @param healthCheck the health check
 * @param record      the record set that references the health check, or null if none does
 */
public record DnsSpec(HealthCheck healthCheck, RecordSet record) {

  /**
   * An {@code AWS::Route53::HealthCheck}'s {@code HealthCheckConfig}.
   *
   * @param type                     e.g. {@code HTTPS_STR_MATCH}
   * @param fullyQualifiedDomainName the probed host (the region's execute-api host, with the
   *                                 resolver's placeholder API id)
   * @param searchString             the text the response body must contain, or null
   * @param requestIntervalSeconds   10 or 30 (the Route 53 default)
   * @param failureThreshold         consecutive failures (and successes) that flip the status
   */
  public record HealthCheck(String logicalId, String type, String fullyQualifiedDomainName, int port,
      String resourcePath, String searchString, int requestIntervalSeconds, int failureThreshold) {}

  /** How a record set routes. */
  public enum RoutingKind { SIMPLE, LATENCY, FAILOVER, WEIGHTED }

  /**
   * An {@code AWS::Route53::RecordSet}.
   *
   * @param failover      {@code PRIMARY} or {@code SECONDARY} for a failover record, else null
   * @param latencyRegion the {@code Region} of a latency record, else null
   */
  public record RecordSet(String logicalId, RoutingKind kind, String name, String setIdentifier,
      String failover, String latencyRegion, String healthCheckLogicalId) {}
}
