package dev.meridian.bootstrap;

import dev.meridian.application.control.Deployment;
import dev.meridian.application.control.DeploymentMode;
import dev.meridian.application.replication.StockPolicy;
import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.domain.common.Validation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a Meridian function reads from its environment, read once per container into a
 * typed record. The template sets every variable; a missing or malformed one fails the init
 * phase with a message naming it, instead of failing requests later.
 *
 * <p>{@code AWS_ENDPOINT_URL} is deliberately absent: the AWS SDK honours it by itself, so the
 * same jar talks to AWS or to a local emulator with no code path of its own.
 */
public record MeridianConfig(
    String region,
    String functionName,
    String tableName,
    String eventBusName,
    DeploymentMode mode,
    String initialPrimaryRegion,
    String standbyRegion,
    List<String> peerRegions,
    Optional<String> reconcileQueueUrl,
    Optional<String> reconcileDeadLetterQueueUrl,
    StockPolicy stockPolicy,
    int standbyReservePercent) {

  public static final String AWS_REGION = "AWS_REGION";
  public static final String FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";
  public static final String TABLE_NAME = "TABLE_NAME";
  public static final String EVENT_BUS_NAME = "EVENT_BUS_NAME";
  public static final String DEPLOYMENT_MODE = "DEPLOYMENT_MODE";
  public static final String INITIAL_PRIMARY_REGION = "INITIAL_PRIMARY_REGION";
  public static final String STANDBY_REGION = "STANDBY_REGION";
  public static final String PEER_REGIONS = "PEER_REGIONS";
  public static final String RECONCILE_QUEUE_URL = "RECONCILE_QUEUE_URL";
  public static final String RECONCILE_DEAD_LETTER_QUEUE_URL = "RECONCILE_DEAD_LETTER_QUEUE_URL";
  public static final String STOCK_LOW_WATER_MARK = "STOCK_LOW_WATER_MARK";
  public static final String PENDING_STOCK_TIMEOUT_SECONDS = "PENDING_STOCK_TIMEOUT_SECONDS";
  public static final String STANDBY_RESERVE_PERCENT = "STANDBY_RESERVE_PERCENT";
  /** The template's default: a fifth of every restock waits in the standby for a promotion. */
  public static final int DEFAULT_STANDBY_RESERVE_PERCENT = 20;

  /** Every variable this record reads (the template contract test checks the template sets them). */
  public static final List<String> VARIABLES = List.of(AWS_REGION, FUNCTION_NAME, TABLE_NAME, EVENT_BUS_NAME,
      DEPLOYMENT_MODE, INITIAL_PRIMARY_REGION, STANDBY_REGION, PEER_REGIONS, RECONCILE_QUEUE_URL,
      RECONCILE_DEAD_LETTER_QUEUE_URL, STOCK_LOW_WATER_MARK, PENDING_STOCK_TIMEOUT_SECONDS, STANDBY_RESERVE_PERCENT);

  public MeridianConfig {
    peerRegions = List.copyOf(peerRegions);
  }

  public static MeridianConfig fromEnvironment() {
    return from(System.getenv());
  }

  public static MeridianConfig from(Map<String, String> env) {
    Validation v = Validation.start();
    String region = env.get(AWS_REGION);
    v.region(region, AWS_REGION);
    String table = env.get(TABLE_NAME);
    v.text(table, TABLE_NAME, 3, 255);
    String bus = env.getOrDefault(EVENT_BUS_NAME, "meridian");
    String modeLabel = env.getOrDefault(DEPLOYMENT_MODE, DeploymentMode.ACTIVE_ACTIVE.label());
    DeploymentMode mode = null;
    if (v.require(modeLabel.equals("active-active") || modeLabel.equals("active-passive"), DEPLOYMENT_MODE,
        "must be active-active or active-passive")) {
      mode = DeploymentMode.parse(modeLabel);
    }
    String primary = blankToNull(env.get(INITIAL_PRIMARY_REGION));
    if (primary == null) {
      primary = region;
    } else {
      v.region(primary, INITIAL_PRIMARY_REGION);
    }
    String standby = blankToNull(env.get(STANDBY_REGION));
    if (standby != null) {
      v.region(standby, STANDBY_REGION);
    }
    List<String> peers = new ArrayList<>();
    String peerList = env.getOrDefault(PEER_REGIONS, "");
    for (String peer : Arrays.stream(peerList.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList()) {
      if (v.region(peer, PEER_REGIONS) && !peer.equals(region) && !peers.contains(peer)) {
        peers.add(peer);
      }
    }
    long lowWater = number(env, STOCK_LOW_WATER_MARK, StockPolicy.DEFAULT.lowWaterMark(), 0, 1_000_000, v);
    long timeoutSeconds = number(env, PENDING_STOCK_TIMEOUT_SECONDS, StockPolicy.DEFAULT.pendingTimeout().toSeconds(), 1,
        86_400, v);
    long reservePercent = number(env, STANDBY_RESERVE_PERCENT, DEFAULT_STANDBY_RESERVE_PERCENT, 0,
        Deployment.MAX_STANDBY_RESERVE_PERCENT, v);
    v.orThrow();
    return new MeridianConfig(region, env.getOrDefault(FUNCTION_NAME, "meridian"), table, bus, mode, primary, standby,
        peers, Optional.ofNullable(blankToNull(env.get(RECONCILE_QUEUE_URL))),
        Optional.ofNullable(blankToNull(env.get(RECONCILE_DEAD_LETTER_QUEUE_URL))),
        new StockPolicy(lowWater, java.time.Duration.ofSeconds(timeoutSeconds)), (int) reservePercent);
  }

  /** This region and its peers, sorted. */
  public List<String> allRegions() {
    List<String> all = new ArrayList<>(peerRegions);
    all.add(region);
    all.sort(String::compareTo);
    return all;
  }

  /** This region's hybrid logical clock on {@code wallClock}: how every use case stamps its writes. */
  public HybridLogicalClock hybridClock(Clock wallClock) {
    return new HybridLogicalClock(region, wallClock::millis, HybridLogicalClock.DEFAULT_MAX_SKEW);
  }

  public Deployment deployment() {
    return new Deployment(region, mode, initialPrimaryRegion, standbyRegion, allRegions(), standbyReservePercent);
  }

  static long number(Map<String, String> env, String name, long fallback, long min, long max, Validation v) {
    String raw = blankToNull(env.get(name));
    if (raw == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(raw);
      v.range(value, min, max, name);
      return value;
    } catch (NumberFormatException e) {
      v.require(false, name, "must be a whole number");
      return fallback;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
