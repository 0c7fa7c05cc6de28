package dev.meridian.tools.helloworld;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The baseline answers what the benchmark checks for, through the same container entry point Lambda calls. */
class HelloWorldHandlerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void getHelloAnswersTheGreeting() throws Exception {
    JsonNode response = invoke("GET", "/hello");

    assertThat(response.path("statusCode").asInt()).isEqualTo(200);
    assertThat(response.path("body").asText()).isEqualTo(HelloController.GREETING);
  }

  @Test
  void anotherPathIsNotFound() throws Exception {
    assertThat(invoke("GET", "/goodbye").path("statusCode").asInt()).isEqualTo(404);
  }

  private static JsonNode invoke(String method, String path) throws Exception {
    String event = """
        {"version":"2.0","routeKey":"$default","rawPath":"%2$s","rawQueryString":"",
         "headers":{"accept":"*/*","host":"abc123.execute-api.us-east-1.amazonaws.com"},
         "requestContext":{"accountId":"123456789012","apiId":"abc123","domainName":"abc123.execute-api.us-east-1.amazonaws.com",
           "http":{"method":"%1$s","path":"%2$s","protocol":"HTTP/1.1","sourceIp":"127.0.0.1","userAgent":"test"},
           "requestId":"req-1","routeKey":"$default","stage":"$default","time":"26/Nov/2025:12:00:00 +0000",
           "timeEpoch":1764158400000},
         "isBase64Encoded":false}
        """.formatted(method, path);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new HelloWorldHandler().handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    return JSON.readTree(out.toByteArray());
  }
}
