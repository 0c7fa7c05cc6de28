package dev.meridian.domain.clock;

/** A remote stamp lies further in the future than the tolerated clock skew allows. */
public final class ClockSkewException extends RuntimeException {
  public ClockSkewException(HlcStamp remote, long localWallMillis, long maxSkewMillis) {
    super("stamp " + remote + " is " + (remote.physicalMillis() - localWallMillis)
        + " ms ahead of this region's clock; at most " + maxSkewMillis + " ms is tolerated");
  }
}
