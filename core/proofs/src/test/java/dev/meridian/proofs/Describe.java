package dev.meridian.proofs;

import dev.meridian.application.orders.OrderService;
import dev.meridian.application.replication.Change;
import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.PendingDemand;
import dev.meridian.domain.order.Reservation;
import dev.meridian.domain.product.LwwRegister;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.stock.StockAllocation;
import dev.meridian.testkit.memory.HoldItem;
import dev.meridian.testkit.memory.InMemoryOrderRepository;
import java.util.stream.Collectors;

/** One-line forms of states for the trace: enough to follow a history, short enough to read. */
final class Describe {
  private Describe() {}

  static String event(ChangeEvent event) {
    return event.eventId() + " " + change(event.change());
  }

  static String change(Change change) {
    if (change instanceof Change.OrderChange o) {
      return state(o.order());
    }
    if (change instanceof Change.ProductChange p) {
      return state(p.product());
    }
    if (change instanceof Change.HoldChange h) {
      return "hold of " + h.orderId() + " " + reservation(h.hold());
    }
    return state(((Change.AllocationChange) change).allocation());
  }

  static String state(Object value) {
    if (value instanceof Order o) {
      return "order " + o.id() + " " + o.customer() + "/" + o.body().idempotencyKey() + " " + o.currentStatus()
          + "@" + stamp(o.status().stamp()) + " home " + o.body().homeRegion() + " lines " + o.body().fingerprint().substring(0, 6)
          + " reservations " + o.reservations().values().stream().map(Describe::reservation).collect(Collectors.joining(", ", "{", "}"))
          + (o.conflicts().isEmpty() ? "" : " conflicts " + o.conflicts().stream().map(Describe::conflict)
              .collect(Collectors.joining(", ", "[", "]")));
    }
    if (value instanceof Product p) {
      return "product " + p.id() + " name " + register(p.name()) + ", description " + register(p.description())
          + ", price " + register(p.price());
    }
    if (value instanceof StockAllocation a) {
      return "shard " + a.productId() + "@" + a.region() + "#" + a.shard() + " r" + a.revision() + " available " + a.available()
          + " reserved " + a.reserved() + " sold " + a.sold() + " moved " + a.movedIn() + "/" + a.movedOut()
          + (a.isHead() ? " of " + a.shards() + " given " + a.given() + " (settled " + a.settled() + ") received "
              + a.received() + " through " + a.receivedThrough() + " pending " + a.pending() : "")
          + (a.outgoing().isEmpty() ? "" : " gave " + a.outgoing().values().stream()
              .map(t -> t.units() + "->" + t.toRegion() + "#" + t.sequence()).collect(Collectors.joining(", ", "[", "]")));
    }
    if (value instanceof HoldItem h) {
      return "hold of " + h.orderId() + " " + reservation(h.hold());
    }
    if (value instanceof PendingDemand d) {
      return "demand of " + d.orderId() + "@" + d.region() + " " + d.state() + " " + d.units();
    }
    if (value instanceof Conflict c) {
      return "conflict record " + conflict(c);
    }
    if (value instanceof InMemoryOrderRepository.RefusalRecord r) {
      return "refusal of " + r.refusal().fingerprint().substring(0, 6) + ": " + r.refusal().detail();
    }
    return String.valueOf(value);
  }

  static String placeOutcome(OrderService.PlaceOutcome outcome) {
    if (outcome instanceof OrderService.Placed p) {
      return "201 placed" + (p.replayed() ? " (replayed)" : "");
    }
    if (outcome instanceof OrderService.Refused r) {
      return (r.refusal().reason().name().equals("OUT_OF_STOCK") ? "409 " : "422 ") + r.refusal().detail()
          + (r.replayed() ? " (replayed)" : "");
    }
    if (outcome instanceof OrderService.KeyReused) {
      return "422 key reused with other lines";
    }
    return outcome.toString();
  }

  private static String reservation(Reservation r) {
    return r.region() + ":" + r.state() + "@" + stamp(r.reservedAt()) + r.takenFrom();
  }

  private static String conflict(Conflict c) {
    return c.key() + "." + c.field() + " " + c.rule() + " " + c.winner().value() + "@" + stamp(c.winner().stamp())
        + " beat " + c.loser().value() + "@" + stamp(c.loser().stamp());
  }

  private static String register(LwwRegister<?> r) {
    return r.value() + "@" + stamp(r.stamp()) + (r.superseded().isEmpty() ? "" : " over "
        + r.superseded().stream().map(Describe::stamp).collect(Collectors.joining(",", "[", "]")));
  }

  /** Milliseconds into the history, counter and region: {@code 1482.0/ap-southeast-1}. */
  static String stamp(HlcStamp s) {
    return (s.physicalMillis() - ProtocolSimulation.START_MILLIS) + "." + s.counter() + "/" + s.region();
  }
}
