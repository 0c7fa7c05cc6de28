package dev.meridian.testkit;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Routes as openapi.yaml documents them, {@code METHOD /path} (as the HTTP adapter's {@code Routes}
 * lists what a Spring application serves). Each operation names the function that serves it with
 * {@value #FUNCTION_EXTENSION}.
 */
public final class OpenApiRoutes {
  public static final String FUNCTION_EXTENSION = "x-meridian-function";
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  private OpenApiRoutes() {}

  /** The operations of {@code openapi} whose {@value #FUNCTION_EXTENSION} is {@code function}. */
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
        routes.add(key.toUpperCase(Locale.ROOT) + " " + path);
      }
    }));
    return routes;
  }
}
