#!/usr/bin/python3
"""NonStop command simulator: the ForceCommand of the test sshd (tests/nonstop/start-server.sh).

It answers the exec requests a NonStop SSH server would pass to the OSS shell and TACL (SSH Reference Manual
p128): `gtacl -c '<TACL line>'`, or a bare TACL line when the server is configured as a forced TACL service. The
TACL line may hold several statements separated by ';'. Statements understood:

    MEDIACOM INFO TAPEVOLUME | INFO TAPEFILE | INFO DISKFILE | ALTER TAPEVOLUME | DELETE TAPEFILE | DELETE TAPEVOLUME
    TMFCOM INFO TAPEMEDIA | DELETE TAPEMEDIA
    LOAD /KEEP 1/ <sv>.BBSETUP <sv>.MACROS, then BB027_IMPORT_CATALOG, BB017_FREE_EXPIRED, BB022_CHECK_SPACE,
    BB023_DEL_BACKEDUP

Reports follow the layouts of docs/nonstop/reports.md (the manuals' items; labels and closing lines marked
inferred there). State lives in <state>/nonstop.db (SQLite), so every command sees the changes of the ones before.
Every exec request received is appended to <state>/commands.log before anything else: the injection tests read it
to prove what was (not) sent.

Administration (run locally by tests and benchmarks, never over SSH):
    nssim.py admin --state DIR init --node '\\A' [--bbox '$SYSTEM.BBOX'] [--known-node '\\B' ...]
    nssim.py admin --state DIR seed --volumes N --volcat VC --pool P --filecat FC [--prefix AA] [--status ASSIGNED]
                                   [--tmf N] [--store DS01] [--diskfiles K]
    nssim.py admin --state DIR fault set NAME VALUE [--match TEXT] [--count N]   (slow, drop-after, malformed, tmf-remote-hometerm)
    nssim.py admin --state DIR fault clear
    nssim.py admin --state DIR status LABEL STATUS   (a tape's DSM/TC status, e.g. INUSE while a backup writes it)
    nssim.py admin --state DIR dump            (the catalogs as JSON, to compare before and after)
    nssim.py admin --state DIR render COMMAND  (print the report a TACL line gives, locally)

Why Python: the machine has Debian's python3 (the KMIP tests need it too) and its standard library holds all that is
needed (sqlite3, shlex); a ForceCommand starts per exec request, and python3 starts in ~20 ms, against ~70 ms for a
.NET program, so the simulator adds little to what the benchmark measures.
"""
import fnmatch
import hashlib
import json
import os
import re
import select
import shlex
import signal
import sqlite3
import sys
import time

SCHEMA = """
CREATE TABLE IF NOT EXISTS config(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS catalog(kind TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY(kind, name));
CREATE TABLE IF NOT EXISTS pool(volcat TEXT NOT NULL, name TEXT NOT NULL, autoscratch INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY(volcat, name));
CREATE TABLE IF NOT EXISTS tapevolume(label TEXT PRIMARY KEY, volcat TEXT NOT NULL, pool TEXT NOT NULL,
    labeltype TEXT NOT NULL, tapetype TEXT NOT NULL, density TEXT NOT NULL, status TEXT NOT NULL,
    tapeformat TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tapefile(filecat TEXT NOT NULL, fileid TEXT NOT NULL, gen INTEGER NOT NULL,
    ver INTEGER NOT NULL, label TEXT NOT NULL, fstat TEXT NOT NULL, expiration TEXT NOT NULL,
    PRIMARY KEY(filecat, fileid, gen, ver));
CREATE INDEX IF NOT EXISTS tapefile_label ON tapefile(label);
CREATE TABLE IF NOT EXISTS diskfile(filecat TEXT NOT NULL, name TEXT NOT NULL, fileid TEXT NOT NULL,
    gen INTEGER NOT NULL, ver INTEGER NOT NULL, PRIMARY KEY(filecat, name, fileid, gen, ver));
CREATE TABLE IF NOT EXISTS tmfmedia(label TEXT PRIMARY KEY, status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS datastore(storeid TEXT PRIMARY KEY, access TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS importrun(id INTEGER PRIMARY KEY, storeid TEXT NOT NULL, type TEXT NOT NULL,
    catalogfiles TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fault(name TEXT PRIMARY KEY, value TEXT NOT NULL, match TEXT NOT NULL, count INTEGER NOT NULL);
"""

LABEL_WIDTH = 20  # column of the value in a detail report (docs/nonstop/reports.md, inferred)

# MEDIACOM error numbers. 5048 is the manual's (CS p11); the others are the simulator's own choice, since the
# stored pages give no message numbers for them (docs/nonstop/reports.md).
E_INVALID_NAME = 5048
E_NOT_FOUND = 5001
E_STATUS = 5020
E_SYNTAX = 5002
E_CATALOG = 5010
E_SUPER = 5030


class TaclError(Exception):
    def __init__(self, text):
        super().__init__(text)
        self.text = text


class ProgramError(Exception):
    def __init__(self, number, text):
        super().__init__(text)
        self.number = number
        self.text = text


class Out:
    """Writes report lines, applying the drop fault (kill the SSH session after N lines)."""

    def __init__(self, drop_after):
        self.lines = 0
        self.drop_after = drop_after
        self.stream = sys.stdout

    def line(self, text=""):
        if self.drop_after is not None and self.lines >= self.drop_after:
            drop_session()
        self.stream.write(text + "\n")
        self.lines += 1

    def raw(self, path):
        """Streams a cached report file; line by line only while a drop fault needs counting."""
        if self.drop_after is None and self.stream is sys.stdout:
            self.stream.flush()
            with open(path, "rb") as f:
                out = sys.stdout.buffer
                while True:
                    chunk = f.read(1 << 20)
                    if not chunk:
                        break
                    out.write(chunk)
            out.flush()
            return
        with open(path, "r", encoding="latin-1") as f:
            for text in f:
                self.line(text.rstrip("\n"))


def drop_session():
    """Ends the SSH connection from the server side, as a node or network failure would."""
    sys.stdout.flush()
    time.sleep(0.3)  # let sshd forward what was written, so the client sees a report cut in the middle
    parent = os.getppid()
    try:
        with open(f"/proc/{parent}/comm") as f:
            comm = f.read().strip()
    except OSError:
        comm = ""
    # Only ever kill our own sshd session process, never anything else (when run locally, just stop).
    if comm.startswith("sshd"):
        os.kill(parent, signal.SIGKILL)
    os._exit(255)


def client_gone():
    """True when the SSH channel's reading end of our stdout is closed (the client gave up)."""
    p = select.poll()
    p.register(sys.stdout.fileno(), select.POLLOUT)
    for _, ev in p.poll(0):
        if ev & (select.POLLERR | select.POLLHUP):
            return True
    return False


def connect(state):
    db = sqlite3.connect(os.path.join(state, "nonstop.db"), timeout=30, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(SCHEMA)
    return db


def cfg(db, key, default=None):
    r = db.execute("SELECT value FROM config WHERE key=?", (key,)).fetchone()
    return r[0] if r else default


def set_cfg(db, key, value):
    db.execute("INSERT INTO config(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))


def bump(db):
    set_cfg(db, "generation", str(int(cfg(db, "generation", "0")) + 1))


def qualify(db, name):
    """Catalog names carry their node in reports (CS p11); a bare name means the local node."""
    return name if name.startswith("\\") else cfg(db, "node") + "." + name


def bare(db, name):
    node = cfg(db, "node") + "."
    return name[len(node):] if name.upper().startswith(node) else name


# ---------------------------------------------------------------------------------------------------------------
# TACL layer


def split_statements(line):
    """Splits a TACL line as TACL would for what the simulator supports: ';' separates statements, '==' starts a
    comment, '[' is a function call (refused: the simulator has no functions, real TACL would evaluate it)."""
    out, cur, i = [], [], 0
    while i < len(line):
        c = line[i]
        if line.startswith("==", i):
            break
        if c == ";":
            out.append("".join(cur).strip())
            cur = []
        elif c in "[]":
            raise TaclError("*** ERROR: [ ] function calls are not available in this TACL")
        else:
            cur.append(c)
        i += 1
    out.append("".join(cur).strip())
    return [s for s in out if s]


def parse_options(text):
    """MEDIACOM syntax: `object-name[, KEYWORD value]...[, FLAG]`. Returns (name, {KEYWORD: value or True})."""
    parts = [p.strip() for p in text.split(",")]
    name = parts[0]
    opts = {}
    for p in parts[1:]:
        if not p:
            raise ProgramError(E_SYNTAX, "Syntax error: empty option")
        w = p.split(None, 1)
        opts[w[0].upper()] = w[1].strip() if len(w) > 1 else True
    return name, opts


def wild(pattern, value):
    return fnmatch.fnmatchcase(value.upper(), pattern.upper())


# ---------------------------------------------------------------------------------------------------------------
# MEDIACOM


def fld(label, value):
    return (label.ljust(LABEL_WIDTH) + str(value)).rstrip()


def report_tapevolumes(db, out, name, opts):
    where, args = [], []
    if "VOLCAT" in opts:
        vc = bare(db, opts["VOLCAT"].upper())
        if not db.execute("SELECT 1 FROM catalog WHERE kind='VOLCAT' AND name=?", (vc,)).fetchone():
            raise ProgramError(E_CATALOG, f"Volume catalog {opts['VOLCAT']} does not exist")
        where.append("volcat=?")
        args.append(vc)
    if "POOL" in opts:
        where.append("pool=?")
        args.append(opts["POOL"].upper())
    if "*" in name or "?" in name:
        where.append("label GLOB ?")
        args.append(name.upper())
    else:
        where.append("label=?")
        args.append(name.upper())
    sql = "SELECT label, volcat, pool, labeltype, tapetype, density, status, tapeformat FROM tapevolume"
    sql += " WHERE " + " AND ".join(where) + " ORDER BY label"
    count = 0
    files = db.cursor()
    for (label, volcat, pool, lt, tt, den, st, tf) in db.execute(sql, args):
        count += 1
        out.line(fld("Tape Name", label))
        out.line(fld("Volume Catalog", qualify(db, volcat)))
        out.line(fld("Pool Name", pool))
        out.line(fld("Label Type", lt))
        out.line(fld("Tape Type", tt))
        out.line(fld("Density", den))
        out.line(fld("Status", st))
        out.line(fld("Tape Format", tf))
        for (fc, fid, gen, ver, fs) in files.execute(
                "SELECT filecat, fileid, gen, ver, fstat FROM tapefile WHERE label=? ORDER BY rowid", (label,)):
            out.line(fld("File Catalog", qualify(db, fc)))
            out.line(fld("Tape File", fid))
            out.line(fld("Generation", gen))
            out.line(fld("Version", ver))
            out.line(fld("File Status", fs))
        out.line()
    if count == 0 and not ("*" in name or "?" in name):
        raise ProgramError(E_NOT_FOUND, f"Tape volume {name.upper()} not found")
    out.line(f"{count} tape volume{'s' if count != 1 else ''} returned.")


def report_tapefiles(db, out, name, opts):
    fc = bare(db, opts.get("FILECAT", "").upper())
    if not db.execute("SELECT 1 FROM catalog WHERE kind='FILECAT' AND name=?", (fc,)).fetchone():
        raise ProgramError(E_CATALOG, f"File catalog {opts.get('FILECAT', '')} does not exist")
    where, args = ["filecat=?"], [fc]
    where.append("fileid GLOB ?" if ("*" in name or "?" in name) else "fileid=?")
    args.append(name.upper())
    if "TAPEVOLUME" in opts:
        where.append("label=?")
        args.append(opts["TAPEVOLUME"].upper())
    count = 0
    for (fid, gen, ver, label, fs, exp) in db.execute(
            "SELECT fileid, gen, ver, label, fstat, expiration FROM tapefile WHERE " + " AND ".join(where) +
            " ORDER BY fileid, gen, ver", args):
        count += 1
        out.line(fld("File Catalog", qualify(db, fc)))
        out.line(fld("Tape File", fid))
        out.line(fld("Generation", gen))
        out.line(fld("Version", ver))
        out.line(fld("Expiration", exp))
        out.line(fld("File Status", fs))
        out.line(fld("Tape Name", label))
        out.line()
    out.line(f"{count} tape file{'s' if count != 1 else ''} returned.")


def report_diskfiles(db, out, name, opts):
    parts = name.upper().split(".")
    node = parts[0] if len(parts) == 4 else cfg(db, "node")
    known = json.loads(cfg(db, "known_nodes", "[]")) + [cfg(db, "node")]
    if not node.startswith("\\") or ("*" not in node and node not in known):
        raise ProgramError(E_INVALID_NAME, f"DISKFILE name {name} is invalid")
    fc = bare(db, opts.get("FILECAT", "").upper())
    if not db.execute("SELECT 1 FROM catalog WHERE kind='FILECAT' AND name=?", (fc,)).fetchone():
        raise ProgramError(E_CATALOG, f"File catalog {opts.get('FILECAT', '')} does not exist")
    pattern = name.upper() if len(parts) == 4 else node + "." + name.upper()
    count = 0
    for (dname, fid, gen, ver) in db.execute(
            "SELECT name, fileid, gen, ver FROM diskfile WHERE filecat=? AND name GLOB ? ORDER BY name", (fc, pattern)):
        count += 1
        out.line(fld("Disk File", dname))
        out.line(fld("File Catalog", qualify(db, fc)))
        out.line(fld("Tape File", fid))
        out.line(fld("Generation", gen))
        out.line(fld("Version", ver))
        out.line()
    out.line(f"{count} disk file{'s' if count != 1 else ''} returned.")


def find_volume(db, label, opts):
    vc = bare(db, opts.get("VOLCAT", "").upper())
    pool = opts.get("POOL", "").upper()
    row = db.execute("SELECT status FROM tapevolume WHERE label=? AND volcat=? AND pool=?", (label, vc, pool)).fetchone()
    if not row:
        raise ProgramError(E_NOT_FOUND, f"Tape volume {label} not found in volume catalog {opts.get('VOLCAT')} pool {pool}")
    return row[0]


def alter_tapevolume(db, out, name, opts):
    label = name.upper()
    new = str(opts.get("STATUS", "")).upper()
    group1, group2 = {"BAD", "RELEASED", "SCRATCH"}, {"FULL", "ASSIGNED"}
    if new not in group1 | group2:
        raise ProgramError(E_SYNTAX, f"STATUS {new} is not BAD, RELEASED, SCRATCH, FULL or ASSIGNED")
    cur = find_volume(db, label, opts)
    # MEDIACOM p103 and DSM/TC Catalog Management p140: no change from ASSIGNED, SELECTED or INUSE to the first
    # group, and a status only moves within its own group.
    if (new in group1 and cur not in group1) or (new in group2 and cur not in group2):
        raise ProgramError(E_STATUS, f"Tape volume {label} has status {cur}; its status cannot be changed to {new}")
    db.execute("UPDATE tapevolume SET status=? WHERE label=?", (new, label))
    bump(db)
    out.line("1 tape volume altered.")


def delete_tapefile(db, out, name, opts):
    fc = bare(db, opts.get("FILECAT", "").upper())
    gen, ver = opts.get("GENERATION"), opts.get("VERSION")
    row = db.execute("SELECT label FROM tapefile WHERE filecat=? AND fileid=? AND gen=? AND ver=?",
                     (fc, name.upper(), gen, ver)).fetchone()
    if not row:
        raise ProgramError(E_NOT_FOUND, f"Tape file {name.upper()} generation {gen} version {ver} not found in file catalog {opts.get('FILECAT')}")
    label = row[0]
    db.execute("BEGIN IMMEDIATE")
    db.execute("DELETE FROM tapefile WHERE filecat=? AND fileid=? AND gen=? AND ver=?", (fc, name.upper(), gen, ver))
    db.execute("DELETE FROM diskfile WHERE filecat=? AND fileid=? AND gen=? AND ver=?", (fc, name.upper(), gen, ver))
    # DSM/TC Catalog Management p144: when it was the last file of the tape, the tape goes from ASSIGNED to
    # RELEASED or SCRATCH (the pool's AUTOSCRATCH decides, MEDIACOM p44).
    left = db.execute("SELECT COUNT(*) FROM tapefile WHERE label=?", (label,)).fetchone()[0]
    if left == 0:
        vc, pool = db.execute("SELECT volcat, pool FROM tapevolume WHERE label=?", (label,)).fetchone()
        auto = db.execute("SELECT autoscratch FROM pool WHERE volcat=? AND name=?", (vc, pool)).fetchone()
        db.execute("UPDATE tapevolume SET status=? WHERE label=? AND status='ASSIGNED'",
                   ("SCRATCH" if (auto is None or auto[0]) else "RELEASED", label))
    bump(db)
    db.execute("COMMIT")
    out.line("1 tape file deleted.")


def delete_tapevolume(db, out, name, opts):
    label = name.upper()
    cur = find_volume(db, label, opts)
    # DSM/TC Catalog Management p146: only a tape with status BAD, RELEASED or SCRATCH.
    if cur not in ("BAD", "RELEASED", "SCRATCH"):
        raise ProgramError(E_STATUS, f"Tape volume {label} has status {cur}; only BAD, RELEASED or SCRATCH tapes can be deleted")
    db.execute("DELETE FROM tapevolume WHERE label=?", (label,))
    bump(db)
    out.line("1 tape volume deleted.")


def mediacom(db, out, text):
    w = text.split(None, 2)
    if len(w) < 3:
        raise ProgramError(E_SYNTAX, f"Syntax error: {text}")
    verb, obj = w[0].upper(), w[1].upper()
    name, opts = parse_options(w[2])
    if verb == "INFO" and obj == "TAPEVOLUME":
        return report_tapevolumes(db, out, name, opts)
    if verb == "INFO" and obj == "TAPEFILE":
        return report_tapefiles(db, out, name, opts)
    if verb == "INFO" and obj == "DISKFILE":
        return report_diskfiles(db, out, name, opts)
    if cfg(db, "super", "1") != "1":
        raise ProgramError(E_SUPER, f"{verb} {obj} is a super group command")
    if verb == "ALTER" and obj == "TAPEVOLUME":
        return alter_tapevolume(db, out, name, opts)
    if verb == "DELETE" and obj == "TAPEFILE":
        return delete_tapefile(db, out, name, opts)
    if verb == "DELETE" and obj == "TAPEVOLUME":
        return delete_tapevolume(db, out, name, opts)
    raise ProgramError(E_SYNTAX, f"Syntax error: {verb} {obj} is not a MEDIACOM command here")


# ---------------------------------------------------------------------------------------------------------------
# TMFCOM


def tmfcom(db, out, text, faults):
    w = text.split(None, 2)
    if len(w) < 3:
        raise ProgramError(1, f"Syntax error: {text}")
    verb, obj, name = w[0].upper(), w[1].upper(), w[2].strip().upper()
    if verb == "INFO" and obj == "TAPEMEDIA":
        out.line("Tape Media".ljust(LABEL_WIDTH) + "Status")
        for (label, status) in db.execute("SELECT label, status FROM tmfmedia WHERE label GLOB ? ORDER BY label", (name,)):
            out.line(label.ljust(LABEL_WIDTH) + status)
        return
    if verb in ("ADD", "ALTER", "DELETE") and obj == "TAPEMEDIA":
        # TMF Reference p77: a change through a TMFCOM whose home terminal is remote fails with error 266.
        if "tmf-remote-hometerm" in faults:
            raise ProgramError(266, f"{verb} TAPEMEDIA cannot be entered through a TMFCOM process with a remote home terminal")
        if verb == "DELETE":
            db.execute("DELETE FROM tmfmedia WHERE label=?", (name,))
            bump(db)
            out.line(f"Tape media {name} deleted.")
            return
    raise ProgramError(1, f"Syntax error: {verb} {obj} is not a TMFCOM command here")


# ---------------------------------------------------------------------------------------------------------------
# BackPak macros


def macro(db, out, statement, loaded):
    w = statement.split(None, 1)
    cmd = w[0].upper()
    if not loaded:
        raise TaclError(f"*** ERROR: {cmd} is not a known variable or program (load BBOX.MACROS first)")
    if cmd == "BB027_IMPORT_CATALOG":
        _, opts = parse_options("X, " + (w[1] if len(w) > 1 else ""))
        store = str(opts.get("STOREID", "")).upper()
        alias = str(opts.get("STOREID_ALIAS", "0"))
        if alias == "1":
            store = store.replace("_", " ")
        elif alias == "2":
            store = store.replace("+", " ")
        typ = str(opts.get("TYPE", "UPDATE")).upper()
        catfiles = str(opts.get("CATALOGFILES", "YES")).upper()
        if typ not in ("FULL", "UPDATE") or catfiles not in ("YES", "NO") or not store:
            raise ProgramError(27, "BB027_IMPORT_CATALOG: invalid parameters")
        row = db.execute("SELECT access FROM datastore WHERE storeid=?", (store,)).fetchone()
        if not row:
            raise ProgramError(27, f"BB027_IMPORT_CATALOG: data store {store} not found")
        if row[0] != "SECONDARY":
            raise ProgramError(27, f"BB027_IMPORT_CATALOG: data store {store} is {row[0]}; import needs SECONDARY")
        db.execute("INSERT INTO importrun(storeid, type, catalogfiles, at) VALUES(?, ?, ?, ?)",
                   (store, typ, catfiles, time.strftime("%Y-%m-%d %H:%M:%S")))
        bump(db)
        out.line(f"BB027_IMPORT_CATALOG: {typ} import of data store {store} started by the domain manager.")
        return
    if cmd == "BB017_FREE_EXPIRED":
        n = db.execute("SELECT COUNT(*) FROM tapevolume WHERE status IN ('SCRATCH','RELEASED')").fetchone()[0]
        out.line(f"BB017_FREE_EXPIRED: {n} expired volumes checked.")
        return
    if cmd == "BB022_CHECK_SPACE":
        out.line("BB022_CHECK_SPACE: space checked.")
        return
    if cmd == "BB023_DEL_BACKEDUP":
        out.line("BB023_DEL_BACKEDUP: backed-up files checked.")
        return
    raise TaclError(f"*** ERROR: {cmd} is not a known variable or program")


# ---------------------------------------------------------------------------------------------------------------


def active_faults(db, command):
    faults = {}
    for (name, value, match, count) in db.execute("SELECT name, value, match, count FROM fault").fetchall():
        if match and match not in command:
            continue
        faults[name] = value
        if count > 0:
            if count == 1:
                db.execute("DELETE FROM fault WHERE name=?", (name,))
            else:
                db.execute("UPDATE fault SET count=count-1 WHERE name=?", (name,))
    return faults


def run_tacl(db, out, line, faults):
    loaded = False
    bbox = cfg(db, "bbox", "$SYSTEM.BBOX").upper()
    for st in split_statements(line):
        w = st.split(None, 1)
        head = w[0].upper()
        rest = w[1] if len(w) > 1 else ""
        if head == "MEDIACOM":
            run_cached(db, out, st, lambda o: mediacom(db, o, rest), cache=rest.upper().startswith("INFO"))
        elif head == "TMFCOM":
            tmfcom(db, out, rest, faults)
        elif head == "LOAD":
            m = re.match(r"^/KEEP 1/\s+(\S+)\.BBSETUP\s+(\S+)\.MACROS$", rest, re.I)
            if not m or m.group(1).upper() != m.group(2).upper():
                raise TaclError("*** ERROR: LOAD syntax")
            if m.group(1).upper() not in (bbox, cfg(db, "node") + "." + bbox):
                raise TaclError(f"*** ERROR: file {m.group(1)}.MACROS does not exist")
            loaded = True
        else:
            macro(db, out, st, loaded)


def run_cached(db, out, statement, produce, cache):
    """A report of an unchanged catalog is served from a file rendered once (the benchmark lists 100,000 volumes
    many times; what it measures is the client, not the simulator's rendering)."""
    if not cache:
        return produce(out)
    gen = cfg(db, "generation", "0")
    key = hashlib.sha256(f"{gen}\n{statement.upper()}".encode()).hexdigest()[:32]
    folder = os.path.join(STATE, "cache")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, key + ".txt")
    if not os.path.exists(path):
        tmp = path + f".{os.getpid()}.tmp"
        with open(tmp, "w", encoding="latin-1", buffering=1 << 20) as f:
            w = Out(None)
            w.stream = f
            try:
                produce(w)
            except BaseException:
                f.close()
                os.unlink(tmp)
                raise
        os.replace(tmp, path)
    out.raw(path)


def malform(text_lines, kind):
    if kind == "truncate":
        return text_lines[:-1] if text_lines else text_lines
    if kind == "garble":
        out = []
        for i, t in enumerate(text_lines):
            out.append(t)
            if i == 2:
                out.append("Retention Class     7 YEARS")
            if t.startswith("Generation"):
                out[-1] = "Generation          ONE"
        return out
    if kind == "noname":
        return [t for t in text_lines if not t.startswith("Tape Name")]
    return text_lines


def serve(state):
    global STATE
    STATE = state
    command = os.environ.get("SSH_ORIGINAL_COMMAND", "")
    with open(os.path.join(state, "commands.log"), "a", encoding="utf-8") as log:
        log.write(json.dumps({"at": time.time(), "pid": os.getpid(), "command": command}) + "\n")
    db = connect(state)
    faults = active_faults(db, command)
    if "slow" in faults:
        deadline = time.time() + float(faults["slow"])
        while time.time() < deadline:
            time.sleep(0.05)
        if client_gone():
            with open(os.path.join(state, "commands.log"), "a", encoding="utf-8") as log:
                log.write(json.dumps({"at": time.time(), "pid": os.getpid(), "abandoned": command}) + "\n")
            return 0
    drop = int(faults["drop-after"]) if "drop-after" in faults else None
    if drop == 0:
        # Lost before the node did anything: nothing is changed.
        drop_session()
    out = Out(drop)
    if "malformed" in faults:
        # Render into memory, spoil it, then send (small reports only: a fault test, not a benchmark).
        capture = Out(None)
        lines = []

        class Sink:
            def write(self, s):
                lines.extend(s.rstrip("\n").split("\n"))

            def flush(self):
                pass

        capture.stream = Sink()
        rc = execute(db, capture, command, faults, state)
        for t in malform(lines, faults["malformed"]):
            out.line(t)
        return rc
    return execute(db, out, command, faults, state)


def execute(db, out, command, faults, state):
    try:
        if command.startswith("gtacl"):
            try:
                argv = shlex.split(command, posix=True)
            except ValueError as e:
                print(f"sh: syntax error: {e}", file=sys.stderr)
                return 2
            if len(argv) != 3 or argv[1] != "-c":
                print("gtacl: usage: gtacl -c command", file=sys.stderr)
                return 2
            line = argv[2]
        else:
            line = command
        if "\n" in line or "\r" in line:
            raise TaclError("*** ERROR: a TACL command line cannot hold a line break here")
        run_tacl(db, out, line, faults)
        sys.stdout.flush()
        return 0
    except ProgramError as e:
        out.line(f"**ERROR-{e.number}** {e.text}")
        sys.stdout.flush()
        return 1
    except TaclError as e:
        out.line(e.text)
        sys.stdout.flush()
        return 1


# ---------------------------------------------------------------------------------------------------------------
# administration


def admin(state, args):
    os.makedirs(state, exist_ok=True)
    db = connect(state)
    cmd = args[0]
    if cmd == "init":
        node = opt(args, "--node", "\\A").upper()
        set_cfg(db, "node", node)
        set_cfg(db, "bbox", opt(args, "--bbox", "$SYSTEM.BBOX").upper())
        set_cfg(db, "known_nodes", json.dumps([n.upper() for n in opts_all(args, "--known-node")]))
        set_cfg(db, "generation", "0")
        return 0
    if cmd == "seed":
        n = int(opt(args, "--volumes", "10"))
        vc, pool, fc = opt(args, "--volcat").upper(), opt(args, "--pool").upper(), opt(args, "--filecat").upper()
        prefix = opt(args, "--prefix", "AA").upper()
        status = opt(args, "--status", "ASSIGNED").upper()
        store = opt(args, "--store", "DS01").upper()
        access = opt(args, "--access", "PRIMARY").upper()
        disk = int(opt(args, "--diskfiles", "0"))
        tmf = int(opt(args, "--tmf", "0"))
        db.execute("BEGIN")
        db.execute("INSERT OR IGNORE INTO catalog VALUES('VOLCAT', ?)", (vc,))
        db.execute("INSERT OR IGNORE INTO catalog VALUES('FILECAT', ?)", (fc,))
        db.execute("INSERT OR IGNORE INTO pool(volcat, name) VALUES(?, ?)", (vc, pool))
        db.execute("INSERT OR REPLACE INTO datastore VALUES(?, ?)", (store, access))
        digits = 6 - len(prefix)
        node = cfg(db, "node")
        for i in range(n):
            label = prefix + str(i).zfill(digits)
            db.execute("INSERT OR REPLACE INTO tapevolume VALUES(?, ?, ?, 'ANSI', 'CART3480', '', ?, 'NONBACKUP')",
                       (label, vc, pool, status))
            if status == "ASSIGNED":
                fid = f"{store}-{label}"
                db.execute("INSERT OR REPLACE INTO tapefile VALUES(?, ?, 1, 0, ?, 'VALID', '2031-12-31')", (fc, fid, label))
                for k in range(disk):
                    db.execute("INSERT OR REPLACE INTO diskfile VALUES(?, ?, ?, 1, 0)",
                               (fc, f"{node}.$DATA{k % 4 + 1}.SV{i % 100:03d}.F{label}{k}"[:40], fid))
        for i in range(tmf):
            db.execute("INSERT OR REPLACE INTO tmfmedia VALUES(?, 'ASSIGNED')", ("TM" + str(i).zfill(4),))
        bump(db)
        db.execute("COMMIT")
        return 0
    if cmd == "fault":
        if args[1] == "set":
            db.execute("INSERT OR REPLACE INTO fault VALUES(?, ?, ?, ?)",
                       (args[2], args[3], opt(args, "--match", ""), int(opt(args, "--count", "0"))))
        elif args[1] == "clear":
            db.execute("DELETE FROM fault")
        return 0
    if cmd == "set":
        set_cfg(db, args[1], args[2])
        return 0
    if cmd == "status":
        # A tape's DSM/TC status set directly, as the node's own activity would (INUSE while a backup writes it).
        n = db.execute("UPDATE tapevolume SET status=? WHERE label=?", (args[2].upper(), args[1].upper())).rowcount
        if n == 0:
            print(f"no tape volume {args[1].upper()}", file=sys.stderr)
            return 1
        bump(db)
        return 0
    if cmd == "gui-delete":
        # What the BackPak GUI's Volume List deletion does to the node's catalogs (CS p41): the tapes of a volume group
        # (its VOLCAT and POOL, or TMF) go with their tape files and disk files. --keep LABEL leaves one, as BackBox does
        # for a volume it refuses (non-expired data). Local, like every admin command: never through SSH.
        keep = [k.upper() for k in opts_all(args, "--keep")]
        db.execute("BEGIN")
        if "--tmf" in args:
            for (label,) in db.execute("SELECT label FROM tmfmedia").fetchall():
                if label not in keep:
                    db.execute("DELETE FROM tmfmedia WHERE label=?", (label,))
        else:
            vc, pool = opt(args, "--volcat").upper(), opt(args, "--pool").upper()
            for (label,) in db.execute("SELECT label FROM tapevolume WHERE volcat=? AND pool=?", (vc, pool)).fetchall():
                if label in keep:
                    continue
                for (fc, fid, gen, ver) in db.execute("SELECT filecat, fileid, gen, ver FROM tapefile WHERE label=?", (label,)).fetchall():
                    db.execute("DELETE FROM diskfile WHERE filecat=? AND fileid=? AND gen=? AND ver=?", (fc, fid, gen, ver))
                db.execute("DELETE FROM tapefile WHERE label=?", (label,))
                db.execute("DELETE FROM tapevolume WHERE label=?", (label,))
        bump(db)
        db.execute("COMMIT")
        return 0
    if cmd == "dump":
        dump = {}
        for t in ("tapevolume", "tapefile", "diskfile", "tmfmedia", "datastore", "importrun"):
            dump[t] = [list(r) for r in db.execute(f"SELECT * FROM {t} ORDER BY 1, 2")]
        print(json.dumps(dump, sort_keys=True))
        return 0
    if cmd == "render":
        global STATE
        STATE = state
        return execute(db, Out(None), args[1], {}, state)
    print(f"unknown admin command {cmd}", file=sys.stderr)
    return 2


def opt(args, name, default=None):
    if name in args:
        return args[args.index(name) + 1]
    if default is None:
        raise SystemExit(f"{name} is required")
    return default


def opts_all(args, name):
    return [args[i + 1] for i, a in enumerate(args) if a == name and i + 1 < len(args)]


STATE = ""

if __name__ == "__main__":
    a = sys.argv[1:]
    if len(a) >= 3 and a[0] == "serve" and a[1] == "--state":
        try:
            sys.exit(serve(a[2]))
        except BrokenPipeError:
            os._exit(0)
    if len(a) >= 4 and a[0] == "admin" and a[1] == "--state":
        sys.exit(admin(a[2], a[3:]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
