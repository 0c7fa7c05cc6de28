package dev.meridian.tools.benchmark;

import dev.meridian.tools.local.template.EvaluatedStack;
import dev.meridian.tools.local.template.LocalDeployment;
import dev.meridian.tools.local.template.Samconfig;
import dev.meridian.tools.local.template.StackParameters;
import dev.meridian.tools.local.template.TemplateResolver;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The log group of every function a stack deploys, as template.yaml names it ({@code LoggingConfig.LogGroup}), keyed by
 * the function's short name (the group's name after {@code /aws/lambda/<stack>-}), and whether SnapStart is on.
 */
record FunctionLogGroups(String stackName, Map<String, Group> byFunction) {
  /** One function's log group. */
  record Group(String logGroupName, boolean snapStart) {}

  FunctionLogGroups {
    byFunction = Map.copyOf(byFunction);
  }

  /**
   * Evaluates template.yaml for a stack named {@code stackName}. The names depend on the stack name only, so the
   * local deployment's home-region parameters (which pass the template's rules) stand in for the deployed ones.
   */
  static FunctionLogGroups of(Path root, String stackName) {
    LocalDeployment local = LocalDeployment.of(Samconfig.load(root.resolve("samconfig.toml")));
    StackParameters home = local.stack(local.homeRegion());
    EvaluatedStack stack = TemplateResolver.load(root.resolve("template.yaml"))
        .evaluate(new StackParameters(home.region(), stackName, home.parameters()));
    String prefix = "/aws/lambda/" + stackName + "-";
    Map<String, Group> groups = new LinkedHashMap<>();
    for (String function : stack.resourceIds("AWS::Serverless::Function")) {
      Optional<Object> group = stack.property(function, "LoggingConfig", "LogGroup");
      if (group.isEmpty()) {
        continue;
      }
      String name = String.valueOf(group.get());
      boolean snapStart = stack.property(function, "SnapStart", "ApplyOn").map("PublishedVersions"::equals).orElse(false);
      groups.put(name.startsWith(prefix) ? name.substring(prefix.length()) : name, new Group(name, snapStart));
    }
    if (groups.isEmpty()) {
      throw new IllegalStateException("template.yaml names no function log group (LoggingConfig.LogGroup)");
    }
    return new FunctionLogGroups(stackName, groups);
  }

  /** The short name of the function whose group Logs Insights names in {@code @log} ({@code account-id:group}). */
  Optional<String> functionOf(String logField) {
    String group = logField.substring(logField.indexOf(':') + 1);
    return byFunction.entrySet().stream().filter(e -> e.getValue().logGroupName().equals(group)).map(Map.Entry::getKey)
        .findFirst();
  }
}
