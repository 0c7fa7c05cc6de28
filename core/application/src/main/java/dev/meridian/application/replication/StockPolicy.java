package dev.meridian.application.replication;

import java.time.Duration;

/**
 * How units move between regions.
 *
 * @param lowWaterMark   a region whose free units (available minus what its pending orders
 *                       wait for) fall below this asks its peers for more; a peer gives only
 *                       what it has above its own mark, except for orders already accepted
 *                       pending stock, for which it gives down to its own pending needs
 * @param pendingTimeout an order accepted pending stock ({@code 202}) that its home region
 *                       cannot confirm within this time is cancelled
 */
public record StockPolicy(long lowWaterMark, Duration pendingTimeout) {
  public static final StockPolicy DEFAULT = new StockPolicy(5, Duration.ofMinutes(5));

  public StockPolicy {
    if (lowWaterMark < 0) {
      throw new IllegalArgumentException("lowWaterMark must not be negative");
    }
    if (pendingTimeout.isNegative() || pendingTimeout.isZero()) {
      throw new IllegalArgumentException("pendingTimeout must be positive");
    }
  }
}
