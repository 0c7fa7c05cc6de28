package dev.meridian.tools.local.gateway;

import dev.meridian.tools.local.model.EventSourceSpec.HttpRoute;
import dev.meridian.tools.local.model.FunctionSpec;
import dev.meridian.tools.local.model.HttpApiSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The HTTP API of template.yaml as the template parser resolves it (DefaultAuthorizer applied to
 * each route, {@code Auth: Authorizer: NONE} → null): the fixture of the gateway tests.
 */
final class MeridianApi {

  static final String JWT = "MeridianJwt";
  static final String ADMIN = "meridian/admin";
  static final String AUDIENCE = dev.meridian.tools.local.jwt.DevIssuer.Clients.LOCAL.customer();

  private MeridianApi() {}

  static HttpApiSpec api(String issuer, double rate, int burst) {
    return new HttpApiSpec("MeridianHttpApi", JWT, issuer, List.of(AUDIENCE), JWT, rate, burst);
  }

  static List<FunctionSpec> functions() {
    return List.of(
        function("CatalogFunction",
            new HttpRoute("ListProducts", "GET", "/products", JWT, List.of()),
            new HttpRoute("GetProduct", "GET", "/products/{id}", JWT, List.of()),
            new HttpRoute("PutProduct", "PUT", "/products/{id}", JWT, List.of(ADMIN)),
            new HttpRoute("AdjustStock", "POST", "/products/{id}/stock", JWT, List.of(ADMIN))),
        function("OrdersFunction",
            new HttpRoute("CreateOrder", "POST", "/orders", JWT, List.of()),
            new HttpRoute("ListOrders", "GET", "/orders", JWT, List.of()),
            new HttpRoute("GetOrder", "GET", "/orders/{id}", JWT, List.of()),
            new HttpRoute("CancelOrder", "POST", "/orders/{id}/cancel", JWT, List.of()),
            new HttpRoute("GetControl", "GET", "/admin/control", JWT, List.of(ADMIN)),
            new HttpRoute("SetKillSwitch", "PUT", "/admin/control/kill-switch/{region}", JWT, List.of(ADMIN)),
            new HttpRoute("PromoteRegion", "POST", "/admin/control/promote/{region}", JWT, List.of(ADMIN)),
            new HttpRoute("ListConflicts", "GET", "/admin/conflicts", JWT, List.of(ADMIN))),
        function("HealthFunction",
            new HttpRoute("Health", "GET", "/health", null, List.of())));
  }

  static FunctionSpec function(String logicalId, HttpRoute... routes) {
    return new FunctionSpec(logicalId, "dev.meridian.Handler::handleRequest", "java25", Path.of("fn.zip"), 1024, 20,
        Map.of(), List.of(routes));
  }
}
