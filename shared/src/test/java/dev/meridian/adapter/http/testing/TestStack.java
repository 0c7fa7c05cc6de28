package dev.meridian.adapter.http.testing;

import dev.meridian.adapter.Wiring;
import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.config.MeridianConfig;
import dev.meridian.testing.Emulator;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/**
 * Shared by the catalog and orders tests (this module's test-jar). A container's Wiring as Lambda
 * would build it from its environment, pointed at the emulator the ITs run against (moto or
 * LocalStack, {@link dev.meridian.testing.EmulatorExtension}): region us-east-1 in a deployment
 * with eu-west-1, endpoint override and dummy credentials.
 */
public final class TestStack {
  public static final String REGION = "us-east-1";
  public static final String PEER = "eu-west-1";

  private TestStack() {}

  /** Active-active: every region takes writes. */
  public static Wiring activeActive(Emulator emulator, String table) {
    return wiring(emulator, table, Map.of(MeridianConfig.DEPLOYMENT_MODE, "active-active"));
  }

  /** Active-passive with {@code primary} as the initial primary. */
  public static Wiring activePassive(Emulator emulator, String table, String primary) {
    return wiring(emulator, table, Map.of(MeridianConfig.DEPLOYMENT_MODE, "active-passive",
        MeridianConfig.INITIAL_PRIMARY_REGION, primary, MeridianConfig.STANDBY_REGION, primary.equals(REGION) ? PEER : REGION));
  }

  private static Wiring wiring(Emulator emulator, String table, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    env.put(MeridianConfig.AWS_REGION, REGION);
    env.put(MeridianConfig.FUNCTION_NAME, "meridian-function-test");
    env.put(MeridianConfig.TABLE_NAME, table);
    env.put(MeridianConfig.PEER_REGIONS, PEER);
    DynamoDbClient ddb = emulator.dynamoDb(REGION);
    try {
      ddb.createTable(TableDesign.createTableRequest(table));
    } catch (ResourceInUseException exists) {
      // another container of the same test shares the table
    }
    return new Wiring(MeridianConfig.from(env), ddb, Clock.systemUTC());
  }
}
