#!/bin/bash
# Start the demo province: the web server, the task worker, the sweep and the
# local simulators of the outside systems (national portal, SMS gateway,
# payment gateway, population database). Ctrl+C stops everything.
#   usage: scripts/run-demo.sh [HOST] [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
HOST="${1:-127.0.0.1}"
PORT="${2:-8000}"
MOTCUA=.venv/bin/motcua
LOGS=var/log
mkdir -p "$LOGS"

pids=()
cleanup() {
    trap - INT TERM EXIT
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

start() {  # start NAME COMMAND...: run in the background, log to var/log/NAME.log
    local name=$1; shift
    "$@" >"$LOGS/$name.log" 2>&1 &
    pids+=("$!")
}

export MOTCUA_API_URL="http://$HOST:$PORT/api/v1"
# Links in notifications and the payment gateway's return address name this server.
export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"
export MOTCUA_PORTAL_TOKEN="$($MOTCUA create-api-token cong-dvc --portal --name demo-portal --expires-days 1)"

start sms-simulator        $MOTCUA sms-simulator --port 8768
start payment-simulator    $MOTCUA payment-simulator --port 8766
start population-simulator $MOTCUA population-simulator --port 8767
start worker               $MOTCUA db-worker --no-startup-delay
start sweep                $MOTCUA sweep --every 60
# The portal files a citizen's online dossier every 90 seconds.
start portal-simulator     $MOTCUA portal-simulator --port 8765 --submit-every 90

cat <<BANNER

  motcua — Tỉnh Lâm Hải Giang (demo, SQLite)
  Staff:   http://$HOST:$PORT/staff/      Public: http://$HOST:$PORT/
  Admin:   http://$HOST:$PORT/admin/      API:    http://$HOST:$PORT/api/v1/docs
  Simulators: portal :8765 · payment :8766 · population :8767 · SMS :8768 (logs in $LOGS/)

BANNER
$MOTCUA demo-accounts
echo
$MOTCUA runserver "$HOST:$PORT" --noreload
