#!/usr/bin/python3
"""The seeds' own stack as a baseline: asyncio + websockets + json.

Logs in to a Kiwoom-protocol WebSocket, echoes PINGs, and for every REAL frame does the
extraction Hoga's scanner does for a 0B tick (code, price, signed volume, cumulative
volume, high/low/open, best ask/bid, time), counting ticks. When it has seen COUNT ticks
it prints one JSON line {"ticks":…, "seconds":…, "ticks_per_s":…} and exits.

Usage: py-ingest.py WS_URL TOKEN COUNT   (prints "ready" once logged in)
"""
import asyncio
import json
import sys
import time

import websockets


def absolute(text):
    return abs(int(text)) if text.strip() else 0


def signed(text):
    return int(text) if text.strip() else 0


def extract(values):
    return (
        absolute(values.get("10", "")),
        signed(values.get("15", "")),
        signed(values.get("13", "")),
        absolute(values.get("16", "")),
        absolute(values.get("17", "")),
        absolute(values.get("18", "")),
        absolute(values.get("27", "")),
        absolute(values.get("28", "")),
        int(values.get("20", "0") or 0),
    )


async def run(url, token, count):
    async with websockets.connect(url, max_size=None, ping_interval=None) as ws:
        await ws.send(json.dumps({"trnm": "LOGIN", "token": token}))
        ticks = 0
        first = last = None
        sink = 0
        async for message in ws:
            frame = json.loads(message)
            kind = frame.get("trnm")
            if kind == "PING":
                await ws.send(message)
                continue
            if kind == "LOGIN":
                print("ready", flush=True)
                continue
            if kind != "REAL":
                continue
            for entry in frame.get("data", []):
                if entry.get("type") != "0B":
                    continue
                code = entry.get("item", "").lstrip("A").split("_")[0]
                sink += extract(entry.get("values", {}))[0] + len(code)
                ticks += 1
            now = time.monotonic()
            first = first or now
            last = now
            if ticks >= count:
                break
        seconds = max(last - first, 1e-9)
        print(json.dumps({"ticks": ticks, "seconds": seconds,
                          "ticks_per_s": (ticks - 1) / seconds, "sink": sink}), flush=True)


if __name__ == "__main__":
    asyncio.run(run(sys.argv[1], sys.argv[2], int(sys.argv[3])))
