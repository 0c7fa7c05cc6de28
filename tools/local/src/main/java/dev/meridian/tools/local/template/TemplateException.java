package dev.meridian.tools.local.template;

/**
 * The template (or its parameters, or samconfig.toml) cannot be resolved for the local stack: a
 * syntax error, an unsupported construct, a dangling {@code Ref}, a failed {@code Rules}
 * assertion. The message names the region and the offending resource or parameter.
 */
public class TemplateException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TemplateException(String message) {
    super(message);
  }

  public TemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
