package dev.meridian.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.adapter.Wiring;
import dev.meridian.adapter.http.Routes;
import dev.meridian.config.MeridianConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The routes the catalog's Spring application serves are exactly the openapi.yaml operations marked {@code catalog}. */
class OpenApiRoutesTest {
  @Test
  void servedRoutesEqualDocumentedRoutes() throws Exception {
    // Starting the application does no I/O: the client is built but never called.
    DynamoDbClient unused = DynamoDbClient.builder().region(Region.US_EAST_1)
        .endpointOverride(URI.create("http://127.0.0.1:9")).credentialsProvider(AnonymousCredentialsProvider.create()).build();
    MeridianConfig config = MeridianConfig.from(Map.of(MeridianConfig.AWS_REGION, "us-east-1", MeridianConfig.TABLE_NAME, "unused"));
    CatalogHandler handler = new CatalogHandler(new Wiring(config, unused, Clock.systemUTC()));

    Path openapi = Path.of(System.getProperty("basedir", ".")).resolve("../../openapi.yaml").normalize();
    assertThat(handler.routes()).isNotEmpty().isEqualTo(Routes.documented(openapi, "catalog"));
  }
}
