package dev.meridian.tools.local.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Lambda function as the template declares it (Globals merged in).
 *
 * @param codeUri     the deployment zip, relative to the template's directory
 * @param environment         the function's environment variables, intrinsics resolved for the region
 * @param reservedConcurrency the function's {@code ReservedConcurrentExecutions}, or null when it
 *                            has none
 * @param snapStart           whether {@code SnapStart: ApplyOn: PublishedVersions}: the local runtime
 *                            then "publishes" it once (a training run that writes an AOT cache) and
 *                            starts every environment from that cache
 */
public record FunctionSpec(String logicalId, String handler, String runtime, Path codeUri, int memoryMb,
    int timeoutSeconds, Map<String, String> environment, List<EventSourceSpec> events, Integer reservedConcurrency,
    boolean snapStart) {

  public FunctionSpec {
    environment = Map.copyOf(environment);
    events = List.copyOf(events);
    if (reservedConcurrency != null && reservedConcurrency < 0) {
      throw new IllegalArgumentException(logicalId + ": reserved concurrency cannot be negative: " + reservedConcurrency);
    }
  }

  /** A function without reserved concurrency or SnapStart. */
  public FunctionSpec(String logicalId, String handler, String runtime, Path codeUri, int memoryMb, int timeoutSeconds,
      Map<String, String> environment, List<EventSourceSpec> events) {
    this(logicalId, handler, runtime, codeUri, memoryMb, timeoutSeconds, environment, events, null, false);
  }

  /** The same function with other environment variables. */
  public FunctionSpec withEnvironment(Map<String, String> variables) {
    return new FunctionSpec(logicalId, handler, runtime, codeUri, memoryMb, timeoutSeconds, variables, events,
        reservedConcurrency, snapStart);
  }
}
