package dev.meridian.testkit.memory;

import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.Reservation;

/** A region's hold of an order as the table stores it: the hold and the order it belongs to. */
public record HoldItem(OrderId orderId, Reservation hold) {}
