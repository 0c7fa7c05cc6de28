package dev.meridian.domain.stock;

import dev.meridian.domain.common.Validation;
import dev.meridian.domain.product.ProductId;

/**
 * Units of one product moving from one region's allocation to another's. The giver records it
 * when it decrements its own allocation; the receiver adds the units once, by id. Between the
 * two, the units are in flight: counted nowhere as available, never duplicated.
 */
public record Transfer(String id, ProductId productId, String fromRegion, String toRegion, long units) {
  public Transfer {
    Validation v = Validation.start();
    v.text(id, "transferId", 1, 200);
    v.notNull(productId, "productId");
    v.region(fromRegion, "fromRegion");
    v.region(toRegion, "toRegion");
    v.range(units, 1, StockAllocation.MAX_UNITS, "units");
    if (fromRegion != null && fromRegion.equals(toRegion)) {
      v.fail("toRegion", "must differ from fromRegion");
    }
    v.orThrow();
  }
}
