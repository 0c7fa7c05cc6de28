package dev.meridian.function.catalog;

import static dev.meridian.adapter.http.PrimingRequest.customer;

import dev.meridian.adapter.http.PrimingRequest;
import java.util.List;

/**
 * What the catalog function sends itself before a SnapStart snapshot: a product read, a page of
 * products, a validation error and a refused admin route, each answered as a customer would be.
 * Nothing here writes: the product read names a product no one creates, the page is a read, the
 * admin requests are refused before any use case runs.
 */
final class CatalogPriming {
  /** A valid product id that names no product (reads of it answer 404). */
  static final String ABSENT_PRODUCT = "snapstart-priming-absent-product";

  static final List<PrimingRequest> REQUESTS = List.of(
      customer("GET", "/products/" + ABSENT_PRODUCT, 404),
      customer("GET", "/products?limit=1", 200),
      customer("GET", "/products?limit=0", 400),
      customer("POST", "/products/" + ABSENT_PRODUCT + "/stock", 403).withBody("{\"units\":1}"),
      customer("PUT", "/products/" + ABSENT_PRODUCT, 400).asOperations()
          .withHeader("If-None-Match", "*").withBody("{\"name\":\"\"}"));

  private CatalogPriming() {}
}
