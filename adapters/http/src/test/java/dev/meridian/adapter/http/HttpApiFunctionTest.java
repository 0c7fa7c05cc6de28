package dev.meridian.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpApiFunctionTest {
  @Test
  void brokenPercentEncodingIsTheClientsError() {
    assertThat(HttpApiFunction.malformedEncoding("/products/%zz", "")).hasValueSatisfying(p -> {
      assertThat(p.status()).isEqualTo(400);
      assertThat(p.errors().get(0).field()).isEqualTo("path");
    });
    assertThat(HttpApiFunction.malformedEncoding("/products", "limit=1&cursor=%%"))
        .hasValueSatisfying(p -> assertThat(p.errors().get(0).field()).isEqualTo("cursor"));
    assertThat(HttpApiFunction.malformedEncoding("/products", "%zz=1"))
        .hasValueSatisfying(p -> assertThat(p.errors().get(0).field()).isEqualTo("query"));
  }

  @Test
  void wellFormedRequestsPass() {
    assertThat(HttpApiFunction.malformedEncoding("/products/cup", "cursor=YWJj%3D&limit=2")).isEmpty();
    assertThat(HttpApiFunction.malformedEncoding("/products/caf%C3%A9", null)).isEmpty();
    assertThat(HttpApiFunction.malformedEncoding(null, "")).isEmpty();
  }
}
