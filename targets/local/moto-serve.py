"""moto's server for the local lab: moto's own WSGI application on waitress.

Why not `moto_server`: it runs werkzeug's development server, which since werkzeug 2.1 answers
every request with `Connection: close`. Every AWS SDK call then opened a new TCP connection
through Toxiproxy, a new proxied connection to moto, and a new Python thread there (measured
on the lab at 30 transfers/s: ~55 new connections a second, one per call). waitress keeps
connections alive, so the SDK's keep-alive agents reuse them (issue 11). The application is
the one `moto_server` serves (moto/server.py), so the DynamoDB, Streams and S3 APIs answer the
same.

It also remembers two lookups moto 5.2.5 repeats on every request although their answers never
change while it runs (cache_moto_lookups): measured with cProfile over 1,000 PutItems, they were
~17% of moto's time per request.

One request at a time (one_at_a_time): moto takes no lock around a conditional write. Its
PutItem reads the stored item, parses and evaluates the condition, then stores the new item, and
a request on another thread can write the same item in between; two racing conditional puts can
then both win, a lost update DynamoDB never makes (seen once: two winners of a create-if-absent
race under load, with moto_server's threads). The lock covers the whole request, the response
body included. moto's handlers hold the GIL anyway, so it costs no parallelism; waitress's
threads still read and write the sockets.

Niceness (--nice, 0 unless PAYCHAOS_MOTO_NICENESS asks the lab for more; moto-server.ts says
why): set before waitress starts its threads, which inherit it (Linux's niceness is per thread).

Run with the virtualenv's python: python moto-serve.py --host 127.0.0.1 --port PORT [--nice N]
"""

import argparse
import os
import threading

import moto.backends
import moto.core.responses
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from waitress import serve

# Threads reading and writing connections. One request is handled at a time (one_at_a_time); the
# threads keep a slow client's socket from holding up the rest.
THREADS = 8
# Open connections: each lab client keeps up to 64 (targets/local/dynamodb-client.ts), and a
# region's moto serves the bank, two tables' replicators in each direction and the bench's
# probes. Beyond it waitress stops accepting until one closes.
CONNECTIONS_MAX = 1024
# An idle keep-alive connection is closed after this; clients reconnect.
IDLE_S = 120


def cache_moto_lookups() -> None:
    """moto's package directory listed (a listdir and a stat per entry: list_of_moto_modules,
    asked for the request's host) and a response class's methods found by inspect.getmembers
    (method_names_from_class, to dispatch the action), on every request. Neither answer changes
    while the server runs. Names of moto 5.2.5 (scripts/provision-moto.sh pins it); if they are
    gone, fail here rather than serve uncached."""
    list_modules = getattr(moto.backends, "list_of_moto_modules")
    method_names = getattr(moto.core.responses, "method_names_from_class")
    assert callable(list_modules) and callable(method_names), "moto's lookups moved"
    modules = tuple(list_modules())
    moto.backends.list_of_moto_modules = lambda: iter(modules)
    names_by_class: dict[type, tuple[str, ...]] = {}

    def cached_method_names(clazz: type) -> list[str]:
        names = names_by_class.get(clazz)
        if names is None:
            names = names_by_class[clazz] = tuple(method_names(clazz))
        return list(names)

    moto.core.responses.method_names_from_class = cached_method_names


def one_at_a_time(app):
    handling = threading.Lock()

    def handle(environ, start_response):
        with handling:
            return list(app(environ, start_response))

    return handle


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--nice", type=int, default=0)
    args = parser.parse_args()
    if not 0 <= args.nice <= 19:
        parser.error(f"--nice must be 0..19, got {args.nice}")
    os.nice(args.nice)
    # moto builds some URLs (S3's, the dashboard's) from it, as moto_server sets it.
    os.environ.setdefault("MOTO_PORT", str(args.port))
    cache_moto_lookups()
    app = one_at_a_time(DomainDispatcherApplication(create_backend_app))
    serve(
        app,
        host=args.host,
        port=args.port,
        threads=THREADS,
        connection_limit=CONNECTIONS_MAX,
        channel_timeout=IDLE_S,
        # poll(), not select(): select() fails past 1024 file descriptors.
        asyncore_use_poll=True,
        ident="moto",
    )


if __name__ == "__main__":
    main()
