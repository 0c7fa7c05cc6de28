package dev.meridian.domain.stock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.domain.product.ProductId;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RegionStockTest {
  private static final ProductId CUP = ProductId.of("cup");
  private static final String EU = "eu-west-1";

  private static RegionStock sharded(int shards, long units) {
    return RegionStock.empty(CUP, EU).reshard(shards).restock(units);
  }

  @Test
  void restockSpreadsUnitsOverTheShardsInUse() {
    RegionStock stock = sharded(4, 10);
    assertThat(stock.all()).extracting(StockAllocation::available).containsExactly(3L, 3L, 2L, 2L);
    assertThat(stock.available()).isEqualTo(10);
    assertThat(stock.restocked()).isEqualTo(10);
  }

  @Test
  void aPlacementTakesFromOneShardThatHasTheUnitsStartingWhereItIsTold() {
    RegionStock stock = sharded(4, 10);
    assertThat(stock.plan(2, 2)).containsExactly(new RegionStock.Take(2, 2));
    assertThat(stock.plan(3, 2)).as("shard 2 has 2: the next one that has 3").containsExactly(new RegionStock.Take(0, 3));
    assertThat(stock.plan(3, 5)).as("the start wraps round").containsExactly(new RegionStock.Take(1, 3));
  }

  @Test
  void whenNoSingleShardHasThemSeveralGiveTogether() {
    RegionStock stock = sharded(4, 10);
    List<RegionStock.Take> plan = stock.plan(7, 1);
    assertThat(plan).containsExactly(new RegionStock.Take(1, 3), new RegionStock.Take(2, 2), new RegionStock.Take(3, 2));
    RegionStock reserved = stock.reserve(plan);
    assertThat(reserved.available()).isEqualTo(3);
    assertThat(reserved.reserved()).isEqualTo(7);
    assertThat(reserved.changedSince(stock)).extracting(w -> w.next().shard()).containsExactly(1, 2, 3);
    assertThatThrownBy(() -> reserved.plan(4, 0)).isInstanceOfSatisfying(InsufficientStockException.class,
        e -> assertThat(e.available()).isEqualTo(3));
    assertThat(reserved.release(plan).available()).isEqualTo(10);
  }

  @Test
  void reshardingMovesUnitsAndKeepsHeldOnesWhereTheyAre() {
    RegionStock stock = sharded(4, 10);
    List<RegionStock.Take> held = stock.plan(2, 3);
    assertThat(held).containsExactly(new RegionStock.Take(3, 2));
    RegionStock reserved = stock.reserve(held);

    RegionStock two = reserved.reshard(2);
    assertThat(two.shardsInUse()).isEqualTo(2);
    assertThat(two.shardsEver()).isEqualTo(4);
    assertThat(two.all()).extracting(StockAllocation::available).containsExactly(4L, 4L, 0L, 0L);
    assertThat(two.shard(3).reserved()).as("held units stay in the retired shard").isEqualTo(2);
    assertThat(two.onHand()).isEqualTo(10);

    RegionStock released = two.release(held);
    assertThat(released.available()).isEqualTo(10);
    assertThat(released.plan(10, 0)).as("released units in a retired shard are still for sale")
        .extracting(RegionStock.Take::shard).contains(3);
  }

  @Test
  void givingTakesFromTheHeadAfterMovingUnitsIntoIt() {
    RegionStock stock = sharded(3, 9);
    RegionStock gave = stock.give("us-east-1", 7);
    assertThat(gave.head().given()).isEqualTo(7);
    assertThat(gave.head().outgoing()).hasSize(1);
    assertThat(gave.available()).isEqualTo(2);
    assertThat(gave.onHand() + gave.head().given()).isEqualTo(9);
    assertThatThrownBy(() -> gave.give("us-east-1", 3)).isInstanceOf(InsufficientStockException.class);
  }

  /** A view that sums every region's available, reserved and sold units adds these to count every unit. */
  @Test
  void unitsGivenAreInTransitUntilTheReceiverAddsThem() {
    RegionStock gave = sharded(3, 9).give("us-east-1", 4).give("ap-southeast-1", 2);
    RegionStock us = RegionStock.empty(CUP, "us-east-1");
    assertThat(gave.inTransitFrom(List.of(gave, us))).as("a receiver with no stock item has received nothing").isEqualTo(6);
    RegionStock received = us.with(us.head().receiveFrom(gave.head()));
    assertThat(gave.inTransitFrom(List.of(gave, received))).isEqualTo(2);
    assertThat(gave.available() + received.available() + gave.inTransitFrom(List.of(gave, received))).isEqualTo(9);
    RegionStock settled = gave.with(gave.head().settleWith(received.head()));
    assertThat(settled.inTransitFrom(List.of(settled, received))).as("settled transfers are not in transit").isEqualTo(2);
  }

  /** No sequence of restocks, reshards, reservations, releases, sales and gifts creates or loses a unit. */
  @Property(tries = 300)
  void unitsAreConservedWhateverHappens(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int steps) {
    Random random = new Random(seed);
    RegionStock stock = RegionStock.empty(CUP, EU);
    long restocked = 0;
    long given = 0;
    for (int step = 0; step < steps; step++) {
      switch (random.nextInt(5)) {
        case 0 -> {
          long units = 1 + random.nextInt(20);
          stock = stock.restock(units);
          restocked += units;
        }
        case 1 -> stock = stock.reshard(1 + random.nextInt(8));
        case 2 -> {
          if (stock.available() > 0) {
            List<RegionStock.Take> plan = stock.plan(1 + random.nextInt((int) Math.min(stock.available(), 12)), random.nextInt(8));
            stock = stock.reserve(plan);
            stock = random.nextBoolean() ? stock.release(plan) : stock.commit(plan);
          }
        }
        case 3 -> {
          if (stock.available() > 0) {
            long units = 1 + random.nextInt((int) Math.min(stock.available(), 5));
            stock = stock.give("us-east-1", units);
            given += units;
          }
        }
        default -> {
          if (stock.available() > 0) {
            stock = stock.reserve(stock.plan(1, random.nextInt(8)));
          }
        }
      }
      assertThat(stock.onHand() + given).isEqualTo(restocked);
      assertThat(stock.head().given()).isEqualTo(given);
    }
  }
}
