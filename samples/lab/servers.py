"""Real servers from Debian packages, started inside a lab namespace with their own config and
data directory, bounded in time (AppLab.spawn wraps each in `timeout`).

Each start_* writes its config under `d` (a fresh temporary directory), starts the server in
the foreground, waits until it accepts on its address and returns a handle whose `log()` gives
the server's own record of what it did (nginx access log, HAProxy log, PostgreSQL and MariaDB
error logs). Data directories made by initdb / mariadb-install-db are made once and copied.
"""
import os
import shutil
import tempfile

from applab import wait_port
from netlab import run

NGINX_LOG = ('$msec $remote_addr $remote_port $server_addr $server_port $connection '
             '$connection_requests "$request" $status $bytes_sent $request_length')
TEMPLATES = os.path.join(tempfile.gettempdir(), 'tl-templates')


class Server:
    def __init__(self, name, proc, d, logs):
        self.name, self.proc, self.d, self.logs = name, proc, d, logs

    def log(self, which=0):
        path = self.logs[which]
        return open(path, errors='replace').read() if os.path.exists(path) else ''


def workdir(lab=None, owner=None):
    """A fresh temporary directory, deleted with the lab when one is given."""
    d = tempfile.mkdtemp(prefix='tl-')
    if lab:
        lab.dirs.append(d)
    os.chmod(d, 0o755)
    if owner:
        shutil.chown(d, owner, owner)
    return d


# -- nginx -----------------------------------------------------------------------------------

def start_nginx(lab, ns, servers, d=None, http_extra=''):
    """servers: nginx `server { ... }` bodies (listen lines included). Access log: $msec, client
    address and port, server address and port, connection number, request number on it, request
    line, status, bytes sent, request length."""
    d = d or workdir(lab)
    temps = ''.join(f'{k}_temp_path {d}/{k};\n' for k in
                    ('client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'))
    body = ''.join(f'  server {{\n{s}\n  }}\n' for s in servers)
    conf = (f'user root;\nworker_processes 1;\ndaemon off;\npid {d}/nginx.pid;\n'
            f'error_log {d}/error.log info;\nevents {{ worker_connections 512; }}\n'
            f'http {{\n  log_format lab \'{NGINX_LOG}\';\n  access_log {d}/access.log lab;\n'
            f'  default_type text/plain;\n  server_tokens off;\n{temps}{http_extra}\n{body}}}\n')
    with open(f'{d}/nginx.conf', 'w') as f:
        f.write(conf)
    p = lab.spawn(ns, ['nginx', '-e', f'{d}/error.log', '-p', d, '-c', f'{d}/nginx.conf'],
                  stdout=f'{d}/stdout.log')
    for addr, port in _listens(servers):
        wait_port(ns, addr, port)
    return Server('nginx', p, d, [f'{d}/access.log', f'{d}/error.log'])


def _listens(servers):
    for s in servers:
        for line in s.splitlines():
            w = line.split()
            if w and w[0] == 'listen':
                host, _, port = w[1].rstrip(';').rpartition(':')
                yield host.strip('[]'), int(port)


def nginx_access(server):
    """The access log as dicts (one per request)."""
    rows = []
    for line in server.log().splitlines():
        head, req, tail = line.split('"', 2)
        msec, raddr, rport, saddr, sport, conn, nreq = head.split()
        status, sent, reqlen = tail.split()
        rows.append(dict(t=float(msec), client=(raddr, int(rport)), server=(saddr, int(sport)),
                         conn=int(conn), nreq=int(nreq), request=req, status=int(status),
                         sent=int(sent)))
    return rows


# -- HAProxy ---------------------------------------------------------------------------------

HAPROXY_LOG = ('%ci:%cp %bi:%bp %b/%s %ST %tsc %TR/%Tw/%Tc/%Tr/%Ta %rc %{+Q}r %Ts.%ms')


def start_haproxy(lab, ns, body, d=None):
    """body: the frontend/backend sections. Logs to its stdout (a file): client ip:port, the
    backend connection's source ip:port, backend/server, status, termination state, timers,
    retries, request line, accept time."""
    d = d or workdir(lab)
    conf = ('global\n  log stdout format raw local0\n  maxconn 512\n'
            'defaults\n  mode http\n  log global\n'
            f'  log-format "{HAPROXY_LOG}"\n' + body)
    with open(f'{d}/haproxy.cfg', 'w') as f:
        f.write(conf)
    run(['haproxy', '-c', '-f', f'{d}/haproxy.cfg'])
    p = lab.spawn(ns, ['haproxy', '-db', '-f', f'{d}/haproxy.cfg'], stdout=f'{d}/haproxy.log')
    for line in body.splitlines():
        w = line.split()
        if w and w[0] == 'bind':
            host, _, port = w[1].rpartition(':')
            wait_port(ns, host, int(port))
    return Server('haproxy', p, d, [f'{d}/haproxy.log'])


def haproxy_log(server):
    rows = []
    for line in server.log().splitlines():
        if line.count('"') != 2:
            continue
        head, req, tail = line.split('"', 2)
        w = head.split()
        ci, bi = w[0].rpartition(':'), w[1].rpartition(':')
        rows.append(dict(client=(ci[0], int(ci[2])),
                         backend_src=(bi[0], int(bi[2]) if bi[2].isdigit() else 0),
                         server=w[2], status=int(w[3]), state=w[4], timers=w[5], retries=w[6],
                         request=req, t=float(tail.split()[0])))
    return rows


# -- PostgreSQL ------------------------------------------------------------------------------

PG_BIN = '/usr/lib/postgresql/15/bin'


def _pg_template():
    tpl = os.path.join(TEMPLATES, 'pgdata')
    if not os.path.isdir(tpl):
        os.makedirs(TEMPLATES, exist_ok=True)
        d = workdir(None, 'postgres')
        with open(f'{d}/pw', 'w') as f:
            f.write('adminpw\n')
        run(['runuser', '-u', 'postgres', '--', f'{PG_BIN}/initdb', '-D', f'{d}/data', '-U',
             'postgres', '--auth-local=trust', '--auth-host=md5', f'--pwfile={d}/pw', '-E',
             'UTF8', '--no-instructions'], timeout=120)
        shutil.move(f'{d}/data', tpl)
        shutil.rmtree(d)
    return tpl


def start_postgres(lab, ns, addr, settings):
    """PostgreSQL 15 on addr:5432 with md5 passwords for network clients (pg_hba) and the
    given postgresql.conf settings; role app / password secret. Returns the Server."""
    d = workdir(lab, 'postgres')
    run(['cp', '-a', _pg_template(), f'{d}/data'])
    conf = dict(listen_addresses=f"'{addr}'", port=5432, unix_socket_directories=f"'{d}'",
                password_encryption='md5', ssl='off', log_connections='on',
                log_disconnections='on', logging_collector='off', tcp_keepalives_idle=0)
    conf.update(settings)
    with open(f'{d}/data/postgresql.conf', 'a') as f:
        f.write(''.join(f'{k} = {v}\n' for k, v in conf.items()))
    with open(f'{d}/data/pg_hba.conf', 'w') as f:
        f.write('local all all trust\nhost all all 198.18.0.0/15 md5\n'
                'host all all 2001:db8::/32 md5\n')
    p = lab.spawn(ns, [f'{PG_BIN}/postgres', '-D', f'{d}/data'], user='postgres',
                  stdout=f'{d}/postgres.log')
    wait_port(ns, addr, 5432)
    run(['runuser', '-u', 'postgres', '--', 'psql', '-h', d, '-U', 'postgres', '-q', '-c',
         "CREATE ROLE app LOGIN PASSWORD 'secret'"], timeout=30)
    return Server('postgres', p, d, [f'{d}/postgres.log'])


# -- MariaDB ---------------------------------------------------------------------------------

def _maria_template():
    tpl = os.path.join(TEMPLATES, 'mariadb')
    if not os.path.isdir(tpl):
        os.makedirs(TEMPLATES, exist_ok=True)
        d = workdir(None, 'mysql')
        run(['mariadb-install-db', '--no-defaults', f'--datadir={d}/data', '--user=mysql',
             '--auth-root-authentication-method=socket', '--skip-test-db'], timeout=180)
        shutil.move(f'{d}/data', tpl)
        shutil.rmtree(d)
    return tpl


def start_mariadb(lab, ns, addr, settings=(), sql=''):
    """mariadbd on addr:3306 with its own datadir, no name resolution; `sql` runs as root over
    the unix socket once it is up (users and grants)."""
    d = workdir(lab, 'mysql')
    run(['cp', '-a', _maria_template(), f'{d}/data'])
    cmd = ['mariadbd', '--no-defaults', f'--datadir={d}/data', f'--socket={d}/sock',
           f'--pid-file={d}/pid', '--port=3306', f'--bind-address={addr}', '--user=mysql',
           '--skip-name-resolve', f'--log-error={d}/error.log', '--log-warnings=4',
           '--innodb-buffer-pool-size=16M', '--performance-schema=OFF', '--skip-log-bin']
    cmd += list(settings)
    p = lab.spawn(ns, cmd, stdout=f'{d}/stdout.log')
    wait_port(ns, addr, 3306, seconds=60)
    if sql:
        run(['mariadb', '--no-defaults', '-S', f'{d}/sock', '-u', 'root', '-e', sql])
    return Server('mariadb', p, d, [f'{d}/error.log'])


# -- Redis -----------------------------------------------------------------------------------

def start_redis(lab, ns, addr, settings):
    d = workdir(lab, 'redis')
    conf = dict(bind=addr, port=6379, daemonize='no', dir=d, logfile=f'{d}/redis.log',
                save='""', appendonly='no', loglevel='verbose')
    conf['protected-mode'] = 'no'
    conf['tcp-keepalive'] = 0
    conf.update(settings)
    with open(f'{d}/redis.conf', 'w') as f:
        f.write(''.join(f'{k} {v}\n' for k, v in conf.items()))
    p = lab.spawn(ns, ['redis-server', f'{d}/redis.conf'], user='redis',
                  stdout=f'{d}/stdout.log')
    wait_port(ns, addr, 6379)
    return Server('redis', p, d, [f'{d}/redis.log'])


# -- TLS material and openssl s_server -------------------------------------------------------

def make_cert(d, name):
    """A self-signed P-256 certificate for `name`: returns (cert, key) paths."""
    cert, key = f'{d}/{name}.crt', f'{d}/{name}.key'
    run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
         '-nodes', '-subj', f'/CN={name}', '-addext', f'subjectAltName=DNS:{name}', '-days', '30',
         '-keyout', key, '-out', cert])
    return cert, key


def start_s_server(lab, ns, addr, port, args, d=None):
    """openssl s_server on addr:port with extra args; its stdout/stderr go to a log."""
    d = d or workdir(lab)
    p = lab.spawn(ns, ['openssl', 's_server', '-accept', f'{addr}:{port}'] + args,
                  stdout=f'{d}/s_server.log')
    wait_port(ns, addr, port)
    return Server('openssl', p, d, [f'{d}/s_server.log'])

