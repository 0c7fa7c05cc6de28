package dev.meridian.adapter.http;

import java.util.List;
import java.util.Objects;

/**
 * What a Spring function is started with: who it is, for every log line of a request, who may call
 * which route, and the use cases its controllers call (each becomes a bean of its own class). The
 * bootstrap builds it.
 */
public record HttpApiServices(String region, String functionName, AccessPolicy access, List<Object> useCases) {
  public HttpApiServices {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(functionName, "functionName");
    Objects.requireNonNull(access, "access");
    useCases = List.copyOf(useCases);
  }
}
