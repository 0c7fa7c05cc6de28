package dev.meridian.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictJsonTest {
  record Line(String productId, Integer quantity) {}

  record Order(List<Line> lines, Boolean gift, Long amount) {}

  private final ObjectMapper json = StrictJson.mapper();

  @Test
  void readsWellTypedJson() throws Exception {
    Order order = json.readValue("{\"lines\":[{\"productId\":\"cup\",\"quantity\":2}],\"gift\":true,\"amount\":450}", Order.class);
    assertThat(order).isEqualTo(new Order(List.of(new Line("cup", 2)), true, 450L));
  }

  @Test
  void missingAndNullFieldsArriveAsNullForTheCommandToName() throws Exception {
    assertThat(json.readValue("{\"lines\":null}", Order.class)).isEqualTo(new Order(null, null, null));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"lines\":[{\"productId\":\"cup\",\"quantity\":\"2\"}]}|lines[0].quantity",
      "{\"lines\":[{\"productId\":\"cup\",\"quantity\":2.5}]}|lines[0].quantity",
      "{\"lines\":[{\"productId\":\"cup\",\"quantity\":2.0}]}|lines[0].quantity",
      "{\"lines\":[{\"productId\":\"cup\",\"quantity\":true}]}|lines[0].quantity",
      "{\"lines\":[{\"productId\":7,\"quantity\":1}]}|lines[0].productId",
      "{\"lines\":[{\"productId\":\"cup\",\"quantity\":1,\"x\":1}]}|lines[0].x",
      "{\"lines\":[{},{\"productId\":false}]}|lines[1].productId",
      "{\"gift\":\"true\"}|gift",
      "{\"gift\":1}|gift",
      "{\"amount\":\"450\"}|amount",
      "{\"amount\":4.5}|amount",
      "{\"amount\":99999999999999999999999}|amount",
      "{\"lines\":{}}|lines",
      "{\"lines\":\"cup\"}|lines",
      "{\"gift\":true,\"gift\":false}|gift",
      "[]|body",
      "\"text\"|body",
      "{} {}|body",
  })
  void refusesEveryCoercionNamingTheField(String body, String field) {
    JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class, () -> json.readValue(body, Order.class));
    assertThat(e).as(body).isNotNull();
    assertThat(StrictJson.fieldOf(e)).isEqualTo(field);
    assertThat(StrictJson.messageOf(e)).doesNotContain("java.", "dev.meridian");
  }

  @Test
  void tellsSyntaxFromShape() {
    JsonProcessingException syntax = catchThrowableOfType(JsonProcessingException.class,
        () -> json.readValue("{\"lines\":[{\"productId\":}]}", Order.class));
    assertThat(StrictJson.isSyntaxError(syntax)).isTrue();
    assertThat(StrictJson.fieldOf(syntax)).isEqualTo("lines[0].productId");
    JsonProcessingException deep = catchThrowableOfType(JsonProcessingException.class,
        () -> json.readTree("[".repeat(5000))); // beyond Jackson's nesting limit
    assertThat(StrictJson.isSyntaxError(deep)).isTrue();
    JsonProcessingException shape = catchThrowableOfType(JsonProcessingException.class,
        () -> json.readValue("{\"gift\":1}", Order.class));
    assertThat(StrictJson.isSyntaxError(shape)).isFalse();
    assertThat(StrictJson.messageOf(shape)).isEqualTo("must be true or false");
  }
}
