package dev.meridian.proofs.convergence;

import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.IdempotencyKey;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.OrderPlacement;
import dev.meridian.domain.order.OrderStateException;
import dev.meridian.domain.order.OrderStatus;
import dev.meridian.domain.order.PlaceOrder;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.product.LwwRegister;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.domain.stock.InsufficientStockException;
import dev.meridian.domain.stock.RegionStock;
import dev.meridian.domain.stock.StockAllocation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * N regions applying random local commands and exchanging full states over links with random
 * delay, reordering, duplication and temporary partitions (messages across a partition are
 * lost), merging on receipt exactly as a region's reconciler would. After the last command the
 * partitions heal and the regions gossip until nothing changes; {@link #run} then returns what
 * a verifier needs.
 */
final class ConvergenceSimulation {
  private static final List<String> ALL_REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-1", "us-west-2", "eu-central-1");
  private static final List<ProductId> PRODUCTS = List.of(ProductId.of("cup"), ProductId.of("mug"), ProductId.of("saucer"));
  private static final List<String> CUSTOMERS = List.of("alice", "bob", "carol");

  /** A write a region acknowledged to a client, to check against the final state. */
  sealed interface Ack permits ProductAck, PlacedAck, CancelAck {}

  record ProductAck(ProductId productId, Product written) implements Ack {}

  record PlacedAck(OrderId orderId, String fingerprint, String region) implements Ack {}

  record CancelAck(OrderId orderId, String region) implements Ack {}

  private record Message(long deliverAt, long sequence, String from, String to, Replica state) {}

  final Random random;
  final List<String> regions;
  final Map<String, Replica> replicas = new LinkedHashMap<>();
  final List<Ack> acks = new ArrayList<>();
  final Map<ProductId, Long> restockedTotal = new HashMap<>();
  private final Map<String, HybridLogicalClock> clocks = new HashMap<>();
  private final Set<String> partitioned = new HashSet<>();
  private final PriorityQueue<Message> inFlight = new PriorityQueue<>(
      (a, b) -> a.deliverAt != b.deliverAt ? Long.compare(a.deliverAt, b.deliverAt) : Long.compare(a.sequence, b.sequence));
  private long now = 1_732_600_000_000L;
  private long sequence;
  int messagesDelivered;
  int reshards;
  int gossipRounds;

  ConvergenceSimulation(long seed) {
    random = new Random(seed);
    int n = 2 + random.nextInt(4);
    regions = List.copyOf(ALL_REGIONS.subList(0, n));
    for (String region : regions) {
      long skew = random.nextInt(1_001) - 500;
      clocks.put(region, new HybridLogicalClock(region, () -> now + skew, Duration.ofMinutes(1)));
      replicas.put(region, Replica.empty());
    }
  }

  ConvergenceSimulation run() {
    int steps = 40 + random.nextInt(120);
    for (int step = 0; step < steps; step++) {
      now += random.nextInt(40);
      int action = random.nextInt(100);
      if (action < 45) {
        localCommand(regions.get(random.nextInt(regions.size())));
      } else if (action < 75) {
        send(randomRegion(), randomRegion());
      } else if (action < 92) {
        deliverDue();
      } else {
        togglePartition();
      }
    }
    partitioned.clear();
    quiesce();
    return this;
  }

  // ---------------------------------------------------------------- local commands

  private void localCommand(String region) {
    Replica r = replicas.get(region);
    int kind = random.nextInt(100);
    if (kind < 20) {
      upsertProduct(region, r);
    } else if (kind < 32) {
      restock(region, r);
    } else if (kind < 35) {
      reshard(region, r);
    } else if (kind < 75) {
      placeOrder(region, r);
    } else if (kind < 87) {
      cancelOrder(region, r);
    } else if (kind < 95) {
      shipOrder(region, r);
    } else {
      transfer(region, r);
    }
  }

  private void upsertProduct(String region, Replica r) {
    ProductId id = PRODUCTS.get(random.nextInt(PRODUCTS.size()));
    UpsertProduct command = new UpsertProduct(id, "name-" + random.nextInt(3), "", Money.of(100 + 50L * random.nextInt(3), "EUR"),
        random.nextInt(5) != 0);
    Product current = r.products().get(id);
    Product written = current == null
        ? Product.create(command, clocks.get(region).now())
        : current.apply(command, clocks.get(region).after(current.latestStamp()));
    r.products().put(id, written);
    acks.add(new ProductAck(id, written));
  }

  private void restock(String region, Replica r) {
    ProductId id = PRODUCTS.get(random.nextInt(PRODUCTS.size()));
    long units = 1 + random.nextInt(6);
    store(r, ownStock(r, id, region).restock(units));
    restockedTotal.merge(id, units, Long::sum);
  }

  /** Splits a region's stock of a product into more or fewer shards: units move, none is created or lost. */
  private void reshard(String region, Replica r) {
    ProductId id = PRODUCTS.get(random.nextInt(PRODUCTS.size()));
    store(r, ownStock(r, id, region).reshard(1 + random.nextInt(4)));
    reshards++;
  }

  private void placeOrder(String region, Replica r) {
    String customer = CUSTOMERS.get(random.nextInt(CUSTOMERS.size()));
    String key = "k" + random.nextInt(6);
    // Mostly a faithful retry of the same request; sometimes a client reuses a key with another body.
    int variant = random.nextInt(8) == 0 ? random.nextInt(3) : (customer + key).hashCode() & 1;
    List<PlaceOrder.Line> lines = new ArrayList<>();
    lines.add(new PlaceOrder.Line(PRODUCTS.get(variant).value(), 1 + (variant + key.length()) % 3));
    if (variant == 2) {
      lines.add(new PlaceOrder.Line("cup", 1));
    }
    PlaceOrder command = new PlaceOrder(new CustomerId(customer), new IdempotencyKey(key), lines);
    Order existing = r.orders().get(command.orderId());
    if (existing != null) {
      if (existing.body().fingerprint().equals(command.fingerprint())) {
        acks.add(new PlacedAck(existing.id(), existing.body().fingerprint(), region)); // replay: original answer
      }
      return; // different body: 422, nothing written
    }
    Map<ProductId, RegionStock> local = new HashMap<>();
    for (ProductId id : PRODUCTS) {
      local.put(id, ownStock(r, id, region));
    }
    HlcStamp stamp = clocks.get(region).now();
    OrderPlacement.Decision decision = OrderPlacement.decide(command, r.products(), local, Map.of(), region, stamp,
        () -> random.nextInt(8));
    if (decision instanceof OrderPlacement.Reserved reserved) {
      r.orders().put(reserved.order().id(), reserved.order());
      reserved.after().values().forEach(stock -> store(r, stock));
      acks.add(new PlacedAck(reserved.order().id(), reserved.order().body().fingerprint(), region));
    }
  }

  private void cancelOrder(String region, Replica r) {
    Order order = randomOrder(r);
    if (order == null) {
      return;
    }
    try {
      Order cancelled = order.cancel(clocks.get(region).after(order.latestStamp()));
      r.orders().put(cancelled.id(), cancelled);
      acks.add(new CancelAck(cancelled.id(), region));
      react(region, r);
    } catch (OrderStateException shipped) {
      // 409: nothing written
    }
  }

  private void shipOrder(String region, Replica r) {
    Order order = randomOrder(r);
    if (order == null || order.currentStatus() != OrderStatus.PLACED
        || !order.standingReservation().map(x -> x.region().equals(region) && x.isActive()).orElse(false)) {
      return;
    }
    Order shipped = order.ship(region, clocks.get(region).after(order.latestStamp()));
    r.orders().put(shipped.id(), shipped);
    Reservation hold = shipped.standingReservation().orElseThrow();
    for (ProductId id : hold.units().keySet()) {
      store(r, ownStock(r, id, region).commit(hold.takes(id)));
    }
  }

  private void transfer(String region, Replica r) {
    ProductId id = PRODUCTS.get(random.nextInt(PRODUCTS.size()));
    String to = randomRegion();
    if (to.equals(region)) {
      return;
    }
    try {
      store(r, ownStock(r, id, region).give(to, 1 + random.nextInt(3)));
    } catch (InsufficientStockException e) {
      // nothing to give
    }
  }

  // ---------------------------------------------------------------- replication

  private void send(String from, String to) {
    if (from.equals(to)) {
      return;
    }
    if (partitioned.contains(link(from, to))) {
      return; // lost: full-state exchange tolerates loss, the next send carries everything
    }
    Replica snapshot = replicas.get(from).copy();
    int copies = random.nextInt(10) == 0 ? 2 : 1; // duplication
    for (int i = 0; i < copies; i++) {
      inFlight.add(new Message(now + random.nextInt(400), sequence++, from, to, snapshot));
    }
  }

  private void deliverDue() {
    List<Message> due = new ArrayList<>();
    while (!inFlight.isEmpty() && inFlight.peek().deliverAt <= now) {
      due.add(inFlight.poll());
    }
    java.util.Collections.shuffle(due, random); // reordering among the due
    for (Message m : due) {
      if (!partitioned.contains(link(m.from, m.to))) {
        receive(m.to, m.state);
      }
    }
  }

  private void togglePartition() {
    String a = randomRegion();
    String b = randomRegion();
    if (!a.equals(b) && !partitioned.remove(link(a, b))) {
      partitioned.add(link(a, b));
    }
  }

  /** What a region does with a remote state: merge everything, record conflicts, then react. */
  void receive(String region, Replica remote) {
    messagesDelivered++;
    Replica local = replicas.get(region);
    HybridLogicalClock clock = clocks.get(region);
    remote.products().forEach((id, theirs) -> {
      Product mine = local.products().get(id);
      clock.observe(theirs.latestStamp());
      if (mine == null) {
        local.products().put(id, theirs);
      } else if (!mine.contains(theirs)) {
        local.productConflicts().addAll(mine.conflictsWith(theirs));
        local.products().put(id, mine.merge(theirs));
      }
    });
    local.productConflicts().addAll(remote.productConflicts());
    remote.allocations().forEach((key, theirs) -> {
      if (!theirs.region().equals(region)) { // the owner's own copy is authoritative
        local.allocations().merge(key, theirs, StockAllocation::merge);
      }
    });
    remote.orders().forEach((id, theirs) -> {
      Order mine = local.orders().get(id);
      clock.observe(theirs.latestStamp());
      local.orders().put(id, mine == null ? theirs : mine.reconcile(theirs));
    });
    react(region, local);
  }

  /** The reconciler's duties: release reservations that must not stand, receive and settle transfers. */
  private void react(String region, Replica r) {
    for (Order order : new ArrayList<>(r.orders().values())) {
      if (order.actionFor(region) == Order.ReservationAction.RELEASE) {
        Reservation mine = order.reservations().get(region);
        for (ProductId id : mine.units().keySet()) {
          store(r, ownStock(r, id, region).release(mine.takes(id)));
        }
        r.orders().put(order.id(), order.releaseReservation(region));
      }
    }
    for (StockAllocation giver : new ArrayList<>(r.allocations().values())) {
      if (!giver.region().equals(region) && giver.isHead()) {
        RegionStock own = ownStock(r, giver.productId(), region);
        store(r, own.with(own.head().receiveFrom(giver)));
      }
    }
    for (StockAllocation receiver : new ArrayList<>(r.allocations().values())) {
      if (!receiver.region().equals(region) && receiver.isHead()) {
        RegionStock own = ownStock(r, receiver.productId(), region);
        if (!own.shards().isEmpty()) {
          store(r, own.with(own.head().settleWith(receiver)));
        }
      }
    }
  }

  /** Healed links, no new commands: gossip in rounds until a round changes nothing. */
  private void quiesce() {
    now += 1_000;
    deliverAllPending();
    for (gossipRounds = 1; gossipRounds <= 20; gossipRounds++) {
      Map<String, Replica> before = new HashMap<>();
      replicas.forEach((region, r) -> before.put(region, r.copy()));
      for (String from : regions) {
        for (String to : regions) {
          if (!from.equals(to)) {
            receive(to, replicas.get(from).copy());
          }
        }
      }
      if (before.equals(replicas)) {
        return;
      }
    }
  }

  private void deliverAllPending() {
    while (!inFlight.isEmpty()) {
      Message m = inFlight.poll();
      receive(m.to, m.state);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** A region's stock of a product in {@code r}: every shard of it {@code r} holds. */
  RegionStock ownStock(Replica r, ProductId id, String region) {
    List<StockAllocation> shards = new ArrayList<>();
    r.allocations().values().forEach(a -> {
      if (a.productId().equals(id) && a.region().equals(region)) {
        shards.add(a);
      }
    });
    return RegionStock.of(id, region, shards);
  }

  private static void store(Replica r, RegionStock stock) {
    stock.shards().values().forEach(shard -> r.allocations().put(Replica.allocationKey(shard), shard));
  }

  private Order randomOrder(Replica r) {
    if (r.orders().isEmpty()) {
      return null;
    }
    List<Order> all = new ArrayList<>(r.orders().values());
    return all.get(random.nextInt(all.size()));
  }

  private String randomRegion() {
    return regions.get(random.nextInt(regions.size()));
  }

  private static String link(String a, String b) {
    return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
  }

  static <T> boolean registerContains(LwwRegister<T> finalRegister, LwwRegister<T> acknowledged) {
    return finalRegister.stamp().compareTo(acknowledged.stamp()) >= 0;
  }

  static boolean recorded(Order order, String field) {
    return order.conflicts().stream().map(Conflict::field).anyMatch(field::equals);
  }
}
