package dev.meridian.domain.stock;

import dev.meridian.domain.common.Validation;
import dev.meridian.domain.product.ProductId;

/**
 * Units of one product moving from one region's allocation to another's. The giver records it
 * when it decrements its own allocation; the receiver adds the units once. Between the two, the
 * units are in flight: counted nowhere as available, never duplicated.
 *
 * <p>The id is {@code fromRegion/productId/sequence}, the sequence being the giver allocation's
 * revision that made it: a giver's transfers are numbered in the order given, which lets the
 * receiver remember the highest it has received from each giver instead of every id.
 */
public record Transfer(String id, ProductId productId, String fromRegion, String toRegion, long units) {
  public static String idOf(String fromRegion, ProductId productId, long sequence) {
    return fromRegion + "/" + productId.value() + "/" + sequence;
  }

  /** The giver allocation's revision that made this transfer (the last part of the id). */
  public long sequence() {
    return Long.parseLong(id.substring(id.lastIndexOf('/') + 1));
  }

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
    if (id != null && fromRegion != null && productId != null
        && !id.matches(java.util.regex.Pattern.quote(fromRegion + "/" + productId.value() + "/") + "[1-9][0-9]{0,17}")) {
      v.fail("transferId", "must be fromRegion/productId/sequence");
    }
    v.orThrow();
  }
}
