#!/usr/bin/env bash
# Delete the Meridian stacks from every region configured in samconfig.toml.
#
#   deploy/teardown.sh [--dry-run] [--delete-table]
#
# Deletes the stacks in the reverse of the deployment order: every peer region
# first (reverse file order), the TableHomeRegion stack last. Stops at the
# first failure.
#
# The DynamoDB global table has DeletionPolicy Retain, so deleting the stacks
# keeps the table and all its replicas (and a later deploy.sh would fail with
# "table already exists" until it is removed or imported). --delete-table
# additionally removes every replica and then the table itself, with the AWS
# CLI, in TableHomeRegion. THIS DELETES ALL DATA (PITR backups go with it).
#
# --dry-run       print the exact commands, run nothing
# --delete-table  also delete the global table (all replicas) afterwards
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
parse_flags --dry-run=DRY_RUN --delete-table=DELETE_TABLE -- "$@"

ENVS=()
while IFS=$'\t' read -r env region stack; do
  ENVS+=("$env|$region|$stack")
done < <("${TOOL[@]}" envs --reverse)
echo "Deletion order (home region last): $(printf '%s ' "${ENVS[@]%%|*}")"

if [[ "$DRY_RUN" == false ]] && ! command -v sam >/dev/null 2>&1; then
  echo "teardown.sh: the AWS SAM CLI (sam) is not installed" >&2
  exit 1
fi

HOME_REGION=""
for entry in "${ENVS[@]}"; do
  IFS='|' read -r env region stack <<<"$entry"
  HOME_REGION="$region" # the last one is the home region
  echo
  echo "=== $env: stack $stack in $region"
  if ! run sam delete --stack-name "$stack" --region "$region" --no-prompts; then
    echo "teardown.sh: deleting $env ($region) FAILED; remaining stacks were left in place." >&2
    exit 1
  fi
done

# Table name and replica list, from the (identical) home environment parameters.
read -r TABLE REPLICAS < <(python3 - <<'PY'
import sys
sys.path.insert(0, "deploy")
import samconfig_tool as st
envs = st.ordered_envs(st.deploy_envs(st.load_config(st.ROOT / "samconfig.toml")), False)
p = envs[0]["params"]
home = p["TableHomeRegion"]
peers = [p.get(k, "") for k in st.PEERS]
replicas = [r for r in dict.fromkeys(peers) if r and r != home]
print(p.get("TableName") or "meridian", ",".join(replicas))
PY
)

echo
if [[ "$DELETE_TABLE" == false ]]; then
  echo "Stacks deleted. The global table '$TABLE' (home $HOME_REGION, replicas: ${REPLICAS:-none}) was RETAINED."
  echo "To delete it and all data: deploy/teardown.sh --delete-table (after the stacks are gone)."
  exit 0
fi

echo "=== deleting global table $TABLE: replicas first, then the home table in $HOME_REGION"
replica_count() {
  aws dynamodb describe-table --region "$HOME_REGION" --table-name "$TABLE" \
    --query "length(Table.Replicas[?RegionName=='$1'] || \`[]\`)" --output text
}
IFS=',' read -r -a REPLICA_LIST <<<"$REPLICAS"
for replica in "${REPLICA_LIST[@]}"; do
  [[ -n "$replica" ]] || continue
  if [[ "$DRY_RUN" == false && "$(replica_count "$replica")" == "0" ]]; then
    echo "replica $replica: already gone"
    continue
  fi
  run aws dynamodb update-table --region "$HOME_REGION" --table-name "$TABLE" \
    --replica-updates "[{\"Delete\":{\"RegionName\":\"$replica\"}}]"
  # One replica change at a time: wait until this one has disappeared.
  if [[ "$DRY_RUN" == false ]]; then
    for _ in $(seq 1 120); do
      [[ "$(replica_count "$replica")" == "0" ]] && break
      sleep 15
    done
    [[ "$(replica_count "$replica")" == "0" ]] || { echo "teardown.sh: replica $replica still present after 30 min" >&2; exit 1; }
  else
    echo "  (then poll describe-table until replica $replica is gone)"
  fi
done
run aws dynamodb wait table-exists --region "$HOME_REGION" --table-name "$TABLE"
run aws dynamodb delete-table --region "$HOME_REGION" --table-name "$TABLE"
run aws dynamodb wait table-not-exists --region "$HOME_REGION" --table-name "$TABLE"
if [[ "$DRY_RUN" == true ]]; then echo "Dry run: nothing was deleted."; else echo "Global table $TABLE deleted."; fi
