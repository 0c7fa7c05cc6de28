#!/usr/bin/env python3
"""Helper for deploy/*.sh: reads samconfig.toml (and template.yaml) offline.

Sub-commands (all read ../samconfig.toml unless --config is given):

  envs [--reverse]   Deployable environments, one per line as
                     "<env>\t<region>\t<stack_name>", the environment whose
                     region equals TableHomeRegion first (--reverse: home last).
  check              Consistency checks between samconfig.toml and
                     template.yaml (exit 1 on a problem); with --deployable
                     also refuses the shipped placeholders (REPLACE-ME, .invalid).
  overrides <env>    The complete --parameter-overrides string for `sam deploy`:
                     the environment's parameter_overrides plus the computed
                     parameters: DeployFingerprint (see template.yaml,
                     CatalogFunction) and, outside TableHomeRegion,
                     TableStreamArn (--table-stream-arn ARN: the replica's
                     stream, which deploy.sh reads with describe-table).
                     HealthCheckPath (the Route 53 health check's secret
                     stage name: $MERIDIAN_HEALTH_CHECK_PATH_<ENV>, else
                     .deploy-secrets/<env>.health-check-path, git-ignored,
                     generated on first use). Fails if a function zip is missing unless
                     --allow-missing-artifacts is given; --placeholder prints
                     placeholders instead of both (dry runs).
  health-concurrency  The health function's reserved concurrency for one
                     region, from `aws lambda get-account-settings` output
                     (--account-settings FILE, "-" = stdin) and the function's
                     current reservation (--current N): --wanted (default
                     HEALTH_RESERVATION) where Lambda's rule allows it (at least
                     100 executions stay unreserved), else 0 = none. Prints the
                     value; the reason goes to stderr. See docs/deploy.md.
  param <env> <name> One parameter's value from the environment's
                     parameter_overrides (e.g. TableName, for describe-table).
  artifacts          The zips the template's CodeUri values point at.
  lint-args <env>    "--regions <region> --parameters K=V ..." for cfn-lint.
  render <env> <out> Run the SAM transform (samtranslator, as bundled with
                     cfn-lint) for that environment's region and parameters and
                     write the resulting CloudFormation JSON to <out>.
                     (lint-args and render use a placeholder TableStreamArn:
                     no AWS access offline; see offline_overrides.)
  lint-template <out> template.yaml with TableStreamArn's Default replaced by
                     a placeholder stream ARN, line numbers unchanged (for
                     cfn-lint with default parameters; see validate.sh).
  plan <env>         Evaluate the template's conditions for that environment and
                     print what its stack creates (conditional resources,
                     PEER_REGIONS, forwarding targets, table replicas).

Only the Python standard library is needed for envs/check/lint-args/plan;
render and template parsing use cfn-lint's libraries (pip install cfn-lint).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import secrets
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Parameters that describe the whole multi-region deployment: they must be
# identical in every environment or the stacks disagree about who their peers
# are (CertificateArn is per region by nature and is deliberately absent).
GLOBAL_PARAMETERS = [
    "TableName", "TableHomeRegion", "PeerRegion1", "PeerRegion2", "PeerRegion3",
    "PeerRegion4", "DeploymentMode", "ActivePassivePrimaryRegion",
    "ActivePassiveStandbyRegion", "StandbyReservePercent", "DomainName",
    "HostedZoneId", "JwtIssuer",
    "JwtCustomerClientIds", "JwtAdminClientId", "JwtOperationsClientId",
    "JwtGroupsClaim", "AdminGroup", "EventBusName",
]
PEERS = ["PeerRegion1", "PeerRegion2", "PeerRegion3", "PeerRegion4"]
# The health function's reserved concurrency deploy.sh asks for when samconfig
# leaves HealthReservedConcurrency at 0 (docs/deploy.md, "Concurrency").
HEALTH_RESERVATION = 20
# Lambda keeps at least this many executions of the account unreserved.
LAMBDA_MIN_UNRESERVED = 100
# What samconfig.toml ships with where a deployment needs its own value (the JWT issuer and app
# client ids): fine for the offline checks, refused by `check --deployable`, which deploy.sh runs.
PLACEHOLDER_VALUE = re.compile(r"REPLACE-ME|\.invalid(/|$)")

# Parameters deploy.sh computes per deployment; samconfig.toml lists them as "".
COMPUTED_PARAMETERS = {"DeployFingerprint", "TableStreamArn", "HealthCheckPath"}
# The Route 53 health check's secret stage name (template.yaml, HealthCheckStage), one per
# environment, kept outside the repository: $MERIDIAN_HEALTH_CHECK_PATH_<ENV> (env name upper-cased,
# "-" as "_", for CI secret stores) or .deploy-secrets/<env>.health-check-path (git-ignored),
# generated on first use. A lost file only means a new path on the next deployment.
HEALTH_CHECK_PATH_DIR = ROOT / ".deploy-secrets"
HEALTH_CHECK_PATH_PATTERN = r"[a-z0-9]{32,64}"
# Offline checks (lint, render) need a value of the right shape, never a real one.
PLACEHOLDER_HEALTH_CHECK_PATH = "0" * 32
# A replica's stream ARN ends in its creation time, known only once the replica
# exists; offline checks use this label (the local stack's resolver uses the
# same one before it reads moto's real ARN).
PLACEHOLDER_STREAM_LABEL = "1970-01-01T00:00:00.000"


# --------------------------------------------------------------------------
# samconfig.toml
# --------------------------------------------------------------------------
def _unquote(value: str) -> str:
    if value and value[0] == value[-1] and value[0] in "\"'" and len(value) >= 2:
        value = value[1:-1]
    return value.replace("\\ ", " ").replace('\\"', '"').replace("\\'", "'")


# Same grammar as the SAM CLI's --parameter-overrides "Key=Value Key2=Value2":
# a value is "double quoted", 'single quoted' or a run of non-space characters.
_OVERRIDE = re.compile(
    r"""(?: )([A-Za-z0-9"']+)=("(?:\\.|[^"\\]+)*"|'(?:\\.|[^'\\]+)*'|(?:\\.|[^ "\\]+)+)"""
)


def parse_overrides(raw: Any) -> dict[str, str]:
    items = raw if isinstance(raw, list) else [raw or ""]
    result: dict[str, str] = {}
    for item in items:
        for key, value in _OVERRIDE.findall(" " + str(item).strip()):
            result[_unquote(key)] = _unquote(value)
    return result


def load_config(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def deploy_envs(config: dict[str, Any]) -> list[dict[str, Any]]:
    """Environments with a [<env>.deploy.parameters] table, in file order."""
    envs = []
    for name, section in config.items():
        if not isinstance(section, dict):
            continue
        deploy = section.get("deploy", {}).get("parameters")
        if deploy is None:
            continue
        merged = dict(section.get("global", {}).get("parameters", {}))
        merged.update(deploy)
        envs.append({
            "env": name,
            "region": merged.get("region", ""),
            "stack_name": merged.get("stack_name", ""),
            "params": parse_overrides(merged.get("parameter_overrides")),
            "raw": merged,
        })
    return envs


def ordered_envs(envs: list[dict[str, Any]], reverse: bool) -> list[dict[str, Any]]:
    homes = {e["params"].get("TableHomeRegion", "") for e in envs}
    if len(homes) != 1 or "" in homes:
        sys.exit(f"samconfig: TableHomeRegion must be set to one value in every environment, got {sorted(homes)}")
    home = homes.pop()
    first = [e for e in envs if e["region"] == home]
    if len(first) != 1:
        sys.exit(f"samconfig: exactly one environment must deploy to TableHomeRegion={home}, found {len(first)}")
    ordered = first + [e for e in envs if e["region"] != home]
    return list(reversed(ordered)) if reverse else ordered


def artifact_paths(template: dict[str, Any]) -> list[Path]:
    """The local zips the functions' CodeUri point at (relative to the repo root)."""
    paths = set()
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") == "AWS::Serverless::Function":
            code_uri = resource.get("Properties", {}).get("CodeUri")
            if isinstance(code_uri, str) and not code_uri.startswith("s3://"):
                paths.add(ROOT / code_uri)
    return sorted(paths)


def fingerprint(env: dict[str, Any], template_path: Path, allow_missing: bool) -> str:
    """Hash of everything a published Lambda version freezes: code (the zips),
    template (literal function properties) and this environment's parameter
    values (environment variables). See DeployFingerprint in template.yaml."""
    digest = hashlib.sha256()
    digest.update(json.dumps({"region": env["region"], "params": env["params"]}, sort_keys=True).encode())
    digest.update(template_path.read_bytes())
    for path in artifact_paths(load_template(template_path)):
        digest.update(str(path.relative_to(ROOT)).encode())
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        elif allow_missing:
            digest.update(b"<missing>")
        else:
            sys.exit(f"missing build artifact {path} (run ./mvnw package first)")
    return digest.hexdigest()[:32]


def is_home(env: dict[str, Any]) -> bool:
    return env["region"] == env["params"].get("TableHomeRegion")


def placeholder_stream_arn(env: dict[str, Any]) -> str:
    """The shape of the replica's stream ARN (what describe-table returns), with a fixed label."""
    partition = "aws-cn" if env["region"].startswith("cn-") else "aws"
    table = env["params"].get("TableName", "meridian")
    return f"arn:{partition}:dynamodb:{env['region']}:123456789012:table/{table}/stream/{PLACEHOLDER_STREAM_LABEL}"


def choose_health_reservation(settings: dict[str, Any], current: int, wanted: int) -> tuple[int, str]:
    """(value, reason): `wanted` if reserving it leaves Lambda's minimum unreserved, else 0 (none).
    The function's current reservation returns to the unreserved pool when it changes, so it
    counts as available."""
    limit = settings.get("AccountLimit", {})
    total = int(limit.get("ConcurrentExecutions", 0))
    unreserved = int(limit.get("UnreservedConcurrentExecutions", total))
    available = unreserved + current
    if available - wanted >= LAMBDA_MIN_UNRESERVED:
        return wanted, (f"reserving {wanted} of {total} (unreserved {unreserved}, {current} already the health "
                        f"function's; {available - wanted} stay unreserved >= {LAMBDA_MIN_UNRESERVED})")
    return 0, (f"not reserving: the account's concurrency quota is {total} with {unreserved} unreserved "
               f"({current} already the health function's), and Lambda keeps {LAMBDA_MIN_UNRESERVED} unreserved, "
               f"so {wanted} do not fit; ask for a quota increase (Service Quotas, Lambda 'Concurrent executions') "
               "and deploy again")


def health_check_path(env: dict[str, Any], create: bool = True) -> str:
    """The environment's secret health-check path: from the environment variable, else the
    git-ignored file, else a new random one written to that file (mode 0600)."""
    variable = "MERIDIAN_HEALTH_CHECK_PATH_" + re.sub(r"[^A-Z0-9]", "_", env["env"].upper())
    value = os.environ.get(variable, "").strip()
    source = variable
    path = HEALTH_CHECK_PATH_DIR / f"{env['env']}.health-check-path"
    if not value and path.is_file():
        value, source = path.read_text().strip(), str(path)
    if not value:
        if not create:
            sys.exit(f"{env['env']}: no health-check path ({variable} or {path})")
        value = secrets.token_hex(16)
        HEALTH_CHECK_PATH_DIR.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(value + "\n")
        print(f"{env['env']}: generated a new health-check path in {path} (keep it; never commit it)",
              file=sys.stderr)
        source = str(path)
    if not re.fullmatch(HEALTH_CHECK_PATH_PATTERN, value):
        sys.exit(f"{env['env']}: the health-check path from {source} must be 32-64 characters of a-z 0-9")
    return value


def full_overrides(env: dict[str, Any], template_path: Path, allow_missing: bool = True,
                   table_stream_arn: str | None = None, secret_path: str | None = None) -> dict[str, str]:
    """samconfig's values plus the computed parameters, as deploy.sh passes them. Outside the home
    region TableStreamArn is the replica's stream ARN (given); the home stack reads its stream from
    the table it owns and keeps ""."""
    params = dict(env["params"])
    params["DeployFingerprint"] = fingerprint(env, template_path, allow_missing)
    params["HealthCheckPath"] = secret_path if secret_path is not None else health_check_path(env)
    if not is_home(env):
        if not table_stream_arn:
            raise ValueError(f"{env['env']}: TableStreamArn is needed outside the home region")
        params["TableStreamArn"] = table_stream_arn
    return params


def offline_overrides(env: dict[str, Any], template_path: Path) -> dict[str, str]:
    """full_overrides for the offline checks (lint-args, render): TableStreamArn is a placeholder
    ARN of the environment's region - in the home region too, where the stack ignores it, because
    cfn-lint checks both branches of the publisher's !If [IsHomeRegion, ...]."""
    params = full_overrides(env, template_path, True, placeholder_stream_arn(env), PLACEHOLDER_HEALTH_CHECK_PATH)
    params["TableStreamArn"] = placeholder_stream_arn(env)
    return params


def format_overrides(params: dict[str, str]) -> str:
    """Render in the SAM CLI's "Key=Value Key2=\"\"" syntax."""
    out = []
    for key, value in params.items():
        if value == "" or re.search(r"[\s\"'\\]", value):
            value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        out.append(f"{key}={value}")
    return " ".join(out)


def find_env(envs: list[dict[str, Any]], name: str) -> dict[str, Any]:
    for env in envs:
        if env["env"] == name:
            return env
    sys.exit(f"samconfig: no [{name}.deploy.parameters] environment")


# --------------------------------------------------------------------------
# template.yaml
# --------------------------------------------------------------------------
def load_template(path: Path) -> dict[str, Any]:
    """template.yaml as plain data. Uses cfn-lint's decoder when installed,
    otherwise PyYAML (a dependency of the AWS CLI) with CloudFormation short
    tags (!Ref, !Sub, ...) mapped to their long form."""
    try:
        from cfnlint.decode import decode
    except ImportError:
        decode = None
    if decode is not None:
        template, matches = decode(str(path))
        if matches or template is None:
            sys.exit(f"cannot parse {path}: {[str(m) for m in matches]}")
        return json.loads(json.dumps(template))
    try:
        import yaml
    except ImportError:
        sys.exit("parsing template.yaml needs cfn-lint or PyYAML (pip install cfn-lint)")

    class Loader(yaml.SafeLoader):
        pass

    def construct(loader: Any, suffix: str, node: Any) -> Any:
        name = "Ref" if suffix == "Ref" else ("Condition" if suffix == "Condition" else f"Fn::{suffix}")
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if suffix == "GetAtt":
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {name: value}

    Loader.add_multi_constructor("!", construct)
    with path.open() as fh:
        return json.loads(json.dumps(yaml.load(fh, Loader=Loader), default=str))


def template_parameters(template: dict[str, Any]) -> dict[str, Any]:
    return template.get("Parameters", {})


# --------------------------------------------------------------------------
# Minimal CloudFormation evaluator (conditions + the intrinsics we use)
# --------------------------------------------------------------------------
NO_VALUE = object()


class Evaluator:
    def __init__(self, template: dict[str, Any], params: dict[str, str], region: str, stack: str):
        self.t = template
        self.values: dict[str, Any] = {}
        for name, spec in template_parameters(template).items():
            self.values[name] = params.get(name, spec.get("Default"))
        self.values.update({
            "AWS::Region": region,
            "AWS::AccountId": "123456789012",
            "AWS::Partition": "aws-cn" if region.startswith("cn-") else "aws",
            "AWS::URLSuffix": "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com",
            "AWS::StackName": stack,
        })
        self._cond_cache: dict[str, bool] = {}

    def condition(self, name: str) -> bool:
        if name not in self._cond_cache:
            self._cond_cache[name] = bool(self.cond_expr(self.t["Conditions"][name]))
        return self._cond_cache[name]

    def cond_expr(self, node: Any) -> Any:
        if isinstance(node, dict) and len(node) == 1:
            (fn, arg), = node.items()
            if fn == "Fn::Equals":
                return str(self.value(arg[0])) == str(self.value(arg[1]))
            if fn == "Fn::Not":
                return not self.cond_expr(arg[0])
            if fn == "Fn::And":
                return all(self.cond_expr(a) for a in arg)
            if fn == "Fn::Or":
                return any(self.cond_expr(a) for a in arg)
            if fn == "Condition":
                return self.condition(arg)
        return self.value(node)

    def value(self, node: Any) -> Any:
        if isinstance(node, list):
            out = [self.value(v) for v in node]
            return [v for v in out if v is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (fn, arg), = node.items()
            if fn == "Ref":
                if arg == "AWS::NoValue":
                    return NO_VALUE
                if arg in self.values:
                    return self.values[arg]
                return f"<{arg}>"
            if fn == "Fn::GetAtt":
                parts = arg if isinstance(arg, list) else arg.split(".", 1)
                return f"<{parts[0]}.{parts[1]}>"
            if fn == "Fn::If":
                return self.value(arg[1] if self.condition(arg[0]) else arg[2])
            if fn == "Fn::Join":
                return str(arg[0]).join(str(v) for v in self.value(arg[1]))
            if fn == "Fn::Sub":
                text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
                local = {k: self.value(v) for k, v in extra.items()}

                def repl(m: re.Match[str]) -> str:
                    key = m.group(1)
                    if key.startswith("!"):
                        return "${" + key[1:] + "}"
                    if key in local:
                        return str(local[key])
                    if key in self.values:
                        return str(self.values[key])
                    return f"<{key}>"

                return re.sub(r"\$\{([^}]+)\}", repl, text)
            if fn == "Condition":
                return self.condition(arg)
        out = {k: self.value(v) for k, v in node.items()}
        return {k: v for k, v in out.items() if v is not NO_VALUE}

    def resource_exists(self, resource: dict[str, Any]) -> bool:
        cond = resource.get("Condition")
        return cond is None or self.condition(cond)


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------
def cmd_envs(args: argparse.Namespace) -> int:
    for env in ordered_envs(deploy_envs(load_config(args.config)), args.reverse):
        print(f"{env['env']}\t{env['region']}\t{env['stack_name']}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    envs = deploy_envs(config)
    template = load_template(args.template)
    declared = template_parameters(template)
    problems: list[str] = []
    if config.get("version") != 0.1:
        problems.append("samconfig.toml must start with version = 0.1")
    if not envs:
        problems.append("no [<env>.deploy.parameters] environment")
    ordered_envs(envs, False)  # exits on a missing/ambiguous home region
    regions = [e["region"] for e in envs]
    if len(set(regions)) != len(regions):
        problems.append(f"two environments deploy to the same region: {regions}")
    for env in envs:
        name, p, raw = env["env"], env["params"], env["raw"]
        if env["region"] == "" or env["stack_name"] == "":
            problems.append(f"[{name}] needs region and stack_name")
        missing = sorted(set(declared) - set(p))
        if missing:
            problems.append(f"[{name}] parameter_overrides misses {missing} "
                            "(sam deploy would silently re-use the previous value)")
        unknown = sorted(set(p) - set(declared))
        if unknown:
            problems.append(f"[{name}] parameter_overrides has unknown parameters {unknown}")
        for key in sorted(set(p) & COMPUTED_PARAMETERS):
            if p[key] != "":
                problems.append(f'[{name}] {key} must be listed as {key}="" (deploy.sh computes it for each '
                                "deployment; a value here would be stale or overwritten)")
        if getattr(args, "deployable", False):
            for key, value in sorted(p.items()):
                if PLACEHOLDER_VALUE.search(value):
                    problems.append(f"[{name}] {key}={value!r} is a placeholder: set the real value before deploying "
                                    "(docs/deploy.md, 'Identity: the Cognito setup'); with it every route would "
                                    "answer 401")
        for key, value in p.items():
            if re.search(r"[\s\"'\\]", value):
                problems.append(f"[{name}] {key}={value!r}: whitespace, quotes and backslashes are not supported")
        for key, value in p.items():
            spec = declared.get(key, {})
            allowed = spec.get("AllowedValues")
            if allowed is not None and value not in [str(a) for a in allowed]:
                problems.append(f"[{name}] {key}={value!r} not in {allowed}")
            pattern = spec.get("AllowedPattern")
            if pattern and not re.fullmatch(pattern, value):
                problems.append(f"[{name}] {key}={value!r} does not match {pattern}")
        replicas = {p.get("TableHomeRegion", "")} | {p.get(k, "") for k in PEERS}
        replicas.discard("")
        if env["region"] not in replicas:
            problems.append(f"[{name}] region {env['region']} is not TableHomeRegion or a PeerRegionN: "
                            "it would have no table replica")
        peers = [p.get(k, "") for k in PEERS if p.get(k, "")]
        if len(peers) != len(set(peers)):
            problems.append(f"[{name}] PeerRegion1..4 repeat a region: {peers}")
        caps = str(raw.get("capabilities", "")).split()
        if "CAPABILITY_IAM" not in caps:
            problems.append(f"[{name}] capabilities must include CAPABILITY_IAM")
        if raw.get("resolve_s3") is not True and not raw.get("s3_bucket"):
            problems.append(f"[{name}] needs resolve_s3 = true (or an s3_bucket) to upload the zips")
    for key in GLOBAL_PARAMETERS:
        values = {e["params"].get(key) for e in envs}
        if len(values) > 1:
            problems.append(f"{key} differs between environments: {sorted(map(str, values))}")
    configured = set(regions)
    for env in envs[:1]:
        p = env["params"]
        replicas = {p.get("TableHomeRegion", "")} | {p.get(k, "") for k in PEERS}
        replicas.discard("")
        if replicas - configured:
            problems.append(f"replica regions {sorted(replicas - configured)} have no environment "
                            "(their replica would exist but no stack/API)")
    for problem in problems:
        print(f"samconfig check: {problem}", file=sys.stderr)
    if not problems:
        print(f"samconfig check: OK ({len(envs)} environments: {', '.join(regions)})")
    return 1 if problems else 0


def cmd_overrides(args: argparse.Namespace) -> int:
    env = find_env(deploy_envs(load_config(args.config)), args.env)
    if args.placeholder:
        params = dict(env["params"])
        params["DeployFingerprint"] = "<sha256-of-template+zips+parameters,computed-after-the-build>"
        params["HealthCheckPath"] = f"<secret,from-.deploy-secrets/{env['env']}.health-check-path>"
        if not is_home(env):
            params["TableStreamArn"] = "<LatestStreamArn-of-the-replica,read-after-the-home-region-deployed>"
        if params.get("HealthReservedConcurrency") == "0":
            params["HealthReservedConcurrency"] = f"<{HEALTH_RESERVATION}-or-0,chosen-from-the-account's-Lambda-quota>"
    else:
        if not is_home(env) and not args.table_stream_arn:
            sys.exit(f"overrides {env['env']}: {env['region']} is not TableHomeRegion; pass --table-stream-arn "
                     "(the replica's stream ARN: aws dynamodb describe-table ... --query Table.LatestStreamArn)")
        if not is_home(env) and not re.fullmatch(
                template_parameters(load_template(args.template))["TableStreamArn"]["AllowedPattern"],
                args.table_stream_arn):
            sys.exit(f"overrides {env['env']}: {args.table_stream_arn!r} is not a DynamoDB stream ARN")
        params = full_overrides(env, args.template, args.allow_missing_artifacts,
                                None if is_home(env) else args.table_stream_arn)
    if args.health_reserved_concurrency is not None:
        if str(params.get("HealthReservedConcurrency", "0")) not in ("", "0"):
            sys.exit(f"overrides {env['env']}: samconfig sets HealthReservedConcurrency="
                     f"{params['HealthReservedConcurrency']}; deploy.sh chooses a value only when it is 0")
        params["HealthReservedConcurrency"] = str(args.health_reserved_concurrency)
    print(format_overrides(params))
    return 0


def cmd_health_concurrency(args: argparse.Namespace) -> int:
    raw = sys.stdin.read() if args.account_settings == "-" else Path(args.account_settings).read_text()
    value, reason = choose_health_reservation(json.loads(raw), args.current, args.wanted)
    print(reason, file=sys.stderr)
    print(value)
    return 0


def cmd_param(args: argparse.Namespace) -> int:
    env = find_env(deploy_envs(load_config(args.config)), args.env)
    if args.name not in env["params"]:
        sys.exit(f"samconfig: [{args.env}] parameter_overrides has no {args.name}")
    print(env["params"][args.name])
    return 0


def cmd_lint_template(args: argparse.Namespace) -> int:
    """cfn-lint ignores --parameters for a template that still carries the SAM transform, so with
    default parameters TableStreamArn is "" and the publisher's stream would not be an ARN. Replace
    that one Default in place (same line), so findings still point at template.yaml's lines."""
    text = args.template.read_text()
    block = re.search(r"(?m)^  TableStreamArn:\n(?:    .*\n)*?    Default: \"\"$", text)
    if block is None:
        sys.exit(f"{args.template}: no TableStreamArn parameter with Default: \"\"")
    placeholder = f"arn:aws:dynamodb:us-east-1:123456789012:table/meridian/stream/{PLACEHOLDER_STREAM_LABEL}"
    start, end = block.span()
    patched = text[:start] + block.group(0)[:-len('""')] + f'"{placeholder}"' + text[end:]
    Path(args.out).write_text(patched)
    return 0


def cmd_artifacts(args: argparse.Namespace) -> int:
    for path in artifact_paths(load_template(args.template)):
        print(path.relative_to(ROOT))
    return 0


def cmd_lint_args(args: argparse.Namespace) -> int:
    env = find_env(deploy_envs(load_config(args.config)), args.env)
    out = ["--regions", env["region"], "--parameters"]
    out += [f"{k}={v}" for k, v in offline_overrides(env, args.template).items()]
    print("\n".join(out))
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from cfnlint.data import Serverless
    from cfnlint.helpers import load_resource
    from samtranslator.parser import parser
    from samtranslator.translator.translator import Translator

    env = find_env(deploy_envs(load_config(args.config)), args.env)
    template = load_template(args.template)
    # sam deploy uploads the local zips and rewrites CodeUri to s3://; do the same.
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://meridian-artifacts/" + str(resource["Properties"]["CodeUri"])
    os.environ["AWS_DEFAULT_REGION"] = env["region"]
    translator = Translator(managed_policy_map=load_resource(Serverless, "ManagedPolicies.json"),
                            sam_parser=parser.Parser())
    rendered = translator.translate(sam_template=template, parameter_values=offline_overrides(env, args.template),
                                    passthrough_metadata=True)
    Path(args.out).write_text(json.dumps(rendered, indent=2, default=str) + "\n")
    print(f"rendered {args.env} ({env['region']}) -> {args.out}")
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    env = find_env(deploy_envs(load_config(args.config)), args.env)
    template = load_template(args.template)
    ev = Evaluator(template, env["params"], env["region"], env["stack_name"])
    resources = template.get("Resources", {})
    created = [n for n, r in resources.items() if "Condition" in r and ev.resource_exists(r)]
    skipped = [n for n, r in resources.items() if "Condition" in r and not ev.resource_exists(r)]
    print(f"== {env['env']}: stack {env['stack_name']} in {env['region']}")
    print(f"   conditions true : {', '.join(c for c in template['Conditions'] if ev.condition(c))}")
    print(f"   conditional resources created: {', '.join(created) or '-'}")
    print(f"   conditional resources skipped: {', '.join(skipped) or '-'}")
    env_vars = ev.value(template["Globals"]["Function"]["Environment"]["Variables"])
    print(f"   PEER_REGIONS={env_vars['PEER_REGIONS']!r}")
    if "ForwardToPeersRule" in created:
        targets = ev.value(resources["ForwardToPeersRule"]["Properties"]["Targets"])
        print(f"   forward targets: {[t['Arn'] for t in targets]}")
    if "MeridianTable" in created:
        replicas = ev.value(resources["MeridianTable"]["Properties"]["Replicas"])
        print(f"   table replicas: {[r['Region'] for r in replicas]}")
    for name in created:
        if name.startswith("ReplicationLatencyAlarm"):
            dims = ev.value(resources[name]["Properties"]["Dimensions"])
            print(f"   {name}: ReceivingRegion={[d['Value'] for d in dims if d['Name'] == 'ReceivingRegion'][0]}")
    publisher = resources.get("PublisherFunction", {}).get("Properties", {}).get("Events", {}).get("TableChanges")
    if publisher is not None:
        params = dict(env["params"])
        if not is_home(env):
            params["TableStreamArn"] = f"<LatestStreamArn of the {env['region']} replica, read by deploy.sh>"
        stream = Evaluator(template, params, env["region"], env["stack_name"]).value(
            publisher["Properties"]["Stream"])
        print(f"   publisher reads stream: {stream}")
    for name in ("ApiLatencyRecord", "ApiFailoverRecord"):
        if name in created:
            props = ev.value(resources[name]["Properties"])
            print(f"   {name}: {props.get('Failover') or 'latency ' + str(props.get('Region'))}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", type=Path, default=ROOT / "samconfig.toml")
    ap.add_argument("--template", type=Path, default=ROOT / "template.yaml")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("envs")
    p.add_argument("--reverse", action="store_true")
    p.set_defaults(fn=cmd_envs)
    p = sub.add_parser("check")
    p.add_argument("--deployable", action="store_true",
                   help="also refuse the placeholders samconfig.toml ships with (deploy.sh passes it)")
    p.set_defaults(fn=cmd_check)
    sub.add_parser("artifacts").set_defaults(fn=cmd_artifacts)
    p = sub.add_parser("overrides")
    p.add_argument("env")
    p.add_argument("--allow-missing-artifacts", action="store_true")
    p.add_argument("--placeholder", action="store_true",
                   help="show placeholders instead of the fingerprint and the stream ARN")
    p.add_argument("--table-stream-arn", help="TableStreamArn for a region other than TableHomeRegion")
    p.add_argument("--health-reserved-concurrency", type=int,
                   help="HealthReservedConcurrency chosen by deploy.sh (health-concurrency) when samconfig has 0")
    p.set_defaults(fn=cmd_overrides)
    p = sub.add_parser("health-concurrency")
    p.add_argument("--account-settings", required=True, help="aws lambda get-account-settings output (file, - = stdin)")
    p.add_argument("--current", type=int, default=0, help="the health function's current reserved concurrency")
    p.add_argument("--wanted", type=int, default=HEALTH_RESERVATION)
    p.set_defaults(fn=cmd_health_concurrency)
    p = sub.add_parser("param")
    p.add_argument("env")
    p.add_argument("name")
    p.set_defaults(fn=cmd_param)
    p = sub.add_parser("lint-template")
    p.add_argument("out")
    p.set_defaults(fn=cmd_lint_template)
    p = sub.add_parser("lint-args")
    p.add_argument("env")
    p.set_defaults(fn=cmd_lint_args)
    p = sub.add_parser("render")
    p.add_argument("env")
    p.add_argument("out")
    p.set_defaults(fn=cmd_render)
    p = sub.add_parser("plan")
    p.add_argument("env")
    p.set_defaults(fn=cmd_plan)
    args = ap.parse_args()
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
