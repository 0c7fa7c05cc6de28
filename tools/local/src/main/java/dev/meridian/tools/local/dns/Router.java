package dev.meridian.tools.local.dns;

import dev.meridian.tools.local.model.DnsSpec;
import dev.meridian.tools.local.replication.RegionLatency;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Route 53's answer for one query, from the record sets alone (no sockets, no clocks).
 *
 * <ul>
 *   <li><b>active-active</b>, latency records: the client's location is mapped to a region (a
 *       region name, or a city of {@link #CITIES}); the answer is the healthy record whose
 *       {@code Region} has the lowest round-trip time from it ({@link RegionLatency}); ties go to
 *       the alphabetically first region.
 *   <li><b>active-passive</b>, failover records: PRIMARY while its health check is healthy, else
 *       SECONDARY while its check is healthy. The client's location plays no part (it is still
 *       validated).
 *   <li><b>Fail open</b> (documented Route 53 behaviour): when every candidate is unhealthy,
 *       latency routing acts as if all were healthy (lowest latency wins) and failover routing
 *       answers with the primary. {@link Decision#failOpen()} says so and
 *       {@link Decision#healthy()} is false.
 *   <li>A record without a {@code HealthCheckId} is always healthy, as in Route 53.
 * </ul>
 */
public final class Router {

  /**
   * Named client locations and the region whose latency they get (the AWS region in or nearest
   * to the city). Any region name is a location too.
   */
  public static final Map<String, String> CITIES = Collections.unmodifiableMap(cities());

  private static Map<String, String> cities() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("virginia", "us-east-1");
    m.put("new-york", "us-east-1");
    m.put("oregon", "us-west-2");
    m.put("seattle", "us-west-2");
    m.put("dublin", "eu-west-1");
    m.put("london", "eu-west-1");
    m.put("frankfurt", "eu-central-1");
    m.put("singapore", "ap-southeast-1");
    m.put("tokyo", "ap-northeast-1");
    m.put("sydney", "ap-southeast-2");
    m.put("sao-paulo", "sa-east-1");
    return m;
  }

  /**
   * One answer.
   *
   * @param region         the region answered with
   * @param healthy        whether that region's health check is healthy (false only when failing open)
   * @param location       the client location as given (normalized), or null in failover mode without one
   * @param locationRegion the region the location maps to (null when none was given)
   * @param failOpen       every candidate was unhealthy, so Route 53 answered anyway
   * @param reason         human-readable why, e.g. {@code latency 80.5 ms from dublin (eu-west-1)}
   */
  public record Decision(String region, boolean healthy, String location, String locationRegion, boolean failOpen,
      String reason) {}

  /** The client location names no region and no city of {@link #CITIES}. */
  public static final class UnknownLocationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String location;
    private final List<String> known;

    UnknownLocationException(String location, SortedSet<String> known) {
      super("unknown client location '" + location + "'; use a region name or one of " + CITIES.keySet());
      this.location = location;
      this.known = List.copyOf(known);
    }

    public String location() {
      return location;
    }

    /** Every location accepted: cities and region names. */
    public List<String> known() {
      return known;
    }
  }

  private final RoutingMode mode;
  private final Map<String, DnsSpec.RecordSet> records;
  private final RegionLatency latency;
  private final SortedSet<String> knownLocations = new TreeSet<>();
  private final String primary;
  private final String secondary;

  /**
   * @param mode    how the records route
   * @param records region → its record set (every record must be of {@code mode}'s kind)
   * @param latency round-trip times between regions
   * @throws IllegalArgumentException when there is no record, a record of the other kind, or a
   *     failover set without exactly one PRIMARY and at most one SECONDARY (what Route 53 accepts)
   */
  public Router(RoutingMode mode, Map<String, DnsSpec.RecordSet> records, RegionLatency latency) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.latency = Objects.requireNonNull(latency, "latency");
    this.records = Collections.unmodifiableMap(new TreeMap<>(records));
    if (this.records.isEmpty()) {
      throw new IllegalArgumentException("no DNS record to route with");
    }
    String p = null;
    String s = null;
    for (Map.Entry<String, DnsSpec.RecordSet> e : this.records.entrySet()) {
      DnsSpec.RecordSet r = Objects.requireNonNull(e.getValue(), "record of " + e.getKey());
      if (r.kind() != mode.recordKind()) {
        throw new IllegalArgumentException("region " + e.getKey() + "'s record " + r.logicalId() + " is " + r.kind()
            + " but " + mode + " routes with " + mode.recordKind() + " records (is DeploymentMode the same in every region?)");
      }
      if (mode == RoutingMode.ACTIVE_PASSIVE) {
        String role = r.failover() == null ? "" : r.failover().toUpperCase(Locale.ROOT);
        if (role.equals("PRIMARY")) {
          if (p != null) {
            throw new IllegalArgumentException("two PRIMARY failover records: " + p + " and " + e.getKey());
          }
          p = e.getKey();
        } else if (role.equals("SECONDARY")) {
          if (s != null) {
            throw new IllegalArgumentException("two SECONDARY failover records: " + s + " and " + e.getKey());
          }
          s = e.getKey();
        } else {
          throw new IllegalArgumentException("failover record of " + e.getKey() + " is neither PRIMARY nor SECONDARY: "
              + r.failover());
        }
      }
    }
    if (mode == RoutingMode.ACTIVE_PASSIVE && p == null) {
      throw new IllegalArgumentException("failover records without a PRIMARY: " + this.records.keySet());
    }
    this.primary = p;
    this.secondary = s;
    knownLocations.addAll(CITIES.keySet());
    knownLocations.addAll(CITIES.values());
    knownLocations.addAll(latency.regions());
    for (Map.Entry<String, DnsSpec.RecordSet> e : this.records.entrySet()) {
      knownLocations.add(e.getKey());
      knownLocations.add(recordRegion(e.getKey()));
    }
  }

  public RoutingMode mode() {
    return mode;
  }

  /** The regions that have a record, sorted. */
  public List<String> regions() {
    return List.copyOf(records.keySet());
  }

  public Map<String, DnsSpec.RecordSet> records() {
    return records;
  }

  /** The PRIMARY region (active-passive), else empty. */
  public Optional<String> primary() {
    return Optional.ofNullable(primary);
  }

  /** The SECONDARY region (active-passive), else empty. */
  public Optional<String> secondary() {
    return Optional.ofNullable(secondary);
  }

  /** Every accepted client location: cities and region names. */
  public SortedSet<String> knownLocations() {
    return Collections.unmodifiableSortedSet(knownLocations);
  }

  /** Lower case, trimmed, spaces and underscores as hyphens ({@code "Sao Paulo"} → {@code sao-paulo}). */
  public static String normalize(String location) {
    return location.trim().toLowerCase(Locale.ROOT).replace(' ', '-').replace('_', '-');
  }

  /** The region a location's latency is measured from, or empty when the location is unknown. */
  public Optional<String> locationRegion(String location) {
    String l = normalize(location);
    if (CITIES.containsKey(l)) {
      return Optional.of(CITIES.get(l));
    }
    return knownLocations.contains(l) ? Optional.of(l) : Optional.empty();
  }

  /**
   * Answers a query.
   *
   * @param location the client's location (a region or a city); may be null in active-passive mode
   * @param healthy  whether a region's health check is healthy right now
   * @throws UnknownLocationException when the location is not known (or null in active-active mode)
   */
  public Decision route(String location, Predicate<String> healthy) {
    String loc = location == null ? null : normalize(location);
    String from = null;
    if (loc != null) {
      from = locationRegion(loc).orElseThrow(() -> new UnknownLocationException(location, knownLocations));
    } else if (mode == RoutingMode.ACTIVE_ACTIVE) {
      throw new UnknownLocationException("(none)", knownLocations);
    }
    Predicate<String> up = region -> records.get(region).healthCheckLogicalId() == null || healthy.test(region);
    return mode == RoutingMode.ACTIVE_ACTIVE ? latency(loc, from, up) : failover(loc, from, up);
  }

  private Decision latency(String loc, String from, Predicate<String> up) {
    List<String> healthy = new ArrayList<>();
    List<String> unhealthy = new ArrayList<>();
    for (String r : records.keySet()) {
      (up.test(r) ? healthy : unhealthy).add(r);
    }
    boolean failOpen = healthy.isEmpty();
    List<String> candidates = failOpen ? List.copyOf(records.keySet()) : healthy;
    String best = candidates.stream()
        .min(Comparator.<String>comparingDouble(r -> latency.rttMs(from, recordRegion(r))).thenComparing(r -> r))
        .orElseThrow();
    String where = loc.equals(from) ? from : loc + " (" + from + ")";
    String why = "latency " + ms(latency.rttMs(from, recordRegion(best))) + " from " + where;
    if (failOpen) {
      why = "every region unhealthy " + unhealthy + ": Route 53 fails open and routes as if all were healthy; " + why;
    } else if (!unhealthy.isEmpty()) {
      why = why + "; skipped unhealthy " + String.join(", ", unhealthy);
    }
    return new Decision(best, !failOpen, loc, from, failOpen, why);
  }

  private Decision failover(String loc, String from, Predicate<String> up) {
    if (up.test(primary)) {
      return new Decision(primary, true, loc, from, false, "failover: PRIMARY " + primary + " healthy");
    }
    if (secondary != null && up.test(secondary)) {
      return new Decision(secondary, true, loc, from, false,
          "failover: PRIMARY " + primary + " unhealthy, SECONDARY " + secondary + " healthy");
    }
    String others = secondary == null ? "no SECONDARY record" : "SECONDARY " + secondary + " unhealthy too";
    return new Decision(primary, false, loc, from, true, "failover: PRIMARY " + primary + " unhealthy and " + others
        + ": Route 53 fails open and answers with the primary");
  }

  private String recordRegion(String region) {
    String r = records.get(region).latencyRegion();
    return r == null || r.isBlank() ? region : r;
  }

  static String ms(double ms) {
    return (ms == Math.rint(ms) ? String.valueOf((long) ms) : String.valueOf(Math.round(ms * 10) / 10.0)) + " ms";
  }
}
