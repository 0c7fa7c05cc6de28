package dev.meridian.tools.local.control;

import java.time.Duration;
import java.util.Map;

/**
 * The failure and operations verbs of a running local stack. The loopback control API
 * ({@link ControlApi}) and the command line both end here, so every verb behaves the same
 * whichever way it is called.
 */
public interface StackControl {

  /** How a failed region's API misbehaves. */
  enum FailMode {
    /** Connections to the region's API are refused. */
    REFUSE,
    /** Connections are accepted and never answered. */
    BLACKHOLE
  }

  /**
   * Fails a region: its API refuses or hangs, its replication and event links pause, and writes
   * it acknowledged but had not replicated stay behind until {@link #recover}.
   */
  void fail(String region, FailMode mode);

  void recover(String region);

  /** Which links between two regions a partition or heal affects. */
  enum Links {
    /** Global-table replication and cross-region event forwarding. */
    ALL,
    /** Global-table replication only: changes still travel as events (publisher to reconciler). */
    REPLICATION,
    /** Cross-region event forwarding only. */
    EVENTS
  }

  /** Cuts the given links between two regions, both directions. */
  void partition(String a, String b, Links links);

  void heal(String a, String b, Links links);

  /** Cuts replication and event links between two regions, both directions. */
  default void partition(String a, String b) {
    partition(a, b, Links.ALL);
  }

  default void heal(String a, String b) {
    heal(a, b, Links.ALL);
  }

  /** Sets the one-way delay between two regions for replication and events. */
  void delay(String a, String b, Duration oneWay);

  /**
   * Makes a region's DynamoDB endpoint hang for that region's functions (true) or answer again
   * (false): their calls wait until the SDK's own timeouts, as with a replica that stopped answering.
   */
  void stallDynamoDb(String region, boolean stalled);

  /**
   * Stops a function's execution environments, the idle ones at once and the busy ones when their
   * invocation ends, as Lambda does when it recycles them; the next invocation cold-starts.
   *
   * @param function the template's logical id or its short name ({@code catalog})
   */
  Map<String, Object> recycleFunction(String region, String function);

  /**
   * Sets a function's timeout in one region, as {@code UpdateFunctionConfiguration} does (its
   * execution environments are recycled).
   *
   * @param seconds 1 to 900; null restores the template's value
   */
  Map<String, Object> setFunctionTimeout(String region, String function, Integer seconds);

  /** Engages or releases a region's kill switch through the application's own admin route. */
  Map<String, Object> killSwitch(String region, boolean engaged);

  /** Promotes a region to primary (active-passive) through the application's own admin route. */
  Map<String, Object> promote(String region);

  /**
   * Starts an FIS experiment template of {@code deploy/faults.yaml} (named by its
   * {@code meridian:scenario} tag) on a region, each action as its local fault ({@link FisExperiments}).
   */
  Map<String, Object> startExperiment(String region, String experiment);

  /** Undoes what {@link #startExperiment} did, as FIS reverts its actions when an experiment stops. */
  Map<String, Object> stopExperiment(String region, String experiment);

  /** Everything an operator wants at a glance, as JSON-ready maps and lists. */
  Map<String, Object> status();
}
