# Source me. start_test_postgres: a throwaway PostgreSQL server for the tests, on a Unix socket
# in a new directory (no TCP port, so nothing to collide with), stopped and removed on exit.
# Exports MZ_TEST_POSTGRES, the URL the hub's tests create their databases on.

start_test_postgres() {
  local bin dir as=()
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$bin/initdb" ] || { echo "postgres: no PostgreSQL server installed (scripts/setup.sh installs it)" >&2; return 1; }
  dir=$(mktemp -d /tmp/mz-pg.XXXXXX)
  # PostgreSQL will not run as root: run it as the postgres user the package created.
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U mz -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  # -w: pg_ctl returns once the server accepts connections. fsync off: a test server's data
  # is thrown away anyway.
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
    -o "-k $dir -c listen_addresses= -c fsync=off -c max_connections=200" start \
    || { cat "$dir/server.log" >&2; return 1; }
  MZ_PG_DIR="$dir" MZ_PG_BIN="$bin"
  trap stop_test_postgres EXIT
  export MZ_TEST_POSTGRES="postgres://mz@localhost/postgres?host=$dir"
}

stop_test_postgres() {
  [ -n "${MZ_PG_DIR:-}" ] || return 0
  local as=()
  [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$MZ_PG_BIN/pg_ctl" -D "$MZ_PG_DIR/data" -m immediate -s stop || true
  rm -rf "$MZ_PG_DIR"
  MZ_PG_DIR=""
}
