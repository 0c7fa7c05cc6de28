package dev.meridian.adapter.http;

import java.util.SortedSet;
import java.util.TreeSet;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Routes as {@code METHOD /path} strings as a Spring application serves them (the testkit's
 * {@code OpenApiRoutes} reads openapi.yaml's the same way, so a test can hold the two equal).
 */
public final class Routes {
  private Routes() {}

  public static SortedSet<String> served(ApplicationContext context) {
    RequestMappingHandlerMapping mapping = context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
    SortedSet<String> routes = new TreeSet<>();
    for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
      for (String pattern : info.getPatternValues()) {
        for (RequestMethod method : info.getMethodsCondition().getMethods()) {
          routes.add(method.name() + " " + pattern);
        }
      }
    }
    return routes;
  }
}
