#!/usr/bin/env bash
# Start a local PostgreSQL server for loopready's test-suite and print its URL.
#
# For CI on Debian bookworm, run as root after `apt-get update`:
#
#     export LOOPREADY_TEST_POSTGRES_URL=$(bash .ci/postgres.sh | tail -1)
#
# Idempotent: installs Debian's `postgresql` package only if it is missing, starts the
# cluster only if it is down, and (re)sets the test role's password every time. Progress
# goes to stderr; the last line on stdout is the server-level URL (database "postgres"),
# from which the tests create and drop their own databases.
#
# Settings (environment): LOOPREADY_PG_USER (default loopready), LOOPREADY_PG_PASSWORD
# (default loopready).
set -euo pipefail

role=${LOOPREADY_PG_USER:-loopready}
password=${LOOPREADY_PG_PASSWORD:-loopready}

say() { echo "postgres.sh: $*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
    say "run me as root (I install packages and start the server as the postgres user)"
    exit 1
fi
if [[ ! $role =~ ^[a-z_][a-z0-9_]*$ ]]; then
    say "LOOPREADY_PG_USER must be a plain lower-case identifier, got '$role'"
    exit 1
fi

if ! command -v pg_lsclusters >/dev/null 2>&1 || ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
    say "installing Debian's postgresql package"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
fi

# The package's post-install step normally creates a cluster; make one if it did not.
if [[ -z $(pg_lsclusters --no-header 2>/dev/null) ]]; then
    version=$(basename "$(compgen -G "/usr/lib/postgresql/*" | sort -V | tail -1)")
    say "creating cluster $version/main"
    pg_createcluster "$version" main >&2
fi
read -r version cluster port status _ < <(pg_lsclusters --no-header | head -1)

# Containers often lack the socket folder that systemd's tmpfiles would create at boot.
install -d -o postgres -g postgres -m 2775 /var/run/postgresql

if [[ $status != online* ]]; then
    say "starting cluster $version/$cluster on port $port"
    pg_ctlcluster "$version" "$cluster" start >&2
fi

for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$port"; then
        break
    fi
    sleep 0.5
done
if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
    say "the server on 127.0.0.1:$port did not become ready in 30 s; see /var/log/postgresql/"
    exit 1
fi

# The role may create databases (each test module makes its own and drops it afterwards)
# and end other sessions on them (so DROP DATABASE ... WITH (FORCE) can clean up after a
# failed test).
runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -p "$port" -d postgres \
    -v role="$role" -v password="$password" >&2 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN CREATEDB PASSWORD %L', :'role', :'password') \gexec
SELECT format('GRANT pg_signal_backend TO %I', :'role') \gexec
SQL

say "ready"
echo "postgresql://$role:$password@127.0.0.1:$port/postgres"
