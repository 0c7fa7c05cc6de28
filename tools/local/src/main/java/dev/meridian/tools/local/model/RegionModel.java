package dev.meridian.tools.local.model;

import java.util.List;
import java.util.Map;

/**
 * One region's resolved stack.
 *
 * @param region     the AWS region this model was resolved for (pseudo parameter {@code AWS::Region})
 * @param parameters the effective template parameters (defaults overridden by samconfig)
 * @param tables     DynamoDB tables this region holds a replica of
 * @param buses      EventBridge buses
 * @param queues     SQS queues (dead-letter queues included), in dependency order (DLQs first)
 * @param rules      EventBridge rules with their targets
 * @param functions  Lambda functions with their event sources
 * @param api        the HTTP API's routes and authorizer
 * @param stackName  the CloudFormation stack name (pseudo parameter {@code AWS::StackName}), or
 *                   null when the model was built by hand with the short constructor
 * @param dns        the Route 53 health check and record this region's stack creates, or null when
 *                   the template's conditions leave them out (no custom domain)
 */
public record RegionModel(
    String region,
    Map<String, String> parameters,
    List<TableSpec> tables,
    List<BusSpec> buses,
    List<QueueSpec> queues,
    List<RuleSpec> rules,
    List<FunctionSpec> functions,
    HttpApiSpec api,
    String stackName,
    DnsSpec dns) {

  public RegionModel {
    parameters = Map.copyOf(parameters);
    tables = List.copyOf(tables);
    buses = List.copyOf(buses);
    queues = List.copyOf(queues);
    rules = List.copyOf(rules);
    functions = List.copyOf(functions);
  }

  /** The original shape (no stack name, no DNS). */
  public RegionModel(String region, Map<String, String> parameters, List<TableSpec> tables,
      List<BusSpec> buses, List<QueueSpec> queues, List<RuleSpec> rules, List<FunctionSpec> functions,
      HttpApiSpec api) {
    this(region, parameters, tables, buses, queues, rules, functions, api, null, null);
  }
}
