package dev.meridian.function.health;

import dev.meridian.application.health.HealthReport;
import dev.meridian.application.health.HealthReport.Check;
import dev.meridian.application.health.HealthReport.PeerLag;
import dev.meridian.application.health.HealthReport.PeerStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * Renders a {@link HealthReport} as JSON by hand: the shape is fixed and small, and a JSON
 * library would cost the health function cold-start time. Output is pure ASCII (non-ASCII
 * characters are {@code \}u-escaped), so its length in characters is its length in bytes.
 *
 * <p>Guarantees, whatever the report holds:
 * <ul>
 *   <li>a healthy body starts with {@code {"status":"healthy"}, an unhealthy one with
 *       {@code {"status":"unhealthy"}, and the text {@code "status":"healthy"} (Route 53's search
 *       string, quotes included) never occurs in an unhealthy body: inside JSON strings quotes are
 *       escaped, so only the leading field can produce it;</li>
 *   <li>the body is shorter than {@link #MAX_BODY_BYTES}: free text is cut to {@link #MAX_TEXT}
 *       characters, and when many peers would overflow it, the healthiest peers are left out and
 *       counted in {@code "peersOmitted"}.</li>
 * </ul>
 */
public final class HealthJson {
  /** Route 53 searches the first 5,120 bytes of the body; the whole body stays below that. */
  public static final int MAX_BODY_BYTES = 5120;
  /** Longest free-text value (error details, reasons). */
  public static final int MAX_TEXT = 160;
  /** Route 53's search string. */
  public static final String HEALTHY_MARK = "\"status\":\"healthy\"";

  private HealthJson() {}

  static String write(HealthReport report) {
    List<PeerLag> peers = report.replication().peers();
    String body = write(report, peers, 0);
    if (body.length() < MAX_BODY_BYTES) {
      return body;
    }
    // Keep the peers that explain a problem first; drop the healthy ones until it fits.
    List<PeerLag> worstFirst = new ArrayList<>(peers);
    worstFirst.sort(Comparator.comparing((PeerLag p) -> p.status() == PeerStatus.MISSING ? 0 : p.status() == PeerStatus.LAGGING ? 1 : 2)
        .thenComparing(p -> -p.lagMs().orElse(0))
        .thenComparing(PeerLag::region));
    int low = 0;
    int high = worstFirst.size() - 1;
    String best = null;
    while (low <= high) {
      int keep = (low + high) >>> 1;
      List<PeerLag> kept = new ArrayList<>(worstFirst.subList(0, keep));
      kept.sort(Comparator.comparing(PeerLag::region));
      String candidate = write(report, kept, peers.size() - keep);
      if (candidate.length() < MAX_BODY_BYTES) {
        best = candidate;
        low = keep + 1;
      } else {
        high = keep - 1;
      }
    }
    return best != null ? best : minimal(report);
  }

  private static String write(HealthReport r, List<PeerLag> peers, int omitted) {
    StringBuilder b = new StringBuilder(1024);
    b.append("{\"status\":\"").append(r.healthy() ? "healthy" : "unhealthy").append('"');
    b.append(",\"degraded\":").append(r.degraded());
    field(b, "region", r.region());
    field(b, "mode", r.mode());
    field(b, "role", r.role());
    b.append(",\"control\":");
    if (r.control().isPresent()) {
      HealthReport.Control c = r.control().get();
      b.append("{\"epoch\":").append(c.epoch());
      field(b, "primaryRegion", c.primaryRegion());
      b.append(",\"killSwitch\":").append(c.killSwitch()).append('}');
    } else {
      b.append("null");
    }
    b.append(",\"checks\":{\"dynamodb\":");
    openCheck(b, r.dynamodb());
    b.append(",\"reachable\":").append(r.dynamodb().reachable()).append('}');

    b.append(",\"replication\":");
    openCheck(b, r.replication().check());
    b.append(",\"slackMs\":").append(r.replication().slackMs());
    b.append(",\"self\":");
    if (r.replication().self().isPresent()) {
      peer(b, r.replication().self().get());
    } else {
      b.append("null");
    }
    b.append(",\"peers\":[");
    for (int i = 0; i < peers.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      peer(b, peers.get(i));
    }
    b.append(']');
    if (omitted > 0) {
      b.append(",\"peersOmitted\":").append(omitted);
    }
    b.append('}');

    b.append(",\"backlog\":");
    openCheck(b, r.backlog().check());
    number(b, "messages", r.backlog().messages());
    b.append("}}");

    b.append(",\"reasons\":[");
    for (int i = 0; i < r.reasons().size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      string(b, r.reasons().get(i));
    }
    b.append(']');
    field(b, "checkedAt", r.checkedAt().toString());
    b.append(",\"elapsedMs\":").append(r.elapsedMs());
    b.append('}');
    return b.toString();
  }

  /** Last resort if even a body without peers were too long (it cannot be with {@link #MAX_TEXT}). */
  private static String minimal(HealthReport r) {
    StringBuilder b = new StringBuilder(128);
    b.append("{\"status\":\"").append(r.healthy() ? "healthy" : "unhealthy").append('"');
    b.append(",\"degraded\":").append(r.degraded());
    field(b, "region", r.region());
    b.append(",\"truncated\":true}");
    return b.toString();
  }

  /** A check object without its closing brace, so the caller can add fields of its own. */
  private static void openCheck(StringBuilder b, Check c) {
    b.append("{\"status\":\"").append(c.status().label()).append('"');
    b.append(",\"ms\":").append(c.elapsedMs());
    if (c.detail().isPresent()) {
      field(b, "detail", c.detail().get());
    }
  }

  private static void peer(StringBuilder b, PeerLag p) {
    b.append('{');
    b.append("\"region\":");
    string(b, p.region());
    b.append(",\"status\":\"").append(p.status().label()).append('"');
    number(b, "ageMs", p.ageMs());
    number(b, "intervalMs", p.intervalMs());
    number(b, "lagMs", p.lagMs());
    b.append('}');
  }

  private static void number(StringBuilder b, String name, OptionalLong value) {
    if (value.isPresent()) {
      b.append(",\"").append(name).append("\":").append(value.getAsLong());
    }
  }

  private static void field(StringBuilder b, String name, String value) {
    b.append(",\"").append(name).append("\":");
    string(b, value);
  }

  /** A JSON string, ASCII only, cut to {@link #MAX_TEXT} characters; {@code null} for null. */
  static void string(StringBuilder b, String value) {
    if (value == null) {
      b.append("null");
      return;
    }
    String s = value.length() > MAX_TEXT ? value.substring(0, MAX_TEXT - 3) + "..." : value;
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
