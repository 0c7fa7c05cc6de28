package dev.meridian.function.orders;

import static dev.meridian.adapter.http.PrimingRequest.customer;

import dev.meridian.adapter.http.PrimingRequest;
import java.util.List;

/**
 * What the orders function sends itself before a SnapStart snapshot: an order read, a page of the
 * caller's orders, a placement the validation refuses, a refused and an allowed admin read. Nothing
 * here writes: the order read names an id no placement produces, the placement is refused before
 * the use case runs, the rest are reads.
 */
final class OrdersPriming {
  /** A well-formed order id that names no order. */
  static final String ABSENT_ORDER = "o-00000000000000000000000000000000";

  static final List<PrimingRequest> REQUESTS = List.of(
      customer("GET", "/orders/" + ABSENT_ORDER, 404),
      customer("GET", "/orders?limit=1", 200),
      customer("POST", "/orders", 400).withHeader("Idempotency-Key", "snapstart-priming").withBody("{\"lines\":[]}"),
      customer("GET", "/admin/control", 403),
      customer("GET", "/admin/control", 200).asOperations());

  private OrdersPriming() {}
}
