package dev.meridian.application.control;

import dev.meridian.domain.stock.RegionStock;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * What the stock rules need to know about the control item: which region sells, and which keeps
 * a standby reserve. In active-active mode every region sells and none keeps anything back.
 *
 * <p>The standby reserve is a share of every unit restocked anywhere, not of what is left: what
 * the primary sells must not shrink the stock the standby will sell after a promotion.
 *
 * @param primary        the region that takes writes now (active-passive); empty in active-active mode
 * @param reserveHolder  the region that keeps the standby reserve now; empty when there is no reserve
 * @param reservePercent the reserve's share, in percent, of every unit restocked anywhere
 */
public record StockRoles(Optional<String> primary, Optional<String> reserveHolder, int reservePercent) {
  public static final StockRoles ACTIVE_ACTIVE = new StockRoles(Optional.empty(), Optional.empty(), 0);

  public StockRoles {
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(reserveHolder, "reserveHolder");
    if (reservePercent < 0 || reservePercent > 100) {
      throw new IllegalArgumentException("reservePercent must be between 0 and 100");
    }
  }

  public boolean isPrimary(String region) {
    return primary.filter(region::equals).isPresent();
  }

  /** Units the reserve holder keeps: its share of every unit restocked in any region. */
  public long reserveTarget(Collection<RegionStock> everyRegion) {
    long restocked = everyRegion.stream().mapToLong(RegionStock::restocked).sum();
    return Math.multiplyExact(restocked, reservePercent) / 100;
  }

  /** Units {@code region} keeps back from any other region: the reserve when it holds it, else none. */
  public long keeps(String region, Collection<RegionStock> everyRegion) {
    return reserveHolder.filter(region::equals).isPresent() ? reserveTarget(everyRegion) : 0;
  }
}
