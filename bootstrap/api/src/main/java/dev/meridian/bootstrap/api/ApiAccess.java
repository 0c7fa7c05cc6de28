package dev.meridian.bootstrap.api;

import dev.meridian.adapter.http.AccessPolicy;
import dev.meridian.domain.common.Validation;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API functions' {@link AccessPolicy} from their environment: the app clients' ids the two JWT
 * authorizers take (the template passes the same parameters to both), the groups claim and the
 * admin group. A missing customer or admin client list fails the init phase naming the variable;
 * no operations client means no machine is an administrator.
 */
public final class ApiAccess {
  public static final String CUSTOMER_CLIENT_IDS = "JWT_CUSTOMER_CLIENT_IDS";
  public static final String ADMIN_CLIENT_IDS = "JWT_ADMIN_CLIENT_IDS";
  public static final String OPERATIONS_CLIENT_IDS = "JWT_OPERATIONS_CLIENT_IDS";
  public static final String GROUPS_CLAIM = "JWT_GROUPS_CLAIM";
  public static final String ADMIN_GROUP = "ADMIN_GROUP";

  /** Every variable read here (the template contract test checks the API functions get them). */
  public static final List<String> VARIABLES = List.of(CUSTOMER_CLIENT_IDS, ADMIN_CLIENT_IDS, OPERATIONS_CLIENT_IDS,
      GROUPS_CLAIM, ADMIN_GROUP);

  private ApiAccess() {}

  public static AccessPolicy from(Map<String, String> env) {
    Validation v = Validation.start();
    Set<String> customers = ids(env.get(CUSTOMER_CLIENT_IDS));
    v.require(!customers.isEmpty(), CUSTOMER_CLIENT_IDS, "must list the customer app clients' ids");
    Set<String> admins = ids(env.get(ADMIN_CLIENT_IDS));
    v.require(!admins.isEmpty(), ADMIN_CLIENT_IDS, "must list the admin app clients' ids");
    Set<String> operations = ids(env.get(OPERATIONS_CLIENT_IDS));
    Set<String> overlap = new LinkedHashSet<>(customers);
    overlap.retainAll(union(admins, operations));
    v.require(overlap.isEmpty(), CUSTOMER_CLIENT_IDS, "must not name an admin or operations client: " + overlap);
    String groupsClaim = orDefault(env.get(GROUPS_CLAIM), AccessPolicy.DEFAULT_GROUPS_CLAIM);
    String adminGroup = orDefault(env.get(ADMIN_GROUP), AccessPolicy.DEFAULT_ADMIN_GROUP);
    v.orThrow();
    return new AccessPolicy(customers, admins, operations, groupsClaim, adminGroup);
  }

  private static Set<String> ids(String list) {
    Set<String> ids = new LinkedHashSet<>();
    if (list != null) {
      Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(ids::add);
    }
    return ids;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return all;
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
