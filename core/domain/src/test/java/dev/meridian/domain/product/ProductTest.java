package dev.meridian.domain.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.domain.clock.HlcStamp;
import dev.meridian.domain.common.Conflict;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.common.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProductTest {
  private static final ProductId CUP = ProductId.of("cup");
  private final Product base = Product.create(upsert("Cup", 250, true), stamp(100, "us-east-1"));

  @Test
  void concurrentEditsOfDifferentFieldsAreBothKept() {
    Product priceInUs = base.apply(upsert("Cup", 300, true), stamp(200, "us-east-1"));
    Product nameInEu = base.apply(upsert("Teacup", 250, true), stamp(150, "eu-west-1"));
    Product merged = priceInUs.merge(nameInEu);
    assertThat(merged.currentPrice()).isEqualTo(Money.of(300, "EUR"));
    assertThat(merged.currentName()).isEqualTo("Teacup");
    assertThat(priceInUs.conflictsWith(nameInEu)).isEmpty();
  }

  @Test
  void concurrentEditsOfTheSameFieldResolveByStampAndAreRecorded() {
    Product us = base.apply(upsert("Cup", 300, true), stamp(200, "us-east-1"));
    Product eu = base.apply(upsert("Cup", 280, true), stamp(200, "eu-west-1"));
    assertThat(us.merge(eu).currentPrice()).isEqualTo(Money.of(300, "EUR")); // same ms: region breaks the tie
    List<Conflict> conflicts = us.conflictsWith(eu);
    assertThat(conflicts).singleElement().satisfies(c -> {
      assertThat(c.field()).isEqualTo("price");
      assertThat(c.rule()).isEqualTo("last-writer-wins");
      assertThat(c.winner().region()).isEqualTo("us-east-1");
      assertThat(c.loser().value()).isEqualTo("280 EUR");
    });
    assertThat(eu.conflictsWith(us)).isEqualTo(conflicts);
  }

  @Test
  void anEditThatSawThePreviousValueIsNotAConflict() {
    Product us = base.apply(upsert("Cup", 300, true), stamp(200, "us-east-1"));
    Product euAfterSeeingUs = us.apply(upsert("Cup", 320, true), stamp(300, "eu-west-1"));
    assertThat(us.conflictsWith(euAfterSeeingUs)).isEmpty();
    assertThat(euAfterSeeingUs.contains(us)).isTrue();
    assertThat(us.contains(euAfterSeeingUs)).isFalse();
  }

  @Test
  void aConcurrentEditIsRecordedEvenWhenTheOtherRegionEditedTwiceWithoutIt() {
    // Found by the protocol simulation: us-east-1 edits the price twice while eu-west-1's concurrent edit is
    // on its way. The second us edit replaced a value newer than eu's, yet it never saw eu's edit.
    Product usFirst = base.apply(upsert("Cup", 300, true), stamp(200, "us-east-1"));
    Product usSecond = usFirst.apply(upsert("Cup", 310, true), stamp(300, "us-east-1"));
    Product eu = base.apply(upsert("Cup", 280, true), stamp(150, "eu-west-1"));

    assertThat(eu.conflictsWith(usSecond)).singleElement().satisfies(c -> {
      assertThat(c.field()).isEqualTo("price");
      assertThat(c.winner().value()).isEqualTo("310 EUR");
      assertThat(c.loser().value()).isEqualTo("280 EUR");
    });
    assertThat(usSecond.conflictsWith(eu)).isEqualTo(eu.conflictsWith(usSecond));
    assertThat(usSecond.contains(eu)).as("the losing edit is not yet known to us-east-1").isFalse();
  }

  @Test
  void aMergedLoserIsSupersededSoLaterEditsDoNotConflictWithItAgain() {
    Product us = base.apply(upsert("Cup", 300, true), stamp(200, "us-east-1"));
    Product eu = base.apply(upsert("Cup", 280, true), stamp(150, "eu-west-1"));
    Product merged = us.merge(eu);
    assertThat(merged.currentPrice()).isEqualTo(Money.of(300, "EUR"));
    assertThat(merged.contains(eu)).isTrue();
    assertThat(merged.contains(us)).isTrue();
    Product later = merged.apply(upsert("Cup", 320, true), stamp(400, "us-east-1"));
    assertThat(later.conflictsWith(eu)).isEmpty();
    assertThat(later.conflictsWith(us)).isEmpty();
  }

  @Test
  void theHistoryKeepsTheNewestSupersededWritesOnly() {
    Product p = base;
    for (int i = 1; i <= LwwRegister.KNOWN_WRITES + 8; i++) {
      p = p.apply(upsert("Cup", 250 + i, true), stamp(100 + i, "us-east-1"));
    }
    assertThat(p.price().superseded()).hasSize(LwwRegister.KNOWN_WRITES);
    // A write older than everything kept counts as seen: it was superseded long ago.
    assertThat(p.conflictsWith(base)).isEmpty();
    assertThat(p.contains(base)).isTrue();
  }

  @Test
  void aWriteMustBeStampedAfterTheStateItReplaces() {
    assertThatThrownBy(() -> base.apply(upsert("Mug", 1, true), stamp(50, "eu-west-1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void commandsNameEveryInvalidField() {
    assertThatThrownBy(() -> new UpsertProduct(CUP, " ", "x".repeat(4_001), null, true))
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
            .extracting(f -> f.field()).containsExactly("name", "description", "price"));
    assertThatThrownBy(() -> ProductId.of("Cup!")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Money.of(-1, "EUR")).hasMessageContaining("amount");
    assertThatThrownBy(() -> Money.of(1, "XYZ")).hasMessageContaining("currency");
  }

  private static UpsertProduct upsert(String name, long price, boolean active) {
    return new UpsertProduct(CUP, name, "", Money.of(price, "EUR"), active);
  }

  private static HlcStamp stamp(long ms, String region) {
    return new HlcStamp(ms, 0, region);
  }
}
