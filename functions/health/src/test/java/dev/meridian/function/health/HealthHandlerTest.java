package dev.meridian.function.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.application.StoreUnavailableException;
import dev.meridian.application.health.HealthPolicy;
import dev.meridian.bootstrap.MeridianConfig;
import dev.meridian.bootstrap.health.HealthClients;
import dev.meridian.bootstrap.health.HealthWiring;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Routing and the failure paths, with DynamoDB at a closed loopback port (no moto needed). */
class HealthHandlerTest {
  private static HealthHandler handler;

  @BeforeAll
  static void handlerWithNoDynamoDb() throws IOException {
    URI closed = closedPort();
    MeridianConfig config = MeridianConfig.from(Map.of(MeridianConfig.AWS_REGION, "eu-west-1",
        MeridianConfig.TABLE_NAME, "meridian", MeridianConfig.PEER_REGIONS, "us-east-1"));
    handler = new HealthHandler(HealthWiring.of(config, HealthPolicy.defaults(),
        HealthClients.dynamoDb("eu-west-1").endpointOverride(closed)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build(),
        Optional.empty(), Clock.systemUTC()));
    handler.prime(); // as the public constructor does in Lambda's init phase
  }

  @Test
  void healthAnswers503FastWhenDynamoDbIsUnreachable() {
    Map<String, Object> event = Events.getHealth();
    com.amazonaws.services.lambda.runtime.Context context = Events.context();
    long started = System.nanoTime();
    Map<String, Object> response = handler.handleRequest(event, context);
    long ms = (System.nanoTime() - started) / 1_000_000;

    assertThat(ms).isLessThan(2000);
    assertThat(response).containsEntry("statusCode", 503).containsEntry("isBase64Encoded", false);
    assertThat(response.get("headers")).isEqualTo(Map.of("content-type", "application/json", "cache-control", "no-store"));
    String body = (String) response.get("body");
    assertThat(body).startsWith("{\"status\":\"unhealthy\"").doesNotContain("\"status\":\"healthy\"");
    JsonNode json = Events.parse(body);
    assertThat(json.at("/checks/dynamodb/reachable").asBoolean()).isFalse();
    assertThat(json.at("/reasons/0").asText()).startsWith("dynamodb unreachable");
  }

  @Test
  void otherMethodsAre405() {
    Map<String, Object> response = handler.handleRequest(Events.http("POST", "/health"), null);

    assertThat(response).containsEntry("statusCode", 405);
    assertThat(response.get("headers")).isEqualTo(Map.of("content-type", "application/problem+json",
        "cache-control", "no-store", "allow", "GET"));
    JsonNode problem = Events.parse(response.get("body"));
    assertThat(problem.get("status").asInt()).isEqualTo(405);
    assertThat(problem.get("title").asText()).isEqualTo("Method Not Allowed");
  }

  @Test
  void otherPathsAre404() {
    Map<String, Object> response = handler.handleRequest(Events.http("GET", "/orders/\"x\""), null);

    assertThat(response).containsEntry("statusCode", 404);
    JsonNode problem = Events.parse(response.get("body"));
    assertThat(problem.get("type").asText()).isEqualTo("about:blank");
    assertThat(problem.get("detail").asText()).contains("/orders/\"x\"");
  }

  @Test
  void aHeartbeatThatCannotBeWrittenFailsTheInvocation() {
    assertThatThrownBy(() -> handler.handleRequest(Events.scheduled(), null))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void unknownEventsAreRefused() {
    assertThatThrownBy(() -> handler.handleRequest(Map.of("Records", java.util.List.of()), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> handler.handleRequest(null, null)).isInstanceOf(IllegalArgumentException.class);
  }

  static URI closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }
}
