package dev.meridian.tools.local.template;

import java.util.List;

/**
 * Parameter values that CloudFormation would reject ({@code AllowedValues}, {@code AllowedPattern},
 * {@code MinLength}/{@code MaxLength}, {@code MinValue}/{@code MaxValue}, type, unknown or missing
 * parameters). All violations are collected, one per line in the message.
 */
public final class ParameterValidationException extends TemplateException {

  private static final long serialVersionUID = 1L;

  private final List<String> violations;

  public ParameterValidationException(String region, List<String> violations) {
    super("invalid template parameters for region " + region + ":\n  - " + String.join("\n  - ", violations));
    this.violations = List.copyOf(violations);
  }

  /** One human-readable line per violation, e.g. {@code DeploymentMode = 'x' is not one of [...]}. */
  public List<String> violations() {
    return violations;
  }
}
