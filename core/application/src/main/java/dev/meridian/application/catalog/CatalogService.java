package dev.meridian.application.catalog;

import dev.meridian.application.Page;
import dev.meridian.application.UseCase;
import dev.meridian.application.WriteGate;
import dev.meridian.application.control.StockRoles;
import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.domain.stock.RegionStock;
import dev.meridian.domain.stock.StockAllocation;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/** Catalog use cases: read products, replace them under optimistic concurrency, restock. */
@UseCase
public final class CatalogService {

  /** The precondition a client sent with a replace ({@code If-Match} / {@code If-None-Match}). */
  public sealed interface Precondition permits IfMatch, IfAbsent, NoPrecondition {}

  /**
   * Replace only if the product's fields are the ones one of these {@link CatalogEntry#tag() tags}
   * names ({@code If-Match: "a", "b"}), or, with {@code any}, if the product exists at all
   * ({@code If-Match: *}).
   */
  public record IfMatch(java.util.List<String> tags, boolean any) implements Precondition {
    public IfMatch {
      tags = java.util.List.copyOf(tags);
    }

    /** One tag. */
    public IfMatch(String tag) {
      this(java.util.List.of(java.util.Objects.requireNonNull(tag, "tag")), false);
    }

    /** {@code If-Match: *}. */
    public static IfMatch anyCurrent() {
      return new IfMatch(java.util.List.of(), true);
    }

    boolean matches(CatalogEntry current) {
      return any || tags.contains(current.tag());
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

  /** What a change of this region's shard count did. */
  public sealed interface ReshardOutcome permits Resharded, UnknownProductToReshard, ReshardRefused {}

  public record Resharded(CatalogEntry entry) implements ReshardOutcome {}

  public record UnknownProductToReshard() implements ReshardOutcome {}

  /** 503: this region does not take writes now, or concurrent writes kept changing the shards. */
  public record ReshardRefused(String reason) implements ReshardOutcome {}

  public static final long MAX_RESTOCK_UNITS = 1_000_000;
  private static final int MAX_ATTEMPTS = 5;

  private final CatalogRepository repository;
  private final HybridLogicalClock clock;
  private final WriteGate writeGate;
  private final Supplier<StockRoles> stockRoles;

  /** A catalog whose regions all sell and keep no reserve (active-active). */
  public CatalogService(CatalogRepository repository, HybridLogicalClock clock, WriteGate writeGate) {
    this(repository, clock, writeGate, () -> StockRoles.ACTIVE_ACTIVE);
  }

  /** @param stockRoles who sells and who keeps the standby reserve, as the control item says at the time of a restock */
  public CatalogService(CatalogRepository repository, HybridLogicalClock clock, WriteGate writeGate,
      Supplier<StockRoles> stockRoles) {
    this.repository = repository;
    this.clock = clock;
    this.writeGate = writeGate;
    this.stockRoles = stockRoles;
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

  /**
   * The precondition evaluated on its own, before the request's body is even read (RFC 9110
   * §13.2.1: preconditions come before the method): 428 without one, 412 when it does not hold
   * now; empty when it holds. {@link #upsert} evaluates it again, atomically with the write.
   */
  public Optional<UpsertOutcome> unmetPrecondition(ProductId id, Precondition precondition) {
    if (precondition instanceof NoPrecondition) {
      return Optional.of(new PreconditionRequired());
    }
    Optional<CatalogEntry> current = repository.find(id);
    boolean holds = switch (precondition) {
      case IfAbsent absent -> current.isEmpty();
      case IfMatch ifMatch -> current.isPresent() && ifMatch.matches(current.get());
      case NoPrecondition none -> false;
    };
    return holds ? Optional.empty() : Optional.of(new PreconditionFailed(current));
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
    if (current.isEmpty() || !((IfMatch) precondition).matches(current.get())) {
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
    RegionStock stock = repository.stock(id, clock.region());
    if (!repository.restock(id, stock.spread(units))) {
      return new UnknownProduct();
    }
    topUpReserve(id);
    return new Restocked(repository.find(id).orElseThrow());
  }

  /**
   * Gives the standby reserve's holder what it lacks of its share, as a transfer from this
   * region's stock: the holder's stock has one writer, the holder, which adds the units when the
   * transfer reaches it. The restock stands even when contention keeps this from writing: the
   * reconciler tops the reserve up on the holder's next change.
   */
  private void topUpReserve(ProductId id) {
    StockRoles roles = stockRoles.get();
    Optional<String> holder = roles.reserveHolder().filter(h -> !h.equals(clock.region()));
    if (holder.isEmpty()) {
      return;
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<CatalogEntry> entry = repository.find(id);
      if (entry.isEmpty()) {
        return;
      }
      RegionStock mine = repository.stock(id, clock.region());
      RegionStock reserve = entry.get().stockIn(holder.get()).orElse(RegionStock.empty(id, holder.get()));
      List<RegionStock> everyRegion = entry.get().stock().stream()
          .map(s -> s.region().equals(clock.region()) ? mine : s).toList();
      long missing = roles.reserveTarget(everyRegion) - reserve.available() - reserve.head().inFlightFrom(mine.head());
      long units = Math.min(missing, mine.available());
      if (units <= 0 || repository.writeStock(mine.give(holder.get(), units).changedSince(mine))) {
        return;
      }
    }
  }

  /**
   * Splits this region's stock of a product into {@code shards} shards (1 to
   * {@link StockAllocation#MAX_SHARDS}), moving available units evenly over them; held units stay
   * where their holds took them from. Units only move, so none is created or lost.
   */
  public ReshardOutcome reshard(ProductId id, int shards) {
    if (shards < 1 || shards > StockAllocation.MAX_SHARDS) {
      throw ValidationException.of("shards", "must be between 1 and " + StockAllocation.MAX_SHARDS);
    }
    Optional<String> refusal = writeGate.refusal();
    if (refusal.isPresent()) {
      return new ReshardRefused(refusal.get());
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (repository.find(id).isEmpty()) {
        return new UnknownProductToReshard();
      }
      RegionStock before = repository.stock(id, clock.region());
      List<RegionStock.ShardWrite> writes = before.reshard(shards).changedSince(before);
      if (writes.isEmpty() || repository.writeStock(writes)) {
        return new Resharded(repository.find(id).orElseThrow());
      }
    }
    return new ReshardRefused("the shards of " + id + " kept changing during " + MAX_ATTEMPTS + " attempts; retry");
  }
}
