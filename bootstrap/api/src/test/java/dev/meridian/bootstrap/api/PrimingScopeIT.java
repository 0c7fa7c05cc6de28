package dev.meridian.bootstrap.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.meridian.bootstrap.AwsClients;
import dev.meridian.bootstrap.PrimingScope;
import dev.meridian.testkit.SnapshotHygiene;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The connections of a primed function's SDK client, against an endpoint that keeps connections
 * alive as DynamoDB does (moto closes every connection after its response, so it cannot show
 * this): a call outside priming leaves its connection open for reuse, a call inside
 * {@link PrimingScope#run} leaves none for the snapshot.
 */
class PrimingScopeIT {
  private HttpServer keepAlive;
  private URI endpoint;

  @BeforeEach
  void startAKeepAliveEndpoint() throws Exception {
    keepAlive = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    keepAlive.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] emptyGetItem = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
      exchange.sendResponseHeaders(200, emptyGetItem.length);
      exchange.getResponseBody().write(emptyGetItem);
      exchange.close();
    });
    keepAlive.start();
    endpoint = URI.create("http://127.0.0.1:" + keepAlive.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    keepAlive.stop(0);
  }

  @Test
  void aCallDuringPrimingLeavesNoConnectionWhereAnOrdinaryCallKeepsOne() throws Exception {
    PrimingScope priming = PrimingScope.of(() -> StaticCredentialsProvider.create(
        AwsBasicCredentials.create("ASIAPRIMINGTEST00000", "secret")));
    try (DynamoDbClient client = AwsClients.forApi(DynamoDbClient.builder().endpointOverride(endpoint), "us-east-1",
        priming)) {
      priming.run(() -> client.getItem(r -> r.tableName("t").key(Map.of())));
      assertThat(SnapshotHygiene.openConnections(endpoint)).as("after a call during priming").isZero();

      client.getItem(r -> r.tableName("t").key(Map.of()));
      assertThat(SnapshotHygiene.openConnections(endpoint)).as("after an ordinary call, kept alive").isEqualTo(1);
    }
  }
}
