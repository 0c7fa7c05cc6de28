package dev.meridian.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpApiEventTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void buildsAPayloadV2EventWithClaims() throws Exception {
    JsonNode event = json.readTree(HttpApiEvent.request("POST", "/orders?limit=2&cursor=a%2Bb&limit=3")
        .customer("alice").header("Idempotency-Key", "k1").json("{}").toJson());
    assertThat(event.get("version").asText()).isEqualTo("2.0");
    assertThat(event.get("rawPath").asText()).isEqualTo("/orders");
    assertThat(event.get("rawQueryString").asText()).isEqualTo("limit=2&cursor=a%2Bb&limit=3");
    assertThat(event.get("queryStringParameters").get("cursor").asText()).isEqualTo("a+b");
    assertThat(event.get("queryStringParameters").get("limit").asText()).isEqualTo("2,3");
    assertThat(event.get("headers").get("idempotency-key").asText()).isEqualTo("k1");
    assertThat(event.get("headers").get("content-type").asText()).isEqualTo("application/json");
    assertThat(event.get("requestContext").get("http").get("method").asText()).isEqualTo("POST");
    assertThat(event.get("requestContext").get("authorizer").get("jwt").get("claims").get("sub").asText()).isEqualTo("alice");
    assertThat(event.get("body").asText()).isEqualTo("{}");
    assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
  }

  @Test
  void anAnonymousEventHasNoAuthorizer() throws Exception {
    JsonNode event = json.readTree(HttpApiEvent.request("GET", "/products").toJson());
    assertThat(event.get("requestContext").has("authorizer")).isFalse();
    assertThat(event.has("body")).isFalse();
  }

  @Test
  void readsLambdaResponsesCaseInsensitively() {
    HttpApiResponse response = HttpApiResponse.parse(("{\"statusCode\":201,\"headers\":{\"Location\":\"/orders/o-1\"},"
        + "\"multiValueHeaders\":{\"Content-Type\":[\"application/json\"]},\"body\":\"eyJhIjoxfQ==\",\"isBase64Encoded\":true}")
        .getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.header("location")).contains("/orders/o-1");
    assertThat(response.header("content-type")).contains("application/json");
    assertThat(response.json().get("a").asInt()).isEqualTo(1);
  }
}
