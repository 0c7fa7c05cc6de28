package dev.meridian.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.app.catalog.CatalogService;
import dev.meridian.domain.common.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntityTagsTest {
  @Test
  void readsQuotedAndBareVersions() {
    assertThat(EntityTags.precondition("\"3\"", null)).isEqualTo(new CatalogService.IfMatch(3));
    assertThat(EntityTags.precondition(" 12 ", null)).isEqualTo(new CatalogService.IfMatch(12));
    assertThat(EntityTags.of(3)).isEqualTo("\"3\"");
  }

  @Test
  void createOnlyAndNothing() {
    assertThat(EntityTags.precondition(null, "*")).isEqualTo(new CatalogService.IfAbsent());
    assertThat(EntityTags.precondition(null, null)).isEqualTo(new CatalogService.NoPrecondition());
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", "W/\"3\"", "\"3", "3\"", "\"a\"", "", "\"3\", \"4\"", "-1", "\"99999999999999999999\""})
  void refusesAnythingElseAsIfMatch(String header) {
    assertThatThrownBy(() -> EntityTags.precondition(header, null)).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.errors().get(0).field()).isEqualTo("If-Match"));
  }

  @Test
  void refusesBothHeadersAndOtherIfNoneMatchValues() {
    assertThatThrownBy(() -> EntityTags.precondition("\"1\"", "*")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> EntityTags.precondition(null, "\"1\"")).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.errors().get(0).field()).isEqualTo("If-None-Match"));
  }
}
