"""moto's server with one request at a time: the lab's DynamoDB API per region.

moto's own `moto_server` serves each request on a thread and takes no lock around a conditional
write: it reads the stored item, parses and evaluates the condition, then stores the new item,
and another thread can write the same item in between. Two racing conditional puts can then both
win (a lost update; the lab's bank would make money). DynamoDB itself applies a conditional write
atomically, so the lab wraps moto's WSGI application in one lock: requests still arrive on
threads (keep-alive connections stay open), but each is handled, body included, alone. Python's
GIL already runs one request's code at a time, so the lock costs no parallelism.

Run with the moto virtualenv's python: python moto_serialized.py -H 127.0.0.1 -p PORT
"""

import sys
import threading

import moto.server
from werkzeug import serving

_handling = threading.Lock()
_run_simple = serving.run_simple


def _one_at_a_time(app):
    def handle(environ, start_response):
        with _handling:
            return list(app(environ, start_response))

    return handle


def _run_simple_serialized(host, port, application, **options):
    _run_simple(host, port, _one_at_a_time(application), **options)


moto.server.run_simple = _run_simple_serialized

if __name__ == "__main__":
    moto.server.main(sys.argv[1:])
