package dev.meridian.tools.local.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void printsABearerTokenForTheGivenIssuer() throws Exception {
    int status = run("token", "--sub", "alice", "--admin", "--scope", "openid", "--ttl", "2h",
        "--dir", dir.toString(), "--issuer", "http://127.0.0.1:9400", "--audience", "meridian-local");
    assertThat(status).as(err.toString()).isZero();
    String token = out.toString(StandardCharsets.UTF_8).strip();
    SignedJWT jwt = SignedJWT.parse(token);
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("alice");
    assertThat(jwt.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("meridian/admin openid");
    assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("http://127.0.0.1:9400");
    assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("meridian-local");
    long ttl = jwt.getJWTClaimsSet().getExpirationTime().getTime() - jwt.getJWTClaimsSet().getIssueTime().getTime();
    assertThat(ttl).isEqualTo(Duration.ofHours(2).toMillis());
    // Signed with the key in --dir, so the stack's authorizer accepts it.
    assertThat(DevIssuer.offline(dir, "http://127.0.0.1:9400", "meridian-local").authorizer(List.of("meridian-local"))
        .authorize(token, List.of(DevIssuer.ADMIN_SCOPE))).isInstanceOf(JwtAuthorizer.Allowed.class);
  }

  @Test
  void usesWhatTheStartedIssuerRecorded() throws Exception {
    try (DevIssuer issuer = DevIssuer.start(dir, 0, "meridian-local")) {
      assertThat(run("--sub", "bob", "--dir", dir.toString())).as(err.toString()).isZero();
      String token = out.toString(StandardCharsets.UTF_8).strip();
      assertThat(SignedJWT.parse(token).getJWTClaimsSet().getIssuer()).isEqualTo(issuer.issuer());
      assertThat(issuer.authorizer(List.of("meridian-local")).authorize(token, List.of()))
          .isInstanceOf(JwtAuthorizer.Allowed.class);
    }
  }

  @Test
  void withoutARecordedIssuerItSaysWhatToDo() {
    assertThat(run("--sub", "alice", "--dir", dir.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("--issuer", "--audience", "issuer.json");
    assertThat(out.size()).isZero();
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(run("--admin", "--dir", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--sub is required", "usage: token");
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
}
