package dev.meridian.adapter.http;

import java.net.URI;

/**
 * Every problem type the API answers with. The type URI is
 * {@code https://meridian.dev/problems/<slug>}; openapi.yaml documents each one, and each has
 * exactly one status so a client can switch on the type alone.
 */
public enum ProblemType {
  VALIDATION_FAILED("validation-failed", 400, "The request is not valid"),
  MALFORMED_JSON("malformed-json", 400, "The request body is not well-formed JSON"),
  UNAUTHENTICATED("unauthenticated", 401, "Authentication is required"),
  FORBIDDEN("forbidden", 403, "The token does not grant this route"),
  NOT_FOUND("not-found", 404, "Not found"),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed on this route"),
  NOT_ACCEPTABLE("not-acceptable", 406, "No acceptable representation"),
  OUT_OF_STOCK("out-of-stock", 409, "Not enough stock in this region"),
  ORDER_SHIPPED("order-shipped", 409, "The order has shipped"),
  PROMOTION_NOT_APPLICABLE("promotion-not-applicable", 409, "Promotion does not apply in this deployment mode"),
  PRECONDITION_FAILED("precondition-failed", 412, "The precondition did not hold"),
  PAYLOAD_TOO_LARGE("payload-too-large", 413, "The request body is too large"),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "The request body must be application/json"),
  UNKNOWN_PRODUCT("unknown-product", 422, "A product in the order does not exist"),
  PRODUCT_INACTIVE("product-inactive", 422, "A product in the order is not for sale"),
  MIXED_CURRENCY("mixed-currency", 422, "The order mixes currencies"),
  IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "The Idempotency-Key was used with a different request"),
  PRECONDITION_REQUIRED("precondition-required", 428, "A precondition header is required"),
  INTERNAL_ERROR("internal-error", 500, "Internal error"),
  WRITES_REFUSED("writes-refused", 503, "This region does not accept writes now"),
  STORE_UNAVAILABLE("store-unavailable", 503, "The data store is unavailable"),
  CONTENDED("contended", 503, "Concurrent changes kept winning; retry");

  public static final String BASE = "https://meridian.dev/problems/";

  private final String slug;
  private final int status;
  private final String title;

  ProblemType(String slug, int status, String title) {
    this.slug = slug;
    this.status = status;
    this.title = title;
  }

  public String slug() {
    return slug;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public URI uri() {
    return URI.create(BASE + slug);
  }
}
