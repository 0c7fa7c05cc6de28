/**
 * Reads {@code samconfig.toml} and {@code template.yaml} and resolves them into one {@link
 * dev.meridian.tools.local.model.RegionModel} per region of the local deployment.
 *
 * <ul>
 *   <li>{@link dev.meridian.tools.local.template.Samconfig}: the deployable environments in file order,
 *       {@code parameter_overrides} parsed with the SAM CLI's grammar.
 *   <li>{@link dev.meridian.tools.local.template.LocalDeployment}: which N regions run locally (home
 *       region first), with PeerRegion1..4 rewritten to exactly those regions, and local overrides
 *       (DeploymentMode, the local dev JWT issuer/audience, which skip the template's constraints).
 *   <li>{@link dev.meridian.tools.local.template.TemplateResolver}: SnakeYAML with CloudFormation's
 *       short-form tags, then {@link dev.meridian.tools.local.template.EvaluatedStack} (parameters
 *       validated, Rules asserted, Conditions, SAM Globals, lazily resolved intrinsics).
 * </ul>
 *
 * <p><b>References to resources.</b> {@code Ref} and {@code Fn::GetAtt} resolve to the values
 * CloudFormation would produce, with the names the resolver gives resources ({@link
 * dev.meridian.tools.local.template.LocalNames}: the explicit name property, else
 * {@code <stack>-<LogicalId>-<SUFFIX>} with a deterministic suffix). Names and ARNs are final
 * because moto uses the same account (123456789012) and ARN formats. Two kinds of values are only
 * known once moto has created the resource: queue URLs (moto's are
 * {@code http://127.0.0.1:<port>/123456789012/<name>}) and stream ARNs (their label is a creation
 * timestamp). The model carries the AWS form ({@code https://sqs.<region>.amazonaws.com/...}, a
 * placeholder stream label); {@code dev.meridian.tools.local.provision.Provisioner} returns the function
 * environments with those replaced by the real values. Run functions with
 * {@code ProvisionedRegion.functionEnvironments()}, not {@code FunctionSpec.environment()}.
 *
 * <p><b>The global table.</b> Only the home-region stack declares {@code
 * AWS::DynamoDB::GlobalTable}. A region's model includes a TableSpec for every global table that any
 * stack of the deployment declares with a replica in that region; the replica list, keys, indexes,
 * TTL and stream come from the declaring (home) stack evaluated with its own parameters.
 */
package dev.meridian.tools.local.template;
