package dev.meridian.tools.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.tools.local.client.DnsCache.Resolution;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a drill runs against: the local stack (its endpoints file and control API) or a deployed
 * Meridian (the global name, every region's API URL, a token command, the admin routes).
 */
interface Target extends AutoCloseable {

  /** How a client in one location reaches the service: DNS-like answers it may cache for their TTL. */
  @FunctionalInterface
  interface Resolver {
    Resolution resolve() throws Exception;
  }

  String describe();

  /** {@code active-active} or {@code active-passive}. */
  String mode();

  /** The local stack's time factor; 1 for a deployed domain. */
  double timeFactor();

  /** The regions in deployment order, the home region first. */
  List<String> regions();

  URI regionUrl(String region);

  /** A new resolver for a client in {@code location} (each client caches on its own). */
  Resolver resolver(String location);

  /** A bearer token for {@code sub}, with the admin scope when asked. */
  String token(String sub, boolean admin);

  /** The failure verbs of the local stack's control API: fail, recover, partition, heal. */
  boolean injectsFailures();

  /** What {@link Runnability} judges a scenario against. */
  default Runnability.Kind kind() {
    return injectsFailures() ? Runnability.Kind.LOCAL : Runnability.Kind.AWS;
  }

  /**
   * Starts or stops an FIS experiment template of {@code deploy/faults.yaml} on one region.
   *
   * @return facts for the result's {@code experiments} entry (the actions run, an experiment's id and state)
   */
  Map<String, Object> experiment(String experiment, String region, boolean start) throws Exception;

  /** Runs one control verb ({@code /regions/eu-west-1/fail?mode=refuse}); local stack only. */
  JsonNode control(String path) throws Exception;

  /** The local stack's status (replication and event-link backlogs, function counters), if any. */
  Optional<JsonNode> status() throws Exception;

  /** The table's replicas, for the incident audit that ends every drill. */
  Audit.Replicas replicas();

  /** Facts for the result's {@code target} section. */
  Map<String, Object> facts();

  @Override
  void close();
}
