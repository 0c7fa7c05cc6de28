package dev.meridian.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.adapter.http.Routes;
import dev.meridian.adapter.http.testing.Repository;
import dev.meridian.adapter.http.testing.UnreachableStore;
import org.junit.jupiter.api.Test;

/** The routes the catalog's Spring application serves are exactly the openapi.yaml operations marked {@code catalog}. */
class OpenApiRoutesTest {
  @Test
  void servedRoutesEqualDocumentedRoutes() throws Exception {
    CatalogHandler handler = new CatalogHandler(UnreachableStore.wiring()); // starting it does no I/O
    assertThat(handler.routes()).isNotEmpty().isEqualTo(Routes.documented(Repository.file("openapi.yaml"), "catalog"));
  }
}
