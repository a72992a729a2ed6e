"""moto's server for the local lab: moto's own WSGI application on waitress.

Why not `moto_server`: it runs werkzeug's development server, which since werkzeug 2.1 answers
every request with `Connection: close`. Every AWS SDK call then opened a new TCP connection
through Toxiproxy, a new proxied connection to moto, and a new Python thread there (measured
on the lab at 30 transfers/s: ~55 new connections a second, one per call). waitress keeps
connections alive, so the SDK's keep-alive agents reuse them (issue 11). The application is
the one `moto_server` serves (moto/server.py), so the DynamoDB, Streams and S3 APIs answer the
same.

Run with the virtualenv's python: python moto-serve.py --host 127.0.0.1 --port PORT
"""

import argparse
import os

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from waitress import serve

# Requests handled at once. moto's handlers hold the GIL, so more threads add no throughput;
# enough that a slow call (a large scan) does not hold up the rest.
THREADS = 8
# Open connections: each lab client keeps up to 64 (targets/local/dynamodb-client.ts), and a
# region's moto serves the bank, two tables' replicators in each direction and the bench's
# probes. Beyond it waitress stops accepting until one closes.
CONNECTIONS_MAX = 1024
# An idle keep-alive connection is closed after this; clients reconnect.
IDLE_S = 120


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # moto builds some URLs (S3's, the dashboard's) from it, as moto_server sets it.
    os.environ.setdefault("MOTO_PORT", str(args.port))
    app = DomainDispatcherApplication(create_backend_app)
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
