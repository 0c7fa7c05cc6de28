package dev.meridian.function.catalog;

import dev.meridian.application.catalog.CatalogService;
import dev.meridian.domain.product.ProductId;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.Objects;
import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Evaluates a product replace's {@code If-Match} / {@code If-None-Match} before Spring reads and
 * validates its body, as RFC 9110 §13.2.1 orders it: a stale or foreign entity-tag is a 412
 * whatever the body holds, a malformed header a 400, no precondition a 428. It runs after the
 * access check (registered after it) and only on the route {@link CatalogController#put} serves;
 * the use case evaluates the precondition again, atomically with the write.
 */
final class PreconditionsFirst implements HandlerInterceptor {
  private final CatalogService catalog;

  PreconditionsFirst(CatalogService catalog) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method) || !method.getMethod().isAnnotationPresent(EvaluatesPreconditionsFirst.class)) {
      return true;
    }
    @SuppressWarnings("unchecked")
    Map<String, String> variables = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
    ProductId productId = ProductId.of(variables == null ? null : variables.get("id"));
    CatalogService.Precondition precondition = EntityTags.precondition(request.getHeader(HttpHeaders.IF_MATCH),
        request.getHeader(HttpHeaders.IF_NONE_MATCH));
    catalog.unmetPrecondition(productId, precondition).ifPresent(unmet -> {
      throw CatalogController.preconditionNotMet(productId, unmet);
    });
    return true;
  }

  /** Marks the controller method whose preconditions this interceptor evaluates first. */
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
  @interface EvaluatesPreconditionsFirst {}
}
