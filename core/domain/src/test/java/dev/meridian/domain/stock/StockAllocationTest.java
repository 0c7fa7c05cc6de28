package dev.meridian.domain.stock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.domain.product.ProductId;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StockAllocationTest {
  private static final ProductId CUP = ProductId.of("cup");
  private final StockAllocation eu = StockAllocation.empty(CUP, "eu-west-1").restock(10);

  @Test
  void reservingMoreThanIsAvailableIsRefusedAndChangesNothing() {
    StockAllocation held = eu.reserve(8);
    assertThatThrownBy(() -> held.reserve(3)).isInstanceOfSatisfying(InsufficientStockException.class, e -> {
      assertThat(e.requested()).isEqualTo(3);
      assertThat(e.available()).isEqualTo(2);
    });
    assertThat(held.available()).isEqualTo(2);
    assertThat(held.reserved()).isEqualTo(8);
  }

  /** The shard counts; the order's hold (an item of its own) is what makes a release or shipment happen once. */
  @Test
  void reservedUnitsAreReleasedOrSoldAndNeverMoreThanAreReserved() {
    StockAllocation held = eu.reserve(4);
    assertThat(held.release(4).available()).isEqualTo(10);
    StockAllocation sold = held.commit(3);
    assertThat(sold.sold()).isEqualTo(3);
    assertThat(sold.reserved()).isEqualTo(1);
    assertThat(sold.onHand()).isEqualTo(10);
    assertThatThrownBy(() -> sold.release(2)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> sold.commit(2)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void onlyTheHeadShardGivesReceivesOrCountsDemand() {
    StockAllocation second = StockAllocation.emptyShard(CUP, "eu-west-1", 1).restock(4);
    assertThatThrownBy(() -> second.give("us-east-1", 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> second.awaitStock(1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> second.withShards(2)).isInstanceOf(IllegalStateException.class);
    assertThat(second.moveOut(3).available()).isEqualTo(1);
  }

  @Test
  void transferredUnitsAreInFlightUntilReceivedOnce() {
    StockAllocation giver = eu.give("us-east-1", 3);
    Transfer transfer = giver.outgoing().values().iterator().next();
    StockAllocation receiver = StockAllocation.empty(CUP, "us-east-1");
    assertThat(receiver.inFlightFrom(giver)).isEqualTo(3);
    StockAllocation received = receiver.receiveFrom(giver).receiveFrom(giver);
    assertThat(received.hasReceived(transfer)).isTrue();
    assertThat(received.inFlightFrom(giver)).isZero();
    assertThat(giver.available()).isEqualTo(7);
    assertThat(received.available()).isEqualTo(3);
    assertThat(giver.onHand() + received.onHand()).isEqualTo(10);
    assertThatThrownBy(() -> giver.give("us-east-1", 8)).isInstanceOf(InsufficientStockException.class);
    assertThat(StockAllocation.empty(CUP, "ap-southeast-1").receiveFrom(giver)).as("a transfer to another region")
        .isEqualTo(StockAllocation.empty(CUP, "ap-southeast-1"));
  }

  /**
   * The ledgers stay bounded: a receiver keeps one sequence per giver, a giver drops what its
   * receiver shows as received. Late and repeated states of the giver (events arrive so) add
   * nothing twice, and a receiver's stale state settles less, never more.
   */
  @Test
  void settledTransfersLeaveTheGiversLedgerAndAreNeverReceivedTwice() {
    StockAllocation first = eu.give("us-east-1", 2);
    StockAllocation second = first.restock(1).give("us-east-1", 3).give("ap-southeast-1", 1);
    StockAllocation us = StockAllocation.empty(CUP, "us-east-1");

    StockAllocation tookFirst = us.receiveFrom(first);
    StockAllocation tookBoth = tookFirst.receiveFrom(second).receiveFrom(first).receiveFrom(second);
    assertThat(tookBoth.received()).isEqualTo(5);
    assertThat(tookBoth.receivedThrough()).containsOnlyKeys("eu-west-1");

    StockAllocation settledByStale = second.settleWith(tookFirst);
    assertThat(settledByStale.outgoing()).hasSize(2);
    assertThat(settledByStale.settled()).isEqualTo(2);
    StockAllocation settled = settledByStale.settleWith(tookBoth).settleWith(tookFirst);
    assertThat(settled.outgoing().values()).extracting(Transfer::toRegion).containsExactly("ap-southeast-1");
    assertThat(settled.given()).isEqualTo(6);
    assertThat(settled.settled()).isEqualTo(5);
    assertThat(tookBoth.receiveFrom(settled)).as("a settled ledger gives nothing again").isEqualTo(tookBoth);
    assertThat(settled.onHand() + tookBoth.onHand() + 1).as("on hand in both + 1 in flight to ap-southeast-1")
        .isEqualTo(settled.restocked());
  }

  @Test
  void theTypeRefusesStatesThatCreateOrLoseUnits() {
    assertThatThrownBy(() -> new StockAllocation(CUP, "eu-west-1", 0, 1, 1, 5, 0, 0, 4, 0, 0, 0, 0, 0, 0, 1,
        new TreeMap<>(), new TreeMap<>())).hasMessageContaining("conserved");
    assertThatThrownBy(() -> new StockAllocation(CUP, "eu-west-1", 0, 1, 1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        new TreeMap<>(), new TreeMap<>())).hasMessageContaining("never negative");
    assertThatThrownBy(() -> new StockAllocation(CUP, "eu-west-1", 0, 1, 1, 0, 0, 0, 4, 0, 4, 3, 0, 0, 0, 1,
        new TreeMap<>(), new TreeMap<>())).hasMessageContaining("settled");
    assertThatThrownBy(() -> new StockAllocation(CUP, "eu-west-1", 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 2, 0, 3, 1,
        new TreeMap<>(), new TreeMap<>())).as("pending demand off the head").hasMessageContaining("only the head");
    assertThatThrownBy(() -> new StockAllocation(CUP, "eu-west-1", 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        new TreeMap<>(), new TreeMap<>())).as("fewer shards ever than in use").hasMessageContaining("shards");
  }

  @Test
  void replicasOfTheSingleWriterMergeToTheLatestRevision() {
    StockAllocation later = eu.reserve(2);
    assertThat(eu.merge(later)).isEqualTo(later);
    assertThat(later.merge(eu)).isEqualTo(later);
    assertThat(later.contains(eu)).isTrue();
  }

  @Test
  void theHeadCountsPendingDemandApartFromUnits() {
    StockAllocation waiting = StockAllocation.empty(CUP, "eu-west-1").awaitStock(3).awaitStock(2);
    assertThat(waiting.pending()).isEqualTo(5);
    assertThat(waiting.available()).isZero();
    StockAllocation confirmed = waiting.restock(5).stopAwaiting(3).reserve(3);
    assertThat(confirmed.pending()).isEqualTo(2);
    assertThat(confirmed.reserved()).isEqualTo(3);
    assertThatThrownBy(() -> confirmed.stopAwaiting(3)).isInstanceOf(IllegalArgumentException.class);
  }
}
