#!/usr/bin/env python3
"""A chat client on the python3-websockets library, for the WebSocket tests: sends every line
typed on stdin as a text message and prints what happens:
  ws connected | ws got: MESSAGE | ws closed: CODE REASON | ws refused: STATUS

usage: ws_chat_client.py URL [ORIGIN]
"""
import asyncio
import sys

import websockets


async def forward_stdin(socket):
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            await socket.close()
            return
        await socket.send(line.decode().rstrip("\n"))


async def main() -> int:
    url = sys.argv[1]
    origin = sys.argv[2] if len(sys.argv) > 2 else None
    try:
        socket = await websockets.connect(url, origin=origin, max_size=1 << 24, ping_interval=None)
    except websockets.exceptions.InvalidStatusCode as refused:
        print(f"ws refused: {refused.status_code}", flush=True)
        return 1
    print("ws connected", flush=True)
    sender = asyncio.create_task(forward_stdin(socket))
    try:
        async for message in socket:
            print(f"ws got: {message}", flush=True)
    except websockets.exceptions.ConnectionClosed:
        pass
    sender.cancel()
    print(f"ws closed: {socket.close_code} {socket.close_reason}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
