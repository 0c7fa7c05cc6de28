package dev.meridian.tools.local.dns;

import dev.meridian.tools.local.model.DnsSpec;
import java.util.Locale;

/** How the deployment routes its one domain name (the template's {@code DeploymentMode}). */
public enum RoutingMode {
  /** Every region serves; one latency record per region. */
  ACTIVE_ACTIVE("active-active", DnsSpec.RoutingKind.LATENCY),
  /** One primary serves; a failover record pair PRIMARY / SECONDARY. */
  ACTIVE_PASSIVE("active-passive", DnsSpec.RoutingKind.FAILOVER);

  private final String label;
  private final DnsSpec.RoutingKind recordKind;

  RoutingMode(String label, DnsSpec.RoutingKind recordKind) {
    this.label = label;
    this.recordKind = recordKind;
  }

  /** {@code active-active} or {@code active-passive}, as samconfig spells it. */
  public String label() {
    return label;
  }

  /** The kind of record set this mode routes with. */
  public DnsSpec.RoutingKind recordKind() {
    return recordKind;
  }

  /** Accepts {@code active-active}, {@code ACTIVE_ACTIVE}, {@code activeactive} and the like. */
  public static RoutingMode parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (RoutingMode m : values()) {
      if (m.label.equals(t) || m.label.replace("-", "").equals(t)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown routing mode '" + text + "' (active-active or active-passive)");
  }

  @Override
  public String toString() {
    return label;
  }
}
