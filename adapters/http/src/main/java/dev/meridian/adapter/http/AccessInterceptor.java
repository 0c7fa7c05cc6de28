package dev.meridian.adapter.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/** Enforces {@link Requires} on the matched controller method: 401 without identity, 403 without the admin scope. */
final class AccessInterceptor implements HandlerInterceptor {
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
      caller.requireAdmin();
    } else {
      caller.requireAuthenticated();
    }
    return true;
  }
}
