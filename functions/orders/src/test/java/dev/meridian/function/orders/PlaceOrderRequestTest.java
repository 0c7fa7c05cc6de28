package dev.meridian.function.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.domain.common.FieldError;
import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.order.CustomerId;
import dev.meridian.domain.order.PlaceOrder;
import dev.meridian.function.orders.OrderJson.LineRequest;
import dev.meridian.function.orders.OrderJson.PlaceOrderRequest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaceOrderRequestTest {
  private static final CustomerId ALICE = new CustomerId("alice");

  private static List<String> fields(Runnable r) {
    try {
      r.run();
    } catch (ValidationException e) {
      return e.errors().stream().map(FieldError::field).toList();
    }
    throw new AssertionError("no validation error");
  }

  @Test
  void buildsTheCommand() {
    PlaceOrder command = new PlaceOrderRequest(List.of(new LineRequest("cup", 2))).toCommand(ALICE, "k1");
    assertThat(command.lines()).containsExactly(new PlaceOrder.Line("cup", 2));
    assertThat(command.idempotencyKey().value()).isEqualTo("k1");
  }

  @Test
  void namesTheHeaderAndEveryLineField() {
    assertThat(fields(() -> new PlaceOrderRequest(List.of(new LineRequest("cup", 1))).toCommand(ALICE, null)))
        .containsExactly("Idempotency-Key");
    assertThat(fields(() -> new PlaceOrderRequest(List.of(new LineRequest("cup", 1))).toCommand(ALICE, "a b")))
        .containsExactly("Idempotency-Key");
    assertThat(fields(() -> new PlaceOrderRequest(List.of(new LineRequest("cup", null), new LineRequest(null, 101)))
        .toCommand(ALICE, null)))
        .containsExactlyInAnyOrder("Idempotency-Key", "lines[0].quantity", "lines[1].productId", "lines[1].quantity");
    assertThat(fields(() -> new PlaceOrderRequest(Arrays.asList(new LineRequest("cup", 1), null)).toCommand(ALICE, "k")))
        .containsExactly("lines[1]");
    assertThat(fields(() -> new PlaceOrderRequest(null).toCommand(ALICE, "k"))).containsExactly("lines");
    assertThat(fields(() -> new PlaceOrderRequest(List.of()).toCommand(ALICE, "k"))).containsExactly("lines");
  }
}
