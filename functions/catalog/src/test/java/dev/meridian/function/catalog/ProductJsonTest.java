package dev.meridian.function.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.domain.common.FieldError;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.function.catalog.ProductJson.PriceRequest;
import dev.meridian.function.catalog.ProductJson.ProductRequest;
import org.junit.jupiter.api.Test;

class ProductJsonTest {
  private static final ProductId CUP = ProductId.of("cup");

  @Test
  void buildsTheCommand() {
    UpsertProduct command = new ProductRequest("Cup", "", new PriceRequest(450L, "EUR"), true).toCommand(CUP);
    assertThat(command).isEqualTo(new UpsertProduct(CUP, "Cup", "", Money.of(450, "EUR"), true));
  }

  @Test
  void namesEveryMissingOrInvalidFieldOnce() {
    assertThatThrownBy(() -> new ProductRequest(null, null, new PriceRequest(-5L, "euro"), null).toCommand(CUP))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
            .containsExactlyInAnyOrder("name", "description", "price.amount", "price.currency", "active"));
    assertThatThrownBy(() -> new ProductRequest("Cup", "", null, true).toCommand(CUP))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
            .containsExactly("price"));
    assertThatThrownBy(() -> new ProductRequest("Cup", "", new PriceRequest(null, null), true).toCommand(CUP))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
            .containsExactlyInAnyOrder("price.amount", "price.currency"));
  }

  @Test
  void restockUnitsAreRequired() {
    assertThatThrownBy(() -> new ProductJson.RestockRequest(null).requireUnits()).isInstanceOf(ValidationException.class);
    assertThat(new ProductJson.RestockRequest(5L).requireUnits()).isEqualTo(5);
  }
}
