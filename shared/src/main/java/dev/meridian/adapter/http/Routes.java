package dev.meridian.adapter.http;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Routes as {@code METHOD /path} strings, both as a Spring application serves them and as
 * openapi.yaml documents them, so a test can hold the two equal. Each OpenAPI operation names
 * the function that serves it with {@code x-meridian-function}.
 */
public final class Routes {
  public static final String FUNCTION_EXTENSION = "x-meridian-function";
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

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

  /** The operations of {@code openapi} whose {@code x-meridian-function} is {@code function}. */
  @SuppressWarnings("unchecked")
  public static SortedSet<String> documented(Path openapi, String function) throws IOException {
    Map<String, Object> document;
    try (Reader in = Files.newBufferedReader(openapi, StandardCharsets.UTF_8)) {
      document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    }
    SortedSet<String> routes = new TreeSet<>();
    Map<String, Object> paths = (Map<String, Object>) document.getOrDefault("paths", Map.of());
    paths.forEach((path, item) -> ((Map<String, Object>) item).forEach((key, operation) -> {
      if (METHODS.contains(key) && operation instanceof Map<?, ?> op && function.equals(op.get(FUNCTION_EXTENSION))) {
        routes.add(key.toUpperCase(java.util.Locale.ROOT) + " " + path);
      }
    }));
    return routes;
  }
}
