package dev.meridian.bootstrap;

import dev.meridian.domain.stock.StockAllocation;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * Where placements start looking for a shard with their units: random, so that the placements of
 * a hot product spread over its shards instead of all trying shard 0 first. Seeded from
 * {@link SecureRandom}, and reseedable: environments restored from one SnapStart snapshot would
 * otherwise all draw the same sequence and collide on the same shards.
 */
public final class ShardStarts implements IntSupplier {
  private SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());

  @Override
  public synchronized int getAsInt() {
    return random.nextInt(StockAllocation.MAX_SHARDS);
  }

  public synchronized void reseed(long seed) {
    random = new SplittableRandom(seed);
  }
}
