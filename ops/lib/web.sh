# Sourced by ops/run.sh (the caller sets ROOT and say()): builds the web app in web/ into web/dist, which the
# platform serves at / (Hosting/WebApp finds it there; FEEDBACK_WEB_ROOT points elsewhere). Node.js comes from
# Debian's packages when it is missing, as ops/test.sh does. Versions come from package-lock.json only (`npm ci`),
# and `npm ci` runs again only when package-lock.json changed since the last one (its hash in .local/).
build_web() {
  local web="$ROOT/web"
  if [[ ! -f "$web/package.json" ]]; then
    say "no web/ in this checkout: the platform serves the API only"
    return 0
  fi
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    say "Node.js is not installed: installing Debian's nodejs and npm"
    local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >&2
  fi
  # Vite needs Node.js 20.19 or later (web/package.json, "engines").
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
    say "Node.js $(node --version) is too old for the web app (20.19 or later): install a newer nodejs, or set FEEDBACK_WEB_ROOT to a built web app"
    return 1
  fi
  mkdir -p "$ROOT/.local"
  local stamp="$ROOT/.local/web-npm-ci.sha256" lock
  lock=$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)
  if [[ ! -d "$web/node_modules" || "$(cat "$stamp" 2>/dev/null)" != "$lock" ]]; then
    say "installing the web app's packages (npm ci)"
    (cd "$web" && npm ci --no-audit --no-fund --silent >&2)
    echo "$lock" > "$stamp"
  fi
  say "building the web app (web/dist)"
  # `--logLevel warn` reaches vite build, the last command of the build script: only problems are printed.
  (cd "$web" && npm run build --silent -- --logLevel warn >&2)
}
