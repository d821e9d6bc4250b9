#!/usr/bin/env bash
# Stops the sshd started by start-server.sh DIR (its process group, found by the pid file).
#
#   tests/nonstop/stop-server.sh DIR
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
pid_file=$1/sshd.pid
if [[ ! -f "$pid_file" ]]; then
    echo "no pid file at $pid_file" >&2
    exit 1
fi
pid=$(cat "$pid_file")
if [[ ! "$pid" =~ ^[0-9]+$ ]]; then
    echo "bad pid file $pid_file" >&2
    exit 1
fi
# start-server.sh ran sshd under setsid, so its process group id is its pid; its session children are in it too.
if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
fi
rm -f "$pid_file"
echo "sshd $pid stopped; keys and known hosts stay in $1 (client_key, known_hosts)"
