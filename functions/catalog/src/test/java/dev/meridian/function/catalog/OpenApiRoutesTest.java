package dev.meridian.function.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.bootstrap.api.ApiWiring;
import dev.meridian.testkit.FunctionEnvironment;
import dev.meridian.testkit.OpenApiRoutes;
import dev.meridian.testkit.RepositoryRoot;
import dev.meridian.testkit.UnreachableStore;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The routes the catalog's Spring application serves are exactly the openapi.yaml operations marked {@code catalog}. */
class OpenApiRoutesTest {
  @Test
  void servedRoutesEqualDocumentedRoutes() throws Exception {
    CatalogHandler handler = new CatalogHandler(ApiWiring.of(FunctionEnvironment.activeActive("unreachable"), UnreachableStore.dynamoDb(),
        Clock.systemUTC())); // starting it does no I/O
    assertThat(handler.routes()).isNotEmpty().isEqualTo(OpenApiRoutes.documented(RepositoryRoot.file("openapi.yaml"), "catalog"));
  }
}
