package dev.meridian.tools.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.tools.local.lambda.Invoker.InvokeResult;
import dev.meridian.tools.local.lambda.Invoker.InvokeResult.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The payload format 2.0 response rules. */
class LambdaResponsesTest {

  @Test
  void aStructuredResponseIsTakenAsIs() {
    GatewayResponse response = map("""
        {"statusCode":201,"headers":{"Content-Type":"application/json","Location":"/orders/o-1","X-Count":3},
         "body":"{\\"id\\":\\"o-1\\"}","isBase64Encoded":false}""");
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.header("content-type")).isEqualTo("application/json");
    assertThat(response.header("location")).isEqualTo("/orders/o-1");
    assertThat(response.header("x-count")).isEqualTo("3");
    assertThat(response.bodyText()).isEqualTo("{\"id\":\"o-1\"}");
  }

  @Test
  void cookiesBecomeSetCookieHeadersAndPayload1MultiValueHeadersAreIgnored() {
    GatewayResponse response = map("""
        {"statusCode":200,"headers":{"Vary":"Accept"},"multiValueHeaders":{"Vary":["Origin"],"X-Region":["eu-west-1","us-east-1"]},
         "cookies":["a=1; Path=/","b=2; HttpOnly"],"body":"ok"}""");
    assertThat(response.headers().get("set-cookie")).containsExactly("a=1; Path=/", "b=2; HttpOnly");
    assertThat(response.headers().get("vary")).containsExactly("Accept");
    assertThat(response.headers()).doesNotContainKey("x-region");
  }

  @Test
  void base64BodiesAreDecoded() {
    GatewayResponse response = map("{\"statusCode\":200,\"headers\":{\"content-type\":\"image/png\"},"
        + "\"body\":\"iVBORw==\",\"isBase64Encoded\":true}");
    assertThat(response.body()).containsExactly(0x89, 'P', 'N', 'G');
  }

  @Test
  void aMissingBodyIsEmpty() {
    GatewayResponse response = map("{\"statusCode\":204}");
    assertThat(response.status()).isEqualTo(204);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers()).isEmpty();
  }

  @Test
  void anyOtherJsonIsA200JsonBody() {
    for (String payload : List.of("{\"id\":\"cup\",\"name\":\"Cup\"}", "[1,2,3]", "\"hello\"", "42", "true", "null")) {
      GatewayResponse response = map(payload);
      assertThat(response.status()).as(payload).isEqualTo(200);
      assertThat(response.header("content-type")).as(payload).isEqualTo("application/json");
      assertThat(response.bodyText()).as(payload).isEqualTo(payload);
    }
  }

  @Test
  void gatewayOwnedHeadersFromTheFunctionAreDropped() {
    GatewayResponse response = map("{\"statusCode\":200,\"headers\":{\"Content-Length\":\"999\",\"Connection\":\"close\","
        + "\"Transfer-Encoding\":\"chunked\",\"apigw-requestid\":\"fake\",\"X-Ok\":\"1\"},\"body\":\"x\"}");
    assertThat(response.headers()).containsOnlyKeys("x-ok");
  }

  @Test
  void malformedResponsesAre500() {
    for (String payload : List.of("not json", "", "{\"statusCode\":\"200\"}", "{\"statusCode\":99}", "{\"statusCode\":600}",
        "{\"statusCode\":200.5}", "{\"statusCode\":200,\"body\":{\"a\":1}}", "{\"statusCode\":200,\"headers\":[]}",
        "{\"statusCode\":200,\"headers\":{\"a\":{\"b\":1}}}",
        "{\"statusCode\":200,\"cookies\":\"a=1\"}", "{\"statusCode\":200,\"body\":\"!!\",\"isBase64Encoded\":true}",
        "{\"statusCode\":200,\"body\":\"x\",\"isBase64Encoded\":\"yes\"}")) {
      LambdaResponses.Mapped mapped = LambdaResponses.fromPayload(payload.getBytes(StandardCharsets.UTF_8));
      assertThat(mapped.response().status()).as(payload).isEqualTo(500);
      assertThat(mapped.response().bodyText()).as(payload).isEqualTo("{\"message\":\"Internal Server Error\"}");
      assertThat(mapped.response().header("content-type")).isEqualTo("application/json");
      assertThat(mapped.integrationError()).as(payload).startsWith("malformed Lambda proxy response");
    }
  }

  @Test
  void functionErrorsTimeoutsAndCrashesAreAll500AsLambdaReportsEachAsAFunctionError() {
    LambdaResponses.Mapped error = LambdaResponses.map(result(Status.FUNCTION_ERROR,
        "{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.IllegalStateException\"}"));
    assertThat(error.response().status()).isEqualTo(500);
    assertThat(error.response().bodyText()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    assertThat(error.integrationError()).isEqualTo("function error: java.lang.IllegalStateException: boom");

    LambdaResponses.Mapped timeout = LambdaResponses.map(result(Status.TIMEOUT, ""));
    assertThat(timeout.response().status()).isEqualTo(500);
    assertThat(timeout.response().bodyText()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    assertThat(timeout.integrationError()).isEqualTo("function timed out after 20000 ms");

    LambdaResponses.Mapped crash = LambdaResponses.map(result(Status.RUNTIME_ERROR, "exit code 137"));
    assertThat(crash.response().status()).isEqualTo(500);
    assertThat(crash.response().bodyText()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    assertThat(crash.integrationError()).isEqualTo("runtime error: exit code 137");

    LambdaResponses.Mapped ok = LambdaResponses.map(result(Status.SUCCESS, "{\"statusCode\":200,\"body\":\"ok\"}"));
    assertThat(ok.response().status()).isEqualTo(200);
    assertThat(ok.integrationError()).isNull();
  }

  private static GatewayResponse map(String payload) {
    LambdaResponses.Mapped mapped = LambdaResponses.fromPayload(payload.getBytes(StandardCharsets.UTF_8));
    assertThat(mapped.integrationError()).as(payload).isNull();
    return mapped.response();
  }

  private static InvokeResult result(Status status, String payload) {
    return new InvokeResult("req-1", status, payload.getBytes(StandardCharsets.UTF_8), Duration.ofMillis(20_000), false);
  }
}
