#!/usr/bin/env bash
# CI for the StoffelLang VS Code extension. Needs only Node >= 20 and npm.
# Steps: npm ci, typecheck (tsc --noEmit), grammar tests, unit tests of the server lookup
# (node --test), esbuild bundle, vsce package, then an activation smoke test of the
# packaged bundle against a fake `vscode` module and a fake LSP server.
# Output: dist/stoffel-lang.vsix. Exits non-zero on the first failing step.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

export CI=1
export npm_config_fund=false
export npm_config_audit=false
export npm_config_update_notifier=false
export npm_config_yes=true

VSIX="dist/stoffel-lang.vsix"
START=$SECONDS
SUMMARY=()
CURRENT=""

on_exit() {
  local rc=$?
  echo
  echo "== editors/vscode CI summary =="
  local line
  for line in "${SUMMARY[@]+"${SUMMARY[@]}"}"; do
    echo "  $line"
  done
  if [[ $rc -ne 0 ]]; then
    echo "  FAIL  ${CURRENT:-setup} (exit $rc)"
    echo "RESULT: FAILED after $((SECONDS - START))s"
  else
    echo "RESULT: OK in $((SECONDS - START))s -> $VSIX"
  fi
}
trap on_exit EXIT

step() {
  local name="$1"
  shift
  CURRENT="$name"
  echo
  echo "== $name: $*"
  local t0=$SECONDS
  "$@"
  SUMMARY+=("ok    $name ($((SECONDS - t0))s)")
  CURRENT=""
}

command -v node >/dev/null || { echo "node not found on PATH" >&2; exit 127; }
command -v npm >/dev/null || { echo "npm not found on PATH" >&2; exit 127; }
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$NODE_MAJOR" -lt 20 ]]; then
  echo "Node >= 20 is required (found $(node -v))" >&2
  exit 1
fi
echo "node $(node -v), npm $(npm -v)"

# Several people (and pytest) may run this in one working tree: serialise the runs,
# since `npm ci` replaces node_modules/.
mkdir -p dist
if command -v flock >/dev/null; then
  exec 9>dist/.ci.lock
  flock 9
fi

rm -f "$VSIX"
step "install"     npm ci --no-audit --no-fund --loglevel=error
step "typecheck"   npm run --silent typecheck
step "grammar"     npm run --silent test:grammar
step "unit"        npm run --silent test:unit
step "compile"     npm run --silent compile
step "package"     npm run --silent package
step "smoke"       npm run --silent test:smoke

CURRENT="verify"
[[ -s "$VSIX" ]] || { echo "$VSIX was not produced" >&2; exit 1; }
SIZE="$(node -p "require('fs').statSync('$VSIX').size")"
SUMMARY+=("ok    vsix $VSIX ($SIZE bytes)")
CURRENT=""
