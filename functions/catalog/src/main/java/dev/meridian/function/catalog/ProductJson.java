package dev.meridian.function.catalog;

import dev.meridian.adapter.http.MoneyView;
import dev.meridian.application.Page;
import dev.meridian.application.catalog.CatalogEntry;
import dev.meridian.domain.common.FieldError;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.domain.stock.RegionStock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The catalog's JSON: request bodies (boxed fields, so a missing value arrives as null and is
 * reported by name) and response representations, separate from domain types and table items.
 */
final class ProductJson {
  private ProductJson() {}

  /** {@code PUT /products/{id}}: the whole product; every field is required. */
  record ProductRequest(String name, String description, PriceRequest price, Boolean active) {
    UpsertProduct toCommand(ProductId id) {
      List<FieldError> errors = new ArrayList<>();
      Money money = null;
      if (price != null) {
        money = price.toMoney(errors);
      }
      if (active == null) {
        errors.add(new FieldError("active", "is required"));
      }
      try {
        UpsertProduct command = new UpsertProduct(id, name, description, money, active != null && active);
        if (errors.isEmpty()) {
          return command;
        }
      } catch (ValidationException e) {
        // A price that failed above is reported once, under its own field names.
        e.errors().stream().filter(f -> !(f.field().equals("price") && price != null)).forEach(errors::add);
      }
      throw new ValidationException(errors);
    }
  }

  /** {@code {"amount": 450, "currency": "EUR"}}: minor units, ISO 4217. */
  record PriceRequest(Long amount, String currency) {
    Money toMoney(List<FieldError> errors) {
      if (amount == null) {
        errors.add(new FieldError("price.amount", "is required"));
      }
      if (currency == null) {
        errors.add(new FieldError("price.currency", "is required"));
      }
      if (amount == null || currency == null) {
        return null;
      }
      try {
        return Money.of(amount, currency);
      } catch (ValidationException e) {
        e.errors().forEach(f -> errors.add(new FieldError("price." + f.field(), f.message())));
        return null;
      }
    }
  }

  /** {@code POST /products/{id}/stock}: units to add to this region's allocation. */
  record RestockRequest(Long units) {
    long requireUnits() {
      if (units == null) {
        throw ValidationException.of("units", "is required");
      }
      return units;
    }
  }

  /** {@code PUT /products/{id}/shards}: how many shards this region's stock of the product is split over. */
  record ReshardRequest(Integer shards) {
    int requireShards() {
      if (shards == null) {
        throw ValidationException.of("shards", "is required");
      }
      return shards;
    }
  }

  /** One region's stock as this replica sees it, summed over its shards, and the units it gave that are still on their way. */
  record AllocationView(String region, long available, long reserved, long sold, long inTransit, int shards) {
    static AllocationView of(RegionStock stock, CatalogEntry entry) {
      return new AllocationView(stock.region(), stock.available(), stock.reserved(), stock.sold(),
          stock.inTransitFrom(entry.stock()), stock.shardsInUse());
    }
  }

  /** A product with every region's allocation ({@code GET /products/{id}}, writes). */
  record ProductView(String id, String name, String description, MoneyView price, boolean active, long version,
      List<AllocationView> allocations, long totalAvailable) {
    static ProductView of(CatalogEntry entry) {
      Product p = entry.product();
      List<AllocationView> allocations = entry.stock().stream().filter(stock -> !stock.shards().isEmpty())
          .sorted(Comparator.comparing(RegionStock::region)).map(stock -> AllocationView.of(stock, entry)).toList();
      return new ProductView(p.id().value(), p.currentName(), p.currentDescription(), MoneyView.of(p.currentPrice()),
          p.isActive(), entry.version(), allocations, entry.totalAvailable());
    }
  }

  /** A product in a listing (allocations are read per product). */
  record ProductSummary(String id, String name, String description, MoneyView price, boolean active, long version) {
    static ProductSummary of(CatalogEntry entry) {
      Product p = entry.product();
      return new ProductSummary(p.id().value(), p.currentName(), p.currentDescription(), MoneyView.of(p.currentPrice()),
          p.isActive(), entry.version());
    }
  }

  /** {@code GET /products}: a page in id order; {@code nextCursor} is null on the last page. */
  record ProductPage(List<ProductSummary> items, String nextCursor) {
    static ProductPage of(Page<CatalogEntry> page) {
      return new ProductPage(page.items().stream().map(ProductSummary::of).toList(), page.nextCursor().orElse(null));
    }
  }
}
