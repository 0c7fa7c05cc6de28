package dev.meridian.function.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.application.catalog.CatalogService;
import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.product.Product;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntityTagsTest {
  private static final String TAG = "6c256dc6a21c9016a9ca2fc26cc1c3fa";

  @Test
  void readsQuotedAndBareTags() {
    assertThat(EntityTags.precondition("\"" + TAG + "\"", null)).isEqualTo(new CatalogService.IfMatch(TAG));
    assertThat(EntityTags.precondition(" " + TAG + " ", null)).isEqualTo(new CatalogService.IfMatch(TAG));
    assertThat(EntityTags.of(TAG)).isEqualTo("\"" + TAG + "\"");
  }

  @Test
  void theTagOfTheSampleProductIsItsFingerprint() {
    // events/catalog-put-product.json replaces the seeded cup under this tag.
    Product cup = Product.create(new UpsertProduct(ProductId.of("cup"), "Cup", "A cup", Money.of(450, "EUR"), true),
        new HlcStamp(1, 0, "us-east-1"));
    assertThat(cup.fingerprint()).isEqualTo(TAG);
  }

  @Test
  void createOnlyAndNothing() {
    assertThat(EntityTags.precondition(null, "*")).isEqualTo(new CatalogService.IfAbsent());
    assertThat(EntityTags.precondition(null, null)).isEqualTo(new CatalogService.NoPrecondition());
  }

  @Test
  void readsEveryWellFormedIfMatchAsRfc9110WritesIt() {
    assertThat(EntityTags.precondition("*", null)).isEqualTo(CatalogService.IfMatch.anyCurrent());
    assertThat(EntityTags.precondition("\"a\", \"" + TAG + "\"", null))
        .isEqualTo(new CatalogService.IfMatch(List.of("a", TAG), false));
    assertThat(EntityTags.precondition(" , \"x,y\" ,,", null)).as("commas inside a tag, empty list elements")
        .isEqualTo(new CatalogService.IfMatch(List.of("x,y"), false));
    // Strong comparison: a weak tag never matches, but it is well-formed (412, not 400).
    assertThat(EntityTags.precondition("W/\"" + TAG + "\"", null)).isEqualTo(new CatalogService.IfMatch(List.of(), false));
    // Foreign but well-formed: a version number, another server's tag, an empty tag.
    assertThat(EntityTags.precondition("\"3\"", null)).isEqualTo(new CatalogService.IfMatch("3"));
    assertThat(EntityTags.precondition("\"6C256DC6A21C9016A9CA2FC26CC1C3FA\"", null))
        .isEqualTo(new CatalogService.IfMatch("6C256DC6A21C9016A9CA2FC26CC1C3FA"));
    assertThat(EntityTags.precondition("\"\"", null)).isEqualTo(new CatalogService.IfMatch(""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"6c256dc6a21c9016a9ca2fc26cc1c3fa", "6c256dc6a21c9016a9ca2fc26cc1c3fa\"", "3", "", " ", ",",
      "\"a\" \"b\"", "*, \"a\"", "w/\"a\"", "W/a", "\"a b\"", "\"a\u0001\"", "6c256dc6a21c9016a9ca2fc26cc1c3fa0", "abc"})
  void refusesWhatIsNotAnEntityTagList(String header) {
    assertThatThrownBy(() -> EntityTags.precondition(header, null)).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.errors().get(0).field()).isEqualTo("If-Match"));
  }

  @Test
  void refusesBothHeadersAndOtherIfNoneMatchValues() {
    assertThatThrownBy(() -> EntityTags.precondition("\"" + TAG + "\"", "*")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> EntityTags.precondition(null, "\"1\"")).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.errors().get(0).field()).isEqualTo("If-None-Match"));
  }
}
