package dev.meridian.tools.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each intrinsic function, pseudo parameter and condition form on small inline templates. */
class IntrinsicsTest {

  private static final String HEADER = """
      Transform: AWS::Serverless-2016-10-31
      Parameters:
        Env:
          Type: String
          Default: dev
          AllowedValues: [dev, prod]
        Name:
          Type: String
          Default: shop
        Zones:
          Type: CommaDelimitedList
          Default: "a,b,c"
        Count:
          Type: Number
          Default: 2
      Mappings:
        Sizes:
          dev: { Memory: 256 }
          prod: { Memory: 2048 }
      Conditions:
        IsProd: !Equals [!Ref Env, prod]
        IsDev: !Not [!Condition IsProd]
        IsUsEast: !Equals [!Ref "AWS::Region", us-east-1]
        ProdInUs: !And [!Condition IsProd, !Condition IsUsEast]
        ProdOrUs: !Or [!Condition IsProd, !Condition IsUsEast]
        LongForm: { "Fn::Equals": [{ "Ref": "Name" }, "shop"] }
      Resources:
        Queue:
          Type: AWS::SQS::Queue
        NamedQueue:
          Type: AWS::SQS::Queue
          Properties:
            QueueName: !Sub "${Name}-${Env}-named"
        ProdOnly:
          Type: AWS::SQS::Queue
          Condition: IsProd
        Probe:
          Type: AWS::SNS::Topic
          Properties:
      """;

  private static EvaluatedStack stack(String probeProperties, String region, Map<String, String> parameters) {
    String yaml = HEADER + probeProperties.indent(6);
    return TemplateResolver.parse(yaml, Path.of(".")).evaluate(new StackParameters(region, "stk", parameters));
  }

  private static Object probe(String yamlValue) {
    return probe(yamlValue, "us-east-1", Map.of());
  }

  private static Object probe(String yamlValue, String region, Map<String, String> parameters) {
    return stack("Value: " + yamlValue, region, parameters).property("Probe", "Value").orElse(null);
  }

  @Test
  void refOfParametersAndPseudoParameters() {
    assertThat(probe("!Ref Name")).isEqualTo("shop");
    assertThat(probe("!Ref Count")).isEqualTo("2");
    assertThat(probe("!Ref Zones")).isEqualTo(List.of("a", "b", "c"));
    assertThat(probe("!Ref \"AWS::Region\"", "eu-west-1", Map.of())).isEqualTo("eu-west-1");
    assertThat(probe("!Ref AWS::AccountId")).isEqualTo("123456789012");
    assertThat(probe("!Ref AWS::Partition")).isEqualTo("aws");
    assertThat(probe("!Ref AWS::URLSuffix")).isEqualTo("amazonaws.com");
    assertThat(probe("!Ref AWS::StackName")).isEqualTo("stk");
    assertThat(probe("{ Ref: Name }")).isEqualTo("shop");
    assertThat(probe("!Ref AWS::NoValue")).isNull();
  }

  @Test
  void refAndGetAttOfResources() {
    String name = LocalNames.generatedName("stk", "Queue", 80);
    assertThat(name).matches("stk-Queue-[A-Z0-9]{12}").isEqualTo(LocalNames.generatedName("stk", "Queue", 80));
    assertThat(probe("!Ref Queue", "eu-west-1", Map.of()))
        .isEqualTo("https://sqs.eu-west-1.amazonaws.com/123456789012/" + name);
    assertThat(probe("!GetAtt Queue.Arn")).isEqualTo("arn:aws:sqs:us-east-1:123456789012:" + name);
    assertThat(probe("!GetAtt [NamedQueue, QueueName]")).isEqualTo("shop-dev-named");
    assertThat(probe("{ \"Fn::GetAtt\": [NamedQueue, Arn] }")).isEqualTo("arn:aws:sqs:us-east-1:123456789012:shop-dev-named");
    assertThat(probe("!GetAtt NamedQueue.QueueUrl"))
        .isEqualTo("https://sqs.us-east-1.amazonaws.com/123456789012/shop-dev-named");
  }

  @Test
  void subInBothFormsWithLiteralsPseudoParametersAndAttributes() {
    assertThat(probe("!Sub \"${Name}/${AWS::Region}/${ AWS::AccountId }\"")).isEqualTo("shop/us-east-1/123456789012");
    assertThat(probe("!Sub \"${NamedQueue.Arn}|${NamedQueue}\"")).isEqualTo(
        "arn:aws:sqs:us-east-1:123456789012:shop-dev-named|https://sqs.us-east-1.amazonaws.com/123456789012/shop-dev-named");
    assertThat(probe("!Sub \"literal ${!Name} and ${!AWS::Region} stay, ${Env} goes\""))
        .isEqualTo("literal ${Name} and ${AWS::Region} stay, dev goes");
    assertThat(probe("!Sub [\"${Greeting}, ${Name} in ${Where}\", { Greeting: hello, Where: !Ref \"AWS::Region\" }]"))
        .isEqualTo("hello, shop in us-east-1");
    assertThat(probe("{ \"Fn::Sub\": \"no variables\" }")).isEqualTo("no variables");
    assertThatThrownBy(() -> probe("!Sub \"${Zones}\"")).hasMessageContaining("${Zones} is a list");
    assertThatThrownBy(() -> probe("!Sub \"${Nope}\"")).hasMessageContaining("Nope: no such parameter");
  }

  @Test
  void conditionsAndNestedIf() {
    String nested = "!If [ProdInUs, prod-us, !If [ProdOrUs, !If [IsProd, prod-elsewhere, dev-us], !If [IsDev,"
        + " dev-elsewhere, never]]]";
    assertThat(probe(nested, "us-east-1", Map.of("Env", "prod"))).isEqualTo("prod-us");
    assertThat(probe(nested, "eu-west-1", Map.of("Env", "prod"))).isEqualTo("prod-elsewhere");
    assertThat(probe(nested, "us-east-1", Map.of())).isEqualTo("dev-us");
    assertThat(probe(nested, "eu-west-1", Map.of())).isEqualTo("dev-elsewhere");

    EvaluatedStack s = stack("Value: x", "eu-west-1", Map.of());
    assertThat(s.conditions()).containsExactly(entry("IsProd", false), entry("IsDev", true),
        entry("IsUsEast", false), entry("ProdInUs", false), entry("ProdOrUs", false), entry("LongForm", true));
    assertThat(probe("{ \"Fn::If\": [LongForm, long, short] }")).isEqualTo("long");
    assertThat(probe("!Equals [!Ref Env, dev]")).isEqualTo(true);
  }

  @Test
  void noValueRemovesMapKeysAndListElementsBeforeJoin() {
    assertThat(probe("{ keep: 1, drop: !If [IsProd, 2, !Ref \"AWS::NoValue\"], nested: { gone: !Ref AWS::NoValue } }"))
        .isEqualTo(Map.of("keep", 1, "nested", Map.of()));
    assertThat(probe("[a, !If [IsProd, b, !Ref AWS::NoValue], c]")).isEqualTo(List.of("a", "c"));
    assertThat(probe("!Join [\",\", [!If [IsProd, p, !Ref AWS::NoValue], !If [IsDev, d, !Ref AWS::NoValue], x]]"))
        .isEqualTo("d,x");
    assertThat(probe("!Join [\",\", [!If [IsProd, p, !Ref AWS::NoValue]]]")).isEqualTo("");
    assertThat(probe("!If [IsProd, x, !Ref AWS::NoValue]")).isNull();
  }

  @Test
  void untakenBranchesAreNeverEvaluated() {
    // ProdOnly does not exist in dev: a Ref to it is fine in the branch not taken...
    assertThat(probe("!If [IsProd, !GetAtt ProdOnly.Arn, none]")).isEqualTo("none");
    assertThat(probe("!If [IsProd, !GetAtt ProdOnly.Arn, none]", "us-east-1", Map.of("Env", "prod")))
        .asString().startsWith("arn:aws:sqs:us-east-1:123456789012:stk-ProdOnly-");
    // ...and an error naming the condition in the branch taken
    assertThatThrownBy(() -> probe("!GetAtt ProdOnly.Arn")).isInstanceOf(TemplateException.class)
        .hasMessageContaining("resource ProdOnly is not created in region us-east-1 (its Condition IsProd is false)")
        .hasMessageContaining("resource Probe (AWS::SNS::Topic) property Value");
  }

  @Test
  void joinSelectSplitFindInMapGetAzsBase64() {
    assertThat(probe("!Join [\"-\", [a, !Ref Name, 3]]")).isEqualTo("a-shop-3");
    assertThat(probe("!Join [\"\", !Ref Zones]")).isEqualTo("abc");
    assertThat(probe("!Select [1, !Ref Zones]")).isEqualTo("b");
    assertThat(probe("!Select [\"2\", [x, y, z]]")).isEqualTo("z");
    assertThat(probe("!Split [\"|\", \"a|b||c\"]")).isEqualTo(List.of("a", "b", "", "c"));
    assertThat(probe("!Select [0, !Split [\"/\", !Sub \"${AWS::Region}/x\"]]")).isEqualTo("us-east-1");
    assertThat(probe("!FindInMap [Sizes, !Ref Env, Memory]", "us-east-1", Map.of("Env", "prod"))).isEqualTo(2048);
    assertThat(probe("!FindInMap [Sizes, test, Memory, { DefaultValue: 128 }]")).isEqualTo(128);
    assertThat(probe("!GetAZs \"\"", "eu-west-1", Map.of())).isEqualTo(List.of("eu-west-1a", "eu-west-1b",
        "eu-west-1c"));
    assertThat(probe("!Select [0, !GetAZs ap-southeast-1]")).isEqualTo("ap-southeast-1a");
    assertThat(probe("!Base64 hi")).isEqualTo("aGk=");
    assertThat(probe("{ \"Fn::Join\": [\":\", [{ \"Fn::Select\": [0, [q]] }, { \"Fn::Base64\": \"x\" }]] }"))
        .isEqualTo("q:eA==");
    assertThatThrownBy(() -> probe("!Select [3, [a]]")).hasMessageContaining("index 3 is outside the list");
    assertThatThrownBy(() -> probe("!FindInMap [Sizes, test, Memory]")).hasMessageContaining("no value for");
  }

  @Test
  void importValueAndUnknownThingsFailClearly() {
    assertThatThrownBy(() -> probe("!ImportValue shared-vpc")).isInstanceOf(TemplateException.class)
        .hasMessageContaining("Fn::ImportValue (a cross-stack export) cannot be resolved by the local stack");
    assertThatThrownBy(() -> probe("!Ref AWS::Nope")).hasMessageContaining("unknown pseudo parameter AWS::Nope");
    assertThatThrownBy(() -> probe("!Cidr [10.0.0.0/16, 2, 8]")).hasMessageContaining("Fn::Cidr is not supported");
    assertThatThrownBy(() -> probe("!If [NoSuchCondition, a, b]")).hasMessageContaining("unknown condition NoSuchCondition");
    assertThatThrownBy(() -> probe("!GetAtt NamedQueue.Colour")).hasMessageContaining("attribute Colour");
    assertThatThrownBy(() -> probe("!Unknown x")).isInstanceOf(TemplateException.class)
        .hasMessageContaining("not valid CloudFormation YAML");
  }

  @Test
  void conditionedOutResourcesAreDroppedAndOutputsFollowConditions() {
    String yaml = HEADER + "      Value: x\n" + """
        Outputs:
          Always:
            Value: !Sub "${AWS::StackName}-${Env}"
          ProdQueue:
            Condition: IsProd
            Value: !GetAtt ProdOnly.QueueName
        """;
    TemplateResolver resolver = TemplateResolver.parse(yaml, Path.of("."));
    EvaluatedStack dev = resolver.evaluate(new StackParameters("us-east-1", "stk", Map.of()));
    EvaluatedStack prod = resolver.evaluate(new StackParameters("us-east-1", "stk", Map.of("Env", "prod")));

    assertThat(dev.resourceIds()).containsExactly("Queue", "NamedQueue", "Probe");
    assertThat(prod.resourceIds()).containsExactly("Queue", "NamedQueue", "ProdOnly", "Probe");
    assertThat(dev.outputs()).containsExactly(entry("Always", "stk-dev"));
    assertThat(prod.outputs()).containsOnlyKeys("Always", "ProdQueue");
    // forcing a condition recomputes the ones built on it
    EvaluatedStack forced = resolver.evaluate(new StackParameters("us-east-1", "stk", Map.of()),
        Map.of("IsProd", true));
    assertThat(forced.conditions()).contains(entry("IsProd", true), entry("IsDev", false), entry("ProdInUs", true));
    assertThat(forced.resourceIds()).contains("ProdOnly");
  }

  @Test
  void parameterConstraintsAreCheckedUnlessExempt() {
    String yaml = """
        Parameters:
          Url: { Type: String, AllowedPattern: "^https://.+", ConstraintDescription: must be https }
          Short: { Type: String, Default: abc, MinLength: 2, MaxLength: 3 }
          Size: { Type: Number, Default: 5, MinValue: 1, MaxValue: 10 }
          Days: { Type: Number, Default: 30, AllowedValues: [1, 30] }
        Resources:
          Q: { Type: AWS::SQS::Queue }
        """;
    TemplateResolver resolver = TemplateResolver.parse(yaml, Path.of("."));

    assertThat(resolver.evaluate(new StackParameters("us-east-1", "s", Map.of("Url", "https://x"))).parameters())
        .containsExactly(entry("Url", "https://x"), entry("Short", "abc"), entry("Size", "5"), entry("Days", "30"));
    assertThatThrownBy(() -> resolver.evaluate(new StackParameters("us-east-1", "s",
        Map.of("Url", "http://x", "Short", "abcd", "Size", "ten", "Days", "7"))))
        .isInstanceOfSatisfying(ParameterValidationException.class, e -> assertThat(e.violations()).containsExactly(
            "Url = 'http://x' does not match AllowedPattern ^https://.+ (must be https)",
            "Short = 'abcd' is longer than MaxLength 3",
            "Size = 'ten' is not a number",
            "Days = '7' is not one of the AllowedValues [1, 30]"));
    assertThatThrownBy(() -> resolver.evaluate(new StackParameters("us-east-1", "s", Map.of("Url", "https://x",
        "Size", "11")))).hasMessageContaining("Size = '11' is above MaxValue 10");
    assertThat(resolver.evaluate(new StackParameters("us-east-1", "s", Map.of("Url", "http://127.0.0.1:9"),
        java.util.Set.of("Url"))).parameters()).containsEntry("Url", "http://127.0.0.1:9");
  }

  @Test
  void yamlDatesStayStringsAndDuplicateKeysAreRejected() {
    String yaml = """
        AWSTemplateFormatVersion: 2010-09-09
        Resources:
          P:
            Type: AWS::IAM::Policy
            Properties:
              Version: 2012-10-17
        """;
    EvaluatedStack s = TemplateResolver.parse(yaml, Path.of(".")).evaluate(new StackParameters("us-east-1", "s",
        Map.of()));
    assertThat(s.property("P", "Version")).contains("2012-10-17");
    assertThatThrownBy(() -> TemplateResolver.parse("Resources:\n  A: {Type: X}\n  A: {Type: Y}\n", Path.of(".")))
        .isInstanceOf(TemplateException.class).hasMessageContaining("duplicate");
  }
}
