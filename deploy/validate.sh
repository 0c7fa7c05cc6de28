#!/usr/bin/env bash
# Offline checks of template.yaml + samconfig.toml (no AWS account needed).
#
#   deploy/validate.sh [--plan]
#
# Needs python3 >= 3.11 and cfn-lint (pip install cfn-lint; it bundles the SAM
# translator). Exits non-zero on any error OR warning.
#
# 1. samconfig.toml consistency (deploy/samconfig_tool.py check).
# 2. cfn-lint on the SAM template for every region in samconfig.toml, with the
#    template's default parameter values - except TableStreamArn, whose
#    default "" is no stream ARN: deploy.sh always passes the replica's real
#    one outside the home region, so the lint uses a placeholder ARN there
#    (samconfig_tool.py lint-template: the same file with that one Default
#    replaced on its own line, so findings keep template.yaml's line numbers).
# 3. For every environment: run the SAM transform with that environment's
#    region and parameter values and cfn-lint the resulting CloudFormation with
#    --parameters. (cfn-lint 1.x silently drops --parameters for templates that
#    still carry the SAM transform, hence the explicit render step.) Computed
#    parameters as deploy.sh passes them, TableStreamArn as a placeholder ARN
#    of the environment's region (no AWS access here).
# 4. cfn-lint on the optional drill stacks, deploy/faults.yaml and
#    deploy/region-switch.yaml, for every region in samconfig.toml, with their
#    default parameters (docs/drills-on-aws.md).
# 5. The first environment again with FaultInjection=enabled (what faults.yaml
#    needs): SAM transform + cfn-lint, so the extension's wiring is linted too.
# --plan also prints, per environment, which conditional resources its stack
#    creates, PEER_REGIONS, the forwarding targets and the table replicas.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
parse_flags --plan=PLAN -- "$@"

# Informational findings too: the template is expected to be clean at every level.
LINT=(cfn-lint --non-zero-exit-code informational --format parseable)

echo "== 1. samconfig.toml"
"${TOOL[@]}" check

REGIONS=()
ENV_NAMES=()
while IFS=$'\t' read -r env region _stack; do
  ENV_NAMES+=("$env")
  REGIONS+=("$region")
done < <("${TOOL[@]}" envs)

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Steps 2 and 3 are independent processes, each mostly cfn-lint loading its schemas: they run side
# by side, and their output is printed in step order once each is done.
lint_template() {
  echo "== 2. cfn-lint template.yaml (default parameters, placeholder TableStreamArn) for: ${REGIONS[*]}"
  "${TOOL[@]}" lint-template "$WORK/template.yaml"
  show "${LINT[@]}" --regions "${REGIONS[@]}" -- "$WORK/template.yaml"
  # Findings name the copy; its lines are template.yaml's.
  "${LINT[@]}" --regions "${REGIONS[@]}" -- "$WORK/template.yaml" | sed "s|$WORK/template.yaml|template.yaml|g"
  echo "clean"
}

lint_environment() {
  local env="$1" args
  echo "== 3. $env: SAM transform + cfn-lint with the environment's parameters"
  "${TOOL[@]}" render "$env" "$WORK/$env.json"
  mapfile -t args < <("${TOOL[@]}" lint-args "$env")
  show "${LINT[@]}" "${args[@]}" -- "$WORK/$env.json"
  "${LINT[@]}" "${args[@]}" -- "$WORK/$env.json"
  echo "clean"
  if [[ "$PLAN" == true ]]; then
    "${TOOL[@]}" plan "$env"
  fi
}

lint_drill_stacks() {
  local file
  for file in deploy/faults.yaml deploy/region-switch.yaml; do
    echo "== 4. cfn-lint $file (default parameters) for: ${REGIONS[*]}"
    show "${LINT[@]}" --regions "${REGIONS[@]}" -- "$ROOT/$file"
    "${LINT[@]}" --regions "${REGIONS[@]}" -- "$ROOT/$file" | sed "s|$ROOT/||g"
  done
  echo "clean"
}

lint_fault_injection_enabled() {
  local env="${ENV_NAMES[0]}" args
  echo "== 5. $env with FaultInjection=enabled: SAM transform + cfn-lint"
  sed 's/FaultInjection=disabled/FaultInjection=enabled/' "$ROOT/samconfig.toml" > "$WORK/samconfig-faults.toml"
  local -a tool_faults=("${TOOL[@]}" --config "$WORK/samconfig-faults.toml")
  "${tool_faults[@]}" render "$env" "$WORK/$env-faults.json"
  mapfile -t args < <("${tool_faults[@]}" lint-args "$env")
  show "${LINT[@]}" "${args[@]}" -- "$WORK/$env-faults.json"
  "${LINT[@]}" "${args[@]}" -- "$WORK/$env-faults.json"
  echo "clean"
}

PIDS=()
lint_template > "$WORK/step-2.log" 2>&1 &
PIDS+=($!)
for env in "${ENV_NAMES[@]}"; do
  lint_environment "$env" > "$WORK/step-3-$env.log" 2>&1 &
  PIDS+=($!)
done
lint_drill_stacks > "$WORK/step-4.log" 2>&1 &
PIDS+=($!)
lint_fault_injection_enabled > "$WORK/step-5.log" 2>&1 &
PIDS+=($!)
FAILED=0
LOGS=("$WORK/step-2.log")
for env in "${ENV_NAMES[@]}"; do
  LOGS+=("$WORK/step-3-$env.log")
done
LOGS+=("$WORK/step-4.log" "$WORK/step-5.log")
for i in "${!PIDS[@]}"; do
  status=0
  wait "${PIDS[$i]}" || status=$?
  cat "${LOGS[$i]}"
  if (( status != 0 )); then
    echo "(exit status $status)"
    FAILED=1
  fi
done
if (( FAILED )); then
  echo "validate.sh: findings above" >&2
  exit 1
fi
echo "validate.sh: all checks passed"
