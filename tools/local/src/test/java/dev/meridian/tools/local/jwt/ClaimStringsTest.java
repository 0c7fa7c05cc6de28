package dev.meridian.tools.local.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Claims reach functions as strings, arrays in API Gateway's bracketed space-separated form. */
class ClaimStringsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void rendersEveryClaimTypeAsApiGatewayDoes() throws Exception {
    Map<String, String> claims = ClaimStrings.render(JSON.readTree("""
        {"iss":"http://127.0.0.1:9000","sub":"alice","aud":["meridian-api","other"],"exp":1767225600,
         "scope":"meridian/admin openid","cognito:groups":["admins","ops"],"email_verified":true,
         "ratio":0.25,"empty":[],"nested":[["a","b"],"c"],"address":{"zip":"75001","city":"Paris"},"gone":null}
        """));
    assertThat(claims).containsExactly(
        Map.entry("iss", "http://127.0.0.1:9000"),
        Map.entry("sub", "alice"),
        Map.entry("aud", "[meridian-api other]"),
        Map.entry("exp", "1767225600"),
        Map.entry("scope", "meridian/admin openid"),
        Map.entry("cognito:groups", "[admins ops]"),
        Map.entry("email_verified", "true"),
        Map.entry("ratio", "0.25"),
        Map.entry("empty", "[]"),
        Map.entry("nested", "[[a b] c]"),
        Map.entry("address", "map[city:Paris zip:75001]"));
  }

  @Test
  void largeNumbersKeepTheirLiteral() throws Exception {
    assertThat(ClaimStrings.renderValue(JSON.readTree("99999999999999"))).isEqualTo("99999999999999");
    assertThat(ClaimStrings.renderValue(JSON.readTree("-0.5"))).isEqualTo("-0.5");
  }

  @Test
  void aSingleStringAudienceStaysAString() throws Exception {
    assertThat(ClaimStrings.render(JSON.readTree("{\"aud\":\"meridian-api\"}"))).containsEntry("aud", "meridian-api");
  }
}
