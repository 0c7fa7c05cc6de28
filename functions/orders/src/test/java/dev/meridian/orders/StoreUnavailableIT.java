package dev.meridian.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.adapter.Wiring;
import dev.meridian.adapter.http.HttpApiEvent;
import dev.meridian.adapter.http.HttpApiResponse;
import dev.meridian.config.MeridianConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** With DynamoDB unreachable every route answers 503 store-unavailable with Retry-After, never 500. No moto needed. */
class StoreUnavailableIT {
  @Test
  void anUnreachableStoreIsA503() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort(); // free now, closed once the try ends: connections are refused
    }
    DynamoDbClient down = DynamoDbClient.builder().region(Region.US_EAST_1)
        .endpointOverride(URI.create("http://127.0.0.1:" + closedPort))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
    MeridianConfig config = MeridianConfig.from(Map.of(MeridianConfig.AWS_REGION, "us-east-1", MeridianConfig.TABLE_NAME, "down"));
    OrdersHandler handler = new OrdersHandler(new Wiring(config, down, Clock.systemUTC()));

    for (HttpApiEvent event : new HttpApiEvent[] {
        HttpApiEvent.request("GET", "/orders").customer("alice"),
        HttpApiEvent.request("GET", "/orders/o-0123456789abcdef0123456789abcdef").customer("alice"),
        HttpApiEvent.request("POST", "/orders").customer("alice").header("Idempotency-Key", "k1")
            .json("{\"lines\":[{\"productId\":\"cup\",\"quantity\":1}]}"),
        HttpApiEvent.request("POST", "/orders/o-0123456789abcdef0123456789abcdef/cancel").customer("alice"),
        HttpApiEvent.request("GET", "/admin/control").admin("ops"),
        HttpApiEvent.request("PUT", "/admin/control/kill-switch/us-east-1").admin("ops").json("{\"engaged\":true}")}) {
      HttpApiResponse response = event.invoke(handler, "orders");
      assertThat(response.status()).as(event.toJson()).isEqualTo(503);
      assertThat(response.header("Retry-After")).isPresent();
      assertThat(response.json().get("type").asText()).isEqualTo("https://meridian.dev/problems/store-unavailable");
    }
  }
}
