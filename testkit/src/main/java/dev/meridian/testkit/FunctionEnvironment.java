package dev.meridian.testkit;

import java.util.HashMap;
import java.util.Map;

/**
 * The environment the template gives a function, for tests that build a function's wiring from it
 * as Lambda would: region {@value #REGION} in a deployment with {@value #PEER}. The names are the
 * template's contract (the bootstrap's configuration reads them; {@code EnvironmentContractTest}
 * holds the template to them).
 */
public final class FunctionEnvironment {
  public static final String REGION = "us-east-1";
  public static final String PEER = "eu-west-1";
  /** The app clients' ids the API functions are configured with ({@link HttpApiEvent}'s callers use them). */
  public static final String CUSTOMER_CLIENT = "meridian-customer-client";
  public static final String ADMIN_CLIENT = "meridian-admin-client";
  public static final String OPERATIONS_CLIENT = "meridian-operations-client";
  public static final String ADMIN_GROUP = "meridian-admins";

  private FunctionEnvironment() {}

  /** Active-active: every region takes writes. */
  public static Map<String, String> activeActive(String table) {
    return environment(table, Map.of("DEPLOYMENT_MODE", "active-active"));
  }

  /** Active-passive with {@code primary} as the initial primary and the other region as standby. */
  public static Map<String, String> activePassive(String table, String primary) {
    return environment(table, Map.of("DEPLOYMENT_MODE", "active-passive", "INITIAL_PRIMARY_REGION", primary,
        "STANDBY_REGION", primary.equals(REGION) ? PEER : REGION));
  }

  private static Map<String, String> environment(String table, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    env.put("AWS_REGION", REGION);
    env.put("AWS_LAMBDA_FUNCTION_NAME", "meridian-function-test");
    env.put("TABLE_NAME", table);
    env.put("PEER_REGIONS", PEER);
    env.put("JWT_CUSTOMER_CLIENT_IDS", CUSTOMER_CLIENT);
    env.put("JWT_ADMIN_CLIENT_IDS", ADMIN_CLIENT);
    env.put("JWT_OPERATIONS_CLIENT_IDS", OPERATIONS_CLIENT);
    env.put("JWT_GROUPS_CLAIM", "cognito:groups");
    env.put("ADMIN_GROUP", ADMIN_GROUP);
    return Map.copyOf(env);
  }
}
