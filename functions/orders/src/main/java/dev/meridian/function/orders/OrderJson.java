package dev.meridian.function.orders;

import dev.meridian.adapter.http.MoneyView;
import dev.meridian.application.Page;
import dev.meridian.application.Versioned;
import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.common.FieldError;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.IdempotencyKey;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderLine;
import dev.meridian.domain.order.PlaceOrder;
import dev.meridian.domain.order.Reservation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The orders function's JSON: request bodies (boxed fields, so a missing value arrives as null
 * and is reported by name) and response representations, separate from domain types and items.
 */
final class OrderJson {
  private OrderJson() {}

  /** {@code POST /orders}: {@code {"lines": [{"productId": "cup", "quantity": 2}]}}. */
  record PlaceOrderRequest(List<LineRequest> lines) {
    /** The command, or one 400 naming every offending field (the header included). */
    PlaceOrder toCommand(CustomerId customer, String idempotencyKey) {
      List<FieldError> errors = new ArrayList<>();
      IdempotencyKey key = null;
      if (idempotencyKey == null) {
        errors.add(new FieldError("Idempotency-Key", "is required"));
      } else {
        try {
          key = new IdempotencyKey(idempotencyKey);
        } catch (ValidationException e) {
          errors.addAll(e.errors());
        }
      }
      List<PlaceOrder.Line> converted = null;
      if (lines != null) {
        converted = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
          LineRequest line = lines.get(i);
          if (line == null) {
            errors.add(new FieldError("lines[" + i + "]", "is required"));
          } else if (line.quantity() == null) {
            errors.add(new FieldError("lines[" + i + "].quantity", "is required"));
            converted.add(new PlaceOrder.Line(line.productId(), OrderLine.MIN_QUANTITY)); // keeps indices aligned
          } else {
            converted.add(new PlaceOrder.Line(line.productId(), line.quantity()));
          }
        }
        if (converted.size() != lines.size()) {
          throw new ValidationException(errors); // null lines: the command's own indices would be off
        }
      }
      try {
        PlaceOrder command = new PlaceOrder(customer, key, converted);
        if (errors.isEmpty()) {
          return command;
        }
      } catch (ValidationException e) {
        e.errors().stream().filter(f -> !f.field().equals("Idempotency-Key")).forEach(errors::add);
      }
      throw new ValidationException(errors);
    }
  }

  record LineRequest(String productId, Integer quantity) {}

  /** An order as its owner sees it. {@code version} is the item's optimistic-concurrency version. */
  record OrderView(String id, String status, List<LineView> lines, MoneyView total, String homeRegion, String placedAt,
      List<ReservationView> reservations, List<ConflictView> conflicts, long version) {

    /** A placement always writes version 1, so a placement and its replays answer the same body. */
    static final long PLACEMENT_VERSION = 1;

    static OrderView of(Order order, long version) {
      return new OrderView(order.id().value(), order.currentStatus().name(),
          order.body().lines().stream().map(LineView::of).toList(),
          MoneyView.of(order.body().total()), order.body().homeRegion(), instant(order.body().placedAt()),
          order.reservations().values().stream().map(ReservationView::of).toList(),
          order.conflicts().stream().map(ConflictView::of).toList(), version);
    }

    static OrderView of(Versioned<Order> stored) {
      return of(stored.value(), stored.version());
    }
  }

  record LineView(String productId, int quantity, MoneyView unitPrice, MoneyView lineTotal) {
    static LineView of(OrderLine line) {
      return new LineView(line.productId().value(), line.quantity(), MoneyView.of(line.unitPrice()), MoneyView.of(line.lineTotal()));
    }
  }

  /** Units one region holds (or held) for the order: {@code RESERVED}, {@code RELEASED} or {@code COMMITTED}. */
  record ReservationView(String region, String state, Map<String, Integer> units, String reservedAt) {
    static ReservationView of(Reservation r) {
      Map<String, Integer> units = new LinkedHashMap<>();
      r.units().forEach((product, n) -> units.put(product.value(), n));
      return new ReservationView(r.region(), r.state().name(), units, instant(r.reservedAt()));
    }
  }

  /** A concurrent write a cross-region merge resolved: what won, what lost, and by which rule. */
  record ConflictView(String id, String field, String rule, SideView winner, SideView loser) {
    static ConflictView of(Conflict c) {
      return new ConflictView(c.id(), c.field(), c.rule(), SideView.of(c.winner()), SideView.of(c.loser()));
    }
  }

  /** {@code GET /admin/conflicts}: one recorded conflict of any entity. */
  record ConflictRecordView(String id, String entity, String key, String field, String rule, SideView winner,
      SideView loser, String detectedAfter) {
    static ConflictRecordView of(Conflict c) {
      return new ConflictRecordView(c.id(), c.entity(), c.key(), c.field(), c.rule(), SideView.of(c.winner()),
          SideView.of(c.loser()), instant(c.detectedAfter()));
    }
  }

  /** {@code GET /admin/conflicts}: newest first; {@code nextCursor} is null on the last page. */
  record ConflictPage(List<ConflictRecordView> items, String nextCursor) {
    static ConflictPage of(Page<Conflict> page) {
      return new ConflictPage(page.items().stream().map(ConflictRecordView::of).toList(), page.nextCursor().orElse(null));
    }
  }

  record SideView(String value, String region, String at) {
    static SideView of(Conflict.Side side) {
      return new SideView(side.value(), side.region(), instant(side.stamp()));
    }
  }

  /** {@code GET /orders}: the caller's orders, newest first; {@code nextCursor} is null on the last page. */
  record OrderPage(List<OrderView> items, String nextCursor) {
    static OrderPage of(Page<Versioned<Order>> page) {
      return new OrderPage(page.items().stream().map(OrderView::of).toList(), page.nextCursor().orElse(null));
    }
  }

  private static String instant(HlcStamp stamp) {
    return Instant.ofEpochMilli(stamp.physicalMillis()).toString();
  }
}
