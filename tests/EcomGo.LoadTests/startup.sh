#!/usr/bin/env bash
# Start-up time of the shop: `dotnet run --project AppHost` (local mode, no Ollama, already built and seeded) until the
# Storefront's /health answers 200, and until every service's /health answers 200 (each polled at the service's own port:
# the launch profile's fixed ports are replaced by dynamic ones, so other AppHosts on the machine do not collide). Runs builds in
# turn (A/B/A/B...) so a machine shared with other work loads each alike; prints each run and the medians.
#
# Usage: tests/EcomGo.LoadTests/startup.sh [-r ROUNDS] [-d DATA_DIR] LABEL=REPO_DIR [LABEL=REPO_DIR ...]
#   -r ROUNDS    measured runs per build (default 3); each build first runs once unmeasured (build, seed, first index)
#   -d DATA_DIR  data directory the builds share (default /tmp/ecomgo-startup-data); give builds with different
#                schemas their own with LABEL=REPO_DIR@DATA_DIR
# Example: git worktree add /tmp/shop-main main && tests/EcomGo.LoadTests/startup.sh before=/tmp/shop-main after=.
set -euo pipefail

rounds=3 data=/tmp/ecomgo-startup-data
while getopts "r:d:" opt; do
    case $opt in r) rounds=$OPTARG ;; d) data=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
[[ $# -gt 0 ]] || { sed -n '2,11p' "$0"; exit 2; }
variants=("$@")
services=(Storefront ReviewAnalyzer Recommender ChatAgent)
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
results=$(mktemp)

repo_of() { local spec=${1#*=}; spec=${spec%@*}; (cd "$spec" && pwd); }
data_of() { local spec=${1#*=}; [[ $spec == *@* ]] && echo "${spec#*@}" || echo "$data"; }

run_pid=""
stop() {
    [[ -n $run_pid ]] || return 0
    # SIGTERM the AppHost itself ('dotnet run' starts it as a child); it stops DCP and the services.
    local apphost
    apphost=$(pgrep -P "$run_pid" -f AppHost || true)
    [[ -n $apphost ]] && kill -TERM $apphost 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$run_pid" 2>/dev/null || break; sleep 1; done
    kill -TERM "$run_pid" 2>/dev/null || true
    run_pid=""
    sleep 3 # DCP stops the services
}
trap stop EXIT

# /health of one service process started from REPO (found by executable path; its port from the listening sockets).
service_healthy() { # repo name
    local pid port
    for pid in $(pgrep -x "$2" || true); do
        [[ $(readlink -f "/proc/$pid/exe" 2>/dev/null) == "$1"/* ]] || continue
        for port in $(ss -ltnpH 2>/dev/null | grep "pid=$pid," | awk '{print $4}' | sed 's/.*://' | sort -u); do
            [[ $(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port/health") == 200 ]] && return 0
        done
    done
    return 1
}

run_once() { # label repo data measured
    if ss -ltnH | grep -q ':17080 '; then echo "port 17080 (this script's dashboard) is taken: stop the other run first" >&2; exit 1; fi
    local start shop_ready="" all_ready="" now
    declare -A ready=()
    start=$(date +%s.%N)
    # The launch profile's settings on other ports; an unknown DOTNET_LAUNCH_PROFILE gives the services dynamic ports.
    ( cd "$2" && ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development ASPNETCORE_URLS=http://localhost:17080 \
        ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:19082 ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:20082 \
        ASPIRE_ALLOW_UNSECURED_TRANSPORT=true DOTNET_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true DOTNET_LAUNCH_PROFILE=ecomgo-startup \
        exec dotnet run --project AppHost --no-launch-profile -- --Infrastructure:Mode=local "--Infrastructure:DataDirectory=$3" ) \
        >"/tmp/ecomgo-startup-$1.log" 2>&1 &
    run_pid=$!
    while [[ -z $all_ready ]]; do
        now=$(date +%s.%N)
        if (( $(echo "$now - $start > 300" | bc) )); then echo "$1: not every service healthy within 300 s" >&2; break; fi
        kill -0 "$run_pid" 2>/dev/null || { echo "$1: dotnet run exited; see /tmp/ecomgo-startup-$1.log" >&2; exit 1; }
        for name in "${services[@]}"; do
            [[ -n ${ready[$name]:-} ]] && continue
            service_healthy "$2" "$name" && ready[$name]=$(echo "$(date +%s.%N) - $start" | bc)
        done
        shop_ready=${ready[Storefront]:-}
        [[ -n $shop_ready && ${#ready[@]} -eq ${#services[@]} ]] && all_ready=$(echo "$(date +%s.%N) - $start" | bc)
        sleep 0.25
    done
    local detail=""
    for name in "${services[@]}"; do detail+=" $name=$(printf '%.1f' "${ready[$name]:-0}")"; done
    local line
    line=$(printf '%-10s shop %5.1f s  all %5.1f s  (%s)' "$1" "${shop_ready:-0}" "${all_ready:-0}" "${detail# }")
    echo "$line"
    [[ $4 == yes ]] && echo "$line" >>"$results"
    stop
}

for variant in "${variants[@]}"; do
    echo "== ${variant%%=*}: first run (build, seed, first indexing), not measured" >&2
    run_once "${variant%%=*}" "$(repo_of "$variant")" "$(data_of "$variant")" no
    sleep 20 # let the first run's background work end before the next build starts
done
for round in $(seq "$rounds"); do
    for variant in "${variants[@]}"; do
        run_once "${variant%%=*}" "$(repo_of "$variant")" "$(data_of "$variant")" yes
    done
done

echo "== medians over $rounds run(s)"
python3 - "$results" <<'EOF'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    m = re.match(r"(\S+)\s+shop\s+([\d.]+) s\s+all\s+([\d.]+) s", line)
    if m:
        runs.setdefault(m[1], []).append((float(m[2]), float(m[3])))
for label, values in runs.items():
    print(f"{label:<10} shop answers {statistics.median(v[0] for v in values):5.1f} s, every service healthy "
          f"{statistics.median(v[1] for v in values):5.1f} s  (runs: {', '.join(f'{a:.1f}/{b:.1f}' for a, b in values)})")
EOF
