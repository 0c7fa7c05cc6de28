package dev.meridian.adapter.dynamodb;

import static dev.meridian.adapter.dynamodb.Attr.bool;
import static dev.meridian.adapter.dynamodb.Attr.l;
import static dev.meridian.adapter.dynamodb.Attr.m;
import static dev.meridian.adapter.dynamodb.Attr.n;
import static dev.meridian.adapter.dynamodb.Attr.num;
import static dev.meridian.adapter.dynamodb.Attr.s;
import static dev.meridian.adapter.dynamodb.Attr.str;
import static dev.meridian.adapter.dynamodb.TableDesign.ENTITY;
import static dev.meridian.adapter.dynamodb.TableDesign.GSI1_PK;
import static dev.meridian.adapter.dynamodb.TableDesign.GSI1_SK;
import static dev.meridian.adapter.dynamodb.TableDesign.ORIGIN_REGION;
import static dev.meridian.adapter.dynamodb.TableDesign.PK;
import static dev.meridian.adapter.dynamodb.TableDesign.SK;
import static dev.meridian.adapter.dynamodb.TableDesign.VERSION;

import dev.meridian.application.control.ControlState;
import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.IdempotencyKey;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderBody;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.OrderLine;
import dev.meridian.domain.order.OrderStatus;
import dev.meridian.domain.order.PendingDemand;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.order.ReservationState;
import dev.meridian.domain.order.StatusEntry;
import dev.meridian.domain.product.LwwRegister;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.domain.stock.Transfer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Maps domain states to table items and back. Items are plain DynamoDB maps and lists (readable
 * in the console and in stream records), never serialized JSON; every item carries
 * {@code entity}, {@code version} and {@code originRegion}.
 */
public final class Items {
  public static final String PRODUCT_PREFIX = "PRODUCT#";
  public static final String PRODUCT_SK = "PRODUCT";
  /** Before shards: one allocation per region in the product's partition (read for migration only). */
  public static final String LEGACY_ALLOCATION_PREFIX = "ALLOCATION#";
  /** The index key every old-shape allocation of a region carried (one index partition per region). */
  public static final String LEGACY_ALLOCATIONS_INDEX_PREFIX = "ALLOCATIONS#";
  public static final String STOCK_PREFIX = "STOCK#";
  public static final String STOCK_SK = "STOCK";
  public static final String HOLD_PREFIX = "HOLD#";
  public static final String DEMAND_PREFIX = "DEMAND#";
  public static final String HOLD_ENTITY = "hold";
  public static final String DEMAND_ENTITY = "demand";
  public static final String ALLOCATION_ENTITY = "allocation";
  /** Waiting demands spread over this many index partitions (the sweep reads them all). */
  public static final int DEMAND_BUCKETS = 8;
  public static final String ORDER_PREFIX = "ORDER#";
  public static final String ORDER_SK = "ORDER";
  public static final String REFUSAL_SK = "REFUSAL";
  public static final String PRODUCTS_INDEX_PK = "PRODUCTS";
  public static final String CUSTOMER_PREFIX = "CUSTOMER#";
  public static final String CONTROL = "CONTROL";
  public static final String CONFLICTS_PK = "CONFLICTS";
  public static final String CONFLICT_ENTITY = "conflict";

  private Items() {}

  // ------------------------------------------------------------------ keys

  public static Map<String, AttributeValue> productKey(ProductId id) {
    return key(PRODUCT_PREFIX + id.value(), PRODUCT_SK);
  }

  /** Before shards: a region's one allocation, in the product's partition. */
  public static Map<String, AttributeValue> legacyAllocationKey(ProductId id, String region) {
    return key(PRODUCT_PREFIX + id.value(), LEGACY_ALLOCATION_PREFIX + region);
  }

  /** A shard: its own partition, so a hot product's writes spread over as many partitions as it has shards. */
  public static Map<String, AttributeValue> shardKey(ProductId id, String region, int shard) {
    return key(STOCK_PREFIX + id.value() + "#" + region + "#" + shard, STOCK_SK);
  }

  public static Map<String, AttributeValue> holdKey(OrderId id, String region) {
    return key(ORDER_PREFIX + id.value(), HOLD_PREFIX + region);
  }

  public static Map<String, AttributeValue> demandKey(OrderId id, String region) {
    return key(ORDER_PREFIX + id.value(), DEMAND_PREFIX + region);
  }

  public static Map<String, AttributeValue> orderKey(OrderId id) {
    return key(ORDER_PREFIX + id.value(), ORDER_SK);
  }

  public static Map<String, AttributeValue> refusalKey(OrderId id) {
    return key(ORDER_PREFIX + id.value(), REFUSAL_SK);
  }

  public static Map<String, AttributeValue> controlKey() {
    return key(CONTROL, CONTROL);
  }

  static Map<String, AttributeValue> key(String pk, String sk) {
    Map<String, AttributeValue> key = new HashMap<>();
    key.put(PK, s(pk));
    key.put(SK, s(sk));
    return key;
  }

  // ------------------------------------------------------------------ products

  public static Map<String, AttributeValue> product(Product p, long version, String originRegion) {
    Map<String, AttributeValue> item = productKey(p.id());
    item.put(ENTITY, s(Product.ENTITY));
    item.put(GSI1_PK, s(PRODUCTS_INDEX_PK));
    item.put(GSI1_SK, s(p.id().value()));
    item.put("productId", s(p.id().value()));
    item.put("name", register(p.name(), Attr::s));
    item.put("description", register(p.description(), Attr::s));
    item.put("price", register(p.price(), Items::money));
    item.put("active", register(p.active(), Attr::bool));
    item.put(VERSION, n(version));
    item.put(ORIGIN_REGION, s(originRegion));
    return item;
  }

  public static Product product(Map<String, AttributeValue> item) {
    return new Product(ProductId.of(str(item, "productId")),
        register(item, "name", v -> v.s()),
        register(item, "description", v -> v.s()),
        register(item, "price", v -> money(v.m())),
        register(item, "active", AttributeValue::bool));
  }

  private static <T> AttributeValue register(LwwRegister<T> register, Function<T, AttributeValue> encode) {
    Map<String, AttributeValue> m = new HashMap<>();
    m.put("value", encode.apply(register.value()));
    m.put("stamp", s(register.stamp().encode()));
    m.put("superseded", l(register.superseded().stream().map(stamp -> s(stamp.encode())).toList()));
    return m(m);
  }

  private static <T> LwwRegister<T> register(Map<String, AttributeValue> item, String name,
      Function<AttributeValue, T> decode) {
    Map<String, AttributeValue> m = Attr.map(item, name);
    if (!m.containsKey("value")) {
      throw new CorruptItemException("register " + name + " has no value");
    }
    TreeSet<HlcStamp> superseded = new TreeSet<>();
    for (AttributeValue stamp : Attr.list(m, "superseded")) {
      if (stamp.s() == null) {
        throw new CorruptItemException("register " + name + " supersedes something that is not a stamp");
      }
      superseded.add(HlcStamp.decode(stamp.s()));
    }
    return new LwwRegister<>(decode.apply(m.get("value")), HlcStamp.decode(str(m, "stamp")), superseded);
  }

  static AttributeValue money(Money money) {
    return m(Map.of("amount", n(money.minorUnits()), "currency", s(money.currency())));
  }

  static Money money(Map<String, AttributeValue> m) {
    return Money.of(num(m, "amount"), str(m, "currency"));
  }

  // ------------------------------------------------------------------ stock shards

  /** A shard item. No index key: every shard's writes land on its own partition only. */
  public static Map<String, AttributeValue> shard(StockAllocation a, String originRegion) {
    Map<String, AttributeValue> item = shardKey(a.productId(), a.region(), a.shard());
    item.put(ENTITY, s(ALLOCATION_ENTITY));
    item.putAll(shardState(a));
    item.put(VERSION, n(a.revision()));
    item.put(ORIGIN_REGION, s(originRegion));
    return item;
  }

  private static Map<String, AttributeValue> shardState(StockAllocation a) {
    Map<String, AttributeValue> state = new HashMap<>();
    state.put("productId", s(a.productId().value()));
    state.put("region", s(a.region()));
    state.put("shard", n(a.shard()));
    state.put("shards", n(a.shards()));
    state.put("shardsEver", n(a.shardsEver()));
    state.put("available", n(a.available()));
    state.put("reserved", n(a.reserved()));
    state.put("sold", n(a.sold()));
    state.put("restocked", n(a.restocked()));
    state.put("received", n(a.received()));
    state.put("given", n(a.given()));
    state.put("settled", n(a.settled()));
    state.put("movedIn", n(a.movedIn()));
    state.put("movedOut", n(a.movedOut()));
    state.put("pending", n(a.pending()));
    state.put("receivedThrough", m(mapValues(a.receivedThrough(), Attr::n)));
    state.put("outgoing", m(mapValues(a.outgoing(), t -> m(Map.of("toRegion", s(t.toRegion()), "units", n(t.units()))))));
    return state;
  }

  /**
   * A shard, or an allocation written before shards existed (a legacy item, or an event of a region
   * not yet upgraded): that one is its region's head, its pending orders counted, its per-order
   * holds left out (their units are counted in {@code reserved}; migration moves them to holds).
   */
  public static StockAllocation allocation(Map<String, AttributeValue> item) {
    ProductId productId = ProductId.of(str(item, "productId"));
    String region = str(item, "region");
    boolean legacy = !item.containsKey("shard");
    SortedMap<String, Long> receivedThrough = new TreeMap<>();
    Attr.map(item, "receivedThrough").forEach((k, v) -> receivedThrough.put(k, Long.parseLong(v.n())));
    SortedMap<String, Transfer> outgoing = new TreeMap<>();
    Attr.map(item, "outgoing").forEach((k, v) -> outgoing.put(k,
        new Transfer(k, productId, region, str(v.m(), "toRegion"), num(v.m(), "units"))));
    long pending = legacy ? Attr.map(item, "pending").values().stream().mapToLong(v -> Long.parseLong(v.n())).sum()
        + (item.containsKey("migratedPending") ? num(item, "migratedPending") : 0)
        : num(item, "pending");
    int shard = legacy ? StockAllocation.HEAD : (int) num(item, "shard");
    try {
      return new StockAllocation(productId, region, shard, legacy ? 1 : (int) num(item, "shards"),
          legacy ? 1 : (int) num(item, "shardsEver"), num(item, "available"), num(item, "reserved"), num(item, "sold"),
          num(item, "restocked"), num(item, "received"), num(item, "given"), num(item, "settled"),
          legacy ? 0 : num(item, "movedIn"), legacy ? 0 : num(item, "movedOut"), pending, num(item, VERSION), outgoing,
          receivedThrough);
    } catch (IllegalStateException e) {
      throw new CorruptItemException("allocation " + productId + "@" + region + "#" + shard + " breaks an invariant: "
          + e.getMessage());
    }
  }

  // ------------------------------------------------------------------ holds and demands

  /** A region's hold of an order, written by that region alone. */
  public static Map<String, AttributeValue> hold(OrderId orderId, Reservation r, long version, String originRegion) {
    Map<String, AttributeValue> item = holdKey(orderId, r.region());
    item.put(ENTITY, s(HOLD_ENTITY));
    item.put("orderId", s(orderId.value()));
    item.putAll(holdState(r));
    item.put(VERSION, n(version));
    item.put(ORIGIN_REGION, s(originRegion));
    return item;
  }

  private static Map<String, AttributeValue> holdState(Reservation r) {
    Map<String, AttributeValue> takenFrom = new LinkedHashMap<>();
    r.takenFrom().forEach((product, shards) -> {
      Map<String, AttributeValue> byShard = new LinkedHashMap<>();
      shards.forEach((shard, units) -> byShard.put(Integer.toString(shard), n(units)));
      takenFrom.put(product.value(), m(byShard));
    });
    Map<String, AttributeValue> state = new HashMap<>();
    state.put("region", s(r.region()));
    state.put("reservedAt", s(r.reservedAt().encode()));
    state.put("fingerprint", s(r.fingerprint()));
    state.put("bodyPlacedAt", s(r.bodyPlacedAt().encode()));
    state.put("takenFrom", m(takenFrom));
    state.put("state", s(r.state().name()));
    return state;
  }

  public static OrderId holdOrderId(Map<String, AttributeValue> item) {
    return new OrderId(str(item, "orderId"));
  }

  public static Reservation hold(Map<String, AttributeValue> item) {
    SortedMap<ProductId, SortedMap<Integer, Long>> takenFrom = new TreeMap<>();
    Attr.map(item, "takenFrom").forEach((product, shards) -> {
      SortedMap<Integer, Long> byShard = new TreeMap<>();
      shards.m().forEach((shard, units) -> byShard.put(Integer.parseInt(shard), Long.parseLong(units.n())));
      takenFrom.put(ProductId.of(product), byShard);
    });
    return new Reservation(str(item, "region"), HlcStamp.decode(str(item, "reservedAt")), str(item, "fingerprint"),
        HlcStamp.decode(str(item, "bodyPlacedAt")), takenFrom, ReservationState.valueOf(str(item, "state")));
  }

  /** The index partition of a waiting demand: spread over {@link #DEMAND_BUCKETS} per region. */
  public static String demandsIndexKey(String region, int bucket) {
    return "DEMANDS#" + region + "#" + bucket;
  }

  public static int demandBucket(OrderId id) {
    return Math.floorMod(id.value().hashCode(), DEMAND_BUCKETS);
  }

  /** A region's pending demand of an order; in the sweep's index while it waits. */
  public static Map<String, AttributeValue> demand(PendingDemand d, long version, String originRegion) {
    Map<String, AttributeValue> item = demandKey(d.orderId(), d.region());
    item.put(ENTITY, s(DEMAND_ENTITY));
    item.put("orderId", s(d.orderId().value()));
    item.put("region", s(d.region()));
    Map<String, AttributeValue> units = new LinkedHashMap<>();
    d.units().forEach((p, q) -> units.put(p.value(), n(q)));
    item.put("units", m(units));
    item.put("fingerprint", s(d.fingerprint()));
    item.put("placedAt", s(d.placedAt().encode()));
    item.put("state", s(d.state().name()));
    if (d.isWaiting()) {
      item.put(GSI1_PK, s(demandsIndexKey(d.region(), demandBucket(d.orderId()))));
      item.put(GSI1_SK, s(d.placedAt().encode() + "#" + d.orderId().value()));
    }
    item.put(VERSION, n(version));
    item.put(ORIGIN_REGION, s(originRegion));
    return item;
  }

  public static PendingDemand demand(Map<String, AttributeValue> item) {
    SortedMap<ProductId, Integer> units = new TreeMap<>();
    Attr.map(item, "units").forEach((p, q) -> units.put(ProductId.of(p), Integer.parseInt(q.n())));
    return new PendingDemand(new OrderId(str(item, "orderId")), str(item, "region"), units, str(item, "fingerprint"),
        HlcStamp.decode(str(item, "placedAt")), PendingDemand.State.valueOf(str(item, "state")));
  }

  // ------------------------------------------------------------------ orders

  public static Map<String, AttributeValue> order(Order o, long version, String originRegion) {
    OrderBody b = o.body();
    Map<String, AttributeValue> item = orderKey(o.id());
    item.put(ENTITY, s(Order.ENTITY));
    item.put(GSI1_PK, s(CUSTOMER_PREFIX + b.customer().value()));
    item.put(GSI1_SK, s(b.placedAt().encode() + "#" + o.id().value()));
    item.put("orderId", s(o.id().value()));
    item.put("customerId", s(b.customer().value()));
    item.put("idempotencyKey", s(b.idempotencyKey().value()));
    List<AttributeValue> lines = new ArrayList<>();
    for (OrderLine line : b.lines()) {
      lines.add(m(Map.of("productId", s(line.productId().value()), "quantity", n(line.quantity()),
          "unitPrice", money(line.unitPrice()))));
    }
    item.put("lines", l(lines));
    item.put("total", money(b.total()));
    item.put("homeRegion", s(b.homeRegion()));
    item.put("fingerprint", s(b.fingerprint()));
    item.put("placedAt", s(b.placedAt().encode()));
    item.put("initialStatus", s(b.initialStatus().name()));
    item.put("status", m(Map.of("value", s(o.status().status().name()), "stamp", s(o.status().stamp().encode()))));
    List<AttributeValue> conflicts = new ArrayList<>();
    for (Conflict c : o.conflicts()) {
      conflicts.add(conflict(c));
    }
    item.put("conflicts", l(conflicts));
    item.put(VERSION, n(version));
    item.put(ORIGIN_REGION, s(originRegion));
    return item;
  }

  public static Order order(Map<String, AttributeValue> item) {
    OrderId id = new OrderId(str(item, "orderId"));
    List<OrderLine> lines = new ArrayList<>();
    for (AttributeValue v : Attr.list(item, "lines")) {
      lines.add(new OrderLine(ProductId.of(str(v.m(), "productId")), (int) num(v.m(), "quantity"),
          money(Attr.map(v.m(), "unitPrice"))));
    }
    OrderBody body = new OrderBody(new CustomerId(str(item, "customerId")), new IdempotencyKey(str(item, "idempotencyKey")),
        lines, money(Attr.map(item, "total")), str(item, "homeRegion"), str(item, "fingerprint"),
        HlcStamp.decode(str(item, "placedAt")), OrderStatus.valueOf(str(item, "initialStatus")));
    Map<String, AttributeValue> status = Attr.map(item, "status");
    // Written before holds were items of their own: each region's reservation on the order item,
    // its units taken from what is now that region's head shard.
    SortedMap<String, Reservation> reservations = new TreeMap<>();
    Attr.map(item, "reservations").forEach((region, v) -> {
      SortedMap<ProductId, SortedMap<Integer, Long>> takenFrom = new TreeMap<>();
      Attr.map(v.m(), "units").forEach((p, q) -> takenFrom.put(ProductId.of(p),
          new TreeMap<>(Map.of(StockAllocation.HEAD, Long.parseLong(q.n())))));
      HlcStamp reservedAt = HlcStamp.decode(str(v.m(), "reservedAt"));
      String fingerprint = str(v.m(), "fingerprint");
      // The old reservation did not say when its body was placed: the order's own body's time when
      // it was made for that body, else its own time (no earlier than its body's, so it never wins wrongly).
      HlcStamp bodyPlacedAt = fingerprint.equals(body.fingerprint()) ? body.placedAt() : reservedAt;
      reservations.put(region, new Reservation(region, reservedAt, fingerprint, bodyPlacedAt, takenFrom,
          ReservationState.valueOf(str(v.m(), "state"))));
    });
    TreeSet<Conflict> conflicts = new TreeSet<>();
    for (AttributeValue v : Attr.list(item, "conflicts")) {
      conflicts.add(conflict(v.m()));
    }
    return new Order(id, body, new StatusEntry(OrderStatus.valueOf(str(status, "value")), HlcStamp.decode(str(status, "stamp"))),
        reservations, conflicts);
  }

  public static AttributeValue conflict(Conflict c) {
    return m(Map.of("entity", s(c.entity()), "key", s(c.key()), "field", s(c.field()), "rule", s(c.rule()),
        "winner", side(c.winner()), "loser", side(c.loser()), "id", s(c.id())));
  }

  public static Conflict conflict(Map<String, AttributeValue> m) {
    return new Conflict(str(m, "entity"), str(m, "key"), str(m, "field"), str(m, "rule"),
        side(Attr.map(m, "winner")), side(Attr.map(m, "loser")));
  }

  private static AttributeValue side(Conflict.Side side) {
    return m(Map.of("value", s(side.value()), "region", s(side.region()), "stamp", s(side.stamp().encode())));
  }

  private static Conflict.Side side(Map<String, AttributeValue> m) {
    return new Conflict.Side(str(m, "value"), str(m, "region"), HlcStamp.decode(str(m, "stamp")));
  }

  // ------------------------------------------------------------------ conflict records

  /**
   * A recorded conflict, under one partition sorted by when it became observable, so the
   * newest come first. Two regions recording the same conflict write the same key.
   */
  public static Map<String, AttributeValue> conflictRecord(Conflict c, String originRegion) {
    Map<String, AttributeValue> item = conflictRecordKey(c);
    item.put(ENTITY, s(CONFLICT_ENTITY));
    item.put("conflict", conflict(c));
    item.put(VERSION, n(1));
    item.put(ORIGIN_REGION, s(originRegion));
    return item;
  }

  public static Map<String, AttributeValue> conflictRecordKey(Conflict c) {
    return key(CONFLICTS_PK, conflictPosition(c));
  }

  public static String conflictPosition(Conflict c) {
    return c.detectedAfter().encode() + "#" + c.id();
  }

  public static Conflict conflictRecord(Map<String, AttributeValue> item) {
    return conflict(Attr.map(item, "conflict"));
  }

  // ------------------------------------------------------------------ control

  public static Map<String, AttributeValue> control(ControlState state, long version, String originRegion) {
    Map<String, AttributeValue> item = controlKey();
    item.put(ENTITY, s("control"));
    item.put("primaryRegion", s(state.primaryRegion()));
    item.put("epoch", n(state.epoch()));
    item.put("killSwitches", m(mapValues(state.killSwitches(), Attr::bool)));
    item.put(VERSION, n(version));
    item.put(ORIGIN_REGION, s(originRegion));
    return item;
  }

  public static ControlState control(Map<String, AttributeValue> item) {
    SortedMap<String, Boolean> switches = new TreeMap<>();
    Attr.map(item, "killSwitches").forEach((region, v) -> switches.put(region, Boolean.TRUE.equals(v.bool())));
    return new ControlState(str(item, "primaryRegion"), num(item, "epoch"), switches);
  }

  private static <V> Map<String, AttributeValue> mapValues(Map<String, V> source, Function<V, AttributeValue> encode) {
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    source.forEach((k, v) -> out.put(k, encode.apply(v)));
    return out;
  }

  static Map<String, AttributeValue> bools(Map<String, Boolean> source) {
    return mapValues(source, b -> bool(b));
  }
}
