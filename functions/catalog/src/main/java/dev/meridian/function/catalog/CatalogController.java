package dev.meridian.function.catalog;

import dev.meridian.adapter.http.ApiErrorAdvice;
import dev.meridian.adapter.http.Problem;
import dev.meridian.adapter.http.ProblemException;
import dev.meridian.adapter.http.ProblemType;
import dev.meridian.adapter.http.Requires;
import dev.meridian.adapter.http.Requires.Audience;
import dev.meridian.application.catalog.CatalogEntry;
import dev.meridian.application.catalog.CatalogService;
import dev.meridian.domain.product.ProductId;
import dev.meridian.function.catalog.ProductJson.ProductPage;
import dev.meridian.function.catalog.ProductJson.ProductRequest;
import dev.meridian.function.catalog.ProductJson.ProductView;
import dev.meridian.function.catalog.ProductJson.ReshardRequest;
import dev.meridian.function.catalog.ProductJson.RestockRequest;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Catalog routes. Each method parses the request into a command, calls one use case, and maps
 * each outcome to exactly one status (openapi.yaml lists them). Validation failures of ids,
 * bodies and headers are {@code ValidationException}s, answered 400 by the shared advice.
 */
@RestController
class CatalogController {
  private final CatalogService catalog;

  CatalogController(CatalogService catalog) {
    this.catalog = catalog;
  }

  /** 200 a page of products in id order; 400 for a bad limit or a cursor this API did not issue. */
  @GetMapping("/products")
  @Requires(Audience.CUSTOMER)
  ResponseEntity<Object> list(@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
    String from = cursor == null || cursor.isEmpty() ? null : cursor; // "?cursor=" means the first page
    return json(HttpStatus.OK, new HttpHeaders(), ProductPage.of(catalog.list(from, limit)));
  }

  /** 200 the product with each region's allocation and an ETag; 404 when it does not exist. */
  @GetMapping("/products/{id}")
  @Requires(Audience.CUSTOMER)
  ResponseEntity<Object> get(@PathVariable String id) {
    CatalogEntry entry = catalog.get(ProductId.of(id)).orElseThrow(() -> notFound(id));
    return json(HttpStatus.OK, etag(entry), ProductView.of(entry));
  }

  /**
   * Create ({@code If-None-Match: *}, 201) or replace ({@code If-Match: "<tag>"}, 200).
   * 412 when the precondition does not hold, 428 when neither header is sent, 503 on a standby.
   */
  @PutMapping("/products/{id}")
  @Requires(Audience.ADMIN)
  @PreconditionsFirst.EvaluatesPreconditionsFirst
  ResponseEntity<Object> put(@PathVariable String id,
      @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
      @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
      @RequestBody ProductRequest body) {
    ProductId productId = ProductId.of(id);
    CatalogService.UpsertOutcome outcome = catalog.upsert(body.toCommand(productId), EntityTags.precondition(ifMatch, ifNoneMatch));
    return switch (outcome) {
      case CatalogService.Created created -> {
        HttpHeaders headers = etag(created.entry());
        headers.setLocation(URI.create("/products/" + productId.value()));
        yield json(HttpStatus.CREATED, headers, ProductView.of(created.entry()));
      }
      case CatalogService.Replaced replaced -> json(HttpStatus.OK, etag(replaced.entry()), ProductView.of(replaced.entry()));
      case CatalogService.PreconditionRequired required -> throw preconditionNotMet(productId, required);
      case CatalogService.PreconditionFailed failed -> throw preconditionNotMet(productId, failed);
      case CatalogService.WritesRefused refused ->
          Problem.of(ProblemType.WRITES_REFUSED, refused.reason()).toResponse(ApiErrorAdvice.retryAfter());
    };
  }

  /** 200 the product after adding units to this region's allocation; 404 unknown product; 503 on a standby. */
  @PostMapping("/products/{id}/stock")
  @Requires(Audience.ADMIN)
  ResponseEntity<Object> restock(@PathVariable String id, @RequestBody RestockRequest body) {
    ProductId productId = ProductId.of(id);
    CatalogService.RestockOutcome outcome = catalog.restock(productId, body.requireUnits());
    return switch (outcome) {
      case CatalogService.Restocked restocked -> json(HttpStatus.OK, etag(restocked.entry()), ProductView.of(restocked.entry()));
      case CatalogService.UnknownProduct unknown -> throw notFound(id);
      case CatalogService.RestockRefused refused ->
          Problem.of(ProblemType.WRITES_REFUSED, refused.reason()).toResponse(ApiErrorAdvice.retryAfter());
    };
  }

  /**
   * 200 the product after splitting this region's stock of it over {@code shards} shards (1 to 50;
   * each takes about 500 placements a second, 1,000 WCU at 2 per transactional write); 404 unknown
   * product; 503 on a standby.
   */
  @PutMapping("/products/{id}/shards")
  @Requires(Audience.ADMIN)
  ResponseEntity<Object> reshard(@PathVariable String id, @RequestBody ReshardRequest body) {
    ProductId productId = ProductId.of(id);
    CatalogService.ReshardOutcome outcome = catalog.reshard(productId, body.requireShards());
    return switch (outcome) {
      case CatalogService.Resharded resharded -> json(HttpStatus.OK, etag(resharded.entry()), ProductView.of(resharded.entry()));
      case CatalogService.UnknownProductToReshard unknown -> throw notFound(id);
      case CatalogService.ReshardRefused refused ->
          Problem.of(ProblemType.WRITES_REFUSED, refused.reason()).toResponse(ApiErrorAdvice.retryAfter());
    };
  }

  /** The 428 or 412 of a replace whose precondition is missing or does not hold (with the current ETag). */
  static ProblemException preconditionNotMet(ProductId productId, CatalogService.UpsertOutcome unmet) {
    return switch (unmet) {
      case CatalogService.PreconditionRequired required -> ProblemException.of(ProblemType.PRECONDITION_REQUIRED,
          "send If-Match: \"<ETag>\" to replace product " + productId + ", or If-None-Match: * to create it");
      case CatalogService.PreconditionFailed failed -> failed.current()
          .map(current -> new ProblemException(Problem.of(ProblemType.PRECONDITION_FAILED, "product " + productId
              + " has changed: it is at version " + current.version() + ", ETag " + EntityTags.of(current.tag()))
              .with("currentVersion", current.version()), etag(current)))
          .orElseGet(() -> ProblemException.of(ProblemType.PRECONDITION_FAILED, "product " + productId + " does not exist"));
      default -> throw new IllegalArgumentException("not an unmet precondition: " + unmet);
    };
  }

  private static HttpHeaders etag(CatalogEntry entry) {
    HttpHeaders headers = new HttpHeaders();
    headers.setETag(EntityTags.of(entry.tag()));
    return headers;
  }

  /** JSON whatever the Accept header says: this API has one representation. */
  private static ResponseEntity<Object> json(HttpStatus status, HttpHeaders headers, Object body) {
    return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_JSON).body(body);
  }

  private static ProblemException notFound(String id) {
    return ProblemException.of(ProblemType.NOT_FOUND, "product " + id + " does not exist");
  }
}
