package dev.meridian.application.control;

import dev.meridian.domain.common.ValidationException;

/** How the regions share traffic (design brief section 6). */
public enum DeploymentMode {
  /** Every region takes reads and writes; Route 53 latency records. */
  ACTIVE_ACTIVE("active-active"),
  /** One primary writes; the standby serves reads and refuses writes until promoted; Route 53 failover records. */
  ACTIVE_PASSIVE("active-passive");

  private final String label;

  DeploymentMode(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static DeploymentMode parse(String label) {
    for (DeploymentMode mode : values()) {
      if (mode.label.equals(label)) {
        return mode;
      }
    }
    throw ValidationException.of("DEPLOYMENT_MODE", "must be active-active or active-passive, not " + label);
  }
}
