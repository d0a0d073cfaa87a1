#!/usr/bin/env python3
"""Static file server for pyman's tests, with fault injection.

    python3 Fixtures/serve.py DIR [--port N] [--verbose] [--tls-cert PEM --tls-key PEM]

Serves DIR over HTTP/1.1 on 127.0.0.1 (HTTPS with --tls-cert/--tls-key). The
first line on stdout is the bound port number alone (port 0, the default, lets
the OS pick one). Request logs go to stderr only with --verbose. SIGTERM or
SIGINT stops it cleanly (exit 0).

Faults: GET /fault/<spec>/<path> serves DIR/<path> with a fault, where <spec>
is <mode>[-<n>][@<tag>]. The fault hits the first <n> requests of that exact
URL path (every request when -<n> is left out), later ones are served
normally. The tag only makes the URL unique, so each test counts its own
requests. Modes:

    ok          no fault (a tagged URL, to count requests)
    403 404 500 502 503 ...
                that HTTP status, with a short body
    reset       headers and half the body, then a TCP reset
    truncate    Content-Length of the whole file, half the body, then close
    stall       headers and 16 bytes, then silence for 120 s
    slow        the body at <n> KiB/s (here <n> is the rate; 256 if left out)
    redirect    302 to the rest of the path taken as a URL (/fault/redirect/ftp://host/x)
    endless     200 without a length, then zeros until the client goes (at most 1 GiB)
    trailing    the file without a length, then zeros until the client goes (at most 1 GiB)

Files are served with an ETag; a request whose If-None-Match names it (or
whose If-Modified-Since is not older than the file) is answered 304.

Counters: GET /__requests?path=<url path> answers {"requests": N, "proxied": M,
"not_modified": K, "connections": C} for that path (percent-decoded, without
query); ?prefix=<p> sums every path starting with <p>. C counts every TCP
connection the server accepted, this query's own included (the answer closes
it, so each query is one new connection). A request in absolute form (GET http://host/path, what a
client configured with http_proxy sends) is served as /path and counted as
proxied, so the server doubles as an HTTP proxy for its own files.
"""

import argparse
import functools
import http.server
import json
import os
import re
import signal
import shutil
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse

FAULT = re.compile(r"^/fault/(?P<mode>[a-z0-9]+)(?:-(?P<n>\d+))?(?:@[^/]*)?(?P<rest>/.*)$")


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = {}
        self.proxied = {}
        self.not_modified = {}
        self.connections = 0

    def connected(self):
        with self.lock:
            self.connections += 1

    def count_not_modified(self, path):
        with self.lock:
            self.not_modified[path] = self.not_modified.get(path, 0) + 1

    def count(self, path, proxied):
        """Counts a request and returns how many requests that path had, this one included."""
        with self.lock:
            self.requests[path] = self.requests.get(path, 0) + 1
            if proxied:
                self.proxied[path] = self.proxied.get(path, 0) + 1
            return self.requests[path]

    def report(self, path=None, prefix=None):
        with self.lock:
            def total(table):
                if path is not None:
                    return table.get(path, 0)
                return sum(n for p, n in table.items() if p.startswith(prefix or ""))
            return {"requests": total(self.requests), "proxied": total(self.proxied),
                    "not_modified": total(self.not_modified), "connections": self.connections}


COUNTERS = Counters()


class Handler(http.server.SimpleHTTPRequestHandler):
    # HTTP/1.1 keep-alive; SimpleHTTPRequestHandler sends Content-Length for
    # files, and send_error() sets it for error bodies.
    protocol_version = "HTTP/1.1"
    verbose = False

    def log_message(self, format, *args):
        if self.verbose:
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))
            sys.stderr.flush()

    def do_GET(self):
        proxied = not self.path.startswith("/")
        if proxied:  # absolute form: http://host:port/path?query
            parts = urllib.parse.urlsplit(self.path)
            self.path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        parts = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(parts.path)
        if path == "/__requests":
            query = urllib.parse.parse_qs(parts.query)
            body = json.dumps(COUNTERS.report(query.get("path", [None])[0], query.get("prefix", [None])[0]))
            self.close_connection = True
            return self.send_bytes(200, body.encode(), "application/json", close=True)
        nth = COUNTERS.count(path, proxied)
        fault = FAULT.match(path)
        self.counted_path = path
        if not fault:
            return self.send_static()
        mode, n, rest = fault.group("mode"), fault.group("n"), fault.group("rest")
        if mode == "endless":
            return self.send_endless()
        if mode == "trailing":
            return self.send_endless(first=rest)
        if mode == "redirect":
            self.send_response(302)
            self.send_header("Location", rest[1:])
            self.send_header("Content-Length", "0")
            return self.end_headers()
        self.path = urllib.parse.quote(rest)
        if mode == "slow":
            return self.send_file(rate=int(n or 256) * 1024)
        if mode == "ok" or (n is not None and nth > int(n)):
            return self.send_static()
        if mode.isdigit():
            return self.send_bytes(int(mode), b"injected fault\n", "text/plain")
        if mode in ("reset", "truncate", "stall"):
            return self.send_file(fault=mode)
        return self.send_bytes(400, b"unknown fault mode\n", "text/plain")

    def send_static(self):
        """The file with its ETag, or 304 when the request names that ETag."""
        path = self.translate_path(self.path)
        self.etag = None
        if os.path.isfile(path):
            info = os.stat(path)
            self.etag = '"%x-%x"' % (info.st_size, info.st_mtime_ns)
            if self.headers.get("If-None-Match") == self.etag:
                self.send_response(304)
                self.send_header("Content-Length", "0")
                return self.end_headers()
        return super().do_GET()

    def send_response(self, code, message=None):
        if code == 304:
            COUNTERS.count_not_modified(getattr(self, "counted_path", self.path))
        super().send_response(code, message)

    def end_headers(self):
        if getattr(self, "etag", None):
            self.send_header("ETag", self.etag)
            self.etag = None
        super().end_headers()

    def send_endless(self, first=None):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Connection", "close")  # no length: the body ends when the connection does
        self.end_headers()
        self.close_connection = True
        if first is not None:
            with open(self.translate_path(urllib.parse.quote(first)), "rb") as f:
                shutil.copyfileobj(f, self.wfile)
        zeros = b"0" * 65536
        for _ in range(16384):  # 1 GiB, then the server stops by itself
            self.wfile.write(zeros)

    def send_bytes(self, status, body, content_type, close=False):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if close:
            self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_file(self, fault=None, rate=None):
        path = self.translate_path(self.path)
        if not os.path.isfile(path):
            return self.send_error(404)
        size = os.path.getsize(path)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        with open(path, "rb") as fh:
            if fault == "stall":
                self.wfile.write(fh.read(16))
                self.wfile.flush()
                time.sleep(120)
            elif fault in ("reset", "truncate"):
                self.wfile.write(fh.read(size // 2))
                self.wfile.flush()
                if fault == "reset":  # SO_LINGER 0: close() sends RST instead of FIN
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                chunk = max(1, rate // 20) if rate else 1 << 16
                while True:
                    data = fh.read(chunk)
                    if not data:
                        return
                    self.wfile.write(data)
                    if rate:
                        time.sleep(0.05)
        self.close_connection = True
        self.connection.close()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    verbose = False

    def process_request(self, request, client_address):
        COUNTERS.connected()
        super().process_request(request, client_address)

    def handle_error(self, request, client_address):
        # Clients that give up (faults, failed TLS verification) are expected here.
        if self.verbose:
            super().handle_error(request, client_address)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", help="directory to serve")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    parser.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    parser.add_argument("--tls-key", help="private key of --tls-cert (PEM)")
    args = parser.parse_args(argv)

    directory = os.path.abspath(args.directory)
    if not os.path.isdir(directory):
        parser.error("not a directory: %s" % directory)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")

    handler = functools.partial(Handler, directory=directory)
    Handler.verbose = Server.verbose = args.verbose
    server = Server(("127.0.0.1", args.port), handler)
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        # The handshake runs in the request's thread, so a client that refuses the
        # certificate cannot hold up the accept loop.
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)

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
