package dev.meridian.adapter.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Objects;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/** Enforces {@link Requires} on the matched controller method through the {@link AccessPolicy}: 401 without identity, 403 otherwise. */
final class AccessInterceptor implements HandlerInterceptor {
  private final AccessPolicy policy;

  AccessInterceptor(AccessPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method)) {
      return true; // not a controller route (e.g. the framework's OPTIONS answer)
    }
    Requires requires = method.getMethodAnnotation(Requires.class);
    if (requires == null) {
      requires = method.getBeanType().getAnnotation(Requires.class);
    }
    Caller caller = Caller.of(request);
    if (requires != null && requires.value() == Requires.Audience.ADMIN) {
      policy.requireAdmin(caller);
    } else {
      policy.requireCustomer(caller);
    }
    return true;
  }
}
