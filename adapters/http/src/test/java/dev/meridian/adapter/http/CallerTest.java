package dev.meridian.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CallerTest {
  @Test
  void readsListsInEveryFormApiGatewayRendersThem() {
    assertThat(Caller.parseList("openid meridian/admin")).containsExactlyInAnyOrder("openid", "meridian/admin");
    assertThat(Caller.parseList("[openid meridian/admin]")).containsExactlyInAnyOrder("openid", "meridian/admin");
    assertThat(Caller.parseList(" [meridian/admin] ")).containsExactly("meridian/admin");
    assertThat(Caller.parseList("[]")).isEmpty();
    assertThat(Caller.parseList(null)).isEmpty();
    assertThat(Caller.parseList("meridian/admins")).doesNotContain("meridian/admin");
  }

  @Test
  void readsScpAsWellAsScope() {
    assertThat(Caller.fromClaims(Map.of("sub", "a", "scp", "[meridian/admin]")).scopes()).containsExactly("meridian/admin");
    assertThat(Caller.fromClaims(Map.of("sub", "a", "scope", "openid", "scp", "x")).scopes())
        .containsExactlyInAnyOrder("openid", "x");
  }

  @Test
  void theClientIdIsAnAudienceAsApiGatewayMatchesIt() {
    Caller cognito = Caller.fromClaims(Map.of("sub", "a", "client_id", "c1"));
    assertThat(cognito.audiences()).containsExactly("c1");
    assertThat(cognito.clientId()).isEqualTo("c1");
    assertThat(Caller.fromClaims(Map.of("sub", "a", "aud", "[x y]")).audiences()).containsExactlyInAnyOrder("x", "y");
    assertThat(Caller.fromClaims(Map.of("sub", "a", "cognito:groups", "[admins ops]")).groups("cognito:groups"))
        .containsExactlyInAnyOrder("admins", "ops");
  }

  @Test
  void refusesCallersWithoutAnIdentity() {
    assertThatThrownBy(() -> Caller.anonymous().requireCustomer()).isInstanceOfSatisfying(ProblemException.class, e -> {
      assertThat(e.problem().status()).isEqualTo(401);
      assertThat(e.headers().getFirst("WWW-Authenticate")).isEqualTo("Bearer");
    });
    assertThat(Caller.fromClaims(Map.of("sub", " ")).isAuthenticated()).isFalse();
    assertThatThrownBy(() -> Caller.fromClaims(Map.of("sub", "bad\u0001sub")).requireCustomer())
        .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(401));
    assertThat(Caller.fromClaims(Map.of("sub", "alice")).requireCustomer().value()).isEqualTo("alice");
  }
}
