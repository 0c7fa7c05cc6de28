package dev.meridian.bootstrap.reconciler;

import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.application.replication.ReconcileService;
import dev.meridian.bootstrap.MeridianConfig;
import dev.meridian.bootstrap.api.ApiWiring;
import dev.meridian.testkit.emulator.Emulator;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * One region of a two-region deployment over the emulator: its replica of the table (the same
 * table name in its own moto region, as a global table has), the API's use cases and the
 * reconciler, each wired as the functions wire them. No replication runs between replicas.
 */
record RegionReplica(String name, DynamoDbClient dynamoDb, ApiWiring wiring, ReconcileService reconcile) {
  static final String US = "us-east-1";
  static final String EU = "eu-west-1";

  /** Creates {@code table} in region {@code name} and wires both kinds of function over it. */
  static RegionReplica of(Emulator emulator, String table, String name, Map<String, String> settings) {
    DynamoDbClient dynamoDb = emulator.dynamoDb(name);
    dynamoDb.createTable(TableDesign.createTableRequest(table));
    Map<String, String> env = new HashMap<>(settings);
    env.put("AWS_REGION", name);
    env.put("TABLE_NAME", table);
    env.put("PEER_REGIONS", US + "," + EU);
    env.put(MeridianConfig.RECONCILE_DEAD_LETTER_QUEUE_URL, "https://sqs." + name + ".amazonaws.com/000000000000/unused-dlq");
    ReconcileService reconcile = ReconcilerWiring.of(env, dynamoDb, emulator.configure(SqsClient.builder(), name).build(),
        MetricsFactory.getMetricsInstance(), Clock.systemUTC()).reconcile();
    return new RegionReplica(name, dynamoDb, ApiWiring.of(env, dynamoDb, Clock.systemUTC()), reconcile);
  }
}
