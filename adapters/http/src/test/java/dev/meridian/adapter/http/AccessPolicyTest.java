package dev.meridian.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
  static final AccessPolicy POLICY = new AccessPolicy(Set.of("shop"), Set.of("console"), Set.of("ops"),
      AccessPolicy.DEFAULT_GROUPS_CLAIM, AccessPolicy.DEFAULT_ADMIN_GROUP);

  @Test
  void anAdministratorIsTheAdminClientsTokenWithTheAdminGroup() {
    assertThat(POLICY.isAdmin(admin("root", "console", "[meridian-admins]"))).isTrue();
    assertThat(POLICY.isAdmin(admin("root", "console", "[other meridian-admins]"))).isTrue();
  }

  @Test
  void anAdminClientTokenWithoutTheGroupIsForbidden() {
    Caller noGroup = admin("mallory", "console", null);
    assertThat(POLICY.isAdmin(noGroup)).isFalse();
    assertThat(POLICY.isAdmin(admin("mallory", "console", "[meridian-admins-2]"))).isFalse();
    assertForbidden(() -> POLICY.requireAdmin(noGroup));
  }

  @Test
  void aCustomerClientTokenCarryingTheAdminScopeIsForbidden() {
    // What the customer authorizer's audience keeps out at the gateway, and the function refuses again.
    Caller customerAskingForAdmin = admin("alice", "shop", "[meridian-admins]");
    assertThat(POLICY.isAdmin(customerAskingForAdmin)).isFalse();
    assertForbidden(() -> POLICY.requireAdmin(customerAskingForAdmin));
  }

  @Test
  void theOperationsClientsOwnClientCredentialsTokenIsAnAdministrator() {
    Caller machine = Caller.fromClaims(Map.of("sub", "ops", "client_id", "ops", "scope", "meridian/admin", "token_use", "access"));
    assertThat(POLICY.isAdmin(machine)).isTrue();
    // A user signed in through the operations client is no machine: the group still decides.
    assertThat(POLICY.isAdmin(Caller.fromClaims(Map.of("sub", "bob", "client_id", "ops", "scope", "meridian/admin")))).isFalse();
    // Another client's token whose sub happens to name the operations client is not it.
    assertThat(POLICY.isAdmin(Caller.fromClaims(Map.of("sub", "ops", "client_id", "console", "scope", "meridian/admin"))))
        .isFalse();
    assertThat(POLICY.isAdmin(Caller.fromClaims(Map.of("sub", "ops", "client_id", "ops", "scope", "openid")))).as("no admin scope")
        .isFalse();
  }

  @Test
  void theGroupsClaimAndTheGroupAreConfigurable() {
    AccessPolicy okta = new AccessPolicy(Set.of("shop"), Set.of("console"), Set.of(), "groups", "Meridian Admins");
    Map<String, String> claims = new HashMap<>(Map.of("sub", "root", "aud", "console", "scp", "[meridian/admin]"));
    claims.put("groups", "[Meridian]");
    assertThat(okta.isAdmin(Caller.fromClaims(claims))).isFalse();
    claims.put("groups", "[meridian-admins]");
    assertThat(okta.isAdmin(Caller.fromClaims(claims))).isFalse();
    AccessPolicy oktaGroup = new AccessPolicy(Set.of("shop"), Set.of("console"), Set.of(), "groups", "meridian-admins");
    assertThat(oktaGroup.isAdmin(Caller.fromClaims(claims))).as("scp and aud, as Okta sends them").isTrue();
  }

  @Test
  void aCustomerIsTheCustomerScopeFromACustomerClient() {
    assertThat(POLICY.isCustomer(customer("alice", "shop", "openid meridian/customer"))).isTrue();
    assertThat(POLICY.isCustomer(customer("alice", "console", "openid meridian/customer"))).as("admin client").isFalse();
    assertThat(POLICY.isCustomer(customer("alice", "shop", "openid"))).as("no customer scope").isFalse();
    assertForbidden(() -> POLICY.requireCustomer(customer("alice", "shop", "openid")));
  }

  @Test
  void anIdTokenIsRefusedOnCustomerRoutes() {
    // An ID token names the client in aud and carries no scope at all.
    Caller idToken = Caller.fromClaims(Map.of("sub", "alice", "aud", "shop", "token_use", "id", "email", "a@example.com"));
    assertForbidden(() -> POLICY.requireCustomer(idToken));
  }

  @Test
  void noIdentityIsA401Everywhere() {
    assertThatThrownBy(() -> POLICY.requireCustomer(Caller.anonymous()))
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(401));
    assertThatThrownBy(() -> POLICY.requireAdmin(Caller.fromClaims(Map.of("scope", "meridian/admin", "client_id", "ops"))))
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(401));
  }

  private static Caller admin(String sub, String clientId, String groups) {
    Map<String, String> claims = new HashMap<>(Map.of("sub", sub, "client_id", clientId, "scope", "openid meridian/admin"));
    if (groups != null) {
      claims.put("cognito:groups", groups);
    }
    return Caller.fromClaims(claims);
  }

  private static Caller customer(String sub, String clientId, String scope) {
    return Caller.fromClaims(Map.of("sub", sub, "client_id", clientId, "scope", scope));
  }

  private static void assertForbidden(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ProblemException.class, e -> {
      assertThat(e.problem().status()).isEqualTo(403);
      assertThat(e.problem().type()).endsWith("/forbidden");
    });
  }
}
