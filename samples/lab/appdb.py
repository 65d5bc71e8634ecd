"""Database servers saying goodbye: PostgreSQL (idle_session_timeout, pg_terminate_backend, a
wrong password), MariaDB (a host not allowed, a wrong password, wait_timeout) and Redis
(timeout, CLIENT KILL, -ERR before the close)."""
import struct
import time

from appcommon import connect, expect, flow, scenario
from applab import C4B, NS_C, NS_S, S4, AppLab
from apptruth import AppTruth
from clients import (my_login, my_query, pg_login, pg_query, pg_read, pg_terminate,
                     redis_cmd, redis_read)
from netlab import Capture, Truth
from servers import start_mariadb, start_postgres, start_redis


def pg_goodbye(c, timeout):
    """Reads the unsolicited ErrorResponse that precedes the server's close, then the end."""
    m, t, _ = pg_read(c, timeout)
    expect(t == b'E', f'expected ErrorResponse, got {m.text}')
    r, _ = c.until_end(2)
    return m, r


@scenario
def postgres_goodbyes(ctx):
    stem = 'postgres-goodbyes'
    with AppLab() as lab:
        srv = start_postgres(lab, NS_S, S4, dict(idle_session_timeout="'3s'"))
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        idle = connect(lab, S4, 5432)
        pg_login(idle, 'app', 'secret')
        q_idle, a_idle = pg_query(idle, 'SELECT 1')
        t_idle = time.time()
        victim = connect(lab, S4, 5432)
        vmsgs = pg_login(victim, 'app', 'secret')
        pid = next(struct.unpack('!I', m.payload[:4])[0] for m in vmsgs
                   if m.text == 'BackendKeyData')
        q_victim, a_victim = pg_query(victim, 'SELECT 1')
        killer = connect(lab, S4, 5432)
        pg_login(killer, 'app', 'secret')
        q_kill, a_kill = pg_query(killer, f'SELECT pg_terminate_backend({pid})')
        bye_victim, r_victim = pg_goodbye(victim, 3)
        victim.s.close()
        bye_killer = pg_terminate(killer, close=True)
        wrong = connect(lab, S4, 5432)
        wmsgs = pg_login(wrong, 'app', 'not-the-password')
        r_wrong, _ = wrong.until_end(2)
        wrong.s.close()
        bye_idle, r_idle = pg_goodbye(idle, 6)
        waited = time.time() - t_idle
        idle.s.close()
        time.sleep(0.3)
        cap.stop()
    expect('57P05' in bye_idle.text and '57P01' in bye_victim.text and
           '28P01' in wmsgs[-1].text, f'{bye_idle.text} / {bye_victim.text} / {wmsgs[-1].text}')
    t = Truth('PostgreSQL 15 (idle_session_timeout 3s, md5 passwords) ends four sessions: one '
              'left idle (FATAL 57P05), one terminated by pg_terminate_backend from another '
              'session (FATAL 57P01), the terminating session itself (Terminate, then close), '
              'and a login with a wrong password (FATAL 28P01)', 'client', idle_threshold='2s')
    t.comment('client: a minimal PostgreSQL v3 client (startup, md5 password, simple query)')
    ci, si = flow(idle)
    t.add(ci, si, 'IDLE_TIMEOUT', 'server',
          f'SELECT 1 answered, then idle; {waited:.1f} s later recv -> ErrorResponse '
          f'"{bye_idle.text}", then {r_idle}; client close()')
    cv, sv = flow(victim)
    t.add(cv, sv, 'FIN_ORDERLY', 'server',
          f'backend pid {pid}, terminated by the next session: recv -> ErrorResponse '
          f'"{bye_victim.text}", then {r_victim}; client close()')
    ck, sk = flow(killer)
    t.add(ck, sk, 'FIN_ORDERLY', 'client',
          f'SELECT pg_terminate_backend({pid}) -> t; sends Terminate and close()s at once '
          f'(as libpq does; corked, so Terminate and FIN share a segment)')
    cw, sw = flow(wrong)
    t.add(cw, sw, 'FIN_ORDERLY', 'server',
          f'wrong password: recv -> ErrorResponse "{wmsgs[-1].text}", then {r_wrong}; client '
          f'close()')
    a = AppTruth('client')
    a.timer(si, 'server', 3, 'PostgreSQL idle_session_timeout')
    a.add(ci, si, 'postgresql', q_idle, a_idle[0], False, bye_idle,
          timer=f'{si[0]}:{si[1]} server 3s')
    a.add(cv, sv, 'postgresql', q_victim, a_victim[0], False, bye_victim)
    a.add(ck, sk, 'postgresql', q_kill, a_kill[0], False, bye_killer)
    pw = next(m for m in wrong.msgs if m.text.startswith('PasswordMessage'))
    a.add(cw, sw, 'postgresql', pw, wmsgs[-1], False, wmsgs[-1])
    ctx.write(stem, t, a)


@scenario
def mariadb_goodbyes(ctx):
    stem = 'mariadb-goodbyes'
    with AppLab() as lab:
        start_mariadb(lab, NS_S, S4, ['--wait-timeout=3'],
                      "CREATE USER 'app'@'198.18.0.2' IDENTIFIED BY 'secret'; "
                      "GRANT SELECT ON *.* TO 'app'@'198.18.0.2';")
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        idle = connect(lab, S4, 3306)
        imsgs, last = my_login(idle, 'app', 'secret')
        expect(last[:1] == b'\x00', f'login -> {imsgs[-1].text}')
        q_idle, a_idle = my_query(idle, 'SELECT 1')
        t_idle = time.time()
        denied = connect(lab, S4, 3306, source=C4B)
        dmsgs, _ = my_login(denied, 'app', 'secret')
        r_denied, _ = denied.until_end(2)
        denied.s.close()
        wrong = connect(lab, S4, 3306)
        wmsgs, _ = my_login(wrong, 'app', 'not-the-password')
        r_wrong, _ = wrong.until_end(2)
        wrong.s.close()
        r_idle, _ = idle.until_end(8)
        waited = time.time() - t_idle
        leftover = idle.buf
        idle.s.close()
        time.sleep(0.3)
        cap.stop()
    expect('1130' in dmsgs[-1].text and '1045' in wmsgs[-1].text and r_idle in ('EOF', 'ECONNRESET'),
           f'{dmsgs[-1].text} / {wmsgs[-1].text} / {r_idle}')
    t = Truth('MariaDB 10.11 (wait_timeout 3) ends three sessions: a client from a host no '
              'account allows (ERR 1130 in place of the greeting), a wrong password (ERR 1045), '
              'and a session left idle past wait_timeout', 'client', idle_threshold='2s')
    t.comment('client: a minimal MySQL protocol client (handshake v10, mysql_native_password, '
              'COM_QUERY); the denied client connects from 198.18.0.3, the account allows '
              'only 198.18.0.2')
    ci, si = flow(idle)
    cd, sd = flow(denied)
    cw, sw = flow(wrong)
    t.add(cd, sd, 'FIN_ORDERLY', 'server',
          f'recv -> "{dmsgs[-1].text}" as the first packet, then {r_denied}; client close()')
    t.add(cw, sw, 'FIN_ORDERLY', 'server',
          f'recv -> "{wmsgs[-1].text}" after the login, then {r_wrong}; client close()')
    t.add(ci, si, 'IDLE_TIMEOUT', 'server',
          f'SELECT 1 answered, then idle; {waited:.1f} s later recv -> {r_idle} '
          f'({len(leftover)} bytes before it: the server said nothing); client close()')
    a = AppTruth('client')
    a.timer(si, 'server', 3, 'MariaDB wait_timeout')
    a.add(cd, sd, 'mysql', None, None, False, dmsgs[-1])
    a.add(cw, sw, 'mysql', wmsgs[1], wmsgs[2], False, wmsgs[2])
    a.add(ci, si, 'mysql', q_idle, a_idle, False, None, timer=f'{si[0]}:{si[1]} server 3s')
    ctx.write(stem, t, a)


@scenario
def redis_goodbyes(ctx):
    stem = 'redis-goodbyes'
    with AppLab() as lab:
        start_redis(lab, NS_S, S4, dict(timeout=3))
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        idle = connect(lab, S4, 6379)
        q_idle = redis_cmd(idle, 'PING')
        a_idle = redis_read(idle)
        t_idle = time.time()
        victim = connect(lab, S4, 6379)
        q_victim = redis_cmd(victim, 'CLIENT', 'ID')
        a_victim = redis_read(victim)
        killer = connect(lab, S4, 6379)
        q_kill = redis_cmd(killer, 'CLIENT', 'KILL', 'ID', a_victim.text[1:])
        a_kill = redis_read(killer)
        r_victim, _ = victim.until_end(2)
        victim.s.close()
        q_quit = redis_cmd(killer, 'QUIT')
        a_quit = redis_read(killer)
        r_killer, _ = killer.until_end(2)
        killer.s.close()
        bad = connect(lab, S4, 6379)
        q_bad = bad.send(b'SET greeting "hello\r\n', 'SET greeting "hello (inline, unbalanced quote)')
        a_bad = redis_read(bad)
        r_bad, _ = bad.until_end(2)
        bad.s.close()
        r_idle, _ = idle.until_end(8)
        waited = time.time() - t_idle
        idle.s.close()
        time.sleep(0.3)
        cap.stop()
    expect(a_kill.text == ':1' and a_bad.text.startswith('-ERR') and r_idle == 'EOF' and
           r_victim == 'EOF', f'{a_kill.text} / {a_bad.text} / {r_idle} / {r_victim}')
    t = Truth('Redis 7.0 (timeout 3) ends four connections: one left idle (closed after the '
              'timeout, nothing said), one killed by CLIENT KILL from another connection '
              '(nothing said), the killer itself (QUIT: +OK, then the server closes), and a '
              'client whose inline command has an unbalanced quote (-ERR Protocol error, then '
              'the server closes)', 'client', idle_threshold='2s')
    ci, si = flow(idle)
    cv, sv = flow(victim)
    ck, sk = flow(killer)
    cb, sb = flow(bad)
    t.add(ci, si, 'IDLE_TIMEOUT', 'server',
          f'PING -> +PONG, then idle; {waited:.1f} s later recv -> {r_idle}; client close()')
    t.add(cv, sv, 'FIN_ORDERLY', 'server',
          f'CLIENT ID -> {a_victim.text}; killed by the next connection: recv -> {r_victim}; '
          f'client close()')
    t.add(ck, sk, 'FIN_ORDERLY', 'server',
          f'CLIENT KILL ID {a_victim.text[1:]} -> {a_kill.text}; QUIT -> {a_quit.text}, then '
          f'recv -> {r_killer}; client close()')
    t.add(cb, sb, 'FIN_ORDERLY', 'server',
          f'recv -> "{a_bad.text}", then {r_bad}; client close()')
    a = AppTruth('client')
    a.timer(si, 'server', 3, 'Redis timeout (checked by serverCron: closes 3-4 s after the '
                             'last command)')
    a.add(ci, si, 'redis', q_idle, a_idle, False, None, timer=f'{si[0]}:{si[1]} server 3s')
    a.add(cv, sv, 'redis', q_victim, a_victim, False, None)
    a.add(ck, sk, 'redis', q_quit, a_quit, False, a_quit)
    a.add(cb, sb, 'redis', q_bad, a_bad, False, a_bad)
    ctx.write(stem, t, a)


def idle_many(lab, n, session, seed):
    """n clients in threads; session(conn, rnd, quits) runs one client's conversation and
    returns its facts. Every third client ends by itself, the others idle until the server's
    timer closes them."""
    import random
    from netlab import in_thread
    rnd = random.Random(seed)
    jobs = []
    for i in range(n):
        r = random.Random(rnd.random())

        def one(r=r, quits=(i % 3 == 2)):
            time.sleep(r.uniform(0, 3))
            return session(r, quits)
        jobs.append(in_thread(one))
    out = []
    for j in jobs:
        j.join(30)
        if isinstance(getattr(j, 'result', None), BaseException):
            raise j.result
        expect(hasattr(j, 'result'), 'a client did not finish')
        out.append(j.result)
    return out


@scenario
def postgres_idle_many(ctx):
    stem = 'postgres-idle-many'
    with AppLab() as lab:
        start_postgres(lab, NS_S, S4, dict(idle_session_timeout="'3s'"))
        cap = Capture(NS_C, 'c0', ctx.path(stem))

        def session(r, quits):
            c = connect(lab, S4, 5432)
            pg_login(c, 'app', 'secret')
            for k in range(r.randint(1, 3)):
                q, ans = pg_query(c, f'SELECT {k} + {r.randint(1, 99)}')
                time.sleep(r.uniform(0.2, 2.5))
            if quits:
                bye = pg_terminate(c, close=True)
                return c, q, ans[0], bye, 'Terminate and close() at once (one segment with the FIN)'
            t0 = time.time()
            bye, end = pg_goodbye(c, 6)
            c.s.close()
            return c, q, ans[0], bye, f'{bye.text} {time.time() - t0:.1f} s later, then {end}'
        out = idle_many(lab, 12, session, int(time.time()))
        time.sleep(0.3)
        cap.stop()
    t = Truth('PostgreSQL 15 with idle_session_timeout 3s: twelve clients log in, run one to '
              'three queries with think times under 3 s; every third sends Terminate and '
              'closes, the others idle until the server ends them with FATAL 57P05',
              'client', idle_threshold='2s')
    a = AppTruth('client')
    srv = (S4, 5432)
    a.timer(srv, 'server', 3, 'PostgreSQL idle_session_timeout')
    for c, q, ans, bye, how in out:
        ci, si = flow(c)
        mine = bye.frm == 'client'
        expect(mine or '57P05' in bye.text, f'{ci}: {bye.text}')
        t.add(ci, si, 'FIN_ORDERLY' if mine else 'IDLE_TIMEOUT', 'client' if mine else 'server',
              f'last {q.text} answered; {how}')
        a.add(ci, si, 'postgresql', q, ans, False, bye,
              timer=None if mine else f'{S4}:5432 server 3s')
    ctx.write(stem, t, a)


@scenario
def redis_idle_many(ctx):
    stem = 'redis-idle-many'
    with AppLab() as lab:
        start_redis(lab, NS_S, S4, dict(timeout=3))
        cap = Capture(NS_C, 'c0', ctx.path(stem))

        def session(r, quits):
            c = connect(lab, S4, 6379)
            for k in range(r.randint(1, 3)):
                q = redis_cmd(c, 'INCR', f'counter:{r.randint(1, 5)}')
                ans = redis_read(c)
                time.sleep(r.uniform(0.2, 2.5))
            if quits:
                q = redis_cmd(c, 'QUIT')
                ans = redis_read(c)
                end, _ = c.until_end(2)
                c.s.close()
                return c, q, ans, ans, f'QUIT -> {ans.text}, then {end}; close()'
            end, waited = c.until_end(8)
            c.s.close()
            return c, q, ans, None, f'idle; recv -> {end} {waited:.1f} s later; close()'
        out = idle_many(lab, 12, session, int(time.time()))
        time.sleep(0.3)
        cap.stop()
    t = Truth('Redis 7.0 with timeout 3: twelve clients send one to three INCRs with think '
              'times under 3 s; every third sends QUIT (+OK, then the server closes), the '
              'others idle until the server closes them (3-4 s: the check runs in serverCron)',
              'client', idle_threshold='2s')
    a = AppTruth('client')
    a.timer((S4, 6379), 'server', 3, 'Redis timeout')
    for c, q, ans, bye, how in out:
        ci, si = flow(c)
        expect('EOF' in how, f'{ci}: {how}')
        t.add(ci, si, 'FIN_ORDERLY' if bye else 'IDLE_TIMEOUT', 'server',
              f'last {q.text} -> {ans.text}; {how}')
        a.add(ci, si, 'redis', q, ans, False, bye,
              timer=None if bye else f'{S4}:6379 server 3s')
    ctx.write(stem, t, a)
