package dev.meridian.domain.order;

import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.RegionStock;
import dev.meridian.domain.stock.StockAllocation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An order's replicated state.
 *
 * <p>Merge rules (each a join, so the whole is commutative, associative and idempotent):
 * <ul>
 *   <li>{@code body}: the first placement (smallest stamp) wins;</li>
 *   <li>{@code status}: maximum over {@link OrderStatus}'s precedence, then stamp;</li>
 *   <li>{@code reservations}: grow-only map region → reservation, each entry merged by its
 *       furthest state;</li>
 *   <li>{@code conflicts}: grow-only set.</li>
 * </ul>
 * {@link #merge} is pure; {@link #reconcile} is merge plus the conflicts the two sides reveal,
 * which is what a region does when a remote state arrives. Both are deterministic, so two regions
 * reconciling the same pair write identical states.
 *
 * <p>Duplicate reservations (the same order reserved in two regions during failover): the
 * reservation that stands is the earliest ({@code reservedAt}) of those made for the winning
 * body; every other region releases its own units ({@link #actionFor}).
 */
public record Order(OrderId id, OrderBody body, StatusEntry status, SortedMap<String, Reservation> reservations,
    SortedSet<Conflict> conflicts) {

  public static final String ENTITY = "order";

  /** What a region must do to its own allocation for this order. */
  public enum ReservationAction { NONE, RELEASE }

  public Order {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(status, "status");
    reservations = Collections.unmodifiableSortedMap(new TreeMap<>(reservations));
    conflicts = Collections.unmodifiableSortedSet(new TreeSet<>(conflicts));
    reservations.forEach((region, r) -> {
      if (!region.equals(r.region())) {
        throw new IllegalArgumentException("reservation of " + r.region() + " filed under " + region);
      }
    });
  }

  /**
   * A placement that reserved its units in {@code body.homeRegion()}: {@code takes} says, per
   * product, which of that region's shards gave them.
   */
  public static Order placed(OrderId id, OrderBody body, Map<ProductId, List<RegionStock.Take>> takes) {
    if (body.initialStatus() != OrderStatus.PLACED) {
      throw new IllegalArgumentException("body was not placed with reserved stock");
    }
    Reservation reservation = Reservation.of(body.homeRegion(), body.placedAt(), body, takes);
    if (!reservation.units().equals(unitsOf(body))) {
      throw new IllegalArgumentException("the reservation must hold exactly the body's units");
    }
    return new Order(id, body, new StatusEntry(OrderStatus.PLACED, body.placedAt()),
        new TreeMap<>(Map.of(body.homeRegion(), reservation)), new TreeSet<>());
  }

  /** A placement accepted while the units are still to come from other regions. */
  public static Order pendingStock(OrderId id, OrderBody body) {
    if (body.initialStatus() != OrderStatus.PENDING_STOCK) {
      throw new IllegalArgumentException("body was not placed pending stock");
    }
    return new Order(id, body, new StatusEntry(OrderStatus.PENDING_STOCK, body.placedAt()),
        new TreeMap<>(), new TreeSet<>());
  }

  /**
   * The order exactly as its placement answered: what a replay of the same key returns. The hold
   * of a placement that reserved is the home region's (whatever happened to it since).
   */
  public Order asPlaced() {
    if (body.initialStatus() == OrderStatus.PENDING_STOCK) {
      return pendingStock(id, body);
    }
    // An answer shows the units held, not the shards: before the home region's hold has replicated
    // here, the answer is rebuilt from the body (as if taken from the head shard).
    Reservation home = Optional.ofNullable(reservations.get(body.homeRegion()))
        .orElseGet(() -> Reservation.of(body.homeRegion(), body.placedAt(), body, headTakes(unitsOf(body))));
    return new Order(id, body, new StatusEntry(OrderStatus.PLACED, body.placedAt()),
        new TreeMap<>(Map.of(home.region(), home.withState(ReservationState.RESERVED))), new TreeSet<>());
  }

  public CustomerId customer() {
    return body.customer();
  }

  public OrderStatus currentStatus() {
    return status.status();
  }

  public boolean isOwnedBy(CustomerId customer) {
    return body.customer().equals(customer);
  }

  /**
   * This order cancelled by its owner. Cancelling a cancelled order changes nothing.
   *
   * @throws OrderStateException when the order has shipped
   */
  public Order cancel(HlcStamp stamp) {
    return switch (status.status()) {
      case CANCELLED -> this;
      case SHIPPED -> throw new OrderStateException(OrderStatus.SHIPPED, "order " + id + " has shipped and can no longer be cancelled");
      case PENDING_STOCK, PLACED -> withStatus(new StatusEntry(OrderStatus.CANCELLED, requireAfter(stamp)));
    };
  }

  /**
   * This order shipped from {@code region}, whose reservation must be the standing one.
   *
   * @throws OrderStateException unless the order is placed and {@code region} holds its standing reservation
   */
  public Order ship(String region, HlcStamp stamp) {
    if (status.status() != OrderStatus.PLACED) {
      throw new OrderStateException(status.status(), "order " + id + " is " + status.status() + ", not PLACED");
    }
    Reservation standing = standingReservation()
        .filter(r -> r.region().equals(region) && r.isActive())
        .orElseThrow(() -> new OrderStateException(status.status(), "order " + id + " is not held in " + region));
    return withStatus(new StatusEntry(OrderStatus.SHIPPED, requireAfter(stamp)))
        .withReservation(standing.withState(ReservationState.COMMITTED));
  }

  /**
   * The order confirmed in {@code region}: that region now holds the units of the winning body.
   * Allowed while no active reservation backs the winning body — a pending order, or one whose
   * status says placed only because a reservation for a losing body (same key, other lines) was
   * made and released. Confirming where the order is already held changes nothing.
   *
   * @throws OrderStateException when the order is cancelled or shipped, or held in another region
   */
  public Order confirm(String region, HlcStamp stamp, Map<ProductId, List<RegionStock.Take>> takes) {
    if (status.status().isTerminal()) {
      throw new OrderStateException(status.status(), "order " + id + " is " + status.status());
    }
    Optional<Reservation> backing = backingReservation();
    if (backing.isPresent()) {
      if (backing.get().region().equals(region)) {
        return this;
      }
      throw new OrderStateException(status.status(), "order " + id + " is already held in " + backing.get().region());
    }
    HlcStamp at = requireAfter(stamp);
    Reservation reservation = Reservation.of(region, at, body, takes);
    if (!reservation.units().equals(unitsOf(body))) {
      throw new IllegalArgumentException("the reservation must hold exactly the body's units");
    }
    Order reserved = withReservation(reservation);
    return status.status() == OrderStatus.PENDING_STOCK
        ? reserved.withStatus(new StatusEntry(OrderStatus.PLACED, at))
        : reserved;
  }

  /** An active reservation made for the winning body, if any: what a pending demand would duplicate. */
  public Optional<Reservation> backingReservation() {
    String winning = winningFingerprint();
    return reservations.values().stream()
        .filter(r -> r.isActive() && r.fingerprint().equals(winning))
        .min(Comparator.comparing(Reservation::reservedAt));
  }

  /** The units the winning body needs, per product. */
  public SortedMap<ProductId, Integer> units() {
    return unitsOf(body);
  }

  /** This order with {@code region}'s reservation released (its units returned to its allocation). */
  public Order releaseReservation(String region) {
    Reservation mine = reservations.get(region);
    if (mine == null || !mine.isActive()) {
      return this;
    }
    return withReservation(mine.withState(ReservationState.RELEASED));
  }

  /** This order with a reservation added by {@code region} (a pending order confirmed). */
  public Order withReservation(Reservation reservation) {
    SortedMap<String, Reservation> next = new TreeMap<>(reservations);
    next.merge(reservation.region(), reservation, Reservation::merge);
    return new Order(id, body, status, next, conflicts);
  }

  /**
   * The reservation that backs the order. A committed (shipped) reservation stands whatever its
   * stamp, since its units have physically left; otherwise the earliest reservation made for the
   * winning body stands. Deterministic, so every region agrees which duplicate to release.
   */
  public Optional<Reservation> standingReservation() {
    Comparator<Reservation> earliest = Comparator.comparing(Reservation::reservedAt);
    Optional<Reservation> shipped = reservations.values().stream()
        .filter(r -> r.state() == ReservationState.COMMITTED)
        .min(earliest);
    if (shipped.isPresent()) {
      return shipped;
    }
    String winning = winningFingerprint();
    return reservations.values().stream()
        .filter(r -> r.fingerprint().equals(winning))
        .min(earliest);
  }

  /**
   * The fingerprint of the body that wins first placement among the body this state shows and the
   * bodies its holds were made for. A replica's order item can be older than a hold it holds (global
   * tables overwrite an item with another region's write until the merge comes back), and a
   * decision on the item alone would release the one hold that stands.
   */
  private String winningFingerprint() {
    return winningBody().fingerprint();
  }

  private record BodyId(HlcStamp placedAt, String fingerprint) {}

  private BodyId winningBody() {
    BodyId winner = new BodyId(body.placedAt(), body.fingerprint());
    for (Reservation r : reservations.values()) {
      if (r.bodyPrecedes(winner.placedAt(), winner.fingerprint())) {
        winner = new BodyId(r.bodyPlacedAt(), r.fingerprint());
      }
    }
    return winner;
  }

  /**
   * Whether a body placed at {@code placedAt} with {@code fingerprint} wins first placement over
   * every body this state shows: then this state is older than that body's placement (the body's
   * order item has not reached this replica yet), and no decision that depends on which body
   * wins may be taken on it.
   */
  public boolean isOlderThanBody(HlcStamp placedAt, String fingerprint) {
    BodyId winner = winningBody();
    int byTime = placedAt.compareTo(winner.placedAt());
    return byTime < 0 || byTime == 0 && fingerprint.compareTo(winner.fingerprint()) < 0;
  }

  /**
   * What {@code region} must do to its own allocation: release its units when the order is
   * cancelled, or when its reservation is not the standing one (a duplicate or a reservation for
   * a losing body).
   */
  public ReservationAction actionFor(String region) {
    Reservation mine = reservations.get(region);
    if (mine == null || !mine.isActive()) {
      return ReservationAction.NONE;
    }
    if (status.status() == OrderStatus.CANCELLED) {
      return ReservationAction.RELEASE;
    }
    boolean standing = standingReservation().map(r -> r.region().equals(region)).orElse(false);
    return standing ? ReservationAction.NONE : ReservationAction.RELEASE;
  }

  /**
   * The order's own item: body, status and conflicts, without the holds (each region's hold is an
   * item of its own, written by that region alone).
   */
  public Order itemState() {
    return reservations.isEmpty() ? this : new Order(id, body, status, new TreeMap<>(), conflicts);
  }

  /** This order seen with {@code holds} (each region's, as this replica holds them). */
  public Order withReservations(Collection<Reservation> holds) {
    Order with = this;
    for (Reservation hold : holds) {
      with = with.withReservation(hold);
    }
    return with;
  }

  /** The join of two replicas of this order. */
  public Order merge(Order other) {
    requireSameId(other);
    SortedMap<String, Reservation> mergedReservations = new TreeMap<>(reservations);
    other.reservations.forEach((region, r) -> mergedReservations.merge(region, r, Reservation::merge));
    SortedSet<Conflict> mergedConflicts = new TreeSet<>(conflicts);
    mergedConflicts.addAll(other.conflicts);
    return new Order(id, body.firstOf(other.body), status.merge(other.status), mergedReservations, mergedConflicts);
  }

  /** True when this state already reflects every write in {@code other}. */
  public boolean contains(Order other) {
    return merge(other).equals(this);
  }

  /**
   * What a region writes when {@code remote} arrives: the merge, plus a conflict record for every
   * concurrent write the merge resolved. Deterministic in the pair.
   */
  public Order reconcile(Order remote) {
    Order merged = merge(remote);
    List<Conflict> found = new ArrayList<>(conflictsWith(remote));
    found.addAll(merged.duplicateReservationConflicts());
    return merged.withConflicts(found);
  }

  /** The conflicts between this state's writes and {@code other}'s that a merge resolves. */
  public List<Conflict> conflictsWith(Order other) {
    requireSameId(other);
    List<Conflict> found = new ArrayList<>();
    if (!body.fingerprint().equals(other.body.fingerprint())) {
      OrderBody winner = body.firstOf(other.body);
      OrderBody loser = winner == body ? other.body : body;
      found.add(new Conflict(ENTITY, id.value(), "lines", "first-placement-wins",
          new Conflict.Side(winner.linesSummary(), winner.homeRegion(), winner.placedAt()),
          new Conflict.Side(loser.linesSummary(), loser.homeRegion(), loser.placedAt())));
    }
    if (status.status().isTerminal() && other.status.status().isTerminal() && status.status() != other.status.status()) {
      StatusEntry winner = status.merge(other.status);
      StatusEntry loser = winner == status ? other.status : status;
      found.add(new Conflict(ENTITY, id.value(), "status", "shipped-beats-cancelled",
          new Conflict.Side(winner.status().name(), winner.stamp().region(), winner.stamp()),
          new Conflict.Side(loser.status().name(), loser.stamp().region(), loser.stamp())));
    }
    return found;
  }

  private List<Conflict> duplicateReservationConflicts() {
    Optional<Reservation> standing = standingReservation();
    List<Conflict> found = new ArrayList<>();
    if (reservations.size() < 2) {
      return found;
    }
    Reservation winner = standing.orElseGet(() ->
        reservations.values().stream().min(Comparator.comparing(Reservation::reservedAt)).orElseThrow());
    for (Reservation r : reservations.values()) {
      if (r != winner) {
        found.add(new Conflict(ENTITY, id.value(), "reservation", "earliest-reservation-stands",
            new Conflict.Side("reserved in " + winner.region(), winner.region(), winner.reservedAt()),
            new Conflict.Side("reserved in " + r.region(), r.region(), r.reservedAt())));
      }
    }
    return found;
  }

  public Order withConflicts(Collection<Conflict> more) {
    if (conflicts.containsAll(more)) {
      return this;
    }
    SortedSet<Conflict> next = new TreeSet<>(conflicts);
    next.addAll(more);
    return new Order(id, body, status, reservations, next);
  }

  /** The newest stamp in this state: a local write must be stamped after it. */
  public HlcStamp latestStamp() {
    HlcStamp latest = HlcStamp.max(body.placedAt(), status.stamp());
    for (Reservation r : reservations.values()) {
      latest = HlcStamp.max(latest, r.reservedAt());
    }
    return latest;
  }

  private Order withStatus(StatusEntry next) {
    return new Order(id, body, next, reservations, conflicts);
  }

  private HlcStamp requireAfter(HlcStamp stamp) {
    if (stamp.compareTo(latestStamp()) <= 0) {
      throw new IllegalArgumentException("a write must be stamped after the state it replaces");
    }
    return stamp;
  }

  private void requireSameId(Order other) {
    if (!id.equals(other.id)) {
      throw new IllegalArgumentException("cannot merge " + id + " with " + other.id);
    }
  }

  private static Map<ProductId, List<RegionStock.Take>> headTakes(SortedMap<ProductId, Integer> units) {
    Map<ProductId, List<RegionStock.Take>> takes = new TreeMap<>();
    units.forEach((product, n) -> takes.put(product, List.of(new RegionStock.Take(StockAllocation.HEAD, n))));
    return takes;
  }

  static SortedMap<ProductId, Integer> unitsOf(OrderBody body) {
    SortedMap<ProductId, Integer> units = new TreeMap<>();
    body.lines().forEach(l -> units.merge(l.productId(), l.quantity(), Integer::sum));
    return units;
  }
}
