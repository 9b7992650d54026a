#!/usr/bin/env python3
# soak.py — a whole KRX trading day of `hoga --headless` on hoga-exchange, accelerated,
# with a fault every few simulated minutes, then the bars of docs/RELIABILITY.md checked
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The exchange runs the real KST session schedule (--clock krx) at --speed simulated
# seconds per real second, with 3,000 symbols, and the engine runs on the same clock
# (HOGA_TEST_CLOCK + HOGA_TEST_CLOCK_SPEED, read by builds with crash points). Hoga trades
# automatically (buy condition, stop-loss, trailing stop, take-profit, sell condition, end
# of day) while this program injects faults through the exchange's control endpoint. At
# the end it compares what the exchange received and filled with Hoga's journal.
#
# Only the standard library: run it with the build's programs,
#   HOGA=_build/src/hoga/hoga HOGA_EXCHANGE=_build/src/exchange/hoga-exchange \
#     python3 bench/soak.py [--speed 18] [--keep DIR]
# or `meson test -C _build --benchmark soak`. It prints one JSON line per fault and per
# finding, and a summary JSON object last; the exit status is 0 when every bar is met.
#
# crash-campaign.py imports the process, exchange and journal helpers from here.

import argparse
import asyncio
import ctypes
import json
import math
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone

KST = timezone(timedelta(hours=9))
APPKEY = "soak-appkey"
SECRETKEY = "soak-secretkey"
TERMINAL = ("FILLED", "CANCELLED", "REJECTED")

# ---- small helpers ---------------------------------------------------------------------


def emit(kind, **fields):
    """One JSON line of progress on stdout."""
    fields = {"kind": kind, **fields}
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def parse_time(text):
    """A JSON line's "time" (ISO 8601 with offset) as seconds since the epoch."""
    return datetime.fromisoformat(text).timestamp()


def stamp_to_datetime(stamp):
    """The exchange's status clock, YYYYMMDDHHMMSS in KST."""
    return datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=KST)


def _die_with_parent():
    # A harness killed by a timeout must not leave a trading engine behind it.
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None


# ---- the exchange ----------------------------------------------------------------------


class Exchange:
    """hoga-exchange as a child process, driven through its control endpoint."""

    def __init__(self, program, args, workdir):
        self.program = program
        self.args = list(args)
        self.workdir = workdir
        self.process = None
        self.urls = None
        self.stderr_path = os.path.join(workdir, "exchange.log")

    async def start(self):
        self._stderr = open(self.stderr_path, "wb")
        self.process = await asyncio.create_subprocess_exec(
            self.program, *self.args, stdout=asyncio.subprocess.PIPE, stderr=self._stderr,
            preexec_fn=_die_with_parent, env={**os.environ, "LC_ALL": "C"})
        line = await asyncio.wait_for(self.process.stdout.readline(), 30)
        if not line:
            raise RuntimeError(f"hoga-exchange did not start: see {self.stderr_path}")
        self.urls = json.loads(line)
        return self.urls

    def control_sync(self, command, timeout=30):
        request = urllib.request.Request(
            self.urls["control_url"], data=json.dumps(command).encode(),
            headers={"content-type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as reply:
                return json.loads(reply.read())
        except urllib.error.HTTPError as error:
            return json.loads(error.read())

    async def control(self, command, timeout=30):
        return await asyncio.to_thread(self.control_sync, command, timeout)

    async def clock(self):
        status = await self.control({"cmd": "status"})
        return stamp_to_datetime(status["clock"])

    def alive(self):
        return self.process is not None and self.process.returncode is None

    async def stop(self):
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 10)
            except asyncio.TimeoutError:
                self.process.kill()
                await self.process.wait()
        self._stderr.close()
        return self.process.returncode

    def count_rate_limited(self):
        """REST replies with return_code 5, the 1700 category, from the request log."""
        n = 0
        with open(self.stderr_path, "rb") as log:
            for line in log:
                if b" return_code=5" in line:
                    n += 1
        return n


# ---- hoga ------------------------------------------------------------------------------


class Segment:
    """The lines of one hoga run."""

    def __init__(self):
        self.lines = []

    def count(self, text, domain=None):
        return sum(1 for l in self.lines if text in l.get("message", "")
                   and (domain is None or l.get("domain") == domain))


class Hoga(Segment):
    """One `hoga --headless` process; every JSON line it prints is kept, parsed."""

    def __init__(self, program, config, data_home, log_file, clock=None, speed=None,
                 crash_at=None, extra_env=None):
        self.program = program
        self.config = config
        self.data_home = data_home
        self.log_file = log_file
        self.clock = clock
        self.speed = speed
        self.crash_at = crash_at
        self.extra_env = extra_env or {}
        self.process = None
        self.lines = []            # (parsed JSON object)
        self.reader = None
        self.waiters = []          # (predicate, future)
        self.listeners = []        # callables (line)
        self.started_at = None     # real time the process was spawned
        self.engine_started_at = None

    def env(self):
        env = {k: v for k, v in os.environ.items()
               if k not in ("HOGA_CRASH_AT", "G_MESSAGES_DEBUG", "HOGA_TEST_CLOCK",
                            "HOGA_TEST_CLOCK_SPEED")}
        env.update({
            "LC_ALL": "C",
            "XDG_DATA_HOME": self.data_home,
            "SECRET_BACKEND": "file",
            "SECRET_FILE_TEST_PATH": os.path.join(self.data_home, "keyring"),
            "SECRET_FILE_TEST_PASSWORD": "soak",
            "KIWOOM_APPKEY": APPKEY,
            "KIWOOM_SECRETKEY": SECRETKEY,
        })
        if self.clock is not None:
            env["HOGA_TEST_CLOCK"] = self.clock.strftime("%Y-%m-%d %H:%M:%S")
        if self.speed is not None:
            env["HOGA_TEST_CLOCK_SPEED"] = repr(float(self.speed))
        if self.crash_at is not None:
            env["HOGA_CRASH_AT"] = self.crash_at
        env.update(self.extra_env)
        return env

    async def start(self):
        self.started_at = time.time()
        self.process = await asyncio.create_subprocess_exec(
            self.program, "--headless", "--config", self.config,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            env=self.env(), preexec_fn=_die_with_parent, limit=1 << 22)
        self.reader = asyncio.ensure_future(self._read())
        self.err_reader = asyncio.ensure_future(self._read_stderr())

    async def _read_stderr(self):
        data = await self.process.stderr.read()
        if data:
            self.stderr_text = data.decode(errors="replace")
            with open(self.log_file, "a") as log:
                log.write(json.dumps({"stderr": self.stderr_text}) + "\n")

    async def _read(self):
        with open(self.log_file, "a") as log:
            while True:
                raw = await self.process.stdout.readline()
                if not raw:
                    break
                log.write(raw.decode(errors="replace"))
                try:
                    line = json.loads(raw)
                except ValueError:
                    line = {"message": raw.decode(errors="replace").rstrip(), "level": "garbage",
                            "time": datetime.now(KST).isoformat()}
                if line.get("event") == "engine-started" and self.engine_started_at is None:
                    self.engine_started_at = parse_time(line["time"])
                self.lines.append(line)
                for listener in self.listeners:
                    listener(line)
                for waiter in list(self.waiters):
                    predicate, future = waiter
                    if not future.done() and predicate(line):
                        future.set_result(line)
        for predicate, future in self.waiters:
            if not future.done():
                future.set_result(None)

    async def wait_for(self, predicate, timeout, since=0):
        """The first line from the @since'th on, past or future, for which @predicate holds;
        None on EOF."""
        for line in self.lines[since:]:
            if predicate(line):
                return line
        if self.reader.done():
            return None
        future = asyncio.get_running_loop().create_future()
        entry = (predicate, future)
        self.waiters.append(entry)
        try:
            return await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError:
            return None
        finally:
            self.waiters.remove(entry)

    async def wait_started(self, timeout=30):
        line = await self.wait_for(lambda l: l.get("event") in ("engine-started",
                                                                 "engine-start-failed"), timeout)
        return line is not None and line.get("event") == "engine-started"

    @property
    def pid(self):
        return self.process.pid

    def alive(self):
        return self.process is not None and self.process.returncode is None

    def kill9(self):
        if self.alive():
            self.process.send_signal(signal.SIGKILL)

    async def stop(self, timeout=20):
        """SIGTERM and wait: the exit status (negative: killed by that signal)."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), timeout)
            except asyncio.TimeoutError:
                self.process.kill()
                await self.process.wait()
        return await self.finish()

    async def finish(self):
        await self.process.wait()
        await self.reader
        await self.err_reader
        return self.process.returncode



# ---- configuration ---------------------------------------------------------------------


def write_config(path, urls, **overrides):
    """The key file both the soak and the crash campaign trade with."""
    strategy = {
        "buy-condition": "거래량 급증",
        "sell-condition": "고점 대비 3% 하락",
        "auto-buy": "true",
        "auto-sell": "true",
        "amount-per-stock": "300000",
        "max-positions": "10",
        "stop-loss": "100",
        "trailing-start": "80",
        "trailing-drop": "40",
        "take-profit": "250",
        "buy-type": "limit",
        "buy-limit-offset-ticks": "0",
        "sell-type": "limit",
        "sell-limit-offset-ticks": "-1",
        "trading-window-start": "09:00",
        "trading-window-end": "15:00",
        "end-of-day-sell": "true",
        "end-of-day-time": "15:15",
        "cooldown": "60",
        "unfilled-buy-timeout": "120",
        "unfilled-sell-timeout": "60",
        "sell-retry-cooldown": "10",
    }
    risk = {
        "max-order-value": "1000000",
        "max-buys-per-day": "1000",
        "daily-loss-limit": "1000",
        "staleness-limit": "5000",
    }
    for key, value in overrides.items():
        group, name = key.split(".", 1)
        (strategy if group == "strategy" else risk)[name] = str(value)
    with open(path, "w") as f:
        f.write("[broker]\nprofile=custom\n")
        f.write(f"rest-url={urls['rest_url']}\nws-url={urls['ws_url']}\n")
        f.write("[strategy]\n")
        for key, value in strategy.items():
            f.write(f"{key}={value}\n")
        f.write("[risk]\n")
        for key, value in risk.items():
            f.write(f"{key}={value}\n")
    return {**strategy, **risk}


# ---- journal and exchange comparison ----------------------------------------------------


def journal_path(data_home):
    return os.path.join(data_home, "hoga", "custom", "journal.sqlite")


def read_journal(data_home):
    """Orders, fills and positions of a journal no process holds open (hoga stopped or
    killed): SQLite replays its WAL exactly as hoga's next start would."""
    path = journal_path(data_home)
    if not os.path.exists(path):
        return {"orders": [], "fills": [], "positions": []}
    db = sqlite3.connect(path, timeout=5)
    db.row_factory = sqlite3.Row
    try:
        orders = [dict(r) for r in db.execute("SELECT * FROM orders ORDER BY id")]
        fills = [dict(r) for r in db.execute("SELECT * FROM fills ORDER BY id")]
        positions = [dict(r) for r in db.execute("SELECT * FROM positions")]
    finally:
        db.close()
    return {"orders": orders, "fills": fills, "positions": positions}


def compare(journal, exchange_orders, holdings, allow_reentry=False):
    """The invariants of DESIGN.md §1.2/§1.3 between the broker's view and the journal's:
    returns a dict of counts (each should be 0) and examples."""
    by_ord_no = {}
    duplicate_ord_no = []
    for o in journal["orders"]:
        if o["ord_no"]:
            if o["ord_no"] in by_ord_no:
                duplicate_ord_no.append(o["ord_no"])
            by_ord_no[o["ord_no"]] = o
    fills_by_ord_no = {}
    for f in journal["fills"]:
        fills_by_ord_no[f["ord_no"]] = fills_by_ord_no.get(f["ord_no"], 0) + f["qty"]

    # A cancel whose receipt was lost (a crash, a timeout) is settled by reconciliation from
    # its original's fate: the broker's lists have no row of its own, so its number stays
    # unknown to the journal. It is the journal's cancel of the same original.
    unnumbered_cancels = {}
    for o in journal["orders"]:
        if not o["ord_no"] and o["orig_ord_no"] and o["price"] == 0:
            unnumbered_cancels[o["orig_ord_no"]] = unnumbered_cancels.get(o["orig_ord_no"], 0) + 1
    cancels_without_number = 0
    unknown_to_journal = []      # the exchange has it, no journal row names it
    lost_fills = []              # the exchange filled more than the journal recorded
    phantom_fills = []           # the journal recorded more than the exchange filled
    buys_per_code = {}
    for x in exchange_orders:
        if x["kind"] == "new" and x["side"] == "buy":
            buys_per_code.setdefault(x["code"], []).append(x)
        j = by_ord_no.get(x["ord_no"])
        if j is None and x["kind"] == "cancel" and unnumbered_cancels.get(x["orig_ord_no"], 0) > 0:
            unnumbered_cancels[x["orig_ord_no"]] -= 1
            cancels_without_number += 1
            continue
        if j is None:
            unknown_to_journal.append(x)
            if x["filled_qty"] > 0:
                lost_fills.append({"ord_no": x["ord_no"], "exchange": x["filled_qty"],
                                   "journal": None})
            continue
        if x["kind"] == "cancel":
            continue
        recorded = fills_by_ord_no.get(x["ord_no"], 0)
        if recorded < x["filled_qty"] or j["filled_qty"] < x["filled_qty"]:
            lost_fills.append({"ord_no": x["ord_no"], "exchange": x["filled_qty"],
                               "journal_order": j["filled_qty"], "journal_fills": recorded})
        elif recorded > x["filled_qty"] or j["filled_qty"] > x["filled_qty"]:
            phantom_fills.append({"ord_no": x["ord_no"], "exchange": x["filled_qty"],
                                  "journal_order": j["filled_qty"], "journal_fills": recorded})

    exchange_ord_nos = {x["ord_no"] for x in exchange_orders}
    journal_not_at_exchange = [o for o in journal["orders"]
                               if o["ord_no"] and o["ord_no"] not in exchange_ord_nos]
    # Re-entry is off: a symbol is bought at most once a day, "bought" meaning a buy got a
    # fill (the running engine's rule and the journal's, so a restart's). A symbol whose
    # buy got nothing may be bought again after its cooldown: counted, not a duplicate.
    duplicate_buys = {} if allow_reentry else \
        {code: [x["ord_no"] for x in xs] for code, xs in buys_per_code.items()
         if sum(1 for x in xs if x["filled_qty"] > 0) > 1}
    rebuys_after_unfilled = {code: [x["ord_no"] for x in xs] for code, xs in buys_per_code.items()
                             if len(xs) > 1 and code not in duplicate_buys}

    held = {h["code"]: h["qty"] for h in holdings if h["qty"] > 0}
    tracked = {p["code"]: p["qty"] for p in journal["positions"] if p["qty"] > 0}
    position_mismatch = [{"code": c, "exchange": held.get(c, 0), "journal": tracked.get(c, 0)}
                         for c in sorted(set(held) | set(tracked))
                         if held.get(c, 0) != tracked.get(c, 0)]
    open_orders = [o for o in journal["orders"] if o["state"] not in TERMINAL]
    unresolved = [o for o in open_orders if o["state"] in ("PENDING", "SENT", "UNKNOWN")]

    return {
        "exchange_orders": len(exchange_orders),
        "journal_orders": len(journal["orders"]),
        "journal_fills": len(journal["fills"]),
        "filled_shares_exchange": sum(x["filled_qty"] for x in exchange_orders
                                      if x["kind"] != "cancel"),
        "duplicate_buys": len(duplicate_buys),
        "rebuys_after_unfilled_buy": len(rebuys_after_unfilled),
        "duplicate_ord_no_in_journal": len(duplicate_ord_no),
        "orders_unknown_to_journal": len(unknown_to_journal),
        "cancels_settled_without_their_number": cancels_without_number,
        "journal_orders_not_at_exchange": len(journal_not_at_exchange),
        "lost_fills": len(lost_fills),
        "phantom_fills": len(phantom_fills),
        "position_mismatches": len(position_mismatch),
        "unresolved_orders": len(unresolved),
        "open_orders": len(open_orders),
        "examples": {
            "duplicate_buys": dict(list(duplicate_buys.items())[:5]),
            "rebuys_after_unfilled_buy": dict(list(rebuys_after_unfilled.items())[:5]),
            "orders_unknown_to_journal": unknown_to_journal[:5],
            "journal_orders_not_at_exchange": [
                {k: o[k] for k in ("id", "code", "side", "state", "ord_no")}
                for o in journal_not_at_exchange[:5]],
            "lost_fills": lost_fills[:5],
            "phantom_fills": phantom_fills[:5],
            "position_mismatches": position_mismatch[:10],
            "unresolved_orders": [{k: o[k] for k in ("id", "code", "side", "state", "ord_no")}
                                  for o in unresolved[:5]],
        },
    }


# ---- the soak --------------------------------------------------------------------------

# Lines that say the WebSocket is gone (kiwoom-socket.c and the engine's problems).
DISCONNECT_PATTERNS = (
    "The WebSocket closed",
    "No frame from the server for",
    "The broker closed the session",
)
REARMED = "Reconnected; reconciling orders and holdings"
KICKED = "Another session logged in with the same app key (R10001)"
FAULT_DECK = ["drop-ws", "drop-ws", "stop-pings", "ws-silent", "rest-hang", "rest-delay",
              "invalidate-tokens", "reject-orders", "reject-event", "hold-ticks", "malformed"]
PRICE_DECISION = re.compile(r"^(Buy placed|Exit: (stop-loss|trailing stop|take-profit|"
                            r"sell condition: entered at))")


class Soak:
    def __init__(self, options):
        self.o = options
        self.rng = random.Random(options.seed)
        self.workdir = options.keep or tempfile.mkdtemp(prefix="hoga-soak-")
        os.makedirs(self.workdir, exist_ok=True)
        self.data_home = os.path.join(self.workdir, "data")
        os.makedirs(self.data_home, exist_ok=True)
        self.hoga_log = os.path.join(self.workdir, "hoga.jsonl")
        self.faults = []          # dicts: name, on, off (real time), sim, detail
        self.segments = []        # Hoga processes, in order
        self.rss = []             # (real time, segment index, kB)
        self.exits = []           # exit status of each segment
        self.restart_times = []   # operator restarts after R10001: kick → engine-started
        self.sim_start = None
        self.real_start = None
        self.loads = []           # the machine's 1-minute load average, every minute

    # simulated time ↔ real time
    def sim_at(self, real):
        return self.sim_start + timedelta(seconds=(real - self.real_start) * self.o.speed)

    def real_at(self, sim):
        return self.real_start + (sim - self.sim_start).total_seconds() / self.o.speed

    @property
    def hoga(self):
        return self.segments[-1]

    async def start_hoga(self):
        clock = await self.exchange.clock()
        hoga = Hoga(self.o.hoga, self.config, self.data_home, self.hoga_log, clock=clock,
                    speed=self.o.speed)
        self.segments.append(hoga)
        await hoga.start()
        if not await hoga.wait_started(60):
            raise RuntimeError("hoga did not start; see " + self.hoga_log)
        return hoga

    async def sample_rss(self):
        while True:
            hoga = self.hoga
            if hoga.alive() and hoga.engine_started_at is not None:
                kb = rss_kb(hoga.pid)
                if kb is not None:
                    self.rss.append((time.time(), len(self.segments) - 1, kb))
            await asyncio.sleep(self.o.rss_interval)

    async def fault(self, name, duration=0.0, **detail):
        """Applies one fault; with @duration (real seconds) turns it off again after."""
        now = time.time()
        record = {"name": name, "on": now, "off": now, "sim": self.sim_at(now).strftime("%H:%M:%S"),
                  **detail}
        self.faults.append(record)
        if name == "drop-ws":
            await self.exchange.control({"cmd": "fault", "name": "drop-ws"})
        elif name == "invalidate-tokens":
            await self.exchange.control({"cmd": "fault", "name": "invalidate-tokens"})
        elif name == "reject-orders":
            await self.exchange.control({"cmd": "fault", "name": "reject-orders",
                                         "count": detail["count"]})
        elif name == "reject-event":
            await self.exchange.control({"cmd": "order-outcome", "outcome": "reject-event",
                                         "count": detail["count"]})
        elif name == "malformed":
            await self.exchange.control({"cmd": "fault", "name": "malformed",
                                         "kind": detail["what"]})
        elif name == "rest-delay":
            await self.exchange.control({"cmd": "fault", "name": "rest-delay",
                                         "ms": detail["ms"]})
            await asyncio.sleep(duration)
            await self.exchange.control({"cmd": "fault", "name": "rest-delay", "ms": 0})
        elif name in ("stop-pings", "ws-silent", "hold-ticks", "rest-hang"):
            await self.exchange.control({"cmd": "fault", "name": name, "on": True})
            await asyncio.sleep(duration)
            await self.exchange.control({"cmd": "fault", "name": name, "on": False})
        elif name == "kick":
            await self.kick()
        record["off"] = time.time()
        emit("fault", **{k: (round(v, 3) if isinstance(v, float) else v)
                         for k, v in record.items()})

    async def kick(self):
        """R10001: Hoga reports it and stays off line (DESIGN.md §3: not fought in a loop);
        the operator restarts it, which this does after a few seconds."""
        kicked_at = time.time()
        await self.exchange.control({"cmd": "fault", "name": "kick"})
        line = await self.hoga.wait_for(lambda l: KICKED in l.get("message", ""), 15)
        if line is None:
            emit("finding", what="R10001 not reported within 15 s")
        await asyncio.sleep(self.o.kick_restart_delay)
        status = await self.hoga.stop()
        self.exits.append(status)
        if status != 0:
            emit("finding", what=f"hoga exited {status} on SIGTERM after R10001")
        await self.start_hoga()
        self.restart_times.append(self.hoga.engine_started_at - kicked_at)

    def next_fault(self):
        """A deck of every kind, shuffled, dealt again when empty: each kind comes up
        evenly; R10001 (which costs a restart) only --kicks times in the day."""
        if not self.deck:
            self.deck = list(self.o.faults)
            self.rng.shuffle(self.deck)
        return self.deck.pop()

    async def run_faults(self, first, last, kicks):
        r = self.rng
        self.deck = []
        # R10001 costs a restart: the kicks come in the last third of the day, so the first
        # hoga run is long enough to measure its memory over most of the day.
        tail = first + (last - first) * 2 / 3
        kick_times = [tail + (last - tail) * i / max(kicks, 1) for i in range(kicks)]
        sim = first
        while True:
            # Faults in turn: the engine's timers are in real seconds, so the next one
            # waits at least --fault-gap real seconds after the last one ended.
            sim = max(sim + timedelta(minutes=r.uniform(*self.o.fault_every)),
                      self.sim_at(time.time() + self.o.fault_gap))
            if sim >= last:
                return
            await asyncio.sleep(max(0.0, self.real_at(sim) - time.time()))
            if kick_times and sim >= kick_times[0]:
                kick_times.pop(0)
                await self.fault("kick")
                continue
            name = self.next_fault()
            if name == "drop-ws":
                await self.fault(name)
            elif name == "stop-pings":
                await self.fault(name, duration=r.uniform(20, 40))
            elif name == "ws-silent":
                await self.fault(name, duration=r.uniform(33, 45))
            elif name == "rest-hang":
                await self.fault(name, duration=r.uniform(4, 14))
            elif name == "rest-delay":
                await self.fault(name, duration=r.uniform(10, 20), ms=r.choice([500, 1500, 3000]))
            elif name == "reject-orders":
                await self.fault(name, count=r.randint(2, 4))
            elif name == "reject-event":
                await self.fault(name, count=r.randint(1, 3))
            elif name == "hold-ticks":
                await self.fault(name, duration=r.uniform(10, 20))
            elif name == "malformed":
                await self.fault(name, what=r.choice(["truncated", "not-json", "wrong-types",
                                                      "unknown-type", "huge", "binary",
                                                      "empty-data", "missing-values"]))
            else:
                await self.fault(name)

    async def progress(self):
        while True:
            await asyncio.sleep(60)
            status = await self.exchange.control({"cmd": "status"})
            hoga = self.hoga
            with open("/proc/loadavg") as f:
                self.loads.append(float(f.read().split()[0]))
            emit("progress", load=self.loads[-1], clock=status["clock"], phase=status["phase"],
                 orders=status["orders"], fills=status["fills"], cash=status["cash"],
                 realized_pnl=status["realized_pnl"],
                 rss_kb=rss_kb(hoga.pid) if hoga.alive() else None,
                 hoga_cpu_s=cpu_seconds(hoga.pid) if hoga.alive() else None,
                 exchange_cpu_s=cpu_seconds(self.exchange.process.pid),
                 faults=len(self.faults), segments=len(self.segments))

    async def run(self):
        o = self.o
        day = datetime.strptime(o.date, "%Y-%m-%d").replace(tzinfo=KST)
        open_at = day.replace(hour=9, minute=0)
        start_at = open_at - timedelta(minutes=o.lead_minutes)
        close_at = day.replace(hour=15, minute=30)
        end_at = close_at + timedelta(minutes=o.tail_minutes)
        if o.day_minutes is not None:     # a short day for trying the harness out
            end_at = open_at + timedelta(minutes=o.day_minutes)
            close_at = end_at

        self.exchange = Exchange(o.exchange, [
            "--symbols", str(o.symbols), "--clock", "krx", "--speed", str(o.speed),
            "--start-time", start_at.strftime("%Y-%m-%d %H:%M:%S"),
            "--trades-per-second", str(o.trades_per_second), "--seed", str(o.seed),
            "--cash", str(o.cash), "--token-lifetime", str(o.token_lifetime),
        ], self.workdir)
        urls = await self.exchange.start()
        self.sim_start = await self.exchange.clock()
        self.real_start = time.time()
        self.config = os.path.join(self.workdir, "hoga.ini")
        settings = write_config(self.config, urls)
        self.staleness_s = int(settings["staleness-limit"]) / 1000.0
        emit("start", workdir=self.workdir, speed=o.speed, symbols=o.symbols,
             day=o.date, sim_start=str(self.sim_start), sim_end=str(end_at),
             real_minutes=round((end_at - self.sim_start).total_seconds() / o.speed / 60, 1))

        await self.start_hoga()
        sampler = asyncio.ensure_future(self.sample_rss())
        progress = asyncio.ensure_future(self.progress())
        # Faults from the opening bell until 15:10, so the last ones settle before the
        # end-of-day exits and the close.
        last_fault = min(day.replace(hour=15, minute=10), close_at - timedelta(minutes=5))
        faults = asyncio.ensure_future(self.run_faults(open_at, last_fault, o.kicks))
        try:
            await asyncio.sleep(max(0.0, self.real_at(end_at) - time.time()))
            await faults
        finally:
            for task in (faults, sampler, progress):
                task.cancel()
        status = await self.hoga.stop()
        self.exits.append(status)

        exchange_orders = (await self.exchange.control({"cmd": "orders"}))["orders"]
        holdings = (await self.exchange.control({"cmd": "holdings"}))["holdings"]
        ex_status = await self.exchange.control({"cmd": "status"})
        exchange_alive = self.exchange.alive()
        await self.exchange.stop()
        self.end_time = time.time()
        self.rate_limited_exchange = self.exchange.count_rate_limited()
        # Everything the analysis reads, so `--analyse DIR` can run it again offline.
        with open(os.path.join(self.workdir, "run.json"), "w") as f:
            json.dump({"options": {k: v for k, v in vars(o).items()},
                       "real_start": self.real_start, "end_time": self.end_time,
                       "sim_start": self.sim_start.isoformat(), "staleness_s": self.staleness_s,
                       "faults": self.faults, "rss": self.rss, "exits": self.exits,
                       "restart_times": self.restart_times, "loads": self.loads,
                       "rate_limited_exchange": self.rate_limited_exchange,
                       "exchange_orders": exchange_orders, "holdings": holdings,
                       "exchange_status": ex_status, "exchange_alive": exchange_alive},
                      f, ensure_ascii=False)
        return self.analyse(exchange_orders, holdings, ex_status, exchange_alive)

    @classmethod
    def load(cls, workdir):
        """A finished run's records, for analysing again."""
        with open(os.path.join(workdir, "run.json")) as f:
            run = json.load(f)
        options = argparse.Namespace(**run["options"])
        options.keep = workdir
        self = cls(options)
        self.real_start = run["real_start"]
        self.end_time = run["end_time"]
        self.sim_start = datetime.fromisoformat(run["sim_start"])
        self.staleness_s = run["staleness_s"]
        self.faults = run["faults"]
        self.rss = [tuple(x) for x in run["rss"]]
        self.exits = run["exits"]
        self.restart_times = run["restart_times"]
        self.loads = run.get("loads", [])
        self.rate_limited_exchange = run["rate_limited_exchange"]
        segment = None
        with open(self.hoga_log) as f:
            for raw in f:
                try:
                    line = json.loads(raw)
                except ValueError:
                    continue
                if line.get("event") == "starting" or segment is None:
                    segment = Segment()
                    self.segments.append(segment)
                if "stderr" not in line:
                    segment.lines.append(line)
        return self, run

    # ---- analysis ------------------------------------------------------------------

    def timeline(self):
        """Every line of every segment, with its real time."""
        for index, hoga in enumerate(self.segments):
            for line in hoga.lines:
                if "time" in line:
                    yield parse_time(line["time"]), index, line

    def disconnects(self):
        """Disconnect episodes: first sign of a lost WebSocket → the engine's re-arm."""
        episodes = []
        current = None
        for t, index, line in self.timeline():
            message = line.get("message", "")
            if any(p in message for p in DISCONNECT_PATTERNS):
                if current is None or current["segment"] != index:
                    current = {"start": t, "segment": index, "cause": message[:80]}
            elif KICKED in message and current is None:
                current = {"start": t, "segment": index, "cause": "R10001", "kick": True}
            elif message.startswith(REARMED) and current is not None \
                    and current["segment"] == index:
                current["end"] = t
                episodes.append(current)
                current = None
            elif line.get("event") == "engine-stopped" and current is not None:
                # Stopped off line (the operator's restart after R10001, the end of the
                # day): not repaired, and not a repair that failed either.
                current["end"] = None
                current["cut"] = True
                episodes.append(current)
                current = None
        if current is not None:
            current["end"] = None
            episodes.append(current)

        down = [f for f in self.faults if f["name"] == "ws-silent"]
        for e in episodes:
            # The server is back at the episode's start, unless it was silent then or
            # went silent again before the repair: from the last moment it talked again.
            back = e["start"]
            end = e["end"] if e["end"] is not None else float("inf")
            for f in down:
                if f["on"] <= end and f["off"] >= e["start"] - 1.0:
                    back = max(back, f["off"])
                    e["fault"] = "ws-silent"
            if "fault" not in e:
                near = [f for f in self.faults if f["on"] - 1.0 <= e["start"] <= f["off"] + 2.0]
                e["fault"] = near[-1]["name"] if near else "none"
            e["server_back"] = back
            e["repair_s"] = None if e["end"] is None else max(0.0, e["end"] - back)
            e["offline_s"] = None if e["end"] is None else e["end"] - e["start"]
        return episodes

    def stale_decisions(self, episodes):
        """Price decisions taken while the feed was known stale for longer than the
        staleness limit: held ticks, a silent server, a dead connection."""
        margin = 0.5
        windows = []
        # A new hoga run (after R10001) starts with no prices at all: nothing stale.
        starts = [parse_time(l["time"]) for h in self.segments for l in h.lines
                  if l.get("event") == "starting"]
        for f in self.faults:
            if f["name"] in ("hold-ticks", "ws-silent"):
                end = f["off"]
                if f["name"] == "ws-silent":
                    # Silent until the WebSocket is re-armed, or Hoga restarted.
                    after = [e["end"] for e in episodes if e.get("end") and e["end"] >= f["off"]]
                    after += [t for t in starts if t >= f["on"]]
                    end = min(after) if after else f["off"]
                windows.append((f["on"] + self.staleness_s + margin, end, f["name"]))
        for e in episodes:
            if e.get("end"):
                windows.append((e["start"] + self.staleness_s + margin, e["end"], "disconnect"))
        found = []
        decisions = 0
        for t, index, line in self.timeline():
            message = line.get("message", "")
            if PRICE_DECISION.match(message):
                decisions += 1
                for lo, hi, why in windows:
                    if lo <= t <= hi:
                        found.append({"time": line["time"], "code": line.get("code"),
                                      "message": message, "window": why})
                        break
        stale_seconds = sum(max(0.0, hi - lo) for lo, hi, _ in windows)
        return decisions, found, stale_seconds, len(windows)

    def rss_growth(self):
        """Least-squares slope of RSS per segment after its warm-up, in MB per real hour
        and per simulated hour. The day's figure is the longest run's (the kicks come late
        so that it covers most of the day); the others are too short to say much."""
        per_segment = []
        for index in range(len(self.segments)):
            samples = [(t, kb) for t, i, kb in self.rss if i == index]
            if len(samples) < 10:
                continue
            t0 = samples[0][0]
            warm = [(t, kb) for t, kb in samples if t - t0 >= self.o.warmup]
            if len(warm) < 10:
                continue
            xs = [t for t, _ in warm]
            ys = [kb / 1024.0 for _, kb in warm]
            mx, my = statistics.fmean(xs), statistics.fmean(ys)
            sxx = sum((x - mx) ** 2 for x in xs)
            slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0
            per_segment.append({
                "segment": index, "real_minutes": round((xs[-1] - xs[0]) / 60, 1),
                "first_mb": round(ys[0], 1), "last_mb": round(ys[-1], 1),
                "max_mb": round(max(ys), 1),
                "slope_mb_per_real_hour": round(slope * 3600, 2),
                "slope_mb_per_sim_hour": round(slope * 3600 / self.o.speed, 3),
                "span_s": xs[-1] - xs[0],
            })
        longest = max(per_segment, key=lambda s: s["span_s"]) if per_segment else None
        for s in per_segment:
            del s["span_s"]
        return (longest["slope_mb_per_real_hour"] if longest else None), per_segment

    def analyse(self, exchange_orders, holdings, ex_status, exchange_alive):
        o = self.o
        journal = read_journal(self.data_home)
        checks = compare(journal, exchange_orders, holdings)
        episodes = self.disconnects()
        auto = [e for e in episodes if not e.get("kick")]
        repaired = [e["repair_s"] for e in auto if e["repair_s"] is not None]
        by_fault = {}
        for e in auto:
            by_fault.setdefault(e["fault"], []).append(e["repair_s"])
        decisions, stale, stale_seconds, n_windows = self.stale_decisions(episodes)
        weighted, per_segment = self.rss_growth()
        rate_limited_exchange = self.rate_limited_exchange
        rate_limited_hoga = sum(h.count("was rate-limited") for h in self.segments)
        crashes = sum(1 for s in self.exits if s != 0) + (0 if exchange_alive else 1)
        lines = [l for h in self.segments for l in h.lines]
        levels = {}
        for l in lines:
            levels[l.get("level")] = levels.get(l.get("level"), 0) + 1
        count = lambda text: sum(1 for l in lines if l.get("message", "").startswith(text))

        fault_counts = {}
        for f in self.faults:
            fault_counts[f["name"]] = fault_counts.get(f["name"], 0) + 1
        p95_all = percentile(repaired, 95)
        unrepaired = [e for e in auto if e["repair_s"] is None and not e.get("cut")]
        summary = {
            "kind": "summary",
            "workdir": self.workdir,
            "speed": o.speed,
            "symbols": o.symbols,
            "trades_per_second": o.trades_per_second,
            "real_minutes": round((self.end_time - self.real_start) / 60, 1),
            "sim_span": f"{self.sim_start:%H:%M:%S} → {self.sim_at(self.end_time):%H:%M:%S}",
            "faults": fault_counts,
            "n_faults": len(self.faults),
            "hoga_segments": len(self.segments),
            "machine_load_mean": round(statistics.fmean(self.loads), 2) if self.loads else None,
            "machine_load_max": max(self.loads) if self.loads else None,
            "operator_restarts_after_r10001_s": [round(x, 2) for x in self.restart_times],
            "crashes": crashes,
            "exit_statuses": self.exits,
            "exchange_status": {k: ex_status[k] for k in ("orders", "fills", "cash",
                                                          "realized_pnl", "commission", "tax",
                                                          "clock", "phase")},
            "orders": checks,
            "decisions": {
                "buys_placed": count("Buy placed"), "sells_placed": count("Sell placed"),
                "bought": count("Bought "), "sold": count("Sold "),
                "exits": count("Exit: "), "buys_held_stale": count("Buy held"),
                "stale_ticks_ignored": count("Stale tick ignored"),
                "buy_rejected": count("Buy rejected"), "sell_rejected": count("Sell rejected"),
                "oversell_rejections_rc4032": sum(1 for l in lines if "RC4032" in
                                                  l.get("message", "")),
                "unknown_outcomes": sum(1 for l in lines if "outcome unknown" in
                                        l.get("message", "")),
                "found_at_broker": sum(1 for l in lines if "was found at the broker" in
                                       l.get("message", "")),
                "not_at_broker": sum(1 for l in lines if "is not at the broker" in
                                     l.get("message", "")),
            },
            "log_levels": levels,
            "rate_limited": {"exchange_replies_1700": rate_limited_exchange,
                             "hoga_retries_logged": rate_limited_hoga},
            "rss": {"growth_mb_per_real_hour": None if weighted is None else round(weighted, 2),
                    "growth_mb_per_sim_hour": None if weighted is None
                    else round(weighted / o.speed, 3),
                    "segments": per_segment},
            "disconnects": {
                "count": len(auto),
                "unrepaired": len(unrepaired),
                "cut_by_a_stop": sum(1 for e in auto if e.get("cut")),
                "repair_p50_s": None if not repaired else round(percentile(repaired, 50), 2),
                "repair_p95_s": None if not repaired else round(p95_all, 2),
                "repair_max_s": None if not repaired else round(max(repaired), 2),
                "by_fault": {k: {"n": len(v),
                                 "p50_s": round(percentile([x for x in v if x is not None], 50), 2)
                                 if any(x is not None for x in v) else None,
                                 "p95_s": round(percentile([x for x in v if x is not None], 95), 2)
                                 if any(x is not None for x in v) else None,
                                 "max_s": round(max(x for x in v if x is not None), 2)
                                 if any(x is not None for x in v) else None}
                             for k, v in sorted(by_fault.items())},
                "episodes": [{"start": datetime.fromtimestamp(e["start"], KST).strftime("%H:%M:%S.%f")[:-3],
                              "fault": e["fault"], "cause": e["cause"],
                              "offline_s": None if e["offline_s"] is None else round(e["offline_s"], 2),
                              "cut_by_a_stop": bool(e.get("cut")),
                              "repair_s": None if e["repair_s"] is None else round(e["repair_s"], 2)}
                             for e in episodes],
            },
            "staleness": {"price_decisions": decisions,
                          "stale_windows": n_windows,
                          "stale_window_seconds": round(stale_seconds, 1),
                          "decisions_in_stale_windows": len(stale),
                          "examples": stale[:5]},
        }
        bars = {
            "0 crashes": crashes == 0,
            "0 duplicate orders": checks["duplicate_buys"] == 0
            and checks["duplicate_ord_no_in_journal"] == 0
            and checks["orders_unknown_to_journal"] == 0
            and summary["decisions"]["oversell_rejections_rc4032"] == 0,
            "0 lost fills": checks["lost_fills"] == 0 and checks["phantom_fills"] == 0
            and checks["position_mismatches"] == 0,
            "0 rate-limit (1700) replies": rate_limited_exchange == 0,
            # Per hour of the trading day replayed, as the bar is written for one; the
            # slope per real hour (18 × larger at --speed 18) is reported beside it.
            "RSS growth <= 5 MB/h": weighted is not None and weighted / o.speed <= 5.0,
            "disconnects repaired <= 3 s p95": bool(repaired) and p95_all <= 3.0
            and not unrepaired,
            "no decision on a stale price": not stale,
        }
        summary["bars"] = bars
        summary["ok"] = all(bars.values())
        with open(os.path.join(self.workdir, "summary.json"), "w") as f:
            json.dump(summary, f, ensure_ascii=False, indent=2)
        print(json.dumps(summary, ensure_ascii=False), flush=True)
        return summary


def program(variable, relative):
    path = os.environ.get(variable)
    if path:
        return path
    here = os.path.dirname(os.path.abspath(__file__))
    for build in ("_build", "build"):
        candidate = os.path.join(here, "..", build, relative)
        if os.path.exists(candidate):
            return candidate
    sys.exit(f"set {variable} to the built program ({relative})")


def main():
    parser = argparse.ArgumentParser(
        description="A whole trading day of hoga --headless on hoga-exchange, accelerated, "
        "with faults; then the bars of docs/RELIABILITY.md. Needs HOGA and HOGA_EXCHANGE (or "
        "a build in _build/) with crash points.")
    parser.add_argument("--speed", type=float, default=18.0,
                        help="simulated seconds per real second (default 18: the day in about 22 min)")
    parser.add_argument("--symbols", type=int, default=3000, help="the exchange's symbols")
    parser.add_argument("--trades-per-second", type=float, default=1500.0,
                        help="random-walk prints per real second over all symbols")
    parser.add_argument("--seed", type=int, default=20261120,
                        help="seeds the exchange's market and the fault schedule")
    parser.add_argument("--date", default="2026-11-20", help="the trading day (a weekday)")
    parser.add_argument("--lead-minutes", type=float, default=5.0,
                        help="simulated minutes before the opening bell")
    parser.add_argument("--tail-minutes", type=float, default=3.0,
                        help="simulated minutes after the close")
    parser.add_argument("--day-minutes", type=float, default=None,
                        help="end this many simulated minutes after 09:00 (a short try)")
    parser.add_argument("--fault-every", type=float, nargs=2, default=(2.0, 5.0),
                        metavar=("MIN", "MAX"), help="simulated minutes between faults")
    parser.add_argument("--faults", nargs="+", default=FAULT_DECK, metavar="FAULT",
                        help="the deck of faults dealt in turn (a name twice comes up twice "
                        "as often); default: " + " ".join(FAULT_DECK))
    parser.add_argument("--fault-gap", type=float, default=5.0,
                        help="real seconds at least between the end of one fault and the next")
    parser.add_argument("--kicks", type=int, default=3,
                        help="R10001 kicks, in the last third of the day (each costs a restart)")
    parser.add_argument("--kick-restart-delay", type=float, default=3.0,
                        help="real seconds the operator takes to restart after R10001")
    parser.add_argument("--cash", type=int, default=100_000_000, help="starting deposit, KRW")
    parser.add_argument("--token-lifetime", type=int, default=900,
                        help="real seconds; Hoga refreshes 10 minutes before expiry")
    parser.add_argument("--rss-interval", type=float, default=1.0,
                        help="real seconds between samples of hoga's resident memory")
    parser.add_argument("--warmup", type=float, default=60.0,
                        help="real seconds of each hoga run left out of the RSS slope")
    parser.add_argument("--keep", help="work directory to keep (logs, journal, summary)")
    parser.add_argument("--analyse", metavar="DIR",
                        help="only analyse again the run kept in DIR (--keep)")
    options = parser.parse_args()
    if options.analyse:
        soak, run = Soak.load(options.analyse)
        summary = soak.analyse(run["exchange_orders"], run["holdings"], run["exchange_status"],
                               run["exchange_alive"])
        sys.exit(0 if summary["ok"] else 1)
    options.hoga = program("HOGA", "src/hoga/hoga")
    options.exchange = program("HOGA_EXCHANGE", "src/exchange/hoga-exchange")

    soak = Soak(options)
    summary = asyncio.run(soak.run())
    if not options.keep:
        shutil.rmtree(soak.workdir, ignore_errors=True)
    sys.exit(0 if summary["ok"] else 1)


if __name__ == "__main__":
    main()
