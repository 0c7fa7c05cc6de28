package dev.meridian.function.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.adapter.lambda.SnapStartHooks;
import dev.meridian.bootstrap.AwsClients;
import dev.meridian.bootstrap.PrimingScope;
import dev.meridian.bootstrap.api.ApiWiring;
import dev.meridian.testkit.FunctionEnvironment;
import dev.meridian.testkit.HttpApiEvent;
import dev.meridian.testkit.SnapshotHygiene;
import dev.meridian.testkit.emulator.Emulator;
import dev.meridian.testkit.emulator.EmulatorExtension;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The orders function's SnapStart priming, run as the publish runs it, on the SDK client Lambda
 * builds: every priming request is answered as expected (the refused placement included), and
 * nothing is left for the snapshot: no write, no resolved credentials (connections:
 * {@code PrimingScopeIT}, since moto closes every connection itself).
 */
class OrdersPrimingIT {
  @RegisterExtension static final EmulatorExtension EMULATOR = new EmulatorExtension();

  private static final String TABLE = "orders-priming-it";

  @Test
  void primingAnswersEveryRequestAndLeavesNoWriteNoConnectionAndNoCredentials() throws Exception {
    Emulator emulator = EMULATOR.emulator();
    AtomicInteger credentialChains = new AtomicInteger();
    PrimingScope priming = PrimingScope.of(() -> {
      credentialChains.incrementAndGet();
      return StaticCredentialsProvider.create(AwsBasicCredentials.create("ASIAPRIMINGTEST00000", "secret"));
    });
    try (DynamoDbClient admin = emulator.dynamoDb(FunctionEnvironment.REGION, TableDesign.createTableRequest(TABLE));
        DynamoDbStreamsClient streams = emulator.configure(DynamoDbStreamsClient.builder(), FunctionEnvironment.REGION).build();
        DynamoDbClient lambdaClient = AwsClients.forApi(DynamoDbClient.builder().endpointOverride(emulator.endpoint()),
            FunctionEnvironment.REGION, priming)) {
      SnapStartHooks hooks = SnapStartHooks.detached();
      OrdersHandler handler = new OrdersHandler(
          ApiWiring.of(FunctionEnvironment.activeActive(TABLE), lambdaClient, Clock.systemUTC(), priming), hooks);
      long writesBefore = SnapshotHygiene.tableWrites(admin, streams, TABLE);

      hooks.runBeforeCheckpoint();

      assertThat(credentialChains.get()).as("priming read the table, signed").isEqualTo(1);
      assertThat(SnapshotHygiene.tableWrites(admin, streams, TABLE)).as("writes during priming").isEqualTo(writesBefore);
      assertThat(priming.holdsCredentials()).as("credentials left resolved").isFalse();

      hooks.runAfterRestore();
      assertThat(HttpApiEvent.request("GET", "/orders?limit=5").customer("alice").invoke(handler, "orders").status())
          .isEqualTo(200);
      assertThat(credentialChains.get()).as("a fresh credentials chain after the restore").isEqualTo(2);
    }
  }
}
