# Shared by scripts/run and scripts/test: idempotent set-up steps. Each checks
# first and installs only what is missing, so a second run is fast.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CARGO_LEPTOS_VERSION=0.3.10

step() { printf '\n==> %s\n' "$*" >&2; }

# Root, or sudo for what needs root (a fresh machine may be either).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages, installed only when one is missing.
ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# What building needs on a bare Debian 12 with Rust and Node: a C toolchain
# and perl for the bundled SQLite and libpq (and cargo-leptos's vendored
# OpenSSL), and Node 20 or newer for the npm tools.
ensure_build_tools() {
  ensure_apt build-essential pkg-config perl
  local node_major
  node_major=$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/')
  if [ -z "$node_major" ] || [ "$node_major" -lt 20 ]; then
    echo "Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none)); install it, e.g. from nodejs.org, and run again." >&2
    return 1
  fi
}

# rustfmt and clippy (a minimal rustup profile has neither).
ensure_rust_components() {
  export PATH="$HOME/.cargo/bin:$PATH"
  local component
  for component in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$component"; then
      step "adding the $component component"
      rustup component add "$component"
    fi
  done
}

# The wasm target, cargo-leptos, the wasm-bindgen CLI matching Cargo.lock and
# a native wasm-opt. cargo-leptos downloads any tool it cannot find on PATH,
# which fails offline, so every tool it uses must be there first.
WASM_OPT_VERSION=0.116.1
ensure_rust_tools() {
  ensure_rust_components
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    step "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes on 2 cores)"
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
  fi
  local wb
  wb=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb\$"; then
    step "installing wasm-bindgen-cli $wb"
    # Not --locked: its lockfile pins a yanked crate.
    cargo install wasm-bindgen-cli --version "$wb"
  fi
  # binaryen's wasm-opt built natively (binaryen 116): it optimizes the
  # release bundle in about a minute where the JavaScript build of npm's
  # binaryen takes four. Debian's binaryen 108 breaks the bundle: never that.
  if ! "$HOME/.cargo/bin/wasm-opt" --version 2>/dev/null | grep -q "version 116"; then
    step "installing wasm-opt $WASM_OPT_VERSION (binaryen 116, about 9 minutes on 2 cores)"
    cargo install wasm-opt --locked --version "$WASM_OPT_VERSION"
  fi
}

# npm packages of end2end (Playwright, axe-core), and their bin directory on
# PATH after cargo's, so that the native wasm-opt is the one found.
ensure_npm() {
  local stamp="$ROOT/end2end/node_modules/.hongye-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$stamp" "$ROOT/end2end/package-lock.json"; then
    step "installing end2end npm packages"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund)
    cp "$ROOT/end2end/package-lock.json" "$stamp"
  fi
  export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"
}

# Python with aiosmtpd (from PyPI) for the real SMTP server the mail tests send
# to (scripts/smtp-sink.py). A virtual environment under target/, pinned.
SMTP_SINK_REQUIREMENT="aiosmtpd==1.4.6"
ensure_smtp_sink() {
  local venv="$ROOT/target/smtp-venv" stamp="$ROOT/target/smtp-venv/.hongye-requirement"
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$SMTP_SINK_REQUIREMENT" ]; then
    ensure_apt python3-venv
    rm -rf "$venv"
    step "installing $SMTP_SINK_REQUIREMENT for the mail tests"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$SMTP_SINK_REQUIREMENT"
    echo "$SMTP_SINK_REQUIREMENT" > "$stamp"
  fi
  export HONGYE_TEST_SMTP_PYTHON="$venv/bin/python"
}

# A throwaway PostgreSQL cluster for the tests, separate from any cluster the
# machine runs for real: its own name and port, local TCP trusted, and no
# durability (fsync, synchronous commit and full-page writes off: every test
# creates and drops a database, and nothing here must survive a crash).
TEST_PG_CLUSTER=hongye_test
TEST_PG_PORT=${HONGYE_TEST_PG_PORT:-5433}
ensure_postgres() {
  ensure_apt postgresql
  local version
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  if [ ! -d "/etc/postgresql/$version/$TEST_PG_CLUSTER" ]; then
    step "creating the test PostgreSQL cluster $version/$TEST_PG_CLUSTER on port $TEST_PG_PORT"
    as_root pg_createcluster "$version" "$TEST_PG_CLUSTER" --port "$TEST_PG_PORT" \
      -- --auth-host=trust --auth-local=trust >/dev/null
    local setting
    for setting in "listen_addresses localhost" "fsync off" "synchronous_commit off" \
      "full_page_writes off" "max_connections 200"; do
      # shellcheck disable=SC2086 # name and value
      as_root pg_conftool "$version" "$TEST_PG_CLUSTER" set $setting
    done
  fi
  if ! as_root pg_ctlcluster "$version" "$TEST_PG_CLUSTER" status >/dev/null 2>&1; then
    step "starting the test PostgreSQL cluster"
    as_root pg_ctlcluster "$version" "$TEST_PG_CLUSTER" start
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$TEST_PG_PORT" && {
      export HONGYE_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$TEST_PG_PORT"
      return 0
    }
    sleep 1
  done
  echo "PostgreSQL did not become ready on 127.0.0.1:$TEST_PG_PORT" >&2
  return 1
}

# Environment for running a built server outside cargo-leptos.
site_env() {
  export LEPTOS_OUTPUT_NAME=hongye
  export LEPTOS_SITE_ROOT="$ROOT/target/site"
  export LEPTOS_SITE_PKG_DIR=pkg
  export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
  export LEPTOS_RELOAD_PORT="${LEPTOS_RELOAD_PORT:-3001}"
}
