package dev.meridian.application.control;

import dev.meridian.domain.common.Validation;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The control item, one per deployment in the global table, settable from any region so a
 * region can be drained or a standby promoted even when the region in trouble cannot act.
 *
 * @param primaryRegion the region that takes writes in active-passive mode
 * @param epoch         incremented by every promotion; a region that is not the primary of the
 *                      current epoch refuses writes and fails its health check (write fencing)
 * @param killSwitches  region → engaged; an engaged region answers {@code /health} 503 so Route 53 drains it
 */
public record ControlState(String primaryRegion, long epoch, SortedMap<String, Boolean> killSwitches) {
  public ControlState {
    Validation v = Validation.start();
    v.region(primaryRegion, "primaryRegion");
    v.require(epoch >= 0, "epoch", "must not be negative");
    v.orThrow();
    killSwitches = Collections.unmodifiableSortedMap(new TreeMap<>(killSwitches));
  }

  /** What applies while no control item has been written: the configured primary, epoch 0, nothing drained. */
  public static ControlState initial(Deployment deployment) {
    return new ControlState(deployment.initialPrimary(), 0, new TreeMap<>());
  }

  public boolean isKilled(String region) {
    return killSwitches.getOrDefault(region, false);
  }

  public ControlState withKillSwitch(String region, boolean engaged) {
    SortedMap<String, Boolean> next = new TreeMap<>(killSwitches);
    next.put(region, engaged);
    return new ControlState(primaryRegion, epoch, next);
  }

  public ControlState promote(String region) {
    return new ControlState(region, epoch + 1, killSwitches);
  }
}
