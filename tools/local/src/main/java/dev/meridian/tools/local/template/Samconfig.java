package dev.meridian.tools.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code samconfig.toml}: the deployable environments in file order.
 *
 * <p>An environment is a top-level table with a {@code [<env>.deploy.parameters]} table (the same
 * rule as {@code deploy/samconfig_tool.py}); its values are {@code [<env>.global.parameters]}
 * overlaid with {@code [<env>.deploy.parameters]}, as {@code sam deploy --config-env <env>} reads
 * them. {@code parameter_overrides} is parsed with the SAM CLI's grammar: a string of
 * space-separated {@code Key=Value}, {@code Key="quoted value"}, {@code Key='quoted'} (backslash
 * escapes inside), or {@code ParameterKey=K,ParameterValue=V}; or a TOML list of such strings.
 */
public final class Samconfig {

  /**
   * One deployable environment.
   *
   * @param parameterOverrides the parsed {@code parameter_overrides}, in their order
   */
  public record Environment(String name, String region, String stackName, Map<String, String> parameterOverrides) {
    public Environment {
      parameterOverrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameterOverrides));
    }

    /** The stack this environment deploys, with its parameter overrides validated as given. */
    public StackParameters stackParameters() {
      return new StackParameters(region, stackName, parameterOverrides);
    }
  }

  private final Path file;
  private final List<Environment> environments;

  private Samconfig(Path file, List<Environment> environments) {
    this.file = file;
    this.environments = List.copyOf(environments);
  }

  /** Reads {@code samconfig.toml}. */
  public static Samconfig load(Path file) {
    try {
      return parse(Files.readString(file), file);
    } catch (IOException e) {
      throw new TemplateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses samconfig TOML text; {@code file} is only used in messages. */
  public static Samconfig parse(String toml, Path file) {
    JsonNode root;
    try {
      root = new TomlMapper().readTree(toml);
    } catch (IOException e) {
      throw new TemplateException(file + " is not valid TOML: " + e.getMessage(), e);
    }
    List<Environment> environments = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      JsonNode deploy = entry.getValue().path("deploy").path("parameters");
      if (!entry.getValue().isObject() || !deploy.isObject()) {
        continue;
      }
      Map<String, JsonNode> merged = new LinkedHashMap<>();
      entry.getValue().path("global").path("parameters").properties().forEach(e -> merged.put(e.getKey(),
          e.getValue()));
      deploy.properties().forEach(e -> merged.put(e.getKey(), e.getValue()));
      String where = file + " [" + entry.getKey() + "]";
      String region = text(merged.get("region"));
      if (region == null || region.isEmpty()) {
        throw new TemplateException(where + " has no region");
      }
      String stackName = text(merged.get("stack_name"));
      if (stackName == null || stackName.isEmpty()) {
        throw new TemplateException(where + " has no stack_name");
      }
      JsonNode overrides = merged.get("parameter_overrides");
      Map<String, String> parameters = new LinkedHashMap<>();
      if (overrides != null && overrides.isArray()) {
        overrides.forEach(item -> parameters.putAll(parseParameterOverrides(item.asText())));
      } else if (overrides != null) {
        parameters.putAll(parseParameterOverrides(overrides.asText()));
      }
      environments.add(new Environment(entry.getKey(), region, stackName, parameters));
    }
    return new Samconfig(file, environments);
  }

  /** The deployable environments in file order. */
  public List<Environment> environments() {
    return environments;
  }

  public Optional<Environment> environment(String name) {
    return environments.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** The environment deploying to {@code region} (the first one, if several do). */
  public Optional<Environment> environmentForRegion(String region) {
    return environments.stream().filter(e -> e.region().equals(region)).findFirst();
  }

  public Path file() {
    return file;
  }

  /**
   * Parses SAM's {@code --parameter-overrides} string: {@code Key=Value Key2="a b"
   * ParameterKey=K3,ParameterValue=V3}. Quotes are removed; as in the SAM CLI, a backslash
   * keeps the next character in the value (an escaped quote or space) and only {@code \"},
   * {@code \'} and backslash-space are unescaped.
   *
   * @throws TemplateException for text that is not a sequence of such pairs
   */
  public static Map<String, String> parseParameterOverrides(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    int n = text.length();
    while (true) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= n) {
        return out;
      }
      int eq = text.indexOf('=', i);
      if (eq < 0) {
        throw new TemplateException("parameter_overrides: expected Key=Value at '" + text.substring(i) + "'");
      }
      String key = text.substring(i, eq);
      if (!key.matches("[A-Za-z0-9]+")) {
        throw new TemplateException("parameter_overrides: '" + key + "' is not a parameter name");
      }
      int[] end = new int[1];
      String value = readValue(text, eq + 1, end, key.equals("ParameterKey") ? ',' : '\0');
      i = end[0];
      if (key.equals("ParameterKey")) {
        String prefix = ",ParameterValue=";
        if (!text.startsWith(prefix, i)) {
          throw new TemplateException("parameter_overrides: ParameterKey=" + value + " needs ,ParameterValue=...");
        }
        String parameterValue = readValue(text, i + prefix.length(), end, '\0');
        i = end[0];
        out.put(value, parameterValue);
      } else {
        out.put(key, value);
      }
      if (i < n && !Character.isWhitespace(text.charAt(i))) {
        throw new TemplateException("parameter_overrides: unexpected '" + text.substring(i) + "' after " + key);
      }
    }
  }

  private static String readValue(String text, int start, int[] end, char stop) {
    StringBuilder value = new StringBuilder();
    int i = start;
    int n = text.length();
    if (i < n && (text.charAt(i) == '"' || text.charAt(i) == '\'')) {
      char quote = text.charAt(i++);
      while (i < n && text.charAt(i) != quote) {
        char c = text.charAt(i);
        if (c == '\\' && i + 1 < n) {
          i += unescape(text.charAt(i + 1), value);
        } else {
          value.append(c);
          i++;
        }
      }
      if (i >= n) {
        throw new TemplateException("parameter_overrides: unterminated quote in '" + text.substring(start) + "'");
      }
      end[0] = i + 1;
      return value.toString();
    }
    while (i < n && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != stop) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < n) {
        i += unescape(text.charAt(i + 1), value);
      } else {
        value.append(c);
        i++;
      }
    }
    end[0] = i;
    return value.toString();
  }

  /** SAM unescapes only {@code \"}, {@code \'} and backslash-space; other escapes stay as written. */
  private static int unescape(char escaped, StringBuilder value) {
    if (escaped == '"' || escaped == '\'' || escaped == ' ') {
      value.append(escaped);
    } else {
      value.append('\\').append(escaped);
    }
    return 2;
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  @Override
  public String toString() {
    return "Samconfig[" + file + ", environments=" + environments.stream().map(Environment::name).toList() + "]";
  }
}
