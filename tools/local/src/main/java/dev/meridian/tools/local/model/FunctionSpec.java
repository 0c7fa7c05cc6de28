package dev.meridian.tools.local.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Lambda function as the template declares it (Globals merged in).
 *
 * @param codeUri     the deployment zip, relative to the template's directory
 * @param environment the function's environment variables, intrinsics resolved for the region
 */
public record FunctionSpec(String logicalId, String handler, String runtime, Path codeUri, int memoryMb,
    int timeoutSeconds, Map<String, String> environment, List<EventSourceSpec> events) {

  public FunctionSpec {
    environment = Map.copyOf(environment);
    events = List.copyOf(events);
  }
}
