#!/usr/bin/env bash
# Sets up a fresh machine for agent-tracker development: pnpm, the workspace's dependencies,
# Chromium for the HTML report's browser test, ripgrep (OpenCode's grep tool runs it, and a test
# checks the guard's glob reading against it) and PostgreSQL for the team-database tests — on
# Debian/Ubuntu, when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION="$(node -p "require('./package.json').packageManager.split('@')[1]")"

node -e 'const [major, minor] = process.versions.node.split(".").map(Number); if (major < 20 || (major === 20 && minor < 19)) { console.error(`agent-tracker needs Node.js 20.19 or newer (found ${process.versions.node}).`); process.exit(1) }'

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "Installing pnpm $PNPM_VERSION"
  npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION"
fi

if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "Installing Chromium (for the HTML report's browser test)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Note: the HTML report's browser test needs Chromium: install it (e.g. sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
  fi
fi

if ! command -v rg >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "Installing ripgrep (OpenCode's grep tool and the guard's glob test use it)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ripgrep >/dev/null
  else
    echo "Note: OpenCode's grep tool and the guard's glob test need ripgrep: install it (e.g. sudo apt-get install ripgrep)." >&2
  fi
fi

# The team-database tests start their own throwaway PostgreSQL cluster (initdb and pg_ctl, as the
# non-root account the package creates); only the programs are needed, not a running service.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1 && [ -z "${AGENT_TRACKER_PG_BIN:-}" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "Installing PostgreSQL (for the team-database tests)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "Note: the team-database tests need PostgreSQL's programs: install them (e.g. sudo apt-get install postgresql) or set AGENT_TRACKER_PG_BIN to their folder." >&2
  fi
fi

pnpm install --frozen-lockfile
