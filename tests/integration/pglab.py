# SPDX-License-Identifier: MPL-2.0
"""A PostgreSQL server from Debian's packages for the tests that share one between Kea
servers: its cluster made by initdb in the lab's directory, run in a namespace as user
postgres (never root), reached by the servers over TCP with a password and by the test
over a unix socket in a directory only postgres (and root) may enter. The lab stops it
(fast shutdown, by its PID); remove() deletes its files after that.

Kea's schema is made by the platform's own `kea-admin db-init pgsql`, as a site does;
configuration-backend objects are written with SQL the way Kea's own configuration
backend writes them (an audit revision first, then the rows, whose triggers write the
audit entries the servers poll), because Debian ships no cb_cmds. Times are whole
seconds, as Kea writes them: Kea asks for audit entries newer than the last one it saw
to the second, so a fraction would have it fetch the same entries again and again."""
import glob
import json
import os
import pwd
import shutil
import signal
import subprocess

from netlab import expect, run

# The newest server Debian installed (postgresql-15 on Debian 12).
PG_BIN = (sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"),
                 key=lambda path: int(path.split("/")[4]))[-1:] or [""])[0].rsplit("/", 1)[0]
DATABASE = "kea"
USER = "kea"
PASSWORD = "lyncboot-test-only"


class Postgres:
    def __init__(self, lab, ns, addresses):
        expect(PG_BIN, "no PostgreSQL server installed (Debian's postgresql: tools/install-deps)")
        self.lab = lab
        self.home = os.path.join(lab.workdir, "postgres")
        self.data = os.path.join(self.home, "data")
        self.sockets = os.path.join(self.home, "run")
        owner = pwd.getpwnam("postgres")
        for path in (self.home, self.sockets):
            os.makedirs(path, mode=0o700, exist_ok=True)
            os.chown(path, owner.pw_uid, owner.pw_gid)
        as_postgres = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"]
        # Local connections are trusted: the socket's directory is postgres's alone.
        run(*as_postgres, os.path.join(PG_BIN, "initdb"), "-D", self.data, "-U", "postgres",
            "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", timeout=120)
        with open(os.path.join(self.data, "pg_hba.conf"), "a") as f:
            for address in addresses:
                network = address.rsplit(".", 1)[0] + ".0/24"
                f.write(f"host {DATABASE} {USER} {network} scram-sha-256\n")
        # A test's cluster: durability off (it is deleted at the end).
        self.daemon = lab.start("postgres", ns, as_postgres + [
            os.path.join(PG_BIN, "postgres"), "-D", self.data,
            "-c", "listen_addresses=" + ",".join(addresses),
            "-c", "unix_socket_directories=" + self.sockets,
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
            stop_signal=signal.SIGINT)
        expect(self.daemon.wait_for("database system is ready to accept connections", 30),
               "postgres did not start:\n" + self.daemon.log()[-2000:])
        self.sql(f"CREATE ROLE {USER} LOGIN PASSWORD '{PASSWORD}'", database="postgres")
        self.sql(f"CREATE DATABASE {DATABASE} OWNER {USER}", database="postgres")

    def sql(self, statements, database=DATABASE):
        """Runs SQL as postgres over the unix socket, stopping at the first error;
        returns psql's unaligned output."""
        proc = run(os.path.join(PG_BIN, "psql"), "-h", self.sockets, "-U", "postgres",
                   "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", statements,
                   check=False, timeout=30)
        expect(proc.returncode == 0, f"psql: {proc.stderr.strip()}\n{statements}")
        return proc.stdout.strip()

    def access(self, host):
        """Kea's database access map for this database at host."""
        return {"type": "postgresql", "name": DATABASE, "user": USER, "password": PASSWORD,
                "host": host}

    def remove(self):
        """Deletes the cluster's files; after the lab has stopped the server."""
        expect(self.daemon.proc.poll() is not None, "postgres still running")
        shutil.rmtree(self.home, ignore_errors=True)


def kea_admin_init(lab, ns, host):
    """Kea's schema, made by the platform's kea-admin over TCP, as a site makes it."""
    proc = lab.ns_run(ns, "env", f"PGPASSWORD={PASSWORD}", "kea-admin", "db-init", "pgsql",
                      "-u", USER, "-p", PASSWORD, "-n", DATABASE, "-h", host,
                      check=False, timeout=120, platform=True)
    expect(proc.returncode == 0, f"kea-admin db-init pgsql: {proc.stdout[-1500:]}"
                                 f"{proc.stderr[-1500:]}")
    return proc.stdout


def _sql_text(value):
    return "'" + value.replace("'", "''") + "'"


def _backend_revision(pg, *statements):
    """Writes to the configuration backend as Kea's remote-* commands do: one
    transaction, an audit revision of every server ('all') first, then the statements.
    Times are whole seconds: Kea asks for audit entries newer than its last one to the
    second, and a fraction makes it fetch the same entries again every interval."""
    pg.sql(";\n".join(["BEGIN", "SELECT createAuditRevisionDHCP4(date_trunc('second', now()),"
                                 " 'all', 'lyncboot test', false)", *statements, "COMMIT"]))


def backend_subnet_set(pg, subnet_id, prefix, user_context, pool=None, network=None):
    """Creates or changes a subnet of every server ('all') in the configuration backend,
    as remote-subnet4-set does: an audit revision, then the rows. network: the shared
    network it is in (None: none)."""
    statements = [
        "INSERT INTO dhcp4_subnet (subnet_id, subnet_prefix, user_context, shared_network_name,"
        " modification_ts)"
        f" VALUES ({int(subnet_id)}, {_sql_text(prefix)}, {_sql_text(json.dumps(user_context))},"
        f" {_sql_text(network) if network else 'NULL'}, date_trunc('second', now()))"
        " ON CONFLICT (subnet_id) DO UPDATE SET user_context = EXCLUDED.user_context,"
        " shared_network_name = EXCLUDED.shared_network_name,"
        " modification_ts = date_trunc('second', now())",
        "INSERT INTO dhcp4_subnet_server (subnet_id, server_id, modification_ts)"
        f" SELECT {int(subnet_id)}, id, date_trunc('second', now()) FROM dhcp4_server WHERE tag = 'all'"
        " ON CONFLICT DO NOTHING"]
    if pool:
        statements.append(
            "INSERT INTO dhcp4_pool (start_address, end_address, subnet_id, modification_ts)"
            f" VALUES ({_sql_text(pool[0])}, {_sql_text(pool[1])}, {int(subnet_id)},"
            " date_trunc('second', now()))")
    _backend_revision(pg, *statements)


def backend_subnet_del(pg, subnet_id):
    """Deletes a subnet from the configuration backend, as remote-subnet4-del-by-id does."""
    _backend_revision(
        pg,
        f"DELETE FROM dhcp4_subnet WHERE subnet_id = {int(subnet_id)}")


def backend_network_set(pg, name, user_context):
    """Creates or changes a shared network of every server in the configuration backend,
    as remote-network4-set does."""
    _backend_revision(
        pg,
        "INSERT INTO dhcp4_shared_network (name, user_context, modification_ts)"
        f" VALUES ({_sql_text(name)}, {_sql_text(json.dumps(user_context))},"
        " date_trunc('second', now())) ON CONFLICT (name) DO UPDATE SET"
        " user_context = EXCLUDED.user_context, modification_ts = date_trunc('second', now())",
        "INSERT INTO dhcp4_shared_network_server (shared_network_id, server_id, modification_ts)"
        " SELECT n.id, s.id, date_trunc('second', now()) FROM dhcp4_shared_network n,"
        f" dhcp4_server s WHERE n.name = {_sql_text(name)} AND s.tag = 'all' ON CONFLICT DO NOTHING")


def backend_network_del(pg, name):
    """Deletes a shared network from the configuration backend (its subnets stay, on
    their own), as remote-network4-del does with subnets-action keep."""
    _backend_revision(
        pg,
        f"DELETE FROM dhcp4_shared_network WHERE name = {_sql_text(name)}")


def backend_global_set(pg, name, value):
    """Sets an integer global parameter of every server in the configuration backend,
    as remote-global-parameter4-set does."""
    _backend_revision(
        pg,
        "WITH p AS (INSERT INTO dhcp4_global_parameter (name, value, parameter_type, modification_ts)"
        f" VALUES ({_sql_text(name)}, {_sql_text(str(int(value)))}, 0, date_trunc('second', now()))"
        " RETURNING id) INSERT INTO dhcp4_global_parameter_server (parameter_id, server_id,"
        " modification_ts) SELECT p.id, s.id, date_trunc('second', now()) FROM p, dhcp4_server s"
        " WHERE s.tag = 'all'")


def postgres_processes(data):
    """PIDs of processes still running from a cluster's data directory (none after
    the lab's close)."""
    out = subprocess.run(["pgrep", "-u", "postgres", "-f", data], capture_output=True,
                         text=True).stdout
    return [int(pid) for pid in out.split()]
