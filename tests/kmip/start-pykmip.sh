#!/usr/bin/env bash
# Starts a throwaway PyKMIP server on 127.0.0.1 for benchmarks and PowerShell tests.
#
#   tests/kmip/start-pykmip.sh OUTDIR [PORT]      (PORT defaults to 5696)
#
# OUTDIR receives: ca.crt (trust this root), server.crt/server.key, client.crt/client.key and
# client.pfx (password in client.pfx.password), server.conf, server.log, pykmip.db, pykmip.pid.
# The server runs in its own process group; stop it with tests/kmip/stop-pykmip.sh OUTDIR.
# Needs the Debian package python3-pykmip (apt-get install -y python3-pykmip) and openssl.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 OUTDIR [PORT]" >&2
    exit 2
fi
out=$1
port=${2:-5696}
python=/usr/bin/python3

if ! "$python" -c 'import kmip.services.server.server' 2>/dev/null; then
    echo "PyKMIP is not available to $python; install it with: apt-get install -y python3-pykmip" >&2
    exit 1
fi
if [[ -f "$out/pykmip.pid" ]] && kill -0 "$(cat "$out/pykmip.pid")" 2>/dev/null; then
    echo "a PyKMIP server from $out is already running (pid $(cat "$out/pykmip.pid"))" >&2
    exit 1
fi

mkdir -p "$out/policies"
out=$(cd "$out" && pwd)
cd "$out"

# --- throwaway PKI: CA, server (127.0.0.1 + localhost), client (clientAuth, which PyKMIP requires) ---
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 30 -subj "/CN=BackPak Test KMIP CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout ca.key -out ca.crt 2>/dev/null

issue() { # name subject extensions
    openssl req -new -newkey rsa:2048 -nodes -sha256 -subj "$2" -keyout "$1.key" -out "$1.csr" 2>/dev/null
    printf '%s\n' "$3" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -sha256 \
        -extfile "$1.ext" -out "$1.crt" 2>/dev/null
    rm -f "$1.csr" "$1.ext"
}
issue server "/CN=127.0.0.1" "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost"
issue client "/CN=backpak-kmip-test-client" "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"

pfx_password=$(openssl rand -hex 12)
printf '%s' "$pfx_password" > client.pfx.password
openssl pkcs12 -export -in client.crt -inkey client.key -certfile ca.crt -passout "pass:$pfx_password" -out client.pfx
chmod 600 ./*.key client.pfx client.pfx.password

cat > server.conf <<CONF
[server]
hostname=127.0.0.1
port=$port
certificate_path=$out/server.crt
key_path=$out/server.key
ca_path=$out/ca.crt
auth_suite=TLS1.2
policy_path=$out/policies
enable_tls_client_auth=True
logging_level=INFO
database_path=$out/pykmip.db
CONF

# setsid: the server and its multiprocessing children form one group that stop-pykmip.sh ends together.
setsid "$python" -c '
import sys
from kmip.services.server import server
kmip_server = server.KmipServer(config_path=sys.argv[1], log_path=sys.argv[2])
with kmip_server:
    kmip_server.serve()
' "$out/server.conf" "$out/server.log" </dev/null >"$out/server.out" 2>&1 &
echo $! > pykmip.pid

for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "PyKMIP listening on 127.0.0.1:$port (pid $(cat pykmip.pid)); files in $out"
        exit 0
    fi
    if ! kill -0 "$(cat pykmip.pid)" 2>/dev/null; then
        break
    fi
    sleep 0.1
done
echo "PyKMIP did not start on 127.0.0.1:$port" >&2
cat server.out server.log >&2 2>/dev/null || true
"$(dirname "$0")/stop-pykmip.sh" "$out" >/dev/null 2>&1 || true
exit 1
