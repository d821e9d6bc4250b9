#!/usr/bin/env bash
# Starts a throwaway OpenSSH server on 127.0.0.1 whose forced command is the NonStop simulator (nssim.py).
#
#   tests/nonstop/start-server.sh DIR PORT [NODE]        (NODE defaults to \A)
#
# DIR receives: its own host keys (ssh_host_ed25519_key*), a client key pair (client_key, client_key.pub) allowed
# in authorized_keys, known_hosts (this server's key for [127.0.0.1]:PORT), sshd_config, sshd.log, sshd.pid, and
# the simulator's state in DIR/state (nonstop.db, commands.log). The server runs as the invoking user (no root
# login is needed; as root it needs /run/sshd, which sshd's privilege separation requires and which it creates),
# listens on 127.0.0.1 only, uses no system configuration and no PAM. Stop it with tests/nonstop/stop-server.sh DIR.
# Needs Debian's openssh-server and python3 (build.ps1 installs them through Install-BPOpenSsh).
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
    echo "usage: $0 DIR PORT [NODE]" >&2
    exit 2
fi
dir=$1
port=$2
node=${3:-'\A'}
here=$(cd "$(dirname "$0")" && pwd)
sshd=/usr/sbin/sshd
python=/usr/bin/python3

if [[ ! -x "$sshd" ]]; then echo "$sshd not found: install Debian's openssh-server (apt-get install -y openssh-server)" >&2; exit 1; fi
if [[ ! -x "$python" ]]; then echo "$python not found: install Debian's python3" >&2; exit 1; fi
if [[ ! "$port" =~ ^[0-9]+$ ]] || (( port < 1024 || port > 65535 )); then echo "PORT must be 1024-65535" >&2; exit 2; fi
mkdir -p "$dir/state"
dir=$(cd "$dir" && pwd)
if [[ -f "$dir/sshd.pid" ]] && kill -0 "$(cat "$dir/sshd.pid")" 2>/dev/null; then
    echo "an sshd from $dir is already running (pid $(cat "$dir/sshd.pid"))" >&2
    exit 1
fi

user=$(id -un)
[[ -f "$dir/ssh_host_ed25519_key" ]] || ssh-keygen -q -t ed25519 -N '' -C "nonstop-sim-host" -f "$dir/ssh_host_ed25519_key"
[[ -f "$dir/client_key" ]] || ssh-keygen -q -t ed25519 -N '' -C "nonstop-sim-client" -f "$dir/client_key"
cp "$dir/client_key.pub" "$dir/authorized_keys"
printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$dir/ssh_host_ed25519_key.pub")" > "$dir/known_hosts"
chmod 600 "$dir/ssh_host_ed25519_key" "$dir/client_key" "$dir/authorized_keys"
if [[ $(id -u) -eq 0 ]]; then mkdir -p /run/sshd && chmod 755 /run/sshd; fi

"$python" "$here/nssim.py" admin --state "$dir/state" init --node "$node" >/dev/null

cat > "$dir/sshd_config" <<CONF
# Written by tests/nonstop/start-server.sh: a test server only, on loopback, for the NonStop simulator.
ListenAddress 127.0.0.1
Port $port
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
AllowUsers $user
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitTTY no
AllowTcpForwarding no
AllowAgentForwarding no
X11Forwarding no
PermitTunnel no
PermitUserEnvironment no
PrintMotd no
MaxSessions 20
MaxStartups 50
ClientAliveInterval 0
LogLevel VERBOSE
ForceCommand $python $here/nssim.py serve --state $dir/state
CONF

# -D: no daemon fork, so the pid is ours; setsid: its own process group, ended together by stop-server.sh.
setsid "$sshd" -D -e -f "$dir/sshd_config" </dev/null >>"$dir/sshd.log" 2>&1 &
echo $! > "$dir/sshd.pid"

for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "NonStop simulator ($node) listening on 127.0.0.1:$port (sshd pid $(cat "$dir/sshd.pid")), user $user"
        echo "client key: $dir/client_key"
        echo "known hosts: $dir/known_hosts"
        echo "host key fingerprint: $(ssh-keygen -lf "$dir/ssh_host_ed25519_key.pub" | cut -d' ' -f2)"
        echo "state: $dir/state"
        exit 0
    fi
    if ! kill -0 "$(cat "$dir/sshd.pid")" 2>/dev/null; then break; fi
    sleep 0.05
done
echo "sshd did not start on 127.0.0.1:$port" >&2
cat "$dir/sshd.log" >&2 || true
"$here/stop-server.sh" "$dir" >/dev/null 2>&1 || true
exit 1
