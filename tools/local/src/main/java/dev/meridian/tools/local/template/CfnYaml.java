package dev.meridian.tools.local.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a CloudFormation/SAM YAML template into plain maps, lists and scalars, turning the
 * short-form intrinsic tags into their long forms: {@code !Ref X} becomes {@code {Ref: X}},
 * {@code !Condition X} becomes {@code {Condition: X}}, {@code !GetAtt A.b} becomes
 * {@code {Fn::GetAtt: "A.b"}} and every other {@code !Fn} becomes {@code {Fn::Fn: ...}}.
 * Timestamps stay strings (CloudFormation has no date type); duplicate keys are an error, as in
 * CloudFormation.
 */
public final class CfnYaml {

  /** Every short-form tag CloudFormation (and the Rules section) knows, without {@code !}. */
  static final List<String> FUNCTIONS = List.of("Ref", "Condition", "GetAtt", "Sub", "If", "Equals", "Not", "And",
      "Or", "Join", "Select", "Split", "FindInMap", "GetAZs", "ImportValue", "Base64", "Cidr", "Transform",
      "Length", "ToJsonString", "Contains", "EachMemberEquals", "EachMemberIn", "RefAll", "ValueOf",
      "ValueOfAll");

  private CfnYaml() {}

  /** {@code file}'s template, intrinsics in their long form (contract tests check them as written). */
  public static Map<String, Object> load(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static Map<String, Object> parse(String text, String source) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setCodePointLimit(16 * 1024 * 1024);
    DumperOptions dumper = new DumperOptions();
    Yaml yaml = new Yaml(new CfnConstructor(options), new Representer(dumper), dumper, options,
        new NoTimestampResolver());
    Object root;
    try {
      root = yaml.load(text);
    } catch (YAMLException e) {
      throw new TemplateException(source + " is not valid CloudFormation YAML: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new TemplateException(source + " is not a YAML mapping");
    }
    Map<String, Object> result = new LinkedHashMap<>();
    map.forEach((k, v) -> result.put(String.valueOf(k), v));
    return result;
  }

  private static final class CfnConstructor extends SafeConstructor {
    CfnConstructor(LoaderOptions options) {
      super(options);
      for (String function : FUNCTIONS) {
        yamlConstructors.put(new Tag("!" + function), new Intrinsic(function));
      }
    }

    private final class Intrinsic extends AbstractConstruct {
      private final String key;

      Intrinsic(String function) {
        this.key = function.equals("Ref") || function.equals("Condition") ? function : "Fn::" + function;
      }

      @Override
      public Object construct(Node node) {
        Object value;
        if (node instanceof ScalarNode scalar) {
          value = constructScalar(scalar);
        } else if (node instanceof SequenceNode sequence) {
          value = constructSequence(sequence);
        } else {
          value = constructMapping((MappingNode) node);
        }
        Map<String, Object> intrinsic = new LinkedHashMap<>();
        intrinsic.put(key, value);
        return intrinsic;
      }
    }
  }

  /** YAML 1.1's implicit types minus timestamps. */
  private static final class NoTimestampResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
      addImplicitResolver(Tag.INT, INT, "-+0123456789");
      addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
      addImplicitResolver(Tag.MERGE, MERGE, "<");
      addImplicitResolver(Tag.NULL, NULL, "~nN\0");
      addImplicitResolver(Tag.NULL, EMPTY, null);
    }
  }
}
