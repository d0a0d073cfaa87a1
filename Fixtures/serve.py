#!/usr/bin/env python3
"""Static file server for pyman's tests, with fault injection.

    python3 Fixtures/serve.py DIR [--port N] [--verbose] [--tls-cert PEM --tls-key PEM] [--tunnel-to PORT]

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
    reset       headers and half the body, then a TCP reset; Range honoured (half
                of the rest, then the reset), as by the file served unfaulted
    resetnorange
                reset, and every request of that path ignores Range (200, whole file)
    auth        Basic auth required (user AUTH_USER, password AUTH_TOKEN below): 401
                without them or with others, else the rest of the path served
    authredirect
                auth, then 302 to the rest of the path taken as a URL
    truncate    Content-Length of the whole file, half the body, then close
    stall       headers and 16 bytes, then silence for 120 s
    slow        the body at <n> KiB/s (here <n> is the rate; 256 if left out)
    redirect    302 to the rest of the path taken as a URL (/fault/redirect/ftp://host/x)
    endless     200 without a length, then zeros until the client goes (at most 1 GiB)
    trailing    the file without a length, then zeros until the client goes (at most 1 GiB)

Files are served with an ETag; a request whose If-None-Match names it (or
whose If-Modified-Since is not older than the file) is answered 304. A
`Range: bytes=N-` request is answered 206 with the rest of the file from byte
N, unless its If-Range names another ETag (then 200 and the whole file).

Counters: GET /__requests?path=<url path> answers {"requests": N, "proxied": M,
"not_modified": K, "connections": C, "authorized": A} for that path (percent-decoded, without
query); ?prefix=<p> sums every path starting with <p>. C counts every TCP
connection the server accepted, this query's own included (the answer closes
it, so each query is one new connection). A request in absolute form (GET http://host/path, what a
client configured with http_proxy sends) is served as /path and counted as
proxied, so the server doubles as an HTTP proxy for its own files. A counts requests
that carried an Authorization header.

Log: GET /__log?prefix=<p> answers a JSON list of the requests whose path
starts with <p>, in order: {"path", "status", "range", "authorized"} (range:
the Range header or null; authorized: whether an Authorization header came).

Tunnels: a CONNECT request (what a client configured with https_proxy sends
for an https URL) is logged and counted under the path "CONNECT host:port".
With --tunnel-to PORT it is answered 200 and its bytes are relayed to
127.0.0.1:PORT, whatever host it names: with a TLS server there whose
certificate names that host, a local server stands in for github.com. Without
--tunnel-to it is answered 502.
"""

import argparse
import base64
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

AUTH_USER = "mirror-user"
AUTH_TOKEN = "tok-93f1c7e2-secret"
RANGE = re.compile(r"^bytes=(\d+)-$")

FAULT = re.compile(r"^/fault/(?P<mode>[a-z0-9]+)(?:-(?P<n>\d+))?(?:@[^/]*)?(?P<rest>/.*)$")


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = {}
        self.proxied = {}
        self.not_modified = {}
        self.authorized = {}
        self.connections = 0
        self.log = []

    def record(self, path, status, range_header, authorized):
        with self.lock:
            self.log.append({"path": path, "status": status, "range": range_header, "authorized": authorized})

    def entries(self, prefix):
        with self.lock:
            return [entry for entry in self.log if entry["path"].startswith(prefix)]

    def connected(self):
        with self.lock:
            self.connections += 1

    def count_not_modified(self, path):
        with self.lock:
            self.not_modified[path] = self.not_modified.get(path, 0) + 1

    def count(self, path, proxied, authorized=False):
        """Counts a request and returns how many requests that path had, this one included."""
        with self.lock:
            self.requests[path] = self.requests.get(path, 0) + 1
            if authorized:
                self.authorized[path] = self.authorized.get(path, 0) + 1
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
                    "not_modified": total(self.not_modified), "connections": self.connections,
                    "authorized": total(self.authorized)}


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
        self.__dict__.pop("counted_path", None)   # a kept-alive connection's last request is not this one
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
        if path == "/__log":
            query = urllib.parse.parse_qs(parts.query)
            body = json.dumps(COUNTERS.entries(query.get("prefix", [""])[0]))
            self.close_connection = True
            return self.send_bytes(200, body.encode(), "application/json", close=True)
        nth = COUNTERS.count(path, proxied, authorized="Authorization" in self.headers)
        fault = FAULT.match(path)
        self.counted_path = path
        if not fault:
            return self.send_static()
        mode, n, rest = fault.group("mode"), fault.group("n"), fault.group("rest")
        if mode in ("auth", "authredirect"):
            expected = "Basic " + base64.b64encode(("%s:%s" % (AUTH_USER, AUTH_TOKEN)).encode()).decode()
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="pyman test mirror"')
                self.send_header("Content-Length", "0")
                return self.end_headers()
            if mode == "auth":
                self.path = urllib.parse.quote(rest)
                return self.send_static()
            mode = "redirect"
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
            return self.send_static(ranges=mode != "resetnorange")
        if mode.isdigit():
            return self.send_bytes(int(mode), b"injected fault\n", "text/plain")
        if mode in ("reset", "truncate", "stall", "resetnorange"):
            wanted = RANGE.match(self.headers.get("Range") or "") if mode == "reset" else None
            return self.send_file(fault="reset" if mode == "resetnorange" else mode, start=int(wanted.group(1)) if wanted else 0)
        return self.send_bytes(400, b"unknown fault mode\n", "text/plain")

    def do_CONNECT(self):
        self.counted_path = "CONNECT " + self.path
        COUNTERS.count(self.counted_path, proxied=True)
        upstream = None
        if self.server.tunnel_to:
            try:
                upstream = socket.create_connection(("127.0.0.1", self.server.tunnel_to))
            except OSError:
                pass
        if upstream is None:
            return self.send_bytes(502, b"no tunnel\n", "text/plain", close=True)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.close_connection = True
        relay(self.connection, upstream)

    def send_static(self, ranges=True):
        """The file with its ETag, or 304 when the request names that ETag, or the rest of it (206)
        when the request asks a Range from a byte on (and its If-Range, if any, names the ETag)."""
        path = self.translate_path(self.path)
        self.etag = None
        if os.path.isfile(path):
            info = os.stat(path)
            self.etag = '"%x-%x"' % (info.st_size, info.st_mtime_ns)
            if self.headers.get("If-None-Match") == self.etag:
                self.send_response(304)
                self.send_header("Content-Length", "0")
                return self.end_headers()
            wanted = RANGE.match(self.headers.get("Range") or "")
            condition = self.headers.get("If-Range")
            if ranges and wanted and (condition is None or condition == self.etag) and int(wanted.group(1)) < info.st_size:
                return self.send_rest(path, int(wanted.group(1)), info.st_size)
        return super().do_GET()

    def send_rest(self, path, start, size):
        self.send_response(206)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Range", "bytes %d-%d/%d" % (start, size - 1, size))
        self.send_header("Content-Length", str(size - start))
        self.end_headers()
        with open(path, "rb") as fh:
            fh.seek(start)
            shutil.copyfileobj(fh, self.wfile)

    def send_response(self, code, message=None):
        if code == 304:
            COUNTERS.count_not_modified(getattr(self, "counted_path", self.path))
        if hasattr(self, "counted_path"):
            COUNTERS.record(self.counted_path, code, self.headers.get("Range"), "Authorization" in self.headers)
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

    def send_file(self, fault=None, rate=None, start=0):
        """The file (from byte `start` on, as a 206, when a Range asked it), with `fault`."""
        path = self.translate_path(self.path)
        if not os.path.isfile(path):
            return self.send_error(404)
        size = os.path.getsize(path)
        start = start if start < size else 0
        self.send_response(206 if start else 200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size - start))
        if start:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, size - 1, size))
        self.end_headers()
        with open(path, "rb") as fh:
            fh.seek(start)
            if fault == "stall":
                self.wfile.write(fh.read(16))
                self.wfile.flush()
                time.sleep(120)
            elif fault in ("reset", "truncate"):
                self.wfile.write(fh.read((size - start) // 2))
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


def relay(client, upstream):
    """Copies bytes both ways until both sides are done, then closes `upstream`."""
    def pump(source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            try:
                sink.shutdown(socket.SHUT_WR)
            except OSError:
                pass
    back = threading.Thread(target=pump, args=(upstream, client), daemon=True)
    back.start()
    pump(client, upstream)
    back.join()
    upstream.close()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    verbose = False
    tunnel_to = None

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
    parser.add_argument("--tunnel-to", type=int, help="relay CONNECT requests to this port of 127.0.0.1")
    args = parser.parse_args(argv)

    directory = os.path.abspath(args.directory)
    if not os.path.isdir(directory):
        parser.error("not a directory: %s" % directory)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")

    handler = functools.partial(Handler, directory=directory)
    Handler.verbose = Server.verbose = args.verbose
    server = Server(("127.0.0.1", args.port), handler)
    server.tunnel_to = args.tunnel_to
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
