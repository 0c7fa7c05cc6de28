package dev.meridian.function.catalog;

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
 * The catalog function's SnapStart priming, run as the publish runs it (its checkpoint hooks), on
 * the SDK client Lambda builds (credentials and connections from the wiring's priming scope):
 * every priming request is answered as expected, and nothing is left for the snapshot: no write to
 * the table, no resolved credentials. Afterwards the function still serves. (No open connection
 * either, which {@code PrimingScopeIT} shows: moto closes every connection itself.)
 */
class CatalogPrimingIT {
  @RegisterExtension static final EmulatorExtension EMULATOR = new EmulatorExtension();

  private static final String TABLE = "catalog-priming-it";
  private static final String PRODUCT = "{\"name\":\"Cup\",\"description\":\"A cup\",\"price\":{\"amount\":450,"
      + "\"currency\":\"EUR\"},\"active\":true}";

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
      CatalogHandler handler = new CatalogHandler(
          ApiWiring.of(FunctionEnvironment.activeActive(TABLE), lambdaClient, Clock.systemUTC(), priming), hooks);
      // One product, so that the primed page read renders a product view.
      assertThat(HttpApiEvent.request("PUT", "/products/cup").operations().header("If-None-Match", "*").json(PRODUCT)
          .invoke(handler, "catalog").status()).isEqualTo(201);
      long writesBefore = SnapshotHygiene.tableWrites(admin, streams, TABLE);
      int chainsBefore = credentialChains.get();
      assertThat(priming.holdsCredentials()).as("credentials resolved for the product's creation").isTrue();

      hooks.runBeforeCheckpoint();

      assertThat(SnapshotHygiene.tableWrites(admin, streams, TABLE)).as("writes during priming").isEqualTo(writesBefore);
      assertThat(priming.holdsCredentials()).as("credentials left resolved").isFalse();

      hooks.runAfterRestore();
      assertThat(HttpApiEvent.request("GET", "/products/cup").customer("alice").invoke(handler, "catalog").status())
          .isEqualTo(200);
      assertThat(priming.holdsCredentials()).as("credentials resolved again after the restore").isTrue();
      assertThat(credentialChains.get()).as("a fresh credentials chain after the restore").isEqualTo(chainsBefore + 1);
    }
  }
}
