#!/usr/bin/env bash
# Deploy Meridian to every region configured in samconfig.toml.
#
#   deploy/deploy.sh [--dry-run] [--skip-build]
#
# 1. Builds the function zips once: ./mvnw -q package -DskipTests
#    (CodeUri in template.yaml points at functions/*/target/*-lambda.zip;
#    `sam build` is not used - see docs/deploy.md).
# 2. Runs `sam deploy --config-env <env>` for every [<env>.deploy.parameters]
#    environment in samconfig.toml: the one whose region equals TableHomeRegion
#    first (its stack creates the DynamoDB global table and the replicas the
#    other stacks use), then the others in file order. Stops at the first
#    failure; stacks already deployed in this run are left as they are.
#
# Each `sam deploy` also gets --parameter-overrides: the environment's own
# parameter_overrides from samconfig.toml, unchanged, plus the computed
# parameters:
#   DeployFingerprint  hash of template + zips + parameters, so that the
#                      SnapStart functions publish a new version whenever
#                      their code OR configuration changes;
#   TableStreamArn     (every region but TableHomeRegion) the stream ARN of
#                      that region's table replica, for the publisher's event
#                      source: read with `aws dynamodb describe-table` right
#                      before that region is deployed, i.e. after the home
#                      stack created (or updated) the replica.
#   HealthReservedConcurrency  (when samconfig.toml leaves it at 0) the health
#                      function's reserved concurrency where the region's
#                      Lambda quota allows it: `aws lambda get-account-settings`
#                      plus the function's current reservation, then
#                      samconfig_tool.py health-concurrency (20, or 0 = none on
#                      an account whose quota is too small; it says which).
#   HealthCheckPath    the secret stage name the Route 53 health check calls
#                      (template.yaml, HealthCheckStage), one per environment:
#                      $MERIDIAN_HEALTH_CHECK_PATH_<ENV> if set, else
#                      .deploy-secrets/<env>.health-check-path (git-ignored),
#                      generated on the first deployment. Never in samconfig.toml.
#
# --dry-run     print the exact commands, run nothing (no build, no AWS calls;
#               placeholders for the computed values)
# --skip-build  reuse the zips already in functions/*/target/
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
parse_flags --dry-run=DRY_RUN --skip-build=SKIP_BUILD -- "$@"

# Offline consistency checks (every parameter present in every environment,
# deployment-wide parameters identical, exactly one home environment, ...). A real
# deployment also refuses the shipped placeholders (JwtIssuer=https://REPLACE-ME.invalid/...
# deploys, and every route then answers 401); a dry run shows the commands with them.
if [[ "$DRY_RUN" == true ]]; then
  "${TOOL[@]}" check
else
  "${TOOL[@]}" check --deployable
fi

ENVS=()
while IFS=$'\t' read -r env region stack; do
  ENVS+=("$env|$region|$stack")
done < <("${TOOL[@]}" envs)
HOME_REGION="$(IFS='|' read -r _ region _ <<<"${ENVS[0]}"; echo "$region")"
echo "Deployment order (home region first): $(printf '%s ' "${ENVS[@]%%|*}")"

if [[ "$DRY_RUN" == false ]] && ! command -v sam >/dev/null 2>&1; then
  echo "deploy.sh: the AWS SAM CLI (sam) is not installed" >&2
  exit 1
fi
if [[ "$DRY_RUN" == false ]] && ! command -v aws >/dev/null 2>&1; then
  echo "deploy.sh: the AWS CLI (aws) is needed to read the replicas' stream ARNs and the Lambda quotas" >&2
  exit 1
fi

if [[ "$SKIP_BUILD" == false ]]; then
  run ./mvnw -q package -DskipTests
fi
if [[ "$DRY_RUN" == false ]]; then
  while read -r zip; do
    [[ -f "$zip" ]] || { echo "deploy.sh: missing build output $zip (./mvnw package must produce it)" >&2; exit 1; }
  done < <("${TOOL[@]}" artifacts)
fi

for entry in "${ENVS[@]}"; do
  IFS='|' read -r env region stack <<<"$entry"
  echo
  echo "=== $env: stack $stack in $region"
  stream_args=()
  if [[ "$region" != "$HOME_REGION" ]]; then
    # The replica exists once the home stack is deployed (first in this run).
    describe=(aws dynamodb describe-table --region "$region" --table-name "$("${TOOL[@]}" param "$env" TableName)"
      --query Table.LatestStreamArn --output text)
    show "${describe[@]}"
    if [[ "$DRY_RUN" == false ]]; then
      if ! stream_arn="$("${describe[@]}")" || [[ -z "$stream_arn" || "$stream_arn" == "None" ]]; then
        echo "deploy.sh: no stream ARN for the table replica in $region (is $region in the home stack's" \
          "PeerRegion list, and did the home stack deploy?); later regions were not deployed." >&2
        exit 1
      fi
      echo "  TableStreamArn=$stream_arn"
      stream_args=(--table-stream-arn "$stream_arn")
    fi
  fi
  health_args=()
  if [[ "$("${TOOL[@]}" param "$env" HealthReservedConcurrency)" == "0" ]]; then
    # A reservation that leaves the account fewer than 100 unreserved executions
    # fails the deployment, so ask for one only where the quota allows it.
    settings=(aws lambda get-account-settings --region "$region" --output json)
    show "${settings[@]}"
    if [[ "$DRY_RUN" == false ]]; then
      if ! account_settings="$("${settings[@]}")"; then
        echo "deploy.sh: cannot read the Lambda account settings of $region; later regions were not deployed." >&2
        exit 1
      fi
      # The health function's own reservation (a redeploy) returns to the pool when it changes.
      current=0
      if health_function="$(aws cloudformation describe-stack-resource --region "$region" --stack-name "$stack" \
          --logical-resource-id HealthFunction --query StackResourceDetail.PhysicalResourceId --output text 2>/dev/null)"; then
        current="$(aws lambda get-function-concurrency --region "$region" --function-name "$health_function" \
          --query ReservedConcurrentExecutions --output text 2>/dev/null || true)"
      fi
      [[ "$current" =~ ^[0-9]+$ ]] || current=0 # "None" when nothing is reserved
      chosen="$(printf '%s' "$account_settings" | "${TOOL[@]}" health-concurrency --account-settings - --current "$current")"
      echo "  HealthReservedConcurrency=$chosen"
      health_args=(--health-reserved-concurrency "$chosen")
    fi
  fi
  if [[ "$DRY_RUN" == true ]]; then
    # The fingerprint hashes the zips, which a dry run does not build; the
    # replica's stream may not exist yet.
    overrides="$("${TOOL[@]}" overrides "$env" --placeholder)"
  else
    overrides="$("${TOOL[@]}" overrides "$env" "${stream_args[@]}" "${health_args[@]}")"
  fi
  if ! run sam deploy \
      --config-file samconfig.toml \
      --config-env "$env" \
      --template-file template.yaml \
      --parameter-overrides "$overrides"; then
    echo "deploy.sh: deployment of $env ($region) FAILED; later regions were not deployed." >&2
    exit 1
  fi
done

echo
if [[ "$DRY_RUN" == true ]]; then
  echo "Dry run: nothing was built or deployed."
else
  echo "Deployed ${#ENVS[@]} region(s). Regional URLs: ApiUrl / HealthUrl outputs of each stack."
fi
