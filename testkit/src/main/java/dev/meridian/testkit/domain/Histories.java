package dev.meridian.testkit.domain;

import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.IdempotencyKey;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderPlacement;
import dev.meridian.domain.order.OrderStatus;
import dev.meridian.domain.order.PlaceOrder;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.domain.stock.RegionStock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates realistic concurrent histories for property tests: a shared ancestor state, then
 * several regions each applying their own edits to their own copy (with skewed clocks), the
 * way replicas diverge during replication delay or a partition.
 */
public final class Histories {
  public static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-1", "us-west-2", "eu-central-1");
  private static final List<String> NAMES = List.of("Cup", "Mug", "Espresso cup", "Travel mug", "Saucer");
  private static final List<String> CURRENCIES = List.of("EUR", "USD");

  private final Random random;
  private final AtomicLong wall = new AtomicLong(1_732_600_000_000L);
  private final Map<String, HybridLogicalClock> clocks = new java.util.HashMap<>();

  public Histories(long seed) {
    this.random = new Random(seed);
    for (String region : REGIONS) {
      long skew = random.nextInt(401) - 200;
      clocks.put(region, new HybridLogicalClock(region, () -> wall.get() + skew, Duration.ofMinutes(1)));
    }
  }

  public Random random() {
    return random;
  }

  public HybridLogicalClock clock(String region) {
    return clocks.get(region);
  }

  public String region() {
    return REGIONS.get(random.nextInt(REGIONS.size()));
  }

  public void tick() {
    wall.addAndGet(random.nextInt(30));
  }

  // ---- products ----

  public UpsertProduct randomUpsert(ProductId id) {
    return new UpsertProduct(id, NAMES.get(random.nextInt(NAMES.size())),
        random.nextBoolean() ? "" : "desc " + random.nextInt(3),
        Money.of(100 + random.nextInt(5) * 50L, CURRENCIES.get(random.nextInt(2))), random.nextInt(4) != 0);
  }

  public Product randomProductAncestor(ProductId id) {
    String region = region();
    tick();
    return Product.create(randomUpsert(id), clock(region).now());
  }

  /** A replica's edit sequence from {@code base} in {@code region}. */
  public Product editProduct(Product base, String region, int edits) {
    Product p = base;
    for (int i = 0; i < edits; i++) {
      tick();
      p = p.apply(randomUpsert(p.id()), clock(region).after(p.latestStamp()));
    }
    return p;
  }

  /** {@code count} replicas of one product that diverged from a shared ancestor. */
  public List<Product> divergentProducts(int count) {
    Product ancestor = editProduct(randomProductAncestor(ProductId.of("cup")), region(), random.nextInt(3));
    List<Product> replicas = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Product base = replicas.isEmpty() || random.nextBoolean() ? ancestor : replicas.get(random.nextInt(replicas.size()));
      replicas.add(editProduct(base, region(), random.nextInt(4)));
    }
    return replicas;
  }

  // ---- orders ----

  public Product catalogEntry(String productId, String currency, String region) {
    tick();
    return Product.create(new UpsertProduct(ProductId.of(productId), productId, "", Money.of(250, currency), true),
        clock(region).now());
  }

  public PlaceOrder placeCommand(String customer, String key, int variant) {
    List<PlaceOrder.Line> lines = variant == 0
        ? List.of(new PlaceOrder.Line("cup", 2))
        : List.of(new PlaceOrder.Line("cup", 1), new PlaceOrder.Line("mug", 1 + variant));
    return new PlaceOrder(new CustomerId(customer), new IdempotencyKey(key), lines);
  }

  /** Places the same key in {@code region}, reserving from a stock large enough, split over random shards. */
  public Order placeIn(String region, PlaceOrder command) {
    tick();
    Map<ProductId, Product> catalog = Map.of(
        ProductId.of("cup"), catalogEntry("cup", "EUR", region),
        ProductId.of("mug"), catalogEntry("mug", "EUR", region));
    Map<ProductId, RegionStock> stock = Map.of(
        ProductId.of("cup"), RegionStock.empty(ProductId.of("cup"), region).reshard(1 + random.nextInt(4)).restock(1000),
        ProductId.of("mug"), RegionStock.empty(ProductId.of("mug"), region).reshard(1 + random.nextInt(4)).restock(1000));
    OrderPlacement.Decision decision = OrderPlacement.decide(command, catalog, stock, Map.of(), region, clock(region).now(),
        () -> random.nextInt(8));
    return ((OrderPlacement.Reserved) decision).order();
  }

  /** Random local edits of an order replica in {@code region}: cancel, ship, release. */
  public Order editOrder(Order base, String region, int edits) {
    Order o = base;
    for (int i = 0; i < edits; i++) {
      tick();
      int choice = random.nextInt(3);
      if (choice == 0 && o.currentStatus() != OrderStatus.SHIPPED) {
        o = o.cancel(clock(region).after(o.latestStamp()));
        o = o.releaseReservation(region);
      } else if (choice == 1 && o.currentStatus() == OrderStatus.PLACED
          && o.standingReservation().map(r -> r.region().equals(region) && r.isActive()).orElse(false)) {
        o = o.ship(region, clock(region).after(o.latestStamp()));
      } else if (o.actionFor(region) == Order.ReservationAction.RELEASE) {
        o = o.releaseReservation(region);
      }
    }
    return o;
  }

  /**
   * {@code count} replicas of one order: placed once (shared ancestor) or placed again with the
   * same key in other regions (failover retries, sometimes with a different body), then edited.
   */
  public List<Order> divergentOrders(int count) {
    PlaceOrder first = placeCommand("alice", "k-1", 0);
    Order ancestor = placeIn(region(), first);
    List<Order> replicas = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String region = region();
      Order base;
      int kind = random.nextInt(4);
      if (kind == 0) {
        base = placeIn(region, placeCommand("alice", "k-1", random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0));
      } else if (kind == 1 && !replicas.isEmpty()) {
        base = replicas.get(random.nextInt(replicas.size()));
      } else {
        base = ancestor;
      }
      replicas.add(editOrder(base, region, random.nextInt(3)));
    }
    return replicas;
  }
}
