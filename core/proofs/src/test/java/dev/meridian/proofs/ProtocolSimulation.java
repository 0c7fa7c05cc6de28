package dev.meridian.proofs;

import dev.meridian.application.catalog.CatalogEntry;
import dev.meridian.application.catalog.CatalogService;
import dev.meridian.application.control.ControlService;
import dev.meridian.application.control.Deployment;
import dev.meridian.application.control.DeploymentMode;
import dev.meridian.application.control.StockRoles;
import dev.meridian.application.orders.OrderService;
import dev.meridian.application.replication.Change;
import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.application.replication.PublishService;
import dev.meridian.application.replication.ReconcileService;
import dev.meridian.application.replication.StoredChange;
import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.order.CancelOrder;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.IdempotencyKey;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.PendingDemand;
import dev.meridian.domain.order.PlaceOrder;
import dev.meridian.domain.product.LwwRegister;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.domain.stock.RegionStock;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.domain.stock.Transfer;
import dev.meridian.proofs.Trace.Kind;
import dev.meridian.testkit.memory.HoldItem;
import dev.meridian.testkit.memory.ReplicaTable;
import dev.meridian.testkit.memory.ReplicaTable.Item;
import dev.meridian.testkit.memory.TableKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * One generated history of three regions running the real use cases ({@link OrderService},
 * {@link CatalogService}, {@link PublishService}, {@link ReconcileService}) over in-memory
 * replicas of the global table, deterministically: a seeded {@link Random}, a virtual clock, an
 * agenda of timed actions, no threads.
 *
 * <p>What travels between regions, as in the deployed system:
 * <ul>
 *   <li><b>Global-table replication</b>: every local write ships the whole item to every other
 *       replica after a random delay; the receiver keeps the item with the later replication
 *       timestamp, overwriting silently. Between an application's read and its conditional
 *       write, a pending replicated write sometimes lands.</li>
 *   <li><b>Change events</b>: every change in a replica's stream goes through the real
 *       {@link PublishService} (which publishes only the region's own writes); the bus refuses
 *       some entries (the batch is retried from the first refused record, republishing the rest),
 *       and delivers each event to every peer's reconciler at least once, delayed, reordered,
 *       sometimes twice. An event the reconciler gives up on (contention) is delivered again.</li>
 *   <li><b>Faults</b>: partitions between region pairs and a lost region. Nothing is lost:
 *       replication and events across a partitioned pair or to or from a lost region wait for
 *       the heal or the recovery; a lost region serves no client and publishes nothing until
 *       it recovers.</li>
 * </ul>
 * After the workload, everything heals and recovers and the agenda runs until nothing is left.
 *
 * <p>In active-passive mode ({@link ActivePassive}), the real {@link ControlService} of each region
 * reads one shared control item: clients go to the primary (now and then to another region, which
 * refuses), the primary is lost with its unreplicated writes parked, the standby is promoted and
 * sells, the old primary recovers, and half the histories promote it back (fail-back).
 */
final class ProtocolSimulation {
  static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-1");
  static final List<ProductId> PRODUCTS = List.of(ProductId.of("cup"), ProductId.of("mug"), ProductId.of("tray"));
  /** The product fields edits change; each write gets a unique value so every lost write is identifiable. */
  static final List<String> EDITED_FIELDS = List.of("name", "description", "price");
  private static final List<String> CUSTOMERS = List.of("alice", "bob", "carol", "dave", "erin");
  static final long START_MILLIS = 1_767_225_600_000L;
  private static final long WORKLOAD_MILLIS = 3_000;
  /** Transfers on, with a pending-stock timeout shorter than the workload so that both outcomes of a 202 happen. */
  static final dev.meridian.application.replication.StockPolicy STOCK_POLICY =
      new dev.meridian.application.replication.StockPolicy(2, java.time.Duration.ofMillis(1_500));
  private static final long SWEEP_EVERY_MILLIS = 500;
  private static final int MAX_STEPS = 500_000;
  private static final String CURRENCY = "EUR";
  static final String PRIMARY = REGIONS.get(0);
  static final String STANDBY = REGIONS.get(1);

  /** Active-passive mode: {@link #PRIMARY} first, {@link #STANDBY} keeping {@code reservePercent} of every restock. */
  record ActivePassive(int reservePercent) {}

  /** A placement a client saw succeed (201), first time or replayed. */
  record PlacedAck(OrderId orderId, String fingerprint, HlcStamp placedAt, String region) {}

  /** A cancellation a client saw succeed. */
  record CancelAck(OrderId orderId, String region) {}

  /**
   * One register of a product written by an acknowledged create or replace; {@code replaced} is the
   * stamp of the value the writer saw and overwrote (null for a create).
   */
  record RegisterWrite(ProductId product, String field, String value, HlcStamp stamp, HlcStamp replaced, String region) {}

  /** Counters for the run's summary and for proving the generator reaches the hard cases. */
  static final class Stats {
    long clientRequests;
    long eventsPublished;
    long eventsDelivered;
    long duplicateEvents;
    long refusedByBus;
    long contentionRetries;
    long replicatedWrites;
    long silentOverwrites;
    long staleReplicationsDropped;
    long interleavedReplications;
    long duplicatePlacements;
    long transfers;
    long transferUnitsReceived;
    long holdsReleasedByReconciler;
    long pendingPlacements;
    long pendingConfirmedByTransfer;
    long pendingConfirmedBySweep;
    long pendingCancelled;
    long transferUnitsGiven;
    long remoteCancels;
    long partitions;
    long regionFailures;
    long conflictsRecorded;
    long productConflicts;
    long duplicateReservations;
    long reshards;
    long promotions;
    long failBacks;
    long placedByPromotedStandbyDuringOutage;
    long unitsGivenToReserve;
    long unitsGivenToPrimary;
    long refusedByStandby;

    void add(Stats o) {
      promotions += o.promotions;
      failBacks += o.failBacks;
      placedByPromotedStandbyDuringOutage += o.placedByPromotedStandbyDuringOutage;
      unitsGivenToReserve += o.unitsGivenToReserve;
      unitsGivenToPrimary += o.unitsGivenToPrimary;
      refusedByStandby += o.refusedByStandby;
      clientRequests += o.clientRequests;
      eventsPublished += o.eventsPublished;
      eventsDelivered += o.eventsDelivered;
      pendingPlacements += o.pendingPlacements;
      pendingConfirmedByTransfer += o.pendingConfirmedByTransfer;
      pendingConfirmedBySweep += o.pendingConfirmedBySweep;
      pendingCancelled += o.pendingCancelled;
      transferUnitsGiven += o.transferUnitsGiven;
      duplicateEvents += o.duplicateEvents;
      refusedByBus += o.refusedByBus;
      contentionRetries += o.contentionRetries;
      replicatedWrites += o.replicatedWrites;
      silentOverwrites += o.silentOverwrites;
      staleReplicationsDropped += o.staleReplicationsDropped;
      interleavedReplications += o.interleavedReplications;
      duplicatePlacements += o.duplicatePlacements;
      transfers += o.transfers;
      transferUnitsReceived += o.transferUnitsReceived;
      holdsReleasedByReconciler += o.holdsReleasedByReconciler;
      remoteCancels += o.remoteCancels;
      partitions += o.partitions;
      regionFailures += o.regionFailures;
      conflictsRecorded += o.conflictsRecorded;
      productConflicts += o.productConflicts;
      duplicateReservations += o.duplicateReservations;
      reshards += o.reshards;
    }
  }

  private record Scheduled(long at, long sequence, Runnable action) {}

  /** An item or an event on its way from one region to another. */
  private static final class Delivery {
    final String from;
    final String to;
    final Item item;
    final ChangeEvent event;
    boolean done;

    Delivery(String from, String to, Item item, ChangeEvent event) {
      this.from = from;
      this.to = to;
      this.item = item;
      this.event = event;
    }

    String link() {
      return from + ">" + to;
    }
  }

  final long seed;
  /** Null in active-active mode. */
  final ActivePassive activePassive;
  final Trace trace;
  final Stats stats = new Stats();
  final Map<String, SimulatedRegion> regions = new LinkedHashMap<>();
  final List<PlacedAck> placedAcks = new ArrayList<>();
  /** Orders answered 202: each must end confirmed or cancelled, never left pending. */
  final List<OrderId> pendingAcks = new ArrayList<>();
  final List<CancelAck> cancelAcks = new ArrayList<>();
  final List<RegisterWrite> registerWrites = new ArrayList<>();
  final Set<ProductId> created = new TreeSet<>();
  final Map<ProductId, Long> restocked = new TreeMap<>();

  private final Random random;
  private final PriorityQueue<Scheduled> agenda = new PriorityQueue<>(
      (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.sequence, b.sequence));
  private final Set<String> partitioned = new TreeSet<>();
  private final Set<String> down = new TreeSet<>();
  private final Map<String, List<Delivery>> parked = new TreeMap<>();
  private final Map<String, LinkedHashSet<Delivery>> pendingReplication = new LinkedHashMap<>();
  private final List<PlaceOrder> commands = new ArrayList<>();
  private final Map<OrderId, String> placedIn = new LinkedHashMap<>();
  private final List<ProductId> products;
  private long now = START_MILLIS;
  private long sequence;
  private long uniqueValues;
  private boolean interleaving;
  /** A region wrote its own allocation since stock was last checked (replicas of others' never change the sum). */
  private boolean allocationWritten;
  /** Every head shard as its region last wrote it: what a new write gave away is the difference. */
  private final Map<String, StockAllocation> lastOwnHead = new TreeMap<>();
  /**
   * Per region and product, the standby reserve as that region's replica showed it when the event
   * being applied arrived. Replication landing between the reconciler's read and its write can only
   * reveal more restocks, so this is what the reconciler's decision could rely on.
   */
  private final Map<String, Long> reserveWhenTheEventArrived = new TreeMap<>();

  ProtocolSimulation(long seed, boolean tracing) {
    this(seed, tracing, null);
  }

  ProtocolSimulation(long seed, boolean tracing, ActivePassive activePassive) {
    this.seed = seed;
    this.activePassive = activePassive;
    SharedControlItem controlItem = new SharedControlItem();
    this.random = new Random(seed);
    this.trace = new Trace(tracing);
    this.products = PRODUCTS.subList(0, 1 + random.nextInt(PRODUCTS.size()));
    for (String name : REGIONS) {
      long skew = random.nextInt(41) - 20;
      pendingReplication.put(name, new LinkedHashSet<>());
      regions.put(name, new SimulatedRegion(name, () -> now + skew,
          (item, local) -> changed(name, item, local), read -> interleaveReplication(name, read), events -> publish(name, events),
          () -> random.nextInt(StockAllocation.MAX_SHARDS),
          activePassive == null ? null : new ControlService(controlItem, new Deployment(name, DeploymentMode.ACTIVE_PASSIVE,
              PRIMARY, STANDBY, REGIONS, activePassive.reservePercent()))));
    }
  }

  ProtocolSimulation run() {
    scheduleWorkload();
    scheduleFaults();
    at(START_MILLIS + WORKLOAD_MILLIS, this::healAndRecoverEverything);
    // The reconcilers' schedule, as in production: it keeps ticking while anything else is going on
    // or any region still has pending demand (the timeout bounds that).
    at(START_MILLIS + SWEEP_EVERY_MILLIS, this::sweepTick);
    int steps = 0;
    while (!agenda.isEmpty()) {
      if (++steps > MAX_STEPS) {
        throw new IllegalStateException("no quiescence after " + MAX_STEPS + " steps");
      }
      Scheduled next = agenda.poll();
      now = Math.max(now, next.at);
      next.action.run();
      if (allocationWritten) {
        allocationWritten = false;
        ProtocolInvariants.requireStockConserved(this);
      }
    }
    return this;
  }

  long elapsed() {
    return now - START_MILLIS;
  }

  /** Empty when nothing is left to do anywhere, else what is left. */
  String backlog() {
    StringBuilder left = new StringBuilder();
    if (!agenda.isEmpty()) {
      left.append(agenda.size()).append(" scheduled actions; ");
    }
    parked.forEach((link, deliveries) -> left.append(deliveries.size()).append(" parked on ").append(link).append("; "));
    regions.values().forEach(r -> {
      if (!r.stream.isEmpty()) {
        left.append(r.stream.size()).append(" unpublished stream records in ").append(r.name).append("; ");
      }
    });
    pendingReplication.forEach((to, deliveries) -> {
      if (!deliveries.isEmpty()) {
        left.append(deliveries.size()).append(" replicated writes still owed to ").append(to).append("; ");
      }
    });
    return left.toString();
  }

  // ---------------------------------------------------------------- workload

  private void scheduleWorkload() {
    for (ProductId product : products) {
      String region = randomRegion();
      long t = random.nextInt(60);
      at(START_MILLIS + t, () -> createProduct(region, product));
      if (random.nextInt(4) == 0) {
        // The same product created in two regions before either hears of the other: every field conflicts.
        String other = otherRegion(region);
        at(START_MILLIS + t + random.nextInt(30), () -> createProduct(other, product));
      }
      for (String r : REGIONS) {
        if (random.nextInt(10) < 7) {
          at(START_MILLIS + 150 + random.nextInt(400), () -> restock(route(r), product));
        }
      }
    }
    int operations = 15 + random.nextInt(30);
    for (int i = 0; i < operations; i++) {
      long t = START_MILLIS + 100 + random.nextInt((int) WORKLOAD_MILLIS - 200);
      int kind = random.nextInt(100);
      String region = randomRegion();
      if (kind < 30) {
        at(t, () -> place(route(region), newCommand(), "new", 1));
      } else if (kind < 40) {
        at(t, () -> retryElsewhere(route(region)));
      } else if (kind < 43) {
        at(t, () -> reuseKey(route(region)));
      } else if (kind < 55) {
        at(t, () -> cancel(route(region)));
      } else if (kind < 68) {
        at(t, () -> editProduct(route(region), randomProduct()));
      } else if (kind < 76) {
        at(t, () -> restock(route(region), randomProduct()));
      } else if (kind < 84) {
        at(t, () -> transfer(route(region), randomProduct()));
      } else if (kind < 88) {
        at(t, () -> reshard(route(region), randomProduct()));
      } else {
        at(t, () -> lastUnitsEverywhere(randomProduct()));
      }
    }
  }

  /**
   * Where a client's request lands: in active-passive mode Route 53's failover record sends most to
   * the primary of the moment; a client with an old DNS answer still reaches {@code chosen}.
   */
  private String route(String chosen) {
    if (activePassive == null || random.nextInt(100) < 15) {
      return chosen;
    }
    return regions.get(chosen).control.current().state().primaryRegion();
  }

  private void scheduleFaults() {
    if (activePassive != null) {
      scheduleFailover();
    }
    int partitions = random.nextInt(3);
    for (int i = 0; i < partitions; i++) {
      String a = randomRegion();
      String b = otherRegion(a);
      long start = START_MILLIS + random.nextInt((int) WORKLOAD_MILLIS - 300);
      at(start, () -> partition(a, b));
      at(start + 100 + random.nextInt(1_500), () -> heal(a, b));
    }
    if (activePassive == null && random.nextBoolean()) {
      String lost = randomRegion();
      long start = START_MILLIS + random.nextInt((int) WORKLOAD_MILLIS - 300);
      at(start, () -> fail(lost));
      at(start + 200 + random.nextInt(1_500), () -> recover(lost));
    }
  }

  /**
   * The primary is lost with whatever it had not yet replicated or published, the standby is
   * promoted while it is gone, the old primary recovers, and in half the histories it is promoted
   * back once it has caught up for a moment (fail-back).
   */
  private void scheduleFailover() {
    long lost = START_MILLIS + 600 + random.nextInt(1_000);
    at(lost, () -> fail(PRIMARY));
    long promoted = lost + 50 + random.nextInt(300);
    at(promoted, () -> promote(STANDBY));
    long recovered = promoted + 200 + random.nextInt(1_200);
    at(recovered, () -> recover(PRIMARY));
    if (random.nextBoolean()) {
      at(recovered + 100 + random.nextInt(800), () -> promote(PRIMARY));
    }
  }

  /** The admin's promotion call, made in the region promoted (the old primary may be lost). */
  private void promote(String region) {
    ControlService.ChangeOutcome outcome = regions.get(region).control.promote(region);
    if (outcome instanceof ControlService.Changed) {
      stats.promotions++;
      if (region.equals(PRIMARY)) {
        stats.failBacks++;
      }
    }
    trace.add(elapsed(), Kind.FAULT, () -> "promote " + region + " -> " + outcome);
  }

  private void createProduct(String region, ProductId product) {
    if (unavailable(region, "create " + product)) {
      return;
    }
    UpsertProduct command = new UpsertProduct(product, unique("name", region), unique("description", region),
        uniquePrice(), true);
    CatalogService.UpsertOutcome outcome = regions.get(region).catalog.upsert(command, new CatalogService.IfAbsent());
    if (outcome instanceof CatalogService.Created c) {
      created.add(product);
      recordRegisterWrites(null, c.entry().product(), region);
    }
    client(region, () -> "create " + product + " -> " + outcome.getClass().getSimpleName());
  }

  /** An operator reads the product, takes a moment, and replaces it under {@code If-Match}, maybe in another region. */
  private void editProduct(String region, ProductId product) {
    if (unavailable(region, "read " + product + " to edit it")) {
      return;
    }
    Optional<CatalogEntry> seen = regions.get(region).catalog.get(product);
    if (seen.isEmpty()) {
      client(region, () -> "edit " + product + ": not in this replica yet");
      return;
    }
    String writeRegion = random.nextInt(4) == 0 ? otherRegion(region) : region;
    int fields = 1 + random.nextInt(7);
    String name = (fields & 1) != 0 ? unique("name", writeRegion) : seen.get().product().currentName();
    String description = (fields & 2) != 0 ? unique("description", writeRegion) : seen.get().product().currentDescription();
    Money price = (fields & 4) != 0 ? uniquePrice() : seen.get().product().currentPrice();
    at(now + random.nextInt(300), () -> replaceProduct(writeRegion, seen.get(), region,
        new UpsertProduct(product, name, description, price, seen.get().product().isActive())));
  }

  private void replaceProduct(String region, CatalogEntry seen, String readIn, UpsertProduct command) {
    ProductId product = command.productId();
    if (unavailable(region, "replace " + product)) {
      return;
    }
    CatalogService.UpsertOutcome outcome = regions.get(region).catalog.upsert(command, new CatalogService.IfMatch(seen.tag()));
    client(region, () -> "replace " + product + " read in " + readIn + " at version " + seen.version() + " -> "
        + outcome.getClass().getSimpleName());
    if (outcome instanceof CatalogService.Replaced replaced) {
      Product before = regions.get(region).catalogRepository.lastOverwritten;
      // If-Match promises the replace applies to the fields the client saw, whatever else happened meanwhile:
      // otherwise the fields it sent back unchanged silently revert another write.
      if (!fieldValues(before).equals(fieldValues(seen.product()))) {
        throw new ProtocolInvariants.Violation("a replace under If-Match wrote over fields its client never saw: read "
            + seen.product() + " (version " + seen.version() + "), replaced " + before, product.value());
      }
      recordRegisterWrites(before, replaced.entry().product(), region);
    }
  }

  private static List<Object> fieldValues(Product p) {
    return List.of(p.currentName(), p.currentDescription(), p.currentPrice(), p.isActive());
  }

  private void restock(String region, ProductId product) {
    if (unavailable(region, "restock " + product)) {
      return;
    }
    long units = 1 + random.nextInt(4);
    CatalogService.RestockOutcome outcome = regions.get(region).catalog.restock(product, units);
    if (outcome instanceof CatalogService.Restocked) {
      restocked.merge(product, units, Long::sum);
    }
    client(region, () -> "restock " + product + " +" + units + " -> " + outcome.getClass().getSimpleName());
  }

  private void place(String region, PlaceOrder command, String why, int failovers) {
    if (!commands.contains(command)) {
      commands.add(command);
    }
    String what = "place " + command.orderId() + " (" + command.customer() + "/" + command.idempotencyKey() + ", "
        + linesOf(command) + ", " + why + ")";
    if (down.contains(region)) {
      client(region, () -> what + " -> region lost");
      if (failovers > 0) {
        String other = otherRegion(region);
        at(now + 50 + random.nextInt(250), () -> place(other, command, "failover from " + region, failovers - 1));
      }
      return;
    }
    stats.clientRequests++;
    OrderService.PlaceOutcome outcome = regions.get(region).orders.place(command);
    client(region, () -> what + " -> " + Describe.placeOutcome(outcome));
    if (outcome instanceof OrderService.WritesRefused) {
      stats.refusedByStandby++;
    }
    if (outcome instanceof OrderService.Placed placed) {
      placedAcks.add(new PlacedAck(command.orderId(), command.fingerprint(), placed.order().body().placedAt(), region));
      if (!placed.replayed() && activePassive != null && region.equals(STANDBY) && down.contains(PRIMARY)) {
        stats.placedByPromotedStandbyDuringOutage++;
      }
      if (!placed.replayed()) {
        placedIn.put(command.orderId(), region);
        if (random.nextInt(100) < 20) {
          // The answer was lost on the way back: the client retries the same key wherever DNS sends it next.
          String other = otherRegion(region);
          at(now + 1 + random.nextInt(200), () -> place(other, command, "retry after a lost answer", 0));
        }
      }
    } else if (outcome instanceof OrderService.PendingStock pending) {
      if (!pending.replayed()) {
        pendingAcks.add(command.orderId());
        stats.pendingPlacements++;
      }
    }
  }

  private void retryElsewhere(String region) {
    if (commands.isEmpty()) {
      return;
    }
    PlaceOrder command = commands.get(random.nextInt(commands.size()));
    place(region, command, "retry", 1);
  }

  private void reuseKey(String region) {
    if (commands.isEmpty()) {
      return;
    }
    PlaceOrder earlier = commands.get(random.nextInt(commands.size()));
    PlaceOrder different = new PlaceOrder(earlier.customer(), earlier.idempotencyKey(), randomLines());
    if (!different.fingerprint().equals(earlier.fingerprint())) {
      place(region, different, "same key, different lines", 0);
    }
  }

  private void cancel(String preferred) {
    if (commands.isEmpty()) {
      return;
    }
    PlaceOrder command = commands.get(random.nextInt(commands.size()));
    String holder = placedIn.get(command.orderId());
    // Mostly from a region that does not hold the reservation: the holder releases when the cancel reaches it.
    String region = holder != null && random.nextInt(10) < 7 ? otherRegion(holder) : preferred;
    if (unavailable(region, "cancel " + command.orderId())) {
      return;
    }
    OrderService.CancelOutcome outcome = regions.get(region).orders.cancel(new CancelOrder(command.orderId(), command.customer()));
    if (outcome instanceof OrderService.Cancelled) {
      cancelAcks.add(new CancelAck(command.orderId(), region));
      if (!region.equals(holder)) {
        stats.remoteCancels++;
      }
    }
    client(region, () -> "cancel " + command.orderId() + " (placed in " + holder + ") -> " + outcome.getClass().getSimpleName());
  }

  /** What a transfer policy will do: give units of this region's own stock to another region. */
  private void transfer(String region, ProductId product) {
    if (activePassive != null) {
      // An operator's own give would bypass the standby reserve, which only the transfer rule respects.
      return;
    }
    if (unavailable(region, "transfer " + product)) {
      return;
    }
    SimulatedRegion r = regions.get(region);
    RegionStock own = r.catalogRepository.stock(product, region);
    if (own.available() == 0) {
      client(region, () -> "transfer " + product + ": nothing available to give");
      return;
    }
    String to = otherRegion(region);
    long units = 1 + random.nextInt((int) Math.min(3, own.available()));
    boolean written = r.catalogRepository.writeStock(own.give(to, units).changedSince(own));
    if (written) {
      stats.transfers++;
    }
    client(region, () -> "give " + units + " x " + product + " to " + to + " -> " + (written ? "written" : "refused"));
  }

  /** An operator splits (or merges) a region's stock of a product over another number of shards. */
  private void reshard(String region, ProductId product) {
    if (unavailable(region, "reshard " + product)) {
      return;
    }
    int count = 1 + random.nextInt(4);
    CatalogService.ReshardOutcome outcome = regions.get(region).catalog.reshard(product, count);
    if (outcome instanceof CatalogService.Resharded) {
      stats.reshards++;
    }
    client(region, () -> "reshard " + product + " over " + count + " -> " + outcome.getClass().getSimpleName());
  }

  /** Every region (two or three) sells its last units of a product at the same moment; one key also lands twice. */
  private void lastUnitsEverywhere(ProductId product) {
    List<String> shuffled = new ArrayList<>(REGIONS);
    Collections.shuffle(shuffled, random);
    List<String> sellers = shuffled.subList(0, 2 + random.nextInt(2));
    PlaceOrder twice = null;
    for (String region : sellers) {
      long available = ownStock(region, product).available();
      int quantity = (int) Math.max(1, Math.min(3, available));
      PlaceOrder command = new PlaceOrder(randomCustomer(), new IdempotencyKey("k" + (++uniqueValues)),
          List.of(new PlaceOrder.Line(product.value(), quantity)));
      twice = twice == null ? command : twice;
      at(now, () -> place(region, command, "last units", 0));
    }
    if (random.nextBoolean()) {
      PlaceOrder duplicate = twice;
      String elsewhere = shuffled.get(shuffled.size() - 1);
      at(now, () -> place(elsewhere, duplicate, "same key at once in another region", 0));
    }
  }

  private PlaceOrder newCommand() {
    return new PlaceOrder(randomCustomer(), new IdempotencyKey("k" + (++uniqueValues)), randomLines());
  }

  private List<PlaceOrder.Line> randomLines() {
    List<ProductId> shuffled = new ArrayList<>(products);
    Collections.shuffle(shuffled, random);
    int count = 1 + random.nextInt(Math.min(2, shuffled.size()));
    List<PlaceOrder.Line> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(new PlaceOrder.Line(shuffled.get(i).value(), 1 + random.nextInt(3)));
    }
    return lines;
  }

  private void recordRegisterWrites(Product before, Product after, String region) {
    for (String field : EDITED_FIELDS) {
      LwwRegister<?> written = register(after, field);
      HlcStamp replaced = before == null ? null : register(before, field).stamp();
      if (!written.stamp().equals(replaced)) {
        registerWrites.add(new RegisterWrite(after.id(), field, String.valueOf(written.value()), written.stamp(),
            replaced, region));
      }
    }
  }

  static LwwRegister<?> register(Product product, String field) {
    return switch (field) {
      case "name" -> product.name();
      case "description" -> product.description();
      case "price" -> product.price();
      default -> throw new IllegalArgumentException(field);
    };
  }

  // ---------------------------------------------------------------- faults

  private void partition(String a, String b) {
    stats.partitions++;
    partitioned.add(pair(a, b));
    trace.add(elapsed(), Kind.FAULT, () -> "partition " + a + " | " + b);
  }

  private void heal(String a, String b) {
    if (partitioned.remove(pair(a, b))) {
      trace.add(elapsed(), Kind.FAULT, () -> "heal " + a + " | " + b);
      unpark();
    }
  }

  private void fail(String region) {
    stats.regionFailures++;
    down.add(region);
    trace.add(elapsed(), Kind.FAULT, () -> "region " + region + " lost");
  }

  private void recover(String region) {
    if (down.remove(region)) {
      trace.add(elapsed(), Kind.FAULT, () -> "region " + region + " recovered");
      unpark();
      schedulePublish(regions.get(region));
    }
  }

  private void sweepTick() {
    sweep();
    boolean pendingDemand = regions.values().stream().anyMatch(r -> !r.replicaStore.waitingDemands(r.name).isEmpty());
    if (!agenda.isEmpty() || pendingDemand) {
      at(now + SWEEP_EVERY_MILLIS, this::sweepTick);
    }
  }

  private void sweep() {
    for (SimulatedRegion region : regions.values()) {
      if (down.contains(region.name)) {
        continue;
      }
      try {
        ReconcileService.SweepReport report = region.reconciler.sweep();
        stats.pendingConfirmedBySweep += report.confirmed();
        stats.pendingCancelled += report.cancelled();
        if (report.confirmed() + report.cancelled() > 0) {
          trace.add(elapsed(), Kind.EVENT, () -> region.name + " sweep: " + report);
        }
      } catch (ReconcileService.ContentionException contention) {
        stats.contentionRetries++;
      }
    }
  }

  private void healAndRecoverEverything() {
    trace.add(elapsed(), Kind.FAULT, () -> "end of workload: heal every partition, recover every region");
    partitioned.clear();
    down.clear();
    unpark();
    regions.values().forEach(this::schedulePublish);
  }

  private boolean linkUp(String from, String to) {
    return !down.contains(from) && !down.contains(to) && !partitioned.contains(pair(from, to));
  }

  private void unpark() {
    Iterator<Map.Entry<String, List<Delivery>>> links = parked.entrySet().iterator();
    while (links.hasNext()) {
      // The list, not the entry: TreeMap reuses a removed entry for its successor.
      List<Delivery> waiting = links.next().getValue();
      if (linkUp(waiting.get(0).from, waiting.get(0).to)) {
        links.remove();
        waiting.forEach(d -> schedule(d, d.item != null ? replicationDelay() : eventDelay()));
      }
    }
  }

  // ---------------------------------------------------------------- replication, stream, events

  private void changed(String region, Item item, boolean local) {
    SimulatedRegion r = regions.get(region);
    Change change = changeOf(item.value());
    if (change != null) {
      r.stream.add(new StoredChange(region + ":" + (++r.streamSequence), item.originRegion(), item.version(), change));
      schedulePublish(r);
    }
    if (local) {
      if (item.value() instanceof HoldItem h && !h.hold().region().equals(region)
          || item.value() instanceof PendingDemand d && !d.region().equals(region)) {
        throw new ProtocolInvariants.Violation(region + " wrote another region's " + item.key()
            + ": holds and demands have one writer, their region", idOf(item.value()));
      }
      if (item.value() instanceof StockAllocation a) {
        if (!a.region().equals(region)) {
          throw new ProtocolInvariants.Violation(region + " wrote a stock shard of " + a.region()
              + ": a region's stock has one writer, that region", a.productId().value());
        }
        allocationWritten = true;
        if (a.isHead()) {
          checkWhatWasGiven(region, a);
        }
      }
      for (String peer : REGIONS) {
        if (!peer.equals(region)) {
          Delivery d = new Delivery(region, peer, item, null);
          pendingReplication.get(peer).add(d);
          schedule(d, replicationDelay());
        }
      }
    }
  }

  /**
   * Active-passive: counts the units a head write gave to the primary and to the reserve holder,
   * and fails the history when the reserve holder gave away units of its reserve.
   */
  private void checkWhatWasGiven(String region, StockAllocation head) {
    StockAllocation before = lastOwnHead.put(region + "/" + head.productId().value(), head);
    if (activePassive == null) {
      return;
    }
    long given = head.given() - (before == null ? 0 : before.given());
    if (given <= 0) {
      return;
    }
    StockRoles roles = regions.get(region).control.stockRoles();
    for (Transfer t : head.outgoing().values()) {
      if (before == null || !before.outgoing().containsKey(t.id())) {
        if (roles.isPrimary(t.toRegion())) {
          stats.unitsGivenToPrimary += t.units();
        } else if (roles.reserveHolder().filter(t.toRegion()::equals).isPresent()) {
          stats.unitsGivenToReserve += t.units();
        }
      }
    }
    if (roles.reserveHolder().filter(region::equals).isPresent()) {
      List<RegionStock> seen = stockSeenBy(region, head.productId());
      long keeps = Math.min(roles.keeps(region, seen),
          reserveWhenTheEventArrived.getOrDefault(region + "/" + head.productId().value(), Long.MAX_VALUE));
      long available = ownStock(region, head.productId()).available();
      if (available < keeps) {
        throw new ProtocolInvariants.Violation(region + " holds the standby reserve of " + head.productId() + " (" + keeps
            + " units) but gave units away, keeping " + available, head.productId().value());
      }
    }
  }

  private void rememberReserve(SimulatedRegion region) {
    if (activePassive == null) {
      return;
    }
    StockRoles roles = region.control.stockRoles();
    for (ProductId product : products) {
      reserveWhenTheEventArrived.put(region.name + "/" + product.value(), roles.keeps(region.name, stockSeenBy(region.name, product)));
    }
  }

  private static Change changeOf(Object value) {
    if (value instanceof Order o) {
      return new Change.OrderChange(o);
    }
    if (value instanceof Product p) {
      return new Change.ProductChange(p);
    }
    if (value instanceof StockAllocation a) {
      return new Change.AllocationChange(a);
    }
    if (value instanceof HoldItem h) {
      return new Change.HoldChange(h.orderId(), h.hold());
    }
    return null;
  }

  /**
   * Global-table replication landing between an application's read and its write: now and then
   * a pending replicated write reaches the replica early, preferably one of the item just read.
   */
  private void interleaveReplication(String region, String read) {
    if (interleaving || random.nextInt(100) >= 8) {
      return;
    }
    Delivery next = null;
    for (Delivery d : pendingReplication.get(region)) {
      if (linkUp(d.from, d.to) && (next == null || d.item.key().startsWith(read))) {
        next = d;
        if (d.item.key().startsWith(read)) {
          break;
        }
      }
    }
    if (next != null) {
      interleaving = true;
      try {
        stats.interleavedReplications++;
        deliver(next);
      } finally {
        interleaving = false;
      }
    }
  }

  private void schedulePublish(SimulatedRegion region) {
    if (!region.publishScheduled && !region.stream.isEmpty()) {
      region.publishScheduled = true;
      at(now + 1 + random.nextInt(40), () -> consumeStream(region));
    }
  }

  /** The publisher function's invocation on a batch of stream records, with partial batch failure reporting. */
  private void consumeStream(SimulatedRegion region) {
    region.publishScheduled = false;
    if (down.contains(region.name)) {
      return;
    }
    List<StoredChange> batch = new ArrayList<>();
    Iterator<StoredChange> records = region.stream.iterator();
    while (records.hasNext() && batch.size() < 10) {
      batch.add(records.next());
    }
    PublishService.Report report = region.publisher.publish(batch);
    int consumed = batch.size();
    if (!report.failedPositions().isEmpty()) {
      String firstFailed = report.failedPositions().get(0);
      for (int i = 0; i < batch.size(); i++) {
        if (batch.get(i).position().equals(firstFailed)) {
          consumed = i;
          break;
        }
      }
    }
    for (int i = 0; i < consumed; i++) {
      region.stream.removeFirst();
    }
    schedulePublish(region);
  }

  /** The region's event bus and its forwarding rules: every peer's reconciler queue gets each event. */
  private List<ChangeEvent> publish(String region, List<ChangeEvent> events) {
    List<ChangeEvent> refused = new ArrayList<>();
    for (ChangeEvent event : events) {
      if (random.nextInt(100) < 3) {
        stats.refusedByBus++;
        refused.add(event);
        continue;
      }
      stats.eventsPublished++;
      trace.add(elapsed(), Kind.PUBLISH, () -> region + " publishes " + Describe.event(event));
      for (String peer : REGIONS) {
        if (!peer.equals(region)) {
          schedule(new Delivery(region, peer, null, event), eventDelay());
          if (random.nextInt(100) < 15) {
            stats.duplicateEvents++;
            schedule(new Delivery(region, peer, null, event), eventDelay());
          }
        }
      }
    }
    return refused;
  }

  private void schedule(Delivery delivery, long delay) {
    at(now + delay, () -> attempt(delivery));
  }

  private void attempt(Delivery delivery) {
    if (delivery.done) {
      return;
    }
    if (!linkUp(delivery.from, delivery.to)) {
      parked.computeIfAbsent(delivery.link(), k -> new ArrayList<>()).add(delivery);
      return;
    }
    deliver(delivery);
  }

  private void deliver(Delivery delivery) {
    delivery.done = true;
    SimulatedRegion to = regions.get(delivery.to);
    if (delivery.item != null) {
      pendingReplication.get(delivery.to).remove(delivery);
      Item before = to.table.peek(delivery.item.key());
      boolean applied = to.table.applyReplicated(delivery.item);
      if (applied) {
        stats.replicatedWrites++;
        if (before != null && !before.value().equals(delivery.item.value())) {
          stats.silentOverwrites++;
        }
      } else {
        stats.staleReplicationsDropped++;
      }
      trace.add(elapsed(), Kind.REPLICATION, () -> delivery.from + " -> " + delivery.to + " " + delivery.item.key()
          + " v" + delivery.item.version()
          + " (origin " + delivery.item.originRegion() + ") " + Describe.state(delivery.item.value())
          + (!applied ? ": dropped, older than the local item"
              : before == null || before.value().equals(delivery.item.value()) ? ": applied"
              : ": applied, SILENTLY OVERWROTE " + Describe.state(before.value())));
      return;
    }
    stats.eventsDelivered++;
    rememberReserve(to);
    try {
      ReconcileService.Outcome outcome = to.reconciler.apply(delivery.event);
      stats.conflictsRecorded += outcome.conflicts().size();
      stats.transferUnitsReceived += outcome.unitsReceived();
      stats.transferUnitsGiven += outcome.unitsGiven();
      stats.pendingConfirmedByTransfer += outcome.confirmed();
      if (outcome.releasedHold()) {
        stats.holdsReleasedByReconciler++;
      }
      trace.add(elapsed(), Kind.EVENT, () -> delivery.to + " reconciles " + Describe.event(delivery.event) + " -> "
          + outcome.action() + (outcome.releasedHold() ? " (released its hold)" : "")
          + (outcome.conflicts().isEmpty() ? "" : " recorded " + outcome.conflicts().stream().map(Describe::state).toList()));
    } catch (ReconcileService.ContentionException contention) {
      stats.contentionRetries++;
      trace.add(elapsed(), Kind.EVENT, () -> delivery.to + " gave up on " + Describe.event(delivery.event) + ": " + contention.getMessage());
      schedule(new Delivery(delivery.from, delivery.to, null, delivery.event), 100 + random.nextInt(400));
    }
  }

  // ---------------------------------------------------------------- helpers

  private void at(long time, Runnable action) {
    agenda.add(new Scheduled(time, sequence++, action));
  }

  private boolean unavailable(String region, String what) {
    if (down.contains(region)) {
      client(region, () -> what + " -> region lost");
      return true;
    }
    stats.clientRequests++;
    return false;
  }

  private void client(String region, Supplier<String> text) {
    trace.add(elapsed(), Kind.CLIENT, () -> region + ": " + text.get());
  }

  private long replicationDelay() {
    return 5 + random.nextInt(250) + (random.nextInt(10) == 0 ? random.nextInt(1_500) : 0);
  }

  private long eventDelay() {
    return 20 + random.nextInt(400) + (random.nextInt(10) == 0 ? random.nextInt(2_000) : 0);
  }

  private String randomRegion() {
    return REGIONS.get(random.nextInt(REGIONS.size()));
  }

  private String otherRegion(String region) {
    List<String> others = REGIONS.stream().filter(r -> !r.equals(region)).toList();
    return others.get(random.nextInt(others.size()));
  }

  private ProductId randomProduct() {
    return products.get(random.nextInt(products.size()));
  }

  private CustomerId randomCustomer() {
    return new CustomerId(CUSTOMERS.get(random.nextInt(CUSTOMERS.size())));
  }

  private String unique(String what, String region) {
    return what + "-" + region + "-" + (++uniqueValues);
  }

  private Money uniquePrice() {
    return Money.of(100 + (++uniqueValues), CURRENCY);
  }

  private static String pair(String a, String b) {
    return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
  }

  private static String linesOf(PlaceOrder command) {
    return command.lines().stream().map(l -> l.productId() + " x" + l.quantity()).toList().toString();
  }

  /** Units given by a transfer that its receiver has not added yet, per product (owners' own replicas). */
  Map<ProductId, Long> unitsInFlight() {
    Map<ProductId, Long> inFlight = new TreeMap<>();
    for (SimulatedRegion giver : regions.values()) {
      for (ProductId product : PRODUCTS) {
        RegionStock own = ownStock(giver.name, product);
        if (own.shards().isEmpty()) {
          continue;
        }
        for (Transfer t : own.head().outgoing().values()) {
          RegionStock receiver = ownStock(t.toRegion(), product);
          if (receiver.shards().isEmpty() || !receiver.head().hasReceived(t)) {
            inFlight.merge(product, t.units(), Long::sum);
          }
        }
      }
    }
    return inFlight;
  }

  /**
   * A region's stock as its own replica holds it (the only copy that region writes), read without
   * the interleaving a use case's read gets.
   */
  RegionStock ownStock(String region, ProductId product) {
    return stockIn(region, region, product);
  }

  /** Every region's stock of {@code product} as {@code reader}'s replica holds it, read without interleaving. */
  private List<RegionStock> stockSeenBy(String reader, ProductId product) {
    return REGIONS.stream().map(owner -> stockIn(reader, owner, product)).toList();
  }

  private RegionStock stockIn(String reader, String region, ProductId product) {
    ReplicaTable table = regions.get(reader).table;
    List<StockAllocation> shards = new ArrayList<>();
    Item head = table.peek(TableKeys.shard(product, region, StockAllocation.HEAD));
    if (head != null) {
      StockAllocation h = (StockAllocation) head.value();
      shards.add(h);
      for (int number = 1; number < h.shardsEver(); number++) {
        Item shard = table.peek(TableKeys.shard(product, region, number));
        if (shard != null) {
          shards.add((StockAllocation) shard.value());
        }
      }
    }
    return RegionStock.of(product, region, shards);
  }

  private static String idOf(Object value) {
    return value instanceof HoldItem h ? h.orderId().value() : ((PendingDemand) value).orderId().value();
  }
}
