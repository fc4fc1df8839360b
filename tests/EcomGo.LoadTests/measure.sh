#!/usr/bin/env bash
# A/B load measurement of builds of the shop: starts each build's AppHost in turn (local mode, no Ollama, one shared data
# directory), runs the load harness against the shop, stops it, and repeats (A/B/A/B...), so a machine shared with other
# work loads every build alike. Results are appended to a CSV (label,path,ok,errors,p50_ms,p90_ms,p99_ms,req_per_s).
#
# Usage: tests/EcomGo.LoadTests/measure.sh [options] LABEL=REPO_DIR[@DATA_DIR] [LABEL=REPO_DIR ...] -- PATH [PATH ...]
#   -r ROUNDS       rounds (default 2)         -n REQUESTS   requests per path (default 400)
#   -c CONCURRENCY  (default 16)               -o CSV        output file (default /tmp/ecomgo-measure.csv)
#   -s SECONDS      settle time after the shop answers, before measuring (default 40)
#   -l EMAIL:PASS   also measure the paths signed in (labels get "+signed-in")
#   -d DIR          parent of the builds' data directories (default /tmp/ecomgo-measure-data/LABEL; a first start seeds)
#   -w SECONDS      warm-up: start each build once and let it work this long before the measured rounds (default 0)
# A REPO_DIR is a checkout (e.g. a git worktree of another commit); it is built in Release once. Builds with the same
# schema can share a database: give them the same @DATA_DIR.
# Example (this branch against main, 2 rounds):
#   git worktree add /tmp/shop-main main
#   tests/EcomGo.LoadTests/measure.sh before=/tmp/shop-main after=. -- / "/catalog?category=1" /products/14
set -euo pipefail

rounds=2 requests=400 concurrency=16 csv=/tmp/ecomgo-measure.csv settle=40 login="" data=/tmp/ecomgo-measure-data warmup=0
while getopts "r:n:c:o:s:l:d:w:" opt; do
    case $opt in
        r) rounds=$OPTARG ;; n) requests=$OPTARG ;; c) concurrency=$OPTARG ;; o) csv=$OPTARG ;;
        s) settle=$OPTARG ;; l) login=$OPTARG ;; d) data=$OPTARG ;; w) warmup=$OPTARG ;; *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
variants=()
while [[ $# -gt 0 && $1 != "--" ]]; do variants+=("$1"); shift; done
[[ $# -gt 0 ]] && shift
paths=("$@")
[[ ${#variants[@]} -gt 0 && ${#paths[@]} -gt 0 ]] || { sed -n '2,16p' "$0"; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
shop=""
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

repo_of() { local spec=${1#*=}; echo "${spec%@*}"; }
data_of() { local spec=${1#*=}; [[ $spec == *@* ]] && echo "${spec#*@}" || echo "$data/${1%%=*}"; }

for variant in "${variants[@]}"; do
    repo=$(repo_of "$variant")
    echo "== building ${variant%%=*} ($repo) in Release"
    dotnet build "$repo/AppHost/AppHost.csproj" -c Release -nodeReuse:false -v q -nologo >/dev/null
done
dotnet build "$here/EcomGo.LoadTests.csproj" -c Release -nodeReuse:false -v q -nologo >/dev/null
harness="$here/bin/Release/net10.0/EcomGo.LoadTests.dll"
: >"$csv" # this run only

apphost_pid=""
stop_apphost() {
    [[ -n $apphost_pid ]] || return 0
    kill -TERM "$apphost_pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$apphost_pid" 2>/dev/null || break; sleep 1; done
    apphost_pid=""
    sleep 3 # DCP stops the services
}
trap stop_apphost EXIT

# The Storefront started from REPO, at its own (dynamic) port: other AppHosts on this machine may hold 5080.
storefront_url() { # repo
    local pid port
    for pid in $(pgrep -x Storefront || true); do
        [[ $(readlink -f "/proc/$pid/exe" 2>/dev/null) == "$1"/* ]] || continue
        port=$(ss -ltnpH 2>/dev/null | grep "pid=$pid," | awk '{print $4}' | grep '^127.0.0.1:' | sed 's/.*://' | head -1)
        [[ -n $port ]] && echo "http://127.0.0.1:$port" && return 0
    done
    return 1
}

start_apphost() { # repo label data-directory
    if ss -ltnH | grep -q ':16080 '; then echo "port 16080 (this script's dashboard) is taken: stop the other run first" >&2; exit 1; fi
    # The AppHost's launch profile on other ports, without 'dotnet run' in between (so SIGTERM reaches the AppHost itself);
    # an unknown DOTNET_LAUNCH_PROFILE gives the services dynamic ports instead of their launch profiles' fixed ones.
    ( cd "$1/AppHost" && ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development ASPNETCORE_URLS=http://localhost:16080 \
        ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:19081 ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:20081 \
        ASPIRE_ALLOW_UNSECURED_TRANSPORT=true DOTNET_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true DOTNET_LAUNCH_PROFILE=ecomgo-measure \
        exec dotnet bin/Release/net10.0/AppHost.dll --Infrastructure:Mode=local "--Infrastructure:DataDirectory=$3" ) \
        >"/tmp/ecomgo-measure-$2.log" 2>&1 &
    apphost_pid=$!
    for _ in $(seq 600); do
        shop=$(storefront_url "$(cd "$1" && pwd)" || true)
        [[ -n $shop && $(curl -s -o /dev/null -m 5 -w '%{http_code}' "$shop/health") == 200 ]] && return 0
        kill -0 "$apphost_pid" 2>/dev/null || { echo "AppHost of $2 exited; see /tmp/ecomgo-measure-$2.log" >&2; exit 1; }
        sleep 1
    done
    echo "the shop of $2 did not answer within 10 minutes" >&2; exit 1
}

if [[ $warmup -gt 0 ]]; then
    for variant in "${variants[@]}"; do
        echo "== warm-up: ${variant%%=*}"
        start_apphost "$(repo_of "$variant")" "${variant%%=*}" "$(data_of "$variant")"
        sleep "$warmup"
        stop_apphost
    done
fi

for round in $(seq "$rounds"); do
    for variant in "${variants[@]}"; do
        label=${variant%%=*} repo=$(repo_of "$variant")
        echo "== round $round: $label"
        start_apphost "$repo" "$label" "$(data_of "$variant")"
        sleep "$settle" # let start-up work (migrations, indexing, analysis) finish before measuring
        dotnet "$harness" "$shop" "$requests" "$concurrency" "${paths[@]}" --csv "$csv" --label "$label"
        if [[ -n $login ]]; then
            dotnet "$harness" "$shop" "$requests" "$concurrency" "${paths[@]}" --csv "$csv" --label "$label+signed-in" --login "$login"
        fi
        stop_apphost
    done
done

echo "== medians over $rounds round(s) ($csv)"
python3 - "$csv" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
groups = {}
for r in rows:
    groups.setdefault((r["label"], r["path"]), []).append(r)
print(f'{"label":<24} {"path":<24} {"runs":>4} {"p50 ms":>8} {"p99 ms":>8} {"req/s":>8} {"errors":>6}')
for (label, path), rs in groups.items():
    med = lambda k: statistics.median(float(r[k]) for r in rs)
    print(f'{label:<24} {path:<24} {len(rs):>4} {med("p50_ms"):>8.1f} {med("p99_ms"):>8.1f} {med("req_per_s"):>8.0f} {sum(int(r["errors"]) for r in rs):>6}')
EOF
