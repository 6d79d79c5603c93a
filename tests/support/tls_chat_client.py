#!/usr/bin/env python3
"""A chat client on Python's ssl module, for the TLS tests: verifies the server against a CA
file, prints every line it receives, and sends every line typed on stdin."""
import select
import socket
import ssl
import sys


def main() -> int:
    host, port, ca_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    context = ssl.create_default_context(cafile=ca_file)
    with socket.create_connection((host, port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            print(f"python connected with {tls.version()}", flush=True)
            tls.setblocking(False)
            received = b""
            while True:
                # Records already decrypted wait inside the ssl object, where select cannot see them.
                ready, _, _ = select.select([tls, sys.stdin], [], [], 0 if tls.pending() else 30)
                if not ready and not tls.pending():
                    return 1
                if sys.stdin in ready:
                    line = sys.stdin.readline()
                    if not line:
                        return 0
                    tls.setblocking(True)
                    tls.sendall(line.encode())
                    tls.setblocking(False)
                if tls in ready or tls.pending():
                    try:
                        data = tls.recv(65536)
                    except ssl.SSLWantReadError:
                        continue
                    if not data:
                        return 0
                    received += data
                    *lines, received = received.split(b"\n")
                    for line in lines:
                        print("python got: " + line.decode(errors="replace"), flush=True)


if __name__ == "__main__":
    sys.exit(main())
