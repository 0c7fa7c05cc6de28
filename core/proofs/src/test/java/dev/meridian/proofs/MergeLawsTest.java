package dev.meridian.proofs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.domain.order.Order;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.InsufficientStockException;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.testkit.domain.Histories;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;

/**
 * The three semilattice laws for every merge, over replicas that diverged from shared ancestors
 * with concurrent edits in several regions. If any law fails, replicas that receive the same
 * writes in a different order, or twice, would end in different states.
 */
class MergeLawsTest {

  @Property(tries = 500)
  @Label("product merge is commutative, associative and idempotent")
  void productMergeLaws(@ForAll long seed) {
    List<Product> r = new Histories(seed).divergentProducts(3);
    Product a = r.get(0), b = r.get(1), c = r.get(2);
    assertThat(a.merge(b)).isEqualTo(b.merge(a));
    assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    assertThat(a.merge(a)).isEqualTo(a);
  }

  @Property(tries = 500)
  @Label("product contains(b) holds exactly when merging b changes nothing")
  void productContains(@ForAll long seed) {
    List<Product> r = new Histories(seed).divergentProducts(2);
    Product a = r.get(0), b = r.get(1);
    assertThat(a.contains(b)).isEqualTo(a.merge(b).equals(a));
    Product joined = a.merge(b);
    assertThat(joined.contains(a)).isTrue();
    assertThat(joined.contains(b)).isTrue();
  }

  @Property(tries = 500)
  @Label("product conflicts are reported identically by both sides")
  void productConflictsSymmetric(@ForAll long seed) {
    List<Product> r = new Histories(seed).divergentProducts(2);
    assertThat(r.get(0).conflictsWith(r.get(1))).containsExactlyInAnyOrderElementsOf(r.get(1).conflictsWith(r.get(0)));
  }

  @Property(tries = 500)
  @Label("order merge is commutative, associative and idempotent")
  void orderMergeLaws(@ForAll long seed) {
    List<Order> r = new Histories(seed).divergentOrders(3);
    Order a = r.get(0), b = r.get(1), c = r.get(2);
    assertThat(a.merge(b)).isEqualTo(b.merge(a));
    assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    assertThat(a.merge(a)).isEqualTo(a);
  }

  @Property(tries = 500)
  @Label("two regions reconciling the same pair of orders write identical states")
  void orderReconcileIsDeterministic(@ForAll long seed) {
    List<Order> r = new Histories(seed).divergentOrders(2);
    Order a = r.get(0), b = r.get(1);
    assertThat(a.reconcile(b)).isEqualTo(b.reconcile(a));
    assertThat(a.reconcile(b).reconcile(b)).isEqualTo(a.reconcile(b));
  }

  @Property(tries = 500)
  @Label("order contains(b) holds exactly when merging b changes nothing")
  void orderContains(@ForAll long seed) {
    List<Order> r = new Histories(seed).divergentOrders(2);
    Order a = r.get(0), b = r.get(1);
    assertThat(a.contains(b)).isEqualTo(a.merge(b).equals(a));
    assertThat(a.merge(b).contains(a)).isTrue();
    assertThat(a.merge(b).contains(b)).isTrue();
  }

  @Property(tries = 300)
  @Label("allocation replicas (prefixes of the owner's history) merge by the three laws")
  void allocationMergeLaws(@ForAll long seed) {
    List<StockAllocation> history = allocationHistory(new Random(seed));
    Random pick = new Random(seed ^ 0x5DEECE66DL);
    StockAllocation a = history.get(pick.nextInt(history.size()));
    StockAllocation b = history.get(pick.nextInt(history.size()));
    StockAllocation c = history.get(pick.nextInt(history.size()));
    assertThat(a.merge(b)).isEqualTo(b.merge(a));
    assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    assertThat(a.merge(a)).isEqualTo(a);
    assertThat(a.merge(b)).isEqualTo(a.revision() >= b.revision() ? a : b);
  }

  private static List<StockAllocation> allocationHistory(Random random) {
    List<StockAllocation> history = new ArrayList<>();
    StockAllocation s = StockAllocation.empty(ProductId.of("cup"), "eu-west-1");
    history.add(s);
    for (int i = 0; i < 30; i++) {
      try {
        s = switch (random.nextInt(6)) {
          case 0 -> s.restock(1 + random.nextInt(10));
          case 1 -> s.reserve(1 + random.nextInt(4));
          case 2 -> s.release(1 + random.nextInt(2));
          case 3 -> s.commit(1 + random.nextInt(2));
          case 4 -> random.nextBoolean() ? s.awaitStock(1 + random.nextInt(3)) : s.stopAwaiting(1);
          default -> s.give("us-east-1", 1 + random.nextInt(3));
        };
      } catch (InsufficientStockException | IllegalArgumentException | IllegalStateException expected) {
        continue;
      }
      history.add(s);
    }
    return history;
  }
}
