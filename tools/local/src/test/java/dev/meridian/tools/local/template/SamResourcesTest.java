package dev.meridian.tools.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.meridian.tools.local.model.EventSourceSpec;
import dev.meridian.tools.local.model.FunctionSpec;
import dev.meridian.tools.local.model.RegionModel;
import dev.meridian.tools.local.model.RuleSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SAM functions, Globals, HTTP API, events, queues and rules on small inline templates. */
class SamResourcesTest {

  private static final String TEMPLATE = """
      Transform: AWS::Serverless-2016-10-31
      Parameters:
        Stage: { Type: String, Default: test }
      Globals:
        Function:
          Runtime: java17
          MemorySize: 512
          Timeout: 15
          Layers: [global-layer]
          Environment:
            Variables:
              SHARED: !Sub "${AWS::Region}-shared"
              OVERRIDDEN: global
        HttpApi:
          DefaultRouteSettings:
            ThrottlingRateLimit: 7.5
      Resources:
        Api:
          Type: AWS::Serverless::HttpApi
          Properties:
            Auth:
              DefaultAuthorizer: Jwt
              Authorizers:
                Jwt:
                  IdentitySource: $request.header.X-Token
                  AuthorizationScopes: [read]
                  JwtConfiguration:
                    issuer: https://issuer.example
                    audience: [a1, a2]
        Table:
          Type: AWS::DynamoDB::Table
          Properties:
            TableName: !Sub "orders-${Stage}"
            AttributeDefinitions:
              - { AttributeName: id, AttributeType: N }
            KeySchema:
              - { AttributeName: id, KeyType: HASH }
            StreamSpecification: { StreamViewType: NEW_IMAGE }
        Work:
          Type: AWS::SQS::Queue
          Properties:
            RedrivePolicy: !Sub '{"deadLetterTargetArn":"${Dead.Arn}","maxReceiveCount":"3"}'
        Dead:
          Type: AWS::SQS::Queue
          Properties:
            QueueName: dead-letters
        Failures:
          Type: AWS::SQS::Queue
        Bus:
          Type: AWS::Events::EventBus
          Properties:
            Name: !Sub "bus-${Stage}"
        Fanout:
          Type: AWS::Events::Rule
          Properties:
            Name: fanout
            EventBusName: !GetAtt Bus.Arn
            State: DISABLED
            EventPattern: !Sub '{"source":["app"],"region":["${AWS::Region}"]}'
            Targets:
              - { Id: remote, Arn: "arn:aws:events:eu-west-1:123456789012:event-bus/bus-test" }
              - { Id: local-bus, Arn: !GetAtt Bus.Arn }
              - { Id: work, Arn: !GetAtt Work.Arn }
              - { Id: topic, Arn: "arn:aws:sns:us-east-1:123456789012:topic" }
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Handler: app.Handler::handle
            CodeUri: build/fn.zip
            MemorySize: 2048
            Layers: [own-layer]
            Environment:
              Variables:
                OVERRIDDEN: own
                QUEUE: !Ref Work
                STREAM: !GetAtt Table.StreamArn
                NUMBER: 42
            Events:
              Default:
                Type: HttpApi
                Properties: { ApiId: !Ref Api, Method: get, Path: /items }
              Scoped:
                Type: HttpApi
                Properties:
                  ApiId: !Ref Api
                  Method: POST
                  Path: /items
                  Auth: { Authorizer: Jwt, AuthorizationScopes: [write, admin] }
              Open:
                Type: HttpApi
                Properties: { ApiId: !Ref Api, Method: GET, Path: /open, Auth: { Authorizer: NONE } }
              Tick:
                Type: Schedule
                Properties: { Schedule: rate(5 minutes), Input: '{"k":1}', Enabled: false }
              Fast:
                Type: Schedule
                Properties: { Schedule: "rate(30 seconds)", Input: { k: 2 } }
              Slow:
                Type: ScheduleV2
                Properties: { ScheduleExpression: rate(2 hours), State: DISABLED }
              Jobs:
                Type: SQS
                Properties:
                  Queue: !GetAtt Work.Arn
                  BatchSize: 5
                  FunctionResponseTypes: [ReportBatchItemFailures]
              Plain:
                Type: SQS
                Properties: { Queue: !GetAtt Dead.Arn }
              Changes:
                Type: DynamoDB
                Properties:
                  Stream: !GetAtt Table.StreamArn
                  StartingPosition: TRIM_HORIZON
                  BatchSize: 25
                  MaximumRetryAttempts: 4
                  BisectBatchOnFunctionError: true
                  FunctionResponseTypes: [ReportBatchItemFailures]
                  DestinationConfig: { OnFailure: { Type: SQS, Destination: !GetAtt Failures.Arn } }
      """;

  private static RegionModel model(String template) {
    return TemplateResolver.parse(template, Path.of("/repo")).resolve(new StackParameters("us-east-1", "app", Map.of()));
  }

  private static FunctionSpec fn(RegionModel model) {
    return model.functions().get(0);
  }

  @Test
  void globalsMergeIntoFunctionsAndApis() {
    RegionModel m = model(TEMPLATE);
    FunctionSpec f = fn(m);

    assertThat(f.runtime()).isEqualTo("java17");
    assertThat(f.memoryMb()).isEqualTo(2048);
    assertThat(f.timeoutSeconds()).isEqualTo(15);
    assertThat(f.codeUri()).isEqualTo(Path.of("build/fn.zip"));
    assertThat(f.environment()).containsOnly(entry("SHARED", "us-east-1-shared"), entry("OVERRIDDEN", "own"),
        entry("QUEUE", LocalNames.queueUrl("us-east-1", m.queues().stream()
            .filter(q -> q.logicalId().equals("Work")).findFirst().orElseThrow().name())),
        entry("STREAM", "arn:aws:dynamodb:us-east-1:123456789012:table/orders-test/stream/"
            + LocalNames.PLACEHOLDER_STREAM_LABEL),
        entry("NUMBER", "42"));
    EvaluatedStack s = TemplateResolver.parse(TEMPLATE, Path.of("/repo"))
        .evaluate(new StackParameters("us-east-1", "app", Map.of()));
    assertThat(s.property("Fn", "Layers")).contains(List.of("global-layer", "own-layer"));
    assertThat(m.api().throttlingRateLimit()).isEqualTo(7.5);
    assertThat(m.api().throttlingBurstLimit()).isEqualTo(TemplateResolver.DEFAULT_BURST_LIMIT);
  }

  @Test
  void httpApiAuthorizerAndRouteAuthorization() {
    RegionModel m = model(TEMPLATE);

    assertThat(m.api().jwtAuthorizerName()).isEqualTo("Jwt");
    assertThat(m.api().issuer()).isEqualTo("https://issuer.example");
    assertThat(m.api().audience()).containsExactly("a1", "a2");
    assertThat(m.api().identitySource()).isEqualTo("$request.header.X-Token");
    assertThat(fn(m).events()).filteredOn(EventSourceSpec.HttpRoute.class::isInstance).containsExactly(
        new EventSourceSpec.HttpRoute("Default", "GET", "/items", "Jwt", List.of("read")),
        new EventSourceSpec.HttpRoute("Scoped", "POST", "/items", "Jwt", List.of("write", "admin")),
        new EventSourceSpec.HttpRoute("Open", "GET", "/open", null, List.of()));
  }

  @Test
  void schedulesQueuesAndStreams() {
    RegionModel m = model(TEMPLATE);

    assertThat(fn(m).events()).filteredOn(e -> !(e instanceof EventSourceSpec.HttpRoute)).containsExactly(
        new EventSourceSpec.Schedule("Tick", 300, "{\"k\":1}", false),
        new EventSourceSpec.Schedule("Fast", 30, "{\"k\":2}", true),
        new EventSourceSpec.Schedule("Slow", 7200, null, false),
        new EventSourceSpec.Sqs("Jobs", "Work", 5, true),
        new EventSourceSpec.Sqs("Plain", "Dead", 10, false),
        new EventSourceSpec.DynamoDbStream("Changes", "orders-test", 25, "TRIM_HORIZON", 4, true, true, "Failures"));
    assertThat(m.tables()).singleElement().satisfies(t -> {
      assertThat(t.tableName()).isEqualTo("orders-test");
      assertThat(t.rangeKey()).isNull();
      assertThat(t.attributeType("id")).isEqualTo("N");
      assertThat(t.streamViewType()).isEqualTo("NEW_IMAGE");
      assertThat(t.ttlAttribute()).isNull();
      assertThat(t.replicaRegions()).containsExactly("us-east-1");
    });
  }

  @Test
  void queuesWithJsonRedrivePolicyAndRulesWithAllTargetKinds() {
    RegionModel m = model(TEMPLATE);

    assertThat(m.queues()).extracting(q -> q.logicalId() + ":" + q.deadLetterQueueLogicalId() + ":" + q.maxReceiveCount())
        .containsExactly("Dead:null:0", "Work:Dead:3", "Failures:null:0");
    assertThat(m.queues().get(0).name()).isEqualTo("dead-letters");
    assertThat(m.queues().get(0).visibilityTimeoutSeconds()).isEqualTo(30);
    assertThat(m.buses()).extracting(b -> b.logicalId() + "=" + b.name()).containsExactly("Bus=bus-test");
    RuleSpec rule = m.rules().get(0);
    assertThat(rule.name()).isEqualTo("fanout");
    assertThat(rule.busName()).isEqualTo("bus-test");
    assertThat(rule.enabled()).isFalse();
    assertThat(rule.eventPatternJson()).isEqualTo("{\"source\":[\"app\"],\"region\":[\"us-east-1\"]}");
    assertThat(rule.targets()).containsExactly(
        new RuleSpec.Target("remote", "arn:aws:events:eu-west-1:123456789012:event-bus/bus-test", null, "eu-west-1",
            "bus-test"),
        new RuleSpec.Target("local-bus", "arn:aws:events:us-east-1:123456789012:event-bus/bus-test", null, null,
            "bus-test"),
        new RuleSpec.Target("work", LocalNames.queueArn("us-east-1", m.queues().get(1).name()), "Work", null, null),
        new RuleSpec.Target("topic", "arn:aws:sns:us-east-1:123456789012:topic", null, null, null));
    assertThat(rule.targets().get(0).isCrossRegionBus()).isTrue();
    assertThat(rule.targets().get(1).isCrossRegionBus()).isFalse();
  }

  @Test
  void unsupportedConstructsFailWithTheResourceNamed() {
    assertThatThrownBy(() -> model(TEMPLATE.replace("rate(5 minutes)", "\"cron(0 12 * * ? *)\"")))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("function Fn event Tick (Schedule) in region us-east-1")
        .hasMessageContaining("only rate(N unit) schedules are supported locally");
    assertThatThrownBy(() -> model(TEMPLATE.replace("Type: SQS\n          Properties: { Queue: !GetAtt Dead.Arn }",
        "Type: S3\n          Properties: { Bucket: b }")))
        .hasMessageContaining("event Plain (S3)").hasMessageContaining("event type S3 is not supported");
    assertThatThrownBy(() -> model(TEMPLATE.replace("topic\" }", "topic\", Input: x }")))
        .hasMessageContaining("rule Fanout: target Input").hasMessageContaining("not supported");
    assertThatThrownBy(() -> model(TEMPLATE.replace("QueueName: dead-letters", "FifoQueue: true")))
        .hasMessageContaining("queue Dead: FIFO queues are not supported");
    assertThatThrownBy(() -> model(TEMPLATE.replace("Auth: { Authorizer: NONE }", "Auth: { Authorizer: Other }")))
        .hasMessageContaining("authorizer Other is not declared by Api");
  }
}
