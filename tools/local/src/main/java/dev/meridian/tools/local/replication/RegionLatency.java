package dev.meridian.tools.local.replication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * Round-trip times between AWS regions (published averages, copied into
 * {@code region-latency.json} with their source). One-way delay is half the round trip.
 */
public final class RegionLatency {
  /** Used for a pair the table does not list: a long intercontinental round trip. */
  public static final double UNKNOWN_RTT_MS = 200;

  private final JsonNode rtt;

  private RegionLatency(JsonNode rtt) {
    this.rtt = rtt;
  }

  public static RegionLatency defaults() {
    try (InputStream in = RegionLatency.class.getResourceAsStream("/dev/meridian/tools/local/region-latency.json")) {
      return new RegionLatency(new ObjectMapper().readTree(in).get("rttMs"));
    } catch (IOException e) {
      throw new UncheckedIOException("region-latency.json is part of the local stack's resources", e);
    }
  }

  public double rttMs(String from, String to) {
    if (from.equals(to)) {
      return 0;
    }
    JsonNode row = rtt.get(from);
    if (row != null && row.has(to)) {
      return row.get(to).asDouble();
    }
    JsonNode reverse = rtt.get(to);
    return reverse != null && reverse.has(from) ? reverse.get(from).asDouble() : UNKNOWN_RTT_MS;
  }

  public Duration oneWay(String from, String to) {
    return Duration.ofMillis(Math.round(rttMs(from, to) / 2));
  }

  /** Regions the table knows, for validating client locations. */
  public List<String> regions() {
    List<String> names = new java.util.ArrayList<>();
    rtt.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
