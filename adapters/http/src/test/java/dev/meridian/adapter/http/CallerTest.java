package dev.meridian.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CallerTest {
  @Test
  void readsScopesInEveryFormApiGatewayRendersThem() {
    assertThat(Caller.parseScopes("openid meridian/admin")).containsExactlyInAnyOrder("openid", "meridian/admin");
    assertThat(Caller.parseScopes("[openid meridian/admin]")).containsExactlyInAnyOrder("openid", "meridian/admin");
    assertThat(Caller.parseScopes(" [meridian/admin] ")).containsExactly("meridian/admin");
    assertThat(Caller.parseScopes("[]")).isEmpty();
    assertThat(Caller.parseScopes(null)).isEmpty();
    assertThat(Caller.parseScopes("meridian/admins")).doesNotContain("meridian/admin");
  }

  @Test
  void anAdministratorHasASubAndTheAdminScope() {
    assertThat(Caller.fromClaims(Map.of("sub", "ops", "scope", "[openid meridian/admin]")).isAdmin()).isTrue();
    assertThat(Caller.fromClaims(Map.of("scope", "meridian/admin")).isAdmin()).as("no sub").isFalse();
    assertThat(Caller.fromClaims(Map.of("sub", "alice", "scope", "openid")).isAdmin()).isFalse();
  }

  @Test
  void refusesAnonymousAndNonAdminCallersWithProblems() {
    assertThatThrownBy(() -> Caller.anonymous().requireCustomer()).isInstanceOfSatisfying(ProblemException.class, e -> {
      assertThat(e.problem().status()).isEqualTo(401);
      assertThat(e.headers().getFirst("WWW-Authenticate")).isEqualTo("Bearer");
    });
    assertThatThrownBy(() -> Caller.fromClaims(Map.of("sub", " ")).requireAuthenticated())
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(401));
    assertThatThrownBy(() -> Caller.fromClaims(Map.of("sub", "alice")).requireAdmin())
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().type()).endsWith("/forbidden"));
    assertThatThrownBy(() -> Caller.fromClaims(Map.of("sub", "bad\u0001sub")).requireCustomer())
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(401));
    assertThat(Caller.fromClaims(Map.of("sub", "alice")).requireCustomer().value()).isEqualTo("alice");
  }
}
