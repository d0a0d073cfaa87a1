#!/usr/bin/env python3
"""Static file server for pyman's tests.

    python3 Fixtures/serve.py DIR [--port N] [--verbose]

Serves DIR over HTTP/1.1 on 127.0.0.1. The first line on stdout is the bound
port number alone (port 0, the default, lets the OS pick one). Request logs go
to stderr only with --verbose. SIGTERM or SIGINT stops it cleanly (exit 0).
"""

import argparse
import functools
import http.server
import os
import signal
import sys
import threading


class Handler(http.server.SimpleHTTPRequestHandler):
    # HTTP/1.1 keep-alive; SimpleHTTPRequestHandler sends Content-Length for
    # files, and send_error() sets it for error bodies.
    protocol_version = "HTTP/1.1"
    verbose = False

    def log_message(self, format, *args):
        if self.verbose:
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))
            sys.stderr.flush()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", help="directory to serve")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = parser.parse_args(argv)

    directory = os.path.abspath(args.directory)
    if not os.path.isdir(directory):
        parser.error("not a directory: %s" % directory)

    handler = functools.partial(Handler, directory=directory)
    Handler.verbose = args.verbose
    server = Server(("127.0.0.1", args.port), handler)

    def stop(signum, frame):
        # shutdown() blocks until serve_forever() returns, so not on this thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    print(server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
