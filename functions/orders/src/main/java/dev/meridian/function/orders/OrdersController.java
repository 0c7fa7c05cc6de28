package dev.meridian.function.orders;

import dev.meridian.adapter.http.ApiErrorAdvice;
import dev.meridian.adapter.http.Caller;
import dev.meridian.adapter.http.Problem;
import dev.meridian.adapter.http.ProblemException;
import dev.meridian.adapter.http.ProblemType;
import dev.meridian.adapter.http.Requires;
import dev.meridian.adapter.http.Requires.Audience;
import dev.meridian.application.orders.OrderService;
import dev.meridian.application.orders.Refusal;
import dev.meridian.domain.order.CancelOrder;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.Order;
import dev.meridian.domain.order.OrderId;
import dev.meridian.domain.order.PlaceOrder;
import dev.meridian.function.orders.OrderJson.OrderPage;
import dev.meridian.function.orders.OrderJson.OrderView;
import dev.meridian.function.orders.OrderJson.PlaceOrderRequest;
import java.net.URI;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Customer order routes: the caller is the JWT {@code sub}, and only ever sees their own
 * orders (another customer's order is a 404, indistinguishable from a missing one). Each method
 * parses the request into a command, calls one use case, and maps each outcome to one status.
 */
@RestController
@Requires(Audience.CUSTOMER)
class OrdersController {
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  /** Set on an answer that an earlier request with the same Idempotency-Key decided. */
  public static final String REPLAYED = "Idempotent-Replayed";

  private final OrderService orders;

  OrdersController(OrderService orders) {
    this.orders = orders;
  }

  /**
   * 201 placed (units held here) or 202 pending stock, with Location; 409 out of stock; 422
   * unknown or inactive product, mixed currencies, or a key reused with another body; 503 on a
   * standby. A retry with the same key and body answers the original status and body again,
   * marked {@code Idempotent-Replayed: true}.
   */
  @PostMapping("/orders")
  ResponseEntity<Object> place(Caller caller, @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key,
      @RequestBody PlaceOrderRequest body) {
    PlaceOrder command = body.toCommand(caller.requireCustomer(), key);
    MDC.put("idempotency_key", command.idempotencyKey().value());
    MDC.put("order_id", command.orderId().value());
    return switch (orders.place(command)) {
      case OrderService.Placed placed -> placement(HttpStatus.CREATED, placed.order(), placed.replayed());
      case OrderService.PendingStock pending -> placement(HttpStatus.ACCEPTED, pending.order(), pending.replayed());
      case OrderService.Refused refused -> refusal(refused);
      case OrderService.KeyReused reused -> Problem.of(ProblemType.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key "
          + command.idempotencyKey() + " was used before with different lines; use a new key for a new order")
          .with("orderId", reused.orderId().value()).toResponse();
      case OrderService.WritesRefused refused ->
          Problem.of(ProblemType.WRITES_REFUSED, refused.reason()).toResponse(ApiErrorAdvice.retryAfter());
    };
  }

  private static ResponseEntity<Object> refusal(OrderService.Refused refused) {
    Refusal refusal = refused.refusal();
    Problem problem = Problem.of(refusalType(refusal), refusal.detail()).with("orderId", refused.orderId().value());
    if (refusal.productId() != null) {
      problem = problem.with("productId", refusal.productId());
    }
    return problem.toResponse(replayed(refused.replayed()));
  }

  /** 200 the caller's order; 404 when it does not exist or is someone else's. */
  @GetMapping("/orders/{id}")
  ResponseEntity<Object> get(Caller caller, @PathVariable String id) {
    OrderId orderId = new OrderId(id);
    MDC.put("order_id", orderId.value());
    return json(HttpStatus.OK, new HttpHeaders(),
        OrderView.of(orders.get(orderId, caller.requireCustomer()).orElseThrow(() -> notFound(orderId))));
  }

  /** 200 a page of the caller's orders, newest first; 400 for a bad limit or a foreign cursor. */
  @GetMapping("/orders")
  ResponseEntity<Object> list(Caller caller, @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Integer limit) {
    String from = cursor == null || cursor.isEmpty() ? null : cursor; // "?cursor=" means the first page
    return json(HttpStatus.OK, new HttpHeaders(), OrderPage.of(orders.list(caller.requireCustomer(), from, limit)));
  }

  /**
   * 200 the cancelled order (cancelling again answers the same); units held in this region are
   * released in the same write. 404 not the caller's; 409 shipped; 503 on a standby.
   */
  @PostMapping("/orders/{id}/cancel")
  ResponseEntity<Object> cancel(Caller caller, @PathVariable String id) {
    OrderId orderId = new OrderId(id);
    MDC.put("order_id", orderId.value());
    CustomerId customer = caller.requireCustomer();
    return switch (orders.cancel(new CancelOrder(orderId, customer))) {
      // The outcome carries no item version; read the order back (strongly consistent) for it.
      case OrderService.Cancelled cancelled -> json(HttpStatus.OK, new HttpHeaders(),
          OrderView.of(orders.get(orderId, customer).orElseThrow(() -> notFound(orderId))));
      case OrderService.NotFound missing -> throw notFound(orderId);
      case OrderService.AlreadyShipped shipped -> Problem.of(ProblemType.ORDER_SHIPPED, "order " + orderId
          + " has shipped and can no longer be cancelled").with("orderId", orderId.value()).toResponse();
      case OrderService.CancelRefused refused ->
          Problem.of(ProblemType.WRITES_REFUSED, refused.reason()).toResponse(ApiErrorAdvice.retryAfter());
    };
  }

  private static ResponseEntity<Object> placement(HttpStatus status, Order order, boolean replayed) {
    HttpHeaders headers = replayed(replayed);
    headers.setLocation(URI.create("/orders/" + order.id().value()));
    return json(status, headers, OrderView.of(order, OrderView.PLACEMENT_VERSION));
  }

  private static ProblemType refusalType(Refusal refusal) {
    return switch (refusal.reason()) {
      case OUT_OF_STOCK -> ProblemType.OUT_OF_STOCK;
      case UNKNOWN_PRODUCT -> ProblemType.UNKNOWN_PRODUCT;
      case INACTIVE_PRODUCT -> ProblemType.PRODUCT_INACTIVE;
      case MIXED_CURRENCY -> ProblemType.MIXED_CURRENCY;
    };
  }

  private static HttpHeaders replayed(boolean replayed) {
    HttpHeaders headers = new HttpHeaders();
    if (replayed) {
      headers.set(REPLAYED, "true");
    }
    return headers;
  }

  private static ResponseEntity<Object> json(HttpStatus status, HttpHeaders headers, Object body) {
    return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_JSON).body(body);
  }

  private static ProblemException notFound(OrderId id) {
    return ProblemException.of(ProblemType.NOT_FOUND, "order " + id + " does not exist");
  }
}
