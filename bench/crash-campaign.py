#!/usr/bin/env python3
# crash-campaign.py — kill -9 `hoga --headless` at random moments of its order flow, ≥ 200
# times, restarting it each time on the same journal and exchange, and check DESIGN.md §1.2
# and §1.3 after every kill and at the end
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Hoga trades automatically on hoga-exchange (3,000 symbols, the real KST schedule at real
# speed) with limit orders that fill, rest, time out and are cancelled or re-sent at market,
# so there is nearly always an order on its way. Each cycle kills it one of four ways:
#   order        SIGKILL 0–50 ms after it logs an order decision (buy, sell, cancel): the
#                journal write, the request and the receipt are all in flight then
#   random       SIGKILL at a random instant 0–3 s into the run
#   startup      SIGKILL 50–600 ms after the spawn, while it loads the journal and logs in
#   crash-point  HOGA_CRASH_AT: it SIGKILLs itself in one of the journal windows of its
#                first new order (before-journal, after-journal, after-send, after-reply) or
#                right after its first fill is journaled (after-fill)
# After every kill the journal (no longer locked) and the exchange's order list are read:
#   - no symbol has two filled buy orders at the exchange (re-entry is off): no duplicate
#   - no order number is in the journal twice
#   - every order at the exchange is in the journal, or is the one an unresolved intent of
#     the journal (PENDING/SENT/UNKNOWN, same symbol and side) will be matched to, or is a
#     cancel the journal settled from its original's fate (its own number is never listed)
#   - the journal never has more filled than the exchange
# Intents a kill leaves unresolved carry over to the next runs, as repeated crashes would
# make them; about one run in four after such a kill (and every run once they pile up) is
# given the time they need before it may be killed: each must then be resolved within two
# reconciliation cycles (20 s) of the start, and be so in the journal at the next kill.
# At the end clean runs settle everything and the journal must equal the exchange: every
# order known, every fill recorded, every position the exchange holds tracked.
#
#   HOGA=_build/src/hoga/hoga HOGA_EXCHANGE=_build/src/exchange/hoga-exchange \
#     python3 bench/crash-campaign.py [--kills 300] [--minutes 19] [--keep DIR]
#
# Needs a build with crash points (-Dcrash_points=true, the default): HOGA_TEST_CLOCK and
# HOGA_CRASH_AT are read only there.

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from soak import (Exchange, Hoga, TERMINAL, compare, emit, parse_time, percentile,  # noqa: E402
                  program, read_journal, write_config)

WINDOWS = ("before-journal", "after-journal", "after-send", "after-reply", "after-fill")
ORDER_LINE = re.compile(r"^(Buy placed|Sell placed|Cancelling order)")
RESOLVED_LINE = re.compile(r"^Order (\d+) \(\S+\) (was found at the broker|is not at the broker)")
UNRESOLVED = ("PENDING", "SENT", "UNKNOWN")
UNKNOWN_LEFT = re.compile(r"^\d+ orders? still ha(s|ve) an unknown outcome")
# The order book settles an intent the broker does not have at the second reconciliation
# that misses it, at least its reconcile interval (10 s) after the first; while an outcome
# is unknown the engine reconciles every 5 s, or back to back when a reconciliation (which
# reads the day's whole filled list, page by page, at the rate limit) takes longer. So an
# intent the broker has is resolved by the first reconciliation after the start, and one
# it does not have by the second that comes at least 10 s after the first: the second or
# third pass — the fourth when the first, at start, was the slowest (the interval runs
# from the first miss, the period from each pass's start). Either way it is within two
# reconcile intervals of the start: "within two reconciliation cycles".
TWO_CYCLES_S = 20.0
GIVE_UP_S = 60.0


class Campaign:
    def __init__(self, o):
        self.o = o
        self.rng = random.Random(o.seed)
        self.workdir = o.keep or tempfile.mkdtemp(prefix="hoga-crash-")
        os.makedirs(self.workdir, exist_ok=True)
        self.data_home = os.path.join(self.workdir, "data")
        os.makedirs(self.data_home, exist_ok=True)
        self.log = os.path.join(self.workdir, "hoga.jsonl")
        self.kills = []            # one dict per cycle
        self.violations = []
        self.resolution_s = {"found": [], "not-executed": []}
        self.resolution_passes = {"found": [], "not-executed": []}
        self.unresolved = {}       # journal id → row, left by the last kill
        self.carried = 0           # runs in a row that carried intents over
        self.start_failures = 0

    def violation(self, what, **detail):
        self.violations.append({"what": what, "cycle": len(self.kills), **detail})
        emit("violation", what=what, cycle=len(self.kills), **detail)

    async def spawn(self, crash_at=None):
        clock = await self.exchange.clock()
        hoga = Hoga(self.o.hoga, self.config, self.data_home, self.log, clock=clock,
                    crash_at=crash_at)
        await hoga.start()
        return hoga

    def choose_mode(self, settle):
        if settle:
            # The run owes the intents left unresolved their two cycles: it is killed only
            # after them, at an order or at random.
            return self.rng.choices(["order", "random"], [0.7, 0.3])[0]
        return self.rng.choices(["order", "random", "startup", "crash-point"],
                                [0.55, 0.20, 0.07, 0.18])[0]

    async def settle_unresolved(self, hoga):
        """Waits until every intent the previous kills left is resolved, or two cycles."""
        pending = {i for i, row in self.unresolved.items() if row["kind"] == "new"}
        started = hoga.engine_started_at
        deadline = started + GIVE_UP_S
        cancels = any(row["kind"] != "new" for row in self.unresolved.values())
        seen = set()
        passes = [1]           # the reconciliation now running, counted from the start

        def resolved(line):
            message = line.get("message", "")
            m = RESOLVED_LINE.match(message)
            if UNKNOWN_LEFT.match(message):
                passes[0] += 1
            elif m and int(m.group(1)) in pending and int(m.group(1)) not in seen:
                seen.add(int(m.group(1)))
                how = "found" if m.group(2).startswith("was found") else "not-executed"
                self.resolution_s[how].append(parse_time(line["time"]) - started)
                self.resolution_passes[how].append(passes[0])
                if parse_time(line["time"]) - started > TWO_CYCLES_S:
                    self.violation(f"intent resolved only after {TWO_CYCLES_S:.0f} s "
                                   f"(reconciliation pass {passes[0]})", id=int(m.group(1)))
            return pending <= seen

        if pending:
            await hoga.wait_for(resolved, max(0.1, deadline - time.time()))
        # A cancel's resolution has no line of its own, but every reconciliation that still
        # has an unknown outcome says so: done when a whole period (5 s) passed without it,
        # after the reconcile interval (10 s) a missing intent needs (checked at the next
        # kill against the journal).
        while cancels and time.time() < deadline:
            unknown = [parse_time(l["time"]) for l in hoga.lines
                       if "still ha" in l.get("message", "") and "unknown outcome" in l["message"]]
            quiet_since = max(unknown) if unknown else started
            if time.time() >= started + 10.5 and time.time() - quiet_since >= 5.5:
                break
            await asyncio.sleep(0.5)
        return pending - seen

    async def cycle(self):
        # Unresolved intents carry over several kills (their reconciliation starts again
        # with each run), as repeated crashes would do; now and then, and when they pile
        # up, a run is given the two cycles that must resolve them all.
        owed = dict(self.unresolved)
        settle = bool(owed) and (self.rng.random() < self.o.settle_share or len(owed) >= 4
                                 or self.carried >= 4)
        self.carried = 0 if settle or not owed else self.carried + 1
        mode = self.choose_mode(settle)
        crash_at = self.rng.choice(WINDOWS) if mode == "crash-point" else None
        hoga = await self.spawn(crash_at)
        record = {"mode": mode, "crash_at": crash_at, "settled": len(owed) if settle else 0,
                  "carried": 0 if settle else len(owed)}
        if not settle:
            owed = {}

        if mode == "startup":
            await asyncio.sleep(self.rng.uniform(0.05, 0.6))
            record["started"] = hoga.engine_started_at is not None
            hoga.kill9()
        else:
            if not await hoga.wait_started(30):
                if hoga.alive():
                    self.start_failures += 1
                    self.violation("did not start within 30 s after a kill",
                                   last=[l.get("message") for l in hoga.lines[-3:]])
                    hoga.kill9()
                elif crash_at is None:
                    self.start_failures += 1
                    self.violation("exited before starting", status=hoga.process.returncode)
            else:
                missing = await self.settle_unresolved(hoga) if owed else set()
                if missing:
                    self.violation(f"intents not resolved within {GIVE_UP_S:.0f} s",
                                   ids=sorted(missing))
                if mode == "crash-point":
                    try:
                        await asyncio.wait_for(hoga.process.wait(), 20)
                    except asyncio.TimeoutError:
                        record["mode"] = "random"   # no new order came: kill it anyway
                        hoga.kill9()
                elif mode == "order":
                    line = await hoga.wait_for(
                        lambda l: ORDER_LINE.match(l.get("message", "")) is not None, 10,
                        since=len(hoga.lines))
                    if line is not None:
                        record["after"] = line["message"].split(":")[0]
                        await asyncio.sleep(self.rng.uniform(0.0, 0.05))
                    else:
                        record["mode"] = "random"
                    hoga.kill9()
                else:
                    await asyncio.sleep(self.rng.uniform(0.0, 3.0))
                    hoga.kill9()
        status = await hoga.finish()
        record["status"] = status
        record["run_s"] = round(time.time() - hoga.started_at, 2)
        if status != -signal.SIGKILL:
            self.violation("hoga did not die of SIGKILL", status=status,
                           stderr=getattr(hoga, "stderr_text", "")[-300:])
        await self.check(record, owed)
        self.kills.append(record)
        if len(self.kills) % 10 == 0:
            emit("progress", kills=len(self.kills), minutes=round((time.time() - self.t0) / 60, 1),
                 violations=len(self.violations), exchange_orders=record["exchange_orders"],
                 unresolved_left=len(self.unresolved))

    async def check(self, record, owed):
        journal = read_journal(self.data_home)
        orders = (await self.exchange.control({"cmd": "orders"}))["orders"]
        holdings = (await self.exchange.control({"cmd": "holdings"}))["holdings"]
        c = compare(journal, orders, holdings)
        record["exchange_orders"] = len(orders)
        rows = {o["id"]: o for o in journal["orders"]}

        unresolved = {}
        for o in journal["orders"]:
            if o["state"] in UNRESOLVED:
                o = dict(o)
                # hoga_order_record_get_kind()
                o["kind"] = ("new" if not o["orig_ord_no"] else
                             "cancel" if o["price"] == 0 else "modify")
                unresolved[o["id"]] = o
        record["unresolved"] = len(unresolved)
        record["open"] = c["open_orders"]

        if c["duplicate_buys"]:
            self.violation("duplicate buy at the exchange", examples=c["examples"]["duplicate_buys"])
        if c["duplicate_ord_no_in_journal"]:
            self.violation("an order number twice in the journal")
        if c["phantom_fills"]:
            self.violation("journal filled more than the exchange",
                           examples=c["examples"]["phantom_fills"])
        # An order the exchange has and the journal does not name yet must be an intent
        # the next start will find there.
        candidates = [(o["code"], o["side"]) for o in unresolved.values()]
        named = {o["ord_no"] for o in journal["orders"] if o["ord_no"]}
        # A cancel settled from its original's fate keeps no number (compare()).
        unnumbered = [o["orig_ord_no"] for o in journal["orders"]
                      if not o["ord_no"] and o["orig_ord_no"] and o["price"] == 0]
        for x in (x for x in orders if x["ord_no"] not in named):
            if x["kind"] == "cancel" and x["orig_ord_no"] in unnumbered:
                unnumbered.remove(x["orig_ord_no"])
                continue
            key = (x["code"], x["side"])
            if key in candidates:
                candidates.remove(key)
            else:
                self.violation("an order at the exchange the journal knows nothing of", order=x)
        # What the previous kill left unresolved had its two cycles in this run.
        for i, row in owed.items():
            now = rows.get(i)
            if now is not None and now["state"] in UNRESOLVED and record["mode"] != "startup":
                self.violation("intent still unresolved after its settle run",
                               id=i, code=row["code"], state=now["state"])
        self.unresolved = unresolved

    async def clean_run(self, trade_s):
        hoga = await self.spawn()
        if not await hoga.wait_started(30):
            self.violation("a final run did not start")
        else:
            missing = await self.settle_unresolved(hoga)
            if missing:
                self.violation(f"intents not resolved within {GIVE_UP_S:.0f} s",
                               ids=sorted(missing))
            await asyncio.sleep(trade_s)
        status = await hoga.stop()
        if status != 0:
            self.violation("a final run did not stop cleanly", status=status)
        await self.check({"mode": "final"}, dict(self.unresolved))
        return hoga

    async def final(self):
        """Clean runs settle what the last kill left; then journal ≡ exchange. The market
        stops first, so nothing new starts: no trade, no condition event, no exit."""
        hoga = await self.clean_run(self.o.settle)
        await self.exchange.control({"cmd": "market", "running": False})
        # Working orders end by their unfilled timeouts (3–5 s): cancelled, or re-sent at
        # market and filled.
        hoga = await self.clean_run(10.0)
        journal = read_journal(self.data_home)
        orders = (await self.exchange.control({"cmd": "orders"}))["orders"]
        holdings = (await self.exchange.control({"cmd": "holdings"}))["holdings"]
        return compare(journal, orders, holdings), journal, orders

    async def run(self):
        o = self.o
        self.exchange = Exchange(o.exchange, [
            "--symbols", str(o.symbols), "--clock", "krx", "--speed", "1",
            "--page-size", str(o.page_size),
            "--start-time", o.start, "--trades-per-second", str(o.trades_per_second),
            "--seed", str(o.seed), "--cash", "1000000000",
        ], self.workdir)
        urls = await self.exchange.start()
        self.config = os.path.join(self.workdir, "hoga.ini")
        write_config(self.config, urls, **{
            "strategy.max-positions": 20,
            "strategy.amount-per-stock": 200000,
            "strategy.stop-loss": 50,
            "strategy.trailing-start": 30,
            "strategy.trailing-drop": 20,
            "strategy.take-profit": 60,
            "strategy.cooldown": 0,
            "strategy.unfilled-buy-timeout": 5,
            "strategy.unfilled-sell-timeout": 3,
            "strategy.sell-retry-cooldown": 5,
            "strategy.end-of-day-sell": "false",
            "strategy.trading-window-end": "20:00",
        })
        emit("start", workdir=self.workdir, kills=o.kills, minutes=o.minutes)
        self.t0 = time.time()
        deadline = self.t0 + o.minutes * 60
        while len(self.kills) < o.kills or (o.more and time.time() < deadline):
            if time.time() >= deadline and len(self.kills) >= o.min_kills:
                break
            await self.cycle()
        final, journal, orders = await self.final()
        with open(os.path.join(self.workdir, "exchange-orders.json"), "w") as f:
            json.dump(orders, f)
        exchange_alive = self.exchange.alive()
        await self.exchange.stop()
        rate_limited = self.exchange.count_rate_limited()

        modes = {}
        for k in self.kills:
            modes[k["mode"]] = modes.get(k["mode"], 0) + 1
        windows = {}
        for k in self.kills:
            if k["crash_at"] and k["mode"] == "crash-point":
                windows[k["crash_at"]] = windows.get(k["crash_at"], 0) + 1
        lines = []
        with open(self.log) as f:
            for raw in f:
                try:
                    lines.append(json.loads(raw))
                except ValueError:
                    pass
        count = lambda text: sum(1 for l in lines if l.get("message", "").startswith(text))
        found = self.resolution_s["found"]
        not_exec = self.resolution_s["not-executed"]
        all_times = found + not_exec
        passes = self.resolution_passes
        summary = {
            "kind": "summary",
            "workdir": self.workdir,
            "minutes": round((time.time() - self.t0) / 60, 1),
            "kills": len(self.kills),
            "modes": modes,
            "crash_point_windows": windows,
            "kills_with_orders_open": sum(1 for k in self.kills if k.get("open", 0) > 0),
            "kills_leaving_unresolved_intents": sum(1 for k in self.kills if k.get("unresolved")),
            "settle_runs": sum(1 for k in self.kills if k.get("settled")),
            "intents_settled_in_settle_runs": sum(k.get("settled", 0) for k in self.kills),
            "max_intents_carried": max([k.get("carried", 0) for k in self.kills] or [0]),
            "start_failures": self.start_failures,
            "exchange_alive": exchange_alive,
            "orders": {k: v for k, v in final.items() if k != "examples"},
            "examples": final["examples"],
            "decisions": {"buys_placed": count("Buy placed"), "sells_placed": count("Sell placed"),
                          "cancels": count("Cancelling order"), "bought": count("Bought "),
                          "sold": count("Sold ")},
            "resolution": {
                "found_at_broker": len(found), "not_executed": len(not_exec),
                "p50_s": None if not all_times else round(percentile(all_times, 50), 2),
                "max_found_s": None if not found else round(max(found), 2),
                "max_not_executed_s": None if not not_exec else round(max(not_exec), 2),
                "passes_found": {n: passes["found"].count(n) for n in sorted(set(passes["found"]))},
                "passes_not_executed": {n: passes["not-executed"].count(n)
                                        for n in sorted(set(passes["not-executed"]))},
                "bound_s": TWO_CYCLES_S,
            },
            "rate_limited_replies_1700": rate_limited,
            "violations": len(self.violations),
            "violation_examples": self.violations[:10],
        }
        bars = {
            ">= 200 kills": len(self.kills) >= 200,
            "0 duplicates": final["duplicate_buys"] == 0 and final["duplicate_ord_no_in_journal"] == 0
            and final["orders_unknown_to_journal"] == 0
            and not any("duplicate" in v["what"] or "knows nothing" in v["what"]
                        for v in self.violations),
            "0 lost fills": final["lost_fills"] == 0 and final["phantom_fills"] == 0
            and final["position_mismatches"] == 0,
            "every order terminal or reconciled within two cycles":
                final["unresolved_orders"] == 0
                and not any("resolved" in v["what"] for v in self.violations),
            "every restart after a kill started": self.start_failures == 0,
        }
        summary["bars"] = bars
        summary["ok"] = all(bars.values()) and not self.violations
        with open(os.path.join(self.workdir, "summary.json"), "w") as f:
            json.dump({**summary, "kill_log": self.kills}, f, ensure_ascii=False, indent=2)
        print(json.dumps(summary, ensure_ascii=False), flush=True)
        return summary


def main():
    parser = argparse.ArgumentParser(description="kill -9 hoga during order flow, ≥ 200 times")
    parser.add_argument("--kills", type=int, default=300, help="kills to make (default 300)")
    parser.add_argument("--min-kills", type=int, default=200,
                        help="stop at --minutes only once this many are made")
    parser.add_argument("--minutes", type=float, default=19.0, help="time budget")
    parser.add_argument("--more", action="store_true",
                        help="keep killing past --kills until --minutes")
    parser.add_argument("--symbols", type=int, default=3000)
    parser.add_argument("--trades-per-second", type=float, default=1500.0)
    parser.add_argument("--start", default="2026-11-20 09:05:00",
                        help="the exchange's session clock at the start (KST)")
    parser.add_argument("--settle", type=float, default=15.0,
                        help="seconds the final clean run trades before it is stopped")
    parser.add_argument("--page-size", type=int, default=100,
                        help="rows per page of the exchange's lists (its default is 20): a "
                        "reconciliation reads the day's whole filled list, and with 20 rows "
                        "a page it takes longer than the campaign's time budget allows late "
                        "in its day (docs/RELIABILITY.md)")
    parser.add_argument("--settle-share", type=float, default=0.25,
                        help="share of runs after a kill that left intents unresolved that "
                        "are given two reconciliation cycles before the next kill")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", help="work directory to keep")
    o = parser.parse_args()
    o.hoga = program("HOGA", "src/hoga/hoga")
    o.exchange = program("HOGA_EXCHANGE", "src/exchange/hoga-exchange")
    campaign = Campaign(o)
    summary = asyncio.run(campaign.run())
    if not o.keep:
        shutil.rmtree(campaign.workdir, ignore_errors=True)
    sys.exit(0 if summary["ok"] else 1)


if __name__ == "__main__":
    main()
