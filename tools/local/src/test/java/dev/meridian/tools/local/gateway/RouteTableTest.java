package dev.meridian.tools.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.tools.local.gateway.RouteTable.Authorization;
import dev.meridian.tools.local.gateway.RouteTable.Route;
import dev.meridian.tools.local.model.EventSourceSpec;
import dev.meridian.tools.local.model.EventSourceSpec.HttpRoute;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Route selection as API Gateway HTTP APIs do it. */
class RouteTableTest {

  private final RouteTable meridian = RouteTable.of(MeridianApi.api("http://127.0.0.1:1", 100, 200), MeridianApi.functions());

  @Test
  void everyTemplateRouteIsThereWithItsFunctionAndAuthorization() {
    assertThat(meridian.routes()).extracting(Route::routeKey).containsExactly(
        "GET /products", "GET /products/{id}", "PUT /products/{id}", "POST /products/{id}/stock",
        "POST /orders", "GET /orders", "GET /orders/{id}", "POST /orders/{id}/cancel",
        "GET /admin/control", "PUT /admin/control/kill-switch/{region}", "POST /admin/control/promote/{region}",
        "GET /admin/conflicts", "GET /health");
    Route health = route("GET", "/health");
    assertThat(health.functionLogicalId()).isEqualTo("HealthFunction");
    assertThat(health.authorization()).isEqualTo(Authorization.NONE);
    Route put = route("PUT", "/products/cup");
    assertThat(put.functionLogicalId()).isEqualTo("CatalogFunction");
    assertThat(put.authorization()).isEqualTo(Authorization.JWT);
    assertThat(put.scopes()).containsExactly("meridian/admin");
    assertThat(route("GET", "/orders").scopes()).isEmpty();
  }

  @Test
  void pathVariablesMatchOneSegmentAndAreDecoded() {
    RouteTable.Match match = meridian.match("GET", "/products/cup").orElseThrow();
    assertThat(match.route().routeKey()).isEqualTo("GET /products/{id}");
    assertThat(match.pathParameters()).containsExactly(Map.entry("id", "cup"));
    assertThat(meridian.match("GET", "/products/blue%20cup%2Fxl").orElseThrow().pathParameters())
        .containsEntry("id", "blue cup/xl");
    assertThat(meridian.match("GET", "/products/a+b").orElseThrow().pathParameters()).containsEntry("id", "a+b");
    RouteTable.Match stock = meridian.match("POST", "/products/cup/stock").orElseThrow();
    assertThat(stock.route().routeKey()).isEqualTo("POST /products/{id}/stock");
    assertThat(stock.pathParameters()).containsEntry("id", "cup");
    assertThat(meridian.match("PUT", "/admin/control/kill-switch/eu-west-1").orElseThrow().pathParameters())
        .containsExactly(Map.entry("region", "eu-west-1"));
  }

  @Test
  void noMatchIsEmptyWhateverTheReason() {
    assertThat(meridian.match("GET", "/nope")).isEmpty();
    assertThat(meridian.match("DELETE", "/products/cup")).isEmpty(); // wrong method: 404, not 405
    assertThat(meridian.match("GET", "/products/")).isEmpty(); // empty variable
    assertThat(meridian.match("GET", "/products/cup/extra")).isEmpty();
    assertThat(meridian.match("GET", "/health/")).isEmpty();
    assertThat(meridian.match("GET", "/")).isEmpty();
    assertThat(meridian.match("HEAD", "/health")).isEmpty();
  }

  @Test
  void methodsAreCaseInsensitive() {
    assertThat(meridian.match("get", "/health")).isPresent();
  }

  @Test
  void theMostSpecificRouteWins() {
    // The example of the API Gateway developer guide ("Routing API requests").
    RouteTable table = RouteTable.of(List.of(
        route("GET /pets/dog/1", "GET", "/pets/dog/1"),
        route("GET /pets/dog/{id}", "GET", "/pets/dog/{id}"),
        route("GET /pets/{proxy+}", "GET", "/pets/{proxy+}"),
        route("ANY /{proxy+}", "ANY", "/{proxy+}"),
        route("$default", null, null)));
    assertThat(key(table, "GET", "/pets/dog/1")).contains("GET /pets/dog/1");
    assertThat(key(table, "GET", "/pets/dog/2")).contains("GET /pets/dog/{id}");
    assertThat(key(table, "GET", "/pets/cat/1")).contains("GET /pets/{proxy+}");
    assertThat(key(table, "POST", "/pets/dog/1")).contains("ANY /{proxy+}");
    assertThat(key(table, "GET", "/")).contains("$default");
    assertThat(table.match("GET", "/pets/cat/1/toys").orElseThrow().pathParameters())
        .containsExactly(Map.entry("proxy", "cat/1/toys"));
    assertThat(table.match("GET", "/").orElseThrow().pathParameters()).isEmpty();
  }

  @Test
  void literalsBeatVariablesSegmentBySegmentAndExactMethodsBeatAny() {
    RouteTable table = RouteTable.of(List.of(
        route("GET /a/{x}/c", "GET", "/a/{x}/c"),
        route("GET /a/b/{y}", "GET", "/a/b/{y}"),
        route("ANY /a/b/c", "ANY", "/a/b/c"),
        route("GET /a/{proxy+}", "GET", "/a/{proxy+}"),
        route("GET /a/b/{proxy+}", "GET", "/a/b/{proxy+}"),
        route("ANY /q/{id}", "ANY", "/q/{id}"),
        route("GET /q/{id}", "GET", "/q/{id}")));
    assertThat(key(table, "GET", "/a/b/c")).contains("ANY /a/b/c");
    assertThat(key(table, "GET", "/a/b/z")).contains("GET /a/b/{y}");
    assertThat(key(table, "GET", "/a/z/c")).contains("GET /a/{x}/c");
    assertThat(key(table, "GET", "/a/b/z/w")).contains("GET /a/b/{proxy+}");
    assertThat(key(table, "GET", "/a/z/w/v")).contains("GET /a/{proxy+}");
    assertThat(key(table, "GET", "/q/1")).contains("GET /q/{id}");
    assertThat(key(table, "DELETE", "/q/1")).contains("ANY /q/{id}");
  }

  @Test
  void withoutADefaultRouteNothingCatchesTheRest() {
    RouteTable table = RouteTable.of(List.of(route("GET /{proxy+}", "GET", "/{proxy+}")));
    assertThat(table.match("GET", "/")).isEmpty(); // a greedy variable needs at least one segment
    assertThat(key(table, "GET", "/x")).contains("GET /{proxy+}");
  }

  @Test
  void authorizersAreResolvedAgainstTheApi() {
    var api = MeridianApi.api("http://127.0.0.1:1", 1, 1);
    assertThat(RouteTable.route(api, "F", new HttpRoute("E", "GET", "/x", "NONE", List.of())).authorization())
        .isEqualTo(Authorization.NONE);
    assertThat(RouteTable.route(api, "F", new HttpRoute("E", "GET", "/x", null, List.of())).authorization())
        .isEqualTo(Authorization.NONE);
    assertThatThrownBy(() -> RouteTable.route(api, "F", new HttpRoute("E", "GET", "/x", "OtherAuth", List.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OtherAuth");
    Route any = RouteTable.route(api, "F", new HttpRoute("E", "x-amazon-apigateway-any-method", "/x", null, List.of()));
    assertThat(any.routeKey()).isEqualTo("ANY /x");
    Route fallback = RouteTable.route(api, "F", new HttpRoute("E", "ANY", "$default", null, List.of()));
    assertThat(fallback.routeKey()).isEqualTo("$default");
  }

  @Test
  void duplicateAndMalformedRoutesAreRefused() {
    var api = MeridianApi.api("http://127.0.0.1:1", 1, 1);
    assertThatThrownBy(() -> RouteTable.of(api, List.of(
        MeridianApi.function("A", new HttpRoute("One", "GET", "/x", null, List.of())),
        MeridianApi.function("B", new HttpRoute("Two", "GET", "/x", null, List.of())))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate route GET /x");
    assertThatThrownBy(() -> RouteTable.of(List.of(route("GET /{p+}/x", "GET", "/{p+}/x"))))
        .hasMessageContaining("greedy");
    assertThatThrownBy(() -> RouteTable.of(List.of(route("GET x", "GET", "x")))).hasMessageContaining("start with /");
  }

  @Test
  void nonHttpEventsAreIgnored() {
    var api = MeridianApi.api("http://127.0.0.1:1", 1, 1);
    var health = new dev.meridian.tools.local.model.FunctionSpec("HealthFunction", "h", "java25", java.nio.file.Path.of("z"),
        512, 10, Map.of(), List.of(new HttpRoute("Health", "GET", "/health", null, List.of()),
        new EventSourceSpec.Schedule("Heartbeat", 60, null, true)));
    assertThat(RouteTable.of(api, List.of(health)).routes()).extracting(Route::routeKey).containsExactly("GET /health");
  }

  private Route route(String method, String path) {
    return meridian.match(method, path).orElseThrow().route();
  }

  private static Route route(String key, String method, String path) {
    return new Route(key, method, path, "Fn", "Event", Authorization.NONE, List.of());
  }

  private static Optional<String> key(RouteTable table, String method, String path) {
    return table.match(method, path).map(m -> m.route().routeKey());
  }
}
