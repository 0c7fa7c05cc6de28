package dev.meridian.tools.local.template;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one {@code sam deploy} of the template gets: the region, the stack name and the parameter
 * values (samconfig's {@code parameter_overrides}; the template's defaults fill the rest).
 *
 * @param uncheckedParameters names whose values are NOT validated against the template's
 *                            constraints ({@code AllowedPattern} etc.): local overrides such as the
 *                            local dev JWT issuer {@code http://127.0.0.1:<port>}, which the
 *                            template's {@code ^https://.+} would reject
 */
public record StackParameters(String region, String stackName, Map<String, String> parameters,
    Set<String> uncheckedParameters) {

  public StackParameters {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(stackName, "stackName");
    parameters = Map.copyOf(parameters);
    uncheckedParameters = uncheckedParameters == null ? Set.of() : Set.copyOf(uncheckedParameters);
  }

  /** Every value validated. */
  public StackParameters(String region, String stackName, Map<String, String> parameters) {
    this(region, stackName, parameters, Set.of());
  }

  /** The same deployment input in another region (same stack name and parameter values). */
  public StackParameters inRegion(String otherRegion) {
    return new StackParameters(otherRegion, stackName, parameters, uncheckedParameters);
  }
}
