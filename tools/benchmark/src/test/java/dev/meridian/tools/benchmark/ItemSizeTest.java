package dev.meridian.tools.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemSizeTest {
  @Test
  void namesAndStringsCountTheirUtf8Bytes() {
    assertThat(ItemSize.of(Map.of("pk", AttributeValue.fromS("PRODUCT#mug")))).isEqualTo(2 + 11);
    assertThat(ItemSize.of(Map.of("name", AttributeValue.fromS("Tasse à café")))).isEqualTo(4 + 14);
  }

  @Test
  void numbersCountAboutOneBytePerTwoSignificantDigits() {
    assertThat(ItemSize.of(AttributeValue.fromN("1"))).isEqualTo(2);
    assertThat(ItemSize.of(AttributeValue.fromN("1000"))).as("trailing zeros are not significant").isEqualTo(2);
    assertThat(ItemSize.of(AttributeValue.fromN("123456"))).isEqualTo(4);
    assertThat(ItemSize.of(AttributeValue.fromN("12.5"))).isEqualTo(3);
  }

  @Test
  void mapsAndListsCostThreeBytesAndOnePerElementBesidesTheirContents() {
    AttributeValue holds = AttributeValue.fromM(Map.of("o-1", AttributeValue.fromN("2"), "o-2", AttributeValue.fromN("1")));
    assertThat(ItemSize.of(holds)).isEqualTo(3 + (1 + 3 + 2) * 2);
    assertThat(ItemSize.of(AttributeValue.fromL(List.of(AttributeValue.fromBool(true), AttributeValue.fromNul(true)))))
        .isEqualTo(3 + 2 + 2);
  }
}
