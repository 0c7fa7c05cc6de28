package dev.meridian.tools.local.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code token --sub alice [--admin] [--scope x] [--ttl 1h]}. */
class TokenCommandTest {

  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void anAdministratorsTokenIsTheAdminClientsWithTheAdminGroup() throws Exception {
    int status = run("token", "--sub", "alice", "--admin", "--scope", "email", "--ttl", "2h",
        "--dir", dir.toString(), "--issuer", "http://127.0.0.1:9400");
    assertThat(status).as(err.toString()).isZero();
    String token = out.toString(StandardCharsets.UTF_8).strip();
    JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("alice");
    assertThat(claims.getStringClaim("scope")).isEqualTo("openid meridian/admin email");
    assertThat(claims.getStringClaim("client_id")).isEqualTo(DevIssuer.Clients.LOCAL.admin());
    assertThat(claims.getStringListClaim(DevIssuer.GROUPS_CLAIM)).containsExactly(DevIssuer.ADMIN_GROUP);
    assertThat(claims.getAudience()).as("a Cognito access token names its client in client_id only").isEmpty();
    assertThat(claims.getIssuer()).isEqualTo("http://127.0.0.1:9400");
    long ttl = claims.getExpirationTime().getTime() - claims.getIssueTime().getTime();
    assertThat(ttl).isEqualTo(Duration.ofHours(2).toMillis());
    // Signed with the key in --dir: the admin authorizer (admin + operations clients) accepts it, the customer one not.
    DevIssuer dev = DevIssuer.offline(dir, "http://127.0.0.1:9400");
    assertThat(dev.authorizer(List.of(DevIssuer.Clients.LOCAL.admin(), DevIssuer.Clients.LOCAL.operations()))
        .authorize(token, List.of(DevIssuer.ADMIN_SCOPE))).isInstanceOf(JwtAuthorizer.Allowed.class);
    assertThat(dev.authorizer(List.of(DevIssuer.Clients.LOCAL.customer())).authorize(token, List.of(DevIssuer.ADMIN_SCOPE)))
        .isInstanceOfSatisfying(JwtAuthorizer.Denied.class, d -> assertThat(d.status()).isEqualTo(401));
  }

  @Test
  void eachClientsTokenIsOffered() throws Exception {
    try (DevIssuer issuer = DevIssuer.start(dir, 0)) {
      JWTClaimsSet customer = mint("--sub", "bob", "--dir", dir.toString());
      assertThat(customer.getIssuer()).isEqualTo(issuer.issuer());
      assertThat(customer.getStringClaim("client_id")).isEqualTo(DevIssuer.Clients.LOCAL.customer());
      assertThat(customer.getStringClaim("scope")).isEqualTo("openid " + DevIssuer.CUSTOMER_SCOPE);
      assertThat(customer.getClaim(DevIssuer.GROUPS_CLAIM)).isNull();

      JWTClaimsSet operations = mint("--operations", "--dir", dir.toString());
      assertThat(operations.getSubject()).as("client credentials: the client is the subject")
          .isEqualTo(DevIssuer.Clients.LOCAL.operations());
      assertThat(operations.getStringClaim("client_id")).isEqualTo(DevIssuer.Clients.LOCAL.operations());
      assertThat(operations.getStringClaim("scope")).isEqualTo(DevIssuer.ADMIN_SCOPE);
      assertThat(operations.getClaim("username")).isNull();
      assertThat(operations.getClaim(DevIssuer.GROUPS_CLAIM)).isNull();

      // What the API must refuse, on demand: a customer token asking for the admin scope, an admin token without the group.
      JWTClaimsSet greedy = mint("--sub", "eve", "--client", "customer", "--scope", DevIssuer.ADMIN_SCOPE, "--dir", dir.toString());
      assertThat(greedy.getStringClaim("client_id")).isEqualTo(DevIssuer.Clients.LOCAL.customer());
      assertThat(greedy.getStringClaim("scope")).isEqualTo(DevIssuer.ADMIN_SCOPE);
      JWTClaimsSet groupless = mint("--sub", "eve", "--client", "admin", "--scope", DevIssuer.ADMIN_SCOPE, "--dir", dir.toString());
      assertThat(groupless.getStringClaim("client_id")).isEqualTo(DevIssuer.Clients.LOCAL.admin());
      assertThat(groupless.getClaim(DevIssuer.GROUPS_CLAIM)).isNull();
    }
  }

  @Test
  void withoutARecordedIssuerItSaysWhatToDo() {
    assertThat(run("--sub", "alice", "--dir", dir.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("--issuer", "issuer.json");
    assertThat(out.size()).isZero();
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(run("--admin", "--dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--sub is required", "usage: token");
    assertThat(run("--sub", "a", "--admin", "--operations")).isEqualTo(2);
    assertThat(run("--sub", "a", "--client", "robot")).isEqualTo(2);
    assertThat(run("--sub")).isEqualTo(2);
    assertThat(run("--sub", "a", "--ttl", "soon")).isEqualTo(2);
    assertThat(run("--sub", "a", "--ttl", "0s")).isEqualTo(2);
    assertThat(run("--sub", "a", "--frobnicate")).isEqualTo(2);
    assertThat(run("--help")).isZero();
  }

  @Test
  void durations() {
    assertThat(TokenCommand.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(TokenCommand.parseDuration("15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(TokenCommand.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(TokenCommand.parseDuration("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(TokenCommand.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(TokenCommand.parseDuration("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
    assertThatThrownBy(() -> TokenCommand.parseDuration("h")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenCommand.parseDuration("3w")).isInstanceOf(IllegalArgumentException.class);
  }

  private int run(String... args) {
    return TokenCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private JWTClaimsSet mint(String... args) throws java.text.ParseException {
    out.reset();
    assertThat(run(args)).as(err.toString()).isZero();
    return SignedJWT.parse(out.toString(StandardCharsets.UTF_8).strip()).getJWTClaimsSet();
  }

}
