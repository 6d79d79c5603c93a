#!/usr/bin/env python3
"""What an idle client costs chatroomd in memory, for the line protocol or IRC.

Connects N clients to a running chatroomd one after another, each reading its whole welcome
(for IRC, registration up to the end of the lobby's NAMES) before the next connects, so the
daemon never holds a backlog; then reads the daemon's resident memory from /proc and prints
the growth per client. The clients stay connected until the report is printed.

Usage: bench/idle_memory.py --port PORT --server-pid PID [--proto line|irc] [--clients N]
Start the daemon with --history 0 --announce-max-room 0 --rate-limit 0 (and --irc-port for
IRC) so that nothing but the clients themselves is measured. Loopback only.
"""
import argparse
import resource
import socket
import sys
import time


def resident_bytes(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise SystemExit(f"no VmRSS for pid {pid}")


def read_until(sock, marker, timeout_s=10.0):
    sock.settimeout(timeout_s)
    received = b""
    while marker not in received:
        chunk = sock.recv(65536)
        if not chunk:
            raise SystemExit("the daemon closed a connection: is it full, or rate limiting?")
        received += chunk


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--proto", choices=["line", "irc"], default="line")
    parser.add_argument("--clients", type=int, default=5000)
    args = parser.parse_args()
    wanted = args.clients + 64
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))

    clients = []
    before = resident_bytes(args.server_pid)
    for i in range(args.clients):
        sock = socket.create_connection(("127.0.0.1", args.port))
        if args.proto == "irc":
            sock.sendall(f"NICK idle{i}\r\nUSER idle 0 * :idle\r\n".encode())
            read_until(sock, b" 366 ")
        else:
            sock.sendall(f"\\nick idle{i}\n".encode())
            read_until(sock, b"known as")
        clients.append(sock)
        if (i + 1) % 1000 == 0:
            print(f"  {i + 1} clients connected", file=sys.stderr)
    time.sleep(1)
    after = resident_bytes(args.server_pid)
    print(f"{args.proto}: {args.clients} idle clients, daemon RSS {before / 2**20:.1f} MiB -> "
          f"{after / 2**20:.1f} MiB: {(after - before) / args.clients:.0f} bytes per client")


if __name__ == "__main__":
    main()
