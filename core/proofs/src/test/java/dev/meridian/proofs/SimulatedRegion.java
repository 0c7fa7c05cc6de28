package dev.meridian.proofs;

import dev.meridian.application.WriteGate;
import dev.meridian.application.catalog.CatalogService;
import dev.meridian.application.control.ControlService;
import dev.meridian.application.control.StockRoles;
import dev.meridian.application.orders.OrderService;
import dev.meridian.application.replication.ChangePublisher;
import dev.meridian.application.replication.PublishService;
import dev.meridian.application.replication.ReconcileService;
import dev.meridian.application.replication.StoredChange;
import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.testkit.memory.InMemoryCatalogRepository;
import dev.meridian.testkit.memory.InMemoryConflictRepository;
import dev.meridian.testkit.memory.InMemoryOrderRepository;
import dev.meridian.testkit.memory.InMemoryReplicaStore;
import dev.meridian.testkit.memory.ReplicaTable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * One region as deployed: its replica of the table, the real use cases wired over in-memory
 * adapters (as {@code adapter.ApiWiring} wires them over DynamoDB), and the table stream's records
 * not yet consumed by the publisher.
 */
final class SimulatedRegion {
  private static final WriteGate ACTIVE_ACTIVE = Optional::empty;

  final String name;
  final HybridLogicalClock clock;
  final LongSupplier wallClock;
  final ReplicaTable table;
  final InMemoryOrderRepository orderRepository;
  final InMemoryCatalogRepository catalogRepository;
  final InMemoryReplicaStore replicaStore;
  final InMemoryConflictRepository conflicts;
  final OrderService orders;
  final CatalogService catalog;
  final ReconcileService reconciler;
  final PublishService publisher;
  /** Active-passive: the control plane this region reads (shared by every region); null in active-active mode. */
  final ControlService control;
  /** Stream records in order; the publisher consumes from the head, a failed record and those after it are retried. */
  final Deque<StoredChange> stream = new ArrayDeque<>();
  long streamSequence;
  boolean publishScheduled;

  /**
   * @param control active-passive: this region's control plane, which gates writes and names the
   *                primary and the reserve holder; null in active-active mode
   */
  SimulatedRegion(String name, LongSupplier wallClock, ReplicaTable.Observer observer, Consumer<String> afterRead,
      ChangePublisher bus, IntSupplier shardStart, ControlService control) {
    this.name = name;
    this.control = control;
    WriteGate gate = control == null ? ACTIVE_ACTIVE : control;
    java.util.function.Supplier<StockRoles> roles = control == null ? () -> StockRoles.ACTIVE_ACTIVE : control::stockRoles;
    this.wallClock = wallClock;
    this.clock = new HybridLogicalClock(name, wallClock, Duration.ofMinutes(1));
    this.table = new ReplicaTable(name, wallClock, observer, afterRead);
    this.orderRepository = new InMemoryOrderRepository(table, wallClock);
    this.catalogRepository = new InMemoryCatalogRepository(table, ProtocolSimulation.REGIONS);
    this.replicaStore = new InMemoryReplicaStore(table);
    this.conflicts = new InMemoryConflictRepository(table);
    this.orders = new OrderService(orderRepository, catalogRepository, clock, gate, shardStart, roles);
    this.catalog = new CatalogService(catalogRepository, clock, gate, roles);
    this.reconciler = new ReconcileService(clock, ProtocolSimulation.STOCK_POLICY, orderRepository, catalogRepository,
        replicaStore, shardStart, roles);
    this.publisher = new PublishService(clock, bus);
  }
}
