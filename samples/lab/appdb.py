"""Database servers saying goodbye: PostgreSQL (idle_session_timeout, pg_terminate_backend, a
wrong password), MariaDB (a host not allowed, a wrong password, wait_timeout) and Redis
(timeout, CLIENT KILL, -ERR before the close)."""
import struct
import time

from appcommon import connect, expect, flow, scenario
from applab import C4B, NS_C, NS_S, S4, AppLab
from apptruth import AppTruth
from clients import (my_login, my_query, my_quit, pg_login, pg_query, pg_read, pg_terminate,
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
        bye_killer = pg_terminate(killer)  # and close() at once, as libpq does
        killer.s.close()
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
          f'(as libpq does)')
    cw, sw = flow(wrong)
    t.add(cw, sw, 'FIN_ORDERLY', 'server',
          f'wrong password: recv -> ErrorResponse "{wmsgs[-1].text}", then {r_wrong}; client '
          f'close()')
    ctx.truth(stem, t)
    a = AppTruth('client')
    a.timer(si, 'server', 3, 'PostgreSQL idle_session_timeout')
    a.add(ci, si, 'postgresql', q_idle, a_idle[0], False, bye_idle,
          timer=f'{si[0]}:{si[1]} server 3s')
    a.add(cv, sv, 'postgresql', q_victim, a_victim[0], False, bye_victim)
    a.add(ck, sk, 'postgresql', q_kill, a_kill[0], False, bye_killer)
    pw = next(m for m in wrong.msgs if m.text.startswith('PasswordMessage'))
    a.add(cw, sw, 'postgresql', pw, wmsgs[-1], False, wmsgs[-1])
    ctx.app(stem, a, ctx.path(stem))
