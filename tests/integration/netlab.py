# SPDX-License-Identifier: MPL-2.0
"""Network namespaces, veth segments and real daemons for lyncboot's integration tests.

Every name carries the test's PID, so parallel or leftover runs never collide, and
everything made here is removed by Lab.close(), which only ends processes this lab
started (by PID). Needs root.
"""
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The build of this host's clients (probe, ntp-check, publisher).
BUILD = os.path.abspath(os.environ.get("LYNCBOOT_BUILD", os.path.join(TOP, "build")))
# The platform whose servers run (tests/platform-run sets these): "" is this host;
# otherwise a Debian root tree (tools/platform-tree), its daemons run chrooted in the
# tests' namespaces, with lyncboot as built in that tree (tools/tree-build).
TREE = os.environ.get("LYNCBOOT_TREE", "")
PLATFORM = os.environ.get("LYNCBOOT_PLATFORM", "host")
PLATFORM_BUILD = os.path.abspath(os.environ.get("LYNCBOOT_PLATFORM_BUILD", BUILD))
DEBIAN_PYTHON = "/usr/bin/python3"


def run(*args, check=True, **kw):
    return subprocess.run(list(args), check=check, capture_output=True, text=True, **kw)


def chrooted(tree, argv, binds=()):
    """argv chrooted in a Debian root tree, in a private mount namespace that has /proc
    and each directory of binds at its own path; all of it goes when the process ends
    (each step execs, so the process keeps the PID a test started)."""
    mounts = " && ".join(['mount -t proc proc "$0/proc"'] +
                         [f'mount --bind "${i}" "$0${i}"' for i in range(1, len(binds) + 1)])
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c",
            mounts + f' && t=$0 && shift {len(binds)} && exec chroot "$t" "$@"',
            tree, *binds, *argv]


def _kea_version():
    """(major, minor) of the platform's kea-dhcp4."""
    try:
        argv = chrooted(TREE, ["kea-dhcp4", "-v"]) if TREE else ["kea-dhcp4", "-v"]
        out = run(*argv).stdout.strip()
        return tuple(int(part) for part in out.split(".")[:2])
    except (OSError, subprocess.CalledProcessError, ValueError):
        return (0, 0)


KEA_VERSION = _kea_version()


def _hook():
    """The hook as the platform's kea-dhcp4 loads it. Kea 2.6 and later load hook
    libraries only from their hooks directory, so on a tree the built hook is installed
    there, where Debian's own hooks are (as the package installs it)."""
    built = os.path.join(PLATFORM_BUILD, "kea-hook", "libdhcp_lyncboot.so")
    if not TREE or not os.path.exists(built):
        return built
    inner_dir = next(os.path.dirname(path)[len(TREE):] for path in
                     sorted(glob.glob(os.path.join(TREE, "usr/lib/*/kea/hooks/libdhcp_lease_cmds.so"))))
    inner = os.path.join(inner_dir, "libdhcp_lyncboot.so")
    shutil.copyfile(built, TREE + inner + ".tmp")
    os.rename(TREE + inner + ".tmp", TREE + inner)
    return inner


HOOK = _hook()


def kea_hooks_library(name):
    """One of Kea's own hook libraries as the platform's kea-dhcp4 loads it (from its
    hooks directory), or None when the platform's Kea does not ship it."""
    found = sorted(glob.glob(os.path.join(TREE or "/", "usr/lib/*/kea/hooks", name)))
    return found[0][len(TREE):] if found else None


class Daemon:
    def __init__(self, name, proc, log_path, stop_signal=signal.SIGTERM):
        self.name, self.proc, self.log_path = name, proc, log_path
        self.stop_signal = stop_signal

    def log(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def wait_for(self, text, timeout=10.0):
        """Waits until the daemon logs text (a message ID); False if it exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log():
                return True
            if self.proc.poll() is not None:
                return text in self.log()
            time.sleep(0.05)
        return False

    def wait_for_count(self, text, count, timeout=10.0):
        """Waits until text appears count times in the log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log().count(text) >= count:
                return True
            time.sleep(0.05)
        return False

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(self.stop_signal)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def process_uid(pid):
    """The real uid a process runs as (compare with platform_user: a tree's users have
    other names on this host)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Uid:"):
                return int(line.split()[1])
    return -1


def platform_user(name):
    """uid and gid of a system user as the platform (this host or the tree) has them:
    files the platform's daemons own must carry its numbers."""
    with open((TREE or "") + "/etc/passwd") as f:
        for line in f:
            fields = line.split(":")
            if fields[0] == name:
                return int(fields[2]), int(fields[3])
    raise AssertionError(f"no user {name} on {PLATFORM}")


# kea-dhcp4 as Debian's unit runs it: user _kea, with CAP_NET_RAW and CAP_NET_BIND_SERVICE
# only, ambient (kea-dhcp4.service: AmbientCapabilities, CapabilityBoundingSet).
KEA_CAPS = "+net_raw,+net_bind_service"
KEA_AS_DEPLOYED = ["setpriv", "--reuid=_kea", "--regid=_kea", "--init-groups",
                   f"--inh-caps=-all,{KEA_CAPS}", f"--ambient-caps=-all,{KEA_CAPS}",
                   f"--bounding-set=-all,{KEA_CAPS}"]


class Lab:
    def __init__(self, tag):
        self.tag = f"{tag}{os.getpid() % 100000}"
        self.namespaces = []
        self.daemons = []
        self.workdir = os.path.join("/tmp", f"lyncboot-{self.tag}")
        # A directory of this name is a dead test's whose PID this one now has (labs keep
        # theirs for the logs): its files may belong to another platform's _kea (a
        # logger lock file kea-dhcp4 could then not open), so it goes.
        if os.path.isdir(self.workdir) and not os.path.ismount(self.workdir):
            shutil.rmtree(self.workdir, ignore_errors=True)
        os.makedirs(self.workdir, exist_ok=True)
        # Kea's control sockets: Kea 2.6 and later want their directory mode 750.
        # Kea runs as _kea: its sockets, pid and lock files in directories of _kea's.
        self.kea_sockets = os.path.join(self.workdir, "kea-sockets")
        self.kea_run = os.path.join(self.workdir, "kea-run")
        for path in (self.kea_sockets, self.kea_run):
            os.makedirs(path, mode=0o750, exist_ok=True)
            os.chmod(path, 0o750)
            if os.geteuid() == 0:
                os.chown(path, *platform_user("_kea"))

    def kea_socket(self, name="kea.sock"):
        """The path of a Kea control socket in the lab."""
        return os.path.join(self.kea_sockets, name)

    # -- topology -------------------------------------------------------------
    def netns(self, short):
        name = f"lb{self.tag}-{short}"
        run("ip", "netns", "add", name)
        self.namespaces.append(name)
        run("ip", "-n", name, "link", "set", "lo", "up")
        return name

    def segment(self, ns_a, if_a, ns_b, if_b, addr_a=None, addr_b=None):
        """One L2 segment (a VLAN, on a kernel without 802.1Q): a veth pair."""
        tmp_a, tmp_b = f"t{self.tag}a{if_a}"[:15], f"t{self.tag}b{if_b}"[:15]
        run("ip", "link", "add", tmp_a, "type", "veth", "peer", "name", tmp_b)
        run("ip", "link", "set", tmp_a, "netns", ns_a, "name", if_a)
        run("ip", "link", "set", tmp_b, "netns", ns_b, "name", if_b)
        for ns, ifname, addr in ((ns_a, if_a, addr_a), (ns_b, if_b, addr_b)):
            if addr:
                run("ip", "-n", ns, "addr", "add", addr, "dev", ifname)
            run("ip", "-n", ns, "link", "set", ifname, "up")

    def ns_run(self, ns, *args, check=True, timeout=30, platform=False):
        argv = self.platform_argv(args) if platform else list(args)
        return run("ip", "netns", "exec", ns, *argv, check=check, timeout=timeout)

    def platform_argv(self, argv):
        """argv as the platform runs it: on a tree, chrooted there in a private mount
        namespace that has /proc and the lab's directory at the same path (both gone
        when the process ends)."""
        if not TREE:
            return list(argv)
        os.makedirs(TREE + self.workdir, exist_ok=True)
        return chrooted(TREE, argv, binds=[self.workdir])

    def platform_binary(self, relative):
        """A program of lyncboot's as the platform runs it: this host's build, or the
        tree's build copied into the lab (the tree cannot see the source tree)."""
        built = os.path.join(PLATFORM_BUILD, relative)
        if not TREE:
            return built
        inside = os.path.join(self.workdir, os.path.basename(relative))
        shutil.copy2(built, inside)
        return inside

    def mac(self, ns, ifname):
        out = self.ns_run(ns, "cat", f"/sys/class/net/{ifname}/address").stdout
        return out.strip()

    # -- daemons ----------------------------------------------------------------
    def start(self, name, ns, argv, env=None, platform=False, stop_signal=signal.SIGTERM):
        """Starts argv (in namespace ns); with platform, as the platform runs it
        (platform_argv). close() ends it with stop_signal."""
        log_path = os.path.join(self.workdir, f"{name}.log")
        log = open(log_path, "w")
        if platform:
            argv = self.platform_argv(argv)
        cmd = (["ip", "netns", "exec", ns] if ns else []) + argv
        full_env = dict(os.environ, **(env or {}))
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=full_env,
                                stdin=subprocess.DEVNULL)
        log.close()
        daemon = Daemon(name, proc, log_path, stop_signal)
        self.daemons.append(daemon)
        return daemon

    def kea(self, name, config, ns=None, daemon_bin="kea-dhcp4"):
        """Writes config to a file and starts kea with it, pid and lock files in the lab."""
        path = os.path.join(self.workdir, f"{name}.json")
        with open(path, "w") as f:
            json.dump(config, f, indent=2)
        # Kea 2.6 and later take control sockets only from /run/kea unless told
        # otherwise; a test's sockets live in the lab.
        env = {"KEA_PIDFILE_DIR": self.kea_run, "KEA_LOCKFILE_DIR": self.kea_run,
               "KEA_CONTROL_SOCKET_DIR": self.kea_sockets}
        env.update(sanitizer_env())
        return self.start(name, ns, KEA_AS_DEPLOYED + [daemon_bin, "-c", path], env=env,
                          platform=True)

    def lldpd(self, name, ns, ifname, device_class, commands=()):
        """lldpd on ifname as the platform runs it (root, privilege separation to _lldpd),
        an LLDP-MED device of device_class (4: a switch, 3: a phone), none of the host's
        configuration files, then configured with lldpcli commands. Returns the daemon
        and its control socket."""
        empty = os.path.join(self.workdir, "lldpd-none.conf")
        open(empty, "a").close()
        sock = os.path.join(self.workdir, f"{name}.sock")
        daemon = self.start(name, ns, ["lldpd", "-d", "-M", str(device_class), "-O", empty,
                                       "-u", sock, "-I", ifname], platform=True)
        # lldpd sends nothing until the lldpcli it starts has read the configuration
        # files and resumed it; on a loaded machine that can take seconds.
        expect(daemon.wait_for("should resume operations", 20),
               f"{name} did not resume:\n{daemon.log()[-1500:]}")
        for command in commands:
            self.ns_run(ns, "lldpcli", "-u", sock, *command.split(), platform=True)
        return daemon, sock

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        for daemon in reversed(self.daemons):
            daemon.stop()
        for ns in reversed(self.namespaces):
            run("ip", "netns", "del", ns, check=False)
        self.namespaces = []
        if TREE and os.path.isdir(TREE + self.workdir):
            os.rmdir(TREE + self.workdir)  # the mount point only: the mounts are gone
        for daemon in self.daemons:
            log = daemon.log()
            if "ERROR: AddressSanitizer" in log or "runtime error:" in log:
                raise AssertionError(f"sanitizer report in {daemon.log_path}")


def sanitizer_env():
    """What kea-dhcp4 needs in its environment to load the ASan/UBSan build of the hook
    (its runtime first); nothing for the normal build."""
    preload = os.environ.get("LYNCBOOT_KEA_PRELOAD")
    if not preload:
        return {}
    return {"LD_PRELOAD": preload, "ASAN_OPTIONS": ASAN_DAEMON_OPTIONS,
            "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1"}


# The servers' ASan options: no leak check (they are not ours), and a small quarantine,
# so that freed memory is reused and resident memory says something in a soak.
ASAN_DAEMON_OPTIONS = "detect_leaks=0:quarantine_size_mb=8:thread_local_quarantine_size_kb=256"


def unbound_server_head(work, interface="10.100.0.1", network="10.100.0.0/24"):
    """The server: lines every test's unbound shares: in the foreground, no chroot,
    dropping to user unbound as Debian's does, its files in the lab's directory (which
    that user can read), logging to stderr, IPv4 only."""
    return (f"server:\n    interface: {interface}\n    access-control: {network} allow\n"
            f"    do-daemonize: no\n    chroot: \"\"\n    username: \"unbound\"\n"
            f"    directory: \"{work}\"\n    pidfile: \"{work}/unbound.pid\"\n"
            f"    use-syslog: no\n    logfile: \"\"\n    do-ip6: no\n")


def write_ntp_health(path, **states):
    """Writes the NTP health file (lib/ntp_health.h's format) atomically, as
    lyncboot-ntp-check does: name_with_underscores=True|False, port 123, checked now."""
    now = int(time.time())
    lines = ["# lyncboot-ntp-health 1"] + [
        f"{name.replace('_', '.')} 123 {'healthy' if ok else 'unhealthy'} {now} test"
        for name, ok in states.items()]
    with open(path + ".tmp", "w") as f:
        f.write("\n".join(lines) + "\n")
    os.rename(path + ".tmp", path)


# The health writer's user where the tests run it as its own: the packaged unit uses a
# DynamicUser; a test (no systemd) uses nobody, which no other daemon of the tests is.
HEALTH_WRITER = ("nobody", "nogroup", 65534, 65534)


def health_writer_dir(lab):
    """A directory of the health writer's own (mode 0755), as the unit's
    RuntimeDirectory: it alone writes there, unbound reads."""
    path = os.path.join(lab.workdir, "health")  # a tree sees the lab's directory bound
    os.makedirs(path, exist_ok=True)
    os.chown(path, HEALTH_WRITER[2], HEALTH_WRITER[3])
    os.chmod(path, 0o755)
    return path


def run_health_writer(lab, ns, *args):
    """lyncboot-ntp-check of the platform, once, as the health writer's user with no
    capabilities (setpriv), as lyncboot-ntp-health.service runs it."""
    checker = lab.platform_binary(os.path.join("ntp-check", "lyncboot-ntp-check"))
    return lab.ns_run(ns, "setpriv", f"--reuid={HEALTH_WRITER[0]}",
                      f"--regid={HEALTH_WRITER[1]}", "--clear-groups", "--inh-caps=-all",
                      "--bounding-set=-all", "--no-new-privs", checker, *args, check=False,
                      timeout=60, platform=True)


def dig_short(lab, ns, name, rtype, server="10.100.0.1"):
    """The answer's records as dig +short prints them, sorted."""
    out = lab.ns_run(ns, "dig", "+short", "+time=1", "+tries=1", f"@{server}", name,
                     rtype).stdout
    return sorted(line for line in out.splitlines() if line)


def wait_for_dig(lab, ns, name, rtype, want, seconds, server="10.100.0.1"):
    """Asks every 0.1 s until the answer is want; returns how long that took."""
    start = time.monotonic()
    got = None
    while time.monotonic() - start < seconds:
        got = dig_short(lab, ns, name, rtype, server)
        if got == want:
            return time.monotonic() - start
        time.sleep(0.1)
    raise AssertionError(f"{name} {rtype}: {got!r} after {seconds} s, want {want!r}")


def kea_command(socket_path, command, arguments=None, timeout=5.0):
    """Sends one command to Kea's unix control socket and returns the parsed answer."""
    request = {"command": command}
    if arguments is not None:
        request["arguments"] = arguments
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(socket_path)
        sock.sendall(json.dumps(request).encode())
        data = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            data += chunk
            try:
                return json.loads(data)
            except ValueError:
                continue
    return json.loads(data)


def require_root_and_hook():
    """Called by a test's lab fixture: skips its cases where they cannot run (not root:
    network namespaces, raw sockets; the hook not built). A platform that was asked for
    is never skipped quietly: its missing hook fails every case."""
    if os.geteuid() != 0:
        pytest.skip("needs root (network namespaces, raw sockets)")
    if not os.path.exists(TREE + HOOK):
        if TREE:
            raise RuntimeError(f"the hook built for {PLATFORM}: {TREE + HOOK} is missing")
        pytest.skip(f"{HOOK} is not built")


def site_fixture(make_site):
    """A test module's site as a module-scoped fixture: after require_root_and_hook(),
    make_site() (an object whose .lab is its Lab), closed when the module's cases are
    done (its daemons ended, its namespaces gone, its logs scanned for sanitizer
    reports)."""
    @pytest.fixture(scope="module")
    def site():
        require_root_and_hook()
        made = make_site()
        with made.lab:
            yield made
    return site


def run_tests(path):
    """A test file run as a program (meson, tests/platform-run): pytest on it, TAP on
    stdout (tests/conftest.py)."""
    return pytest.main([path])


def expect(cond, message):
    if not cond:
        raise AssertionError(message)


def expect_eq(got, want, what):
    if got != want:
        raise AssertionError(f"{what}: got {got!r}, want {want!r}")
