package dev.meridian.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB client of a closed loopback port (no emulator needed): a function wired to it starts
 * with no I/O, and every store call fails at once (connection refused, no retries).
 */
public final class UnreachableStore {
  private UnreachableStore() {}

  /** Region us-east-1, without retries. */
  public static DynamoDbClient dynamoDb() {
    DynamoDbClient down = DynamoDbClient.builder().region(Region.US_EAST_1)
        .endpointOverride(URI.create("http://127.0.0.1:" + closedPort()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
    return down;
  }

  /**
   * Each request is answered 503 store-unavailable with {@code Retry-After}, never 500, and its
   * body says nothing of the SDK's error (that goes to the logs).
   */
  public static void assertEachAnswers503(RequestStreamHandler handler, String functionName, HttpApiEvent... requests) {
    assertThat(requests).isNotEmpty();
    for (HttpApiEvent request : requests) {
      HttpApiResponse response = request.invoke(handler, functionName);
      assertThat(response.status()).as(request.toJson()).isEqualTo(503);
      assertThat(response.header("Retry-After")).isPresent();
      assertThat(response.json().get("type").asText()).isEqualTo("https://meridian.dev/problems/store-unavailable");
      ResponseBodies.assertCarriesNoInternals(response.body(), "Unable to execute HTTP request", "Connection refused",
          "127.0.0.1", "Exception");
    }
  }

  /** A loopback port that was free a moment ago and is closed now: connections are refused. */
  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
