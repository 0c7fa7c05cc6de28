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
    StockAllocation held = eu.reserve("o-1", 8);
    assertThatThrownBy(() -> held.reserve("o-2", 3)).isInstanceOfSatisfying(InsufficientStockException.class, e -> {
      assertThat(e.requested()).isEqualTo(3);
      assertThat(e.available()).isEqualTo(2);
    });
    assertThat(held.available()).isEqualTo(2);
    assertThat(held.reserved()).isEqualTo(8);
  }

  @Test
  void holdsAreIdempotentPerOrderAndReleaseOrCommitOnce() {
    StockAllocation held = eu.reserve("o-1", 4).reserve("o-1", 4);
    assertThat(held.reserved()).isEqualTo(4);
    StockAllocation released = held.release("o-1").release("o-1");
    assertThat(released.available()).isEqualTo(10);
    StockAllocation sold = held.commit("o-1").commit("o-1").release("o-1");
    assertThat(sold.sold()).isEqualTo(4);
    assertThat(sold.available()).isEqualTo(6);
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
    assertThatThrownBy(() -> new StockAllocation(CUP, "eu-west-1", 5, 0, 0, 4, 0, 0, 0, 1,
        new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>())).hasMessageContaining("conserved");
    assertThatThrownBy(() -> new StockAllocation(CUP, "eu-west-1", -1, 0, 0, 0, 0, 0, 0, 1,
        new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>())).hasMessageContaining("never negative");
    assertThatThrownBy(() -> new StockAllocation(CUP, "eu-west-1", 0, 0, 0, 4, 0, 4, 3, 1,
        new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>())).hasMessageContaining("settled");
  }

  @Test
  void replicasOfTheSingleWriterMergeToTheLatestRevision() {
    StockAllocation later = eu.reserve("o-1", 2);
    assertThat(eu.merge(later)).isEqualTo(later);
    assertThat(later.merge(eu)).isEqualTo(later);
    assertThat(later.contains(eu)).isTrue();
  }

  @Test
  void aPendingOrderIsADemandUntilConfirmedThenItsUnitsAreHeld() {
    StockAllocation empty = StockAllocation.empty(CUP, "eu-west-1");
    StockAllocation waiting = empty.awaitStock("o-1", 3);
    assertThat(waiting.pendingUnits()).isEqualTo(3);
    assertThat(waiting.available()).isZero();
    assertThat(waiting.awaitStock("o-1", 3)).as("again is a no-op").isEqualTo(waiting);
    assertThatThrownBy(() -> waiting.confirmPending("o-1")).isInstanceOf(InsufficientStockException.class);

    StockAllocation stocked = waiting.restock(5);
    StockAllocation confirmed = stocked.confirmPending("o-1");
    assertThat(confirmed.pending()).isEmpty();
    assertThat(confirmed.holds()).containsEntry("o-1", 3L);
    assertThat(confirmed.available()).isEqualTo(2);
    assertThat(confirmed.revision()).isGreaterThan(stocked.revision());
    assertThatThrownBy(() -> confirmed.confirmPending("o-1")).isInstanceOf(IllegalArgumentException.class);

    StockAllocation dropped = stocked.dropPending("o-1");
    assertThat(dropped.pending()).isEmpty();
    assertThat(dropped.available()).isEqualTo(5);
    assertThat(dropped.dropPending("o-1")).isEqualTo(dropped);
  }
}
