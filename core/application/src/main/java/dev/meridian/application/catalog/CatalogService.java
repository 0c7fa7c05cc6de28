package dev.meridian.application.catalog;

import dev.meridian.application.Page;
import dev.meridian.application.UseCase;
import dev.meridian.application.WriteGate;
import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import java.util.Optional;
import java.util.OptionalLong;

/** Catalog use cases: read products, replace them under optimistic concurrency, restock. */
@UseCase
public final class CatalogService {

  /** The precondition a client sent with a replace ({@code If-Match} / {@code If-None-Match}). */
  public sealed interface Precondition permits IfMatch, IfAbsent, NoPrecondition {}

  /** Replace only if the product's fields are the ones this {@link CatalogEntry#tag() tag} names. */
  public record IfMatch(String tag) implements Precondition {
    public IfMatch {
      java.util.Objects.requireNonNull(tag, "tag");
    }
  }

  /** Create only ({@code If-None-Match: *}). */
  public record IfAbsent() implements Precondition {}

  /** No precondition: refused, a replace must say which version it replaces (428). */
  public record NoPrecondition() implements Precondition {}

  /** What a replace did. */
  public sealed interface UpsertOutcome permits Created, Replaced, PreconditionRequired, PreconditionFailed, WritesRefused {}

  public record Created(CatalogEntry entry) implements UpsertOutcome {}

  public record Replaced(CatalogEntry entry) implements UpsertOutcome {}

  public record PreconditionRequired() implements UpsertOutcome {}

  /**
   * Stale {@code If-Match}, a missing product for {@code If-Match}, or an existing one for
   * {@code If-None-Match}; {@code current} is the product as it is now, when it exists.
   */
  public record PreconditionFailed(Optional<CatalogEntry> current) implements UpsertOutcome {}

  public record WritesRefused(String reason) implements UpsertOutcome {}

  /** What a restock did. */
  public sealed interface RestockOutcome permits Restocked, UnknownProduct, RestockRefused {}

  public record Restocked(CatalogEntry entry) implements RestockOutcome {}

  public record UnknownProduct() implements RestockOutcome {}

  public record RestockRefused(String reason) implements RestockOutcome {}

  public static final long MAX_RESTOCK_UNITS = 1_000_000;

  private final CatalogRepository repository;
  private final HybridLogicalClock clock;
  private final WriteGate writeGate;

  public CatalogService(CatalogRepository repository, HybridLogicalClock clock, WriteGate writeGate) {
    this.repository = repository;
    this.clock = clock;
    this.writeGate = writeGate;
  }

  public String region() {
    return clock.region();
  }

  public Optional<CatalogEntry> get(ProductId id) {
    return repository.find(id);
  }

  public Page<CatalogEntry> list(String cursor, Integer limit) {
    int size = limit == null ? Page.DEFAULT_LIMIT : limit;
    if (size < 1 || size > Page.MAX_LIMIT) {
      throw ValidationException.of("limit", "must be between 1 and " + Page.MAX_LIMIT);
    }
    return repository.list(cursor, size);
  }

  public UpsertOutcome upsert(UpsertProduct command, Precondition precondition) {
    if (precondition instanceof NoPrecondition) {
      return new PreconditionRequired();
    }
    Optional<String> refusal = writeGate.refusal();
    if (refusal.isPresent()) {
      return new WritesRefused(refusal.get());
    }
    Optional<CatalogEntry> current = repository.find(command.productId());
    if (precondition instanceof IfAbsent) {
      if (current.isPresent()) {
        return new PreconditionFailed(current);
      }
      Product created = Product.create(command, clock.now());
      if (!repository.create(created)) {
        return new PreconditionFailed(repository.find(command.productId()));
      }
      return new Created(repository.find(command.productId()).orElseThrow());
    }
    String expected = ((IfMatch) precondition).tag();
    if (current.isEmpty() || !current.get().tag().equals(expected)) {
      return new PreconditionFailed(current);
    }
    Product before = current.get().product();
    Product after = before.apply(command, clock.after(before.latestStamp()));
    OptionalLong written = repository.replace(after, current.get());
    if (written.isEmpty()) {
      return new PreconditionFailed(repository.find(command.productId()));
    }
    return new Replaced(repository.find(command.productId()).orElseThrow());
  }

  public RestockOutcome restock(ProductId id, long units) {
    if (units < 1 || units > MAX_RESTOCK_UNITS) {
      throw ValidationException.of("units", "must be between 1 and " + MAX_RESTOCK_UNITS);
    }
    Optional<String> refusal = writeGate.refusal();
    if (refusal.isPresent()) {
      return new RestockRefused(refusal.get());
    }
    if (repository.restock(id, clock.region(), units).isEmpty()) {
      return new UnknownProduct();
    }
    return new Restocked(repository.find(id).orElseThrow());
  }
}
