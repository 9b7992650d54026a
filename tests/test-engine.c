/* test-engine.c — the engine end to end: hoga-exchange, the Kiwoom adapter, a SQLite journal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every scenario scripts prices and condition events through the exchange's control
 * endpoint and asserts what matters most: the orders the exchange received.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "hoga-engine.h"
#include "hoga-exit-rules.h"
#include "hoga-krx.h"
#include "hoga-sqlite-journal.h"
#include "hx-test-fixture.h"
#include "kiwoom-broker.h"

#define BUY_SEQ  "0"
#define SELL_SEQ "1"
#define AMOUNT   G_GINT64_CONSTANT (1000000)
#define WAIT_MS  5000

typedef struct {
  HxServer     *server;
  char         *dir;
  char         *journal_path;
  HogaSettings *settings;
  GDateTime    *now;          /* the engine's time when set_clock() was called */
  gint64        now_set_us;   /* monotonic time of that call */
  GString      *log;          /* every ::log message, one per line */
  HogaJournal  *journal;
  HogaBroker   *broker;
  HogaEngine   *engine;
  gboolean      done;
  gboolean      ok;
  GError       *error;
} Fixture;

static Fixture fixture;

/* A clock set to a chosen session time that then advances in real time, as both the
 * wall clock and the exchange's session clock do: timeouts measured on it elapse. */
static GDateTime *
clock_cb (gpointer user_data)
{
  Fixture *f = user_data;

  return g_date_time_add (f->now, g_get_monotonic_time () - f->now_set_us);
}

static void
set_clock (Fixture *f,
           int      hour,
           int      minute)
{
  g_clear_pointer (&f->now, g_date_time_unref);
  /* A Friday that is not a KRX holiday. */
  f->now = g_date_time_new (hoga_krx_time_zone (), 2026, 11, 20, hour, minute, 0);
  f->now_set_us = g_get_monotonic_time ();
}

static void
log_cb (HogaEngine *engine,
        guint       level,
        const char *code,
        const char *message,
        gpointer    data)
{
  Fixture *f = data;

  g_test_message ("engine: %s %s", code != NULL ? code : "-", message);
  g_string_append_printf (f->log, "%s\n", message);
}

static void
fixture_init (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->log = g_string_new (NULL);
  f->server = hx_server_start (HX_SCRIPTED, NULL);
  f->dir = g_dir_make_tmp ("hoga-engine-XXXXXX", &error);
  g_assert_no_error (error);
  f->journal_path = g_build_filename (f->dir, "journal.sqlite", NULL);
  set_clock (f, 10, 0);

  f->settings = hoga_settings_new ();
  g_free (f->settings->buy_condition);
  f->settings->buy_condition = g_strdup ("거래량 급증");
  g_free (f->settings->sell_condition_seq);
  f->settings->sell_condition_seq = g_strdup (SELL_SEQ);
  f->settings->amount_per_stock = AMOUNT;
  f->settings->stop_loss_bp = 300;
  f->settings->trailing_start_bp = 300;
  f->settings->trailing_drop_bp = 100;
  f->settings->take_profit_bp = 0;
  f->settings->daily_loss_limit_bp = 0;
  f->settings->sell_retry_cooldown_s = 5;
  f->settings->staleness_limit_ms = 60000;
}

static gboolean
is_done (gpointer data)
{
  return ((Fixture *) data)->done;
}

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Fixture *f = data;

  f->ok = hoga_engine_start_finish (HOGA_ENGINE (source), result, &f->error);
  f->done = TRUE;
}

static void
stopped_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Fixture *f = data;

  f->ok = hoga_engine_stop_finish (HOGA_ENGINE (source), result, &f->error);
  f->done = TRUE;
}

/* A new journal, broker and engine on the fixture's exchange and journal file. */
static void
engine_start (Fixture  *f,
              gboolean  auto_buy)
{
  g_autoptr(GError) error = NULL;

  f->journal = HOGA_JOURNAL (hoga_sqlite_journal_open (f->journal_path, &error));
  g_assert_no_error (error);
  f->broker = HOGA_BROKER (kiwoom_broker_new (f->server->rest_url, f->server->ws_url,
                                              HX_TEST_APPKEY, HX_TEST_SECRETKEY));
  f->engine = hoga_engine_new (f->broker, f->journal, f->settings);
  hoga_engine_set_clock (f->engine, clock_cb, f, NULL);
  g_signal_connect (f->engine, "log", G_CALLBACK (log_cb), f);
  g_assert_false (hoga_engine_get_auto_buy (f->engine));
  hoga_engine_set_auto_buy (f->engine, auto_buy);

  f->done = FALSE;
  hoga_engine_start_async (f->engine, NULL, started_cb, f);
  g_assert_true (hx_iterate_until (is_done, f, 20000));
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_true (hoga_engine_get_auto_sell (f->engine));
}

static void
engine_stop (Fixture *f)
{
  f->done = FALSE;
  hoga_engine_stop_async (f->engine, NULL, stopped_cb, f);
  g_assert_true (hx_iterate_until (is_done, f, 10000));
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_clear_object (&f->engine);
  g_clear_object (&f->broker);
  g_clear_object (&f->journal);
}

/* The journal and whatever SQLite keeps beside it (-wal, -shm). */
static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  g_rmdir (path);
}

static void
fixture_clear (Fixture *f)
{
  if (f->engine != NULL)
    engine_stop (f);
  g_string_free (g_steal_pointer (&f->log), TRUE);
  hx_server_stop (f->server);
  remove_dir (f->dir);
  g_free (f->journal_path);
  g_free (f->dir);
  g_clear_pointer (&f->settings, hoga_settings_free);
  g_clear_pointer (&f->now, g_date_time_unref);
}

/* ---- the exchange's side ------------------------------------------------------------ */

/* The orders the exchange received for @code, new ones of @side ("buy"/"sell"). */
static GPtrArray *
exchange_orders (Fixture    *f,
                 const char *code,
                 const char *side)
{
  g_autoptr(JsonObject) reply = hx_control (f->server, "{\"cmd\":\"orders\"}");
  JsonArray *orders = hx_array (reply, "orders");
  GPtrArray *matching = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);

      if (g_strcmp0 (hx_str (order, "code"), code) == 0
          && g_strcmp0 (hx_str (order, "side"), side) == 0
          && g_strcmp0 (hx_str (order, "kind"), "new") == 0)
        g_ptr_array_add (matching, json_object_ref (order));
    }
  return matching;
}

static guint
count_orders (Fixture    *f,
              const char *code,
              const char *side)
{
  g_autoptr(GPtrArray) orders = exchange_orders (f, code, side);

  return orders->len;
}

static guint
count_cancels (Fixture *f)
{
  g_autoptr(JsonObject) reply = hx_control (f->server, "{\"cmd\":\"orders\"}");
  JsonArray *orders = hx_array (reply, "orders");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      if (g_strcmp0 (hx_str (json_array_get_object_element (orders, i), "kind"), "cancel") == 0)
        n++;
    }
  return n;
}

/* Waits (bounded) until the exchange has @n orders of @side for @code, then a quiet while
 * more could arrive, and asserts it has exactly @n. */
static void
assert_orders (Fixture    *f,
               const char *code,
               const char *side,
               guint       n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

  while (count_orders (f, code, side) < n && g_get_monotonic_time () < deadline)
    hx_pump (50);
  hx_pump (HX_QUIET_MS);
  g_assert_cmpuint (count_orders (f, code, side), ==, n);
}

static void
trade (Fixture    *f,
       const char *code,
       gint64      price)
{
  hx_command (f->server, "{\"cmd\":\"trade\",\"code\":\"%s\",\"price\":%" G_GINT64_FORMAT "}",
              code, price);
}

typedef struct {
  Fixture    *f;
  const char *code;
  gint64      price;
} PriceWait;

static gboolean
engine_has_price (gpointer data)
{
  PriceWait *wait = data;
  HogaQuote *quote = hoga_quote_book_lookup (hoga_engine_get_quote_book (wait->f->engine),
                                             wait->code);

  return quote != NULL && hoga_quote_get_price (quote) == wait->price;
}

/* One trade print, and the engine has seen its tick. */
static void
trade_seen (Fixture    *f,
            const char *code,
            gint64      price)
{
  PriceWait wait = { f, code, price };

  trade (f, code, price);
  g_assert_true (hx_iterate_until (engine_has_price, &wait, WAIT_MS));
}

static void
force_condition (Fixture    *f,
                 const char *seq,
                 const char *code,
                 gboolean    inserted)
{
  hx_command (f->server, "{\"cmd\":\"condition\",\"seq\":\"%s\",\"code\":\"%s\",\"event\":\"%s\"}",
              seq, code, inserted ? "I" : "D");
}

typedef struct {
  Fixture    *f;
  const char *code;
} CodeWait;

static gboolean
is_tracking (gpointer data)
{
  CodeWait *wait = data;
  HogaPosition *position = hoga_tracker_lookup (hoga_engine_get_tracker (wait->f->engine),
                                                wait->code);

  return position != NULL && hoga_position_get_state (position) == HOGA_POSITION_STATE_TRACKING
         && hoga_position_get_qty (position) > 0;
}

static gboolean
is_untracked (gpointer data)
{
  CodeWait *wait = data;

  return hoga_tracker_lookup (hoga_engine_get_tracker (wait->f->engine), wait->code) == NULL;
}

/* A grid price the symbol can trade at, well inside its daily limits. */
static gint64
start_price (Fixture    *f,
             const char *code)
{
  HxSymbolInfo info;

  hx_symbol_info (f->server, code, &info);
  return hoga_krx_round_down (info.base);
}

/* The buy condition takes @code in; the exchange fills the market buy at @price. Returns
 * the quantity bought. */
static gint64
buy (Fixture    *f,
     const char *code,
     gint64      price)
{
  CodeWait wait = { f, code };
  HogaPosition *position;
  gint64 qty = AMOUNT / price;

  trade (f, code, price);
  hx_command (f->server, "{\"cmd\":\"order-outcome\",\"outcome\":\"fill\",\"count\":1}");
  force_condition (f, BUY_SEQ, code, TRUE);
  g_assert_true (hx_iterate_until (is_tracking, &wait, WAIT_MS));

  position = hoga_tracker_lookup (hoga_engine_get_tracker (f->engine), code);
  g_assert_cmpint (hoga_position_get_qty (position), ==, qty);
  g_assert_cmpint (hoga_position_get_avg_cost (position), ==, price);
  g_assert_cmpint (hoga_position_get_peak (position), ==, price);
  /* Let the REG for the symbol settle before prices move. */
  hx_pump (300);
  return qty;
}

static JsonObject *
last_order (Fixture    *f,
            const char *code,
            const char *side)
{
  g_autoptr(GPtrArray) orders = exchange_orders (f, code, side);

  g_assert_cmpuint (orders->len, >, 0);
  return json_object_ref (g_ptr_array_index (orders, orders->len - 1));
}

static void
assert_market_sell (Fixture    *f,
                    const char *code,
                    gint64      qty)
{
  g_autoptr(JsonObject) order = last_order (f, code, "sell");

  hx_assert_member (order, "trde_tp", "3");
  g_assert_cmpint (json_object_get_int_member (order, "qty"), ==, qty);
}

/* The engine's own record of why it sold. */
static void
assert_sell_reason (Fixture    *f,
                    const char *code,
                    const char *reason)
{
  GListModel *orders = G_LIST_MODEL (hoga_engine_get_order_book (f->engine));

  for (guint i = g_list_model_get_n_items (orders); i > 0; i--)
    {
      g_autoptr(HogaOrder) order = g_list_model_get_item (orders, i - 1);

      if (hoga_order_get_side (order) == HOGA_SIDE_SELL
          && g_strcmp0 (hoga_order_get_code (order), code) == 0)
        {
          g_assert_cmpstr (hoga_order_get_reason (order), ==, reason);
          return;
        }
    }
  g_assert_not_reached ();
}

/* ---- scenarios ------------------------------------------------------------------------ */

static void
test_buy_once (void)
{
  Fixture *f = &fixture;
  gint64 price;
  g_autoptr(JsonObject) order = NULL;

  fixture_init (f);
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  trade (f, HX_CODE_A, price);

  force_condition (f, BUY_SEQ, HX_CODE_A, TRUE);
  assert_orders (f, HX_CODE_A, "buy", 1);
  order = last_order (f, HX_CODE_A, "buy");
  hx_assert_member (order, "trde_tp", "3");
  g_assert_cmpint (json_object_get_int_member (order, "qty"), ==, AMOUNT / price);

  /* The same I again, and a flapping I/D/I: still one buy. */
  force_condition (f, BUY_SEQ, HX_CODE_A, TRUE);
  force_condition (f, BUY_SEQ, HX_CODE_A, FALSE);
  force_condition (f, BUY_SEQ, HX_CODE_A, TRUE);
  force_condition (f, BUY_SEQ, HX_CODE_A, FALSE);
  force_condition (f, BUY_SEQ, HX_CODE_A, TRUE);
  assert_orders (f, HX_CODE_A, "buy", 1);
  /* What the summary's "today's buys" card shows. */
  g_assert_cmpuint (hoga_engine_get_buys_today (f->engine), ==, 1);

  fixture_clear (f);
}

static void
test_snapshot_not_bought (void)
{
  Fixture *f = &fixture;

  fixture_init (f);
  /* In the condition before the engine arms it: a snapshot member. */
  force_condition (f, BUY_SEQ, HX_CODE_B, TRUE);
  engine_start (f, TRUE);
  g_assert_true (hoga_condition_registry_is_member (hoga_engine_get_condition_registry (f->engine),
                                                    BUY_SEQ, HX_CODE_B));

  /* A realtime entry of another symbol is bought, proving buying works here. */
  trade (f, HX_CODE_A, start_price (f, HX_CODE_A));
  force_condition (f, BUY_SEQ, HX_CODE_A, TRUE);
  assert_orders (f, HX_CODE_A, "buy", 1);
  assert_orders (f, HX_CODE_B, "buy", 0);

  fixture_clear (f);
}

static void
test_snapshot_bought_when_enabled (void)
{
  Fixture *f = &fixture;

  fixture_init (f);
  f->settings->buy_snapshot_members = TRUE;
  trade (f, HX_CODE_B, start_price (f, HX_CODE_B));
  force_condition (f, BUY_SEQ, HX_CODE_B, TRUE);
  engine_start (f, FALSE);
  assert_orders (f, HX_CODE_B, "buy", 0);

  /* Switching automatic buying on offers the members to the entry rules, once. */
  hoga_engine_set_auto_buy (f->engine, TRUE);
  assert_orders (f, HX_CODE_B, "buy", 1);
  hoga_engine_set_auto_buy (f->engine, FALSE);
  hoga_engine_set_auto_buy (f->engine, TRUE);
  assert_orders (f, HX_CODE_B, "buy", 1);

  fixture_clear (f);
}

static void
test_trailing_stop (void)
{
  Fixture *f = &fixture;
  CodeWait wait = { f, HX_CODE_A };
  HogaPosition *position;
  gint64 price;
  gint64 peak;
  gint64 stop;
  gint64 qty;
  gint64 p;

  fixture_init (f);
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  qty = buy (f, HX_CODE_A, price);

  /* Up 5 %, one tick at a time near the top: armed at +3 %, peak at the top. */
  peak = hoga_krx_round_down (price * 105 / 100);
  for (p = price; p < peak; p = MIN (hoga_krx_add_ticks (p, 10), peak))
    trade_seen (f, HX_CODE_A, hoga_krx_add_ticks (p, 1));
  trade_seen (f, HX_CODE_A, peak);

  position = hoga_tracker_lookup (hoga_engine_get_tracker (f->engine), HX_CODE_A);
  stop = hoga_exit_rules_trailing_stop (peak, f->settings->trailing_drop_bp);
  g_assert_true (hoga_position_get_armed (position));
  g_assert_cmpint (hoga_position_get_peak (position), ==, peak);
  g_assert_cmpint (hoga_position_get_stop (position), ==, stop);

  /* Down, tick by tick: no sell above the stop, a sell at it. */
  for (p = hoga_krx_add_ticks (peak, -1); p > stop; p = hoga_krx_add_ticks (p, -1))
    trade_seen (f, HX_CODE_A, p);
  assert_orders (f, HX_CODE_A, "sell", 0);
  trade_seen (f, HX_CODE_A, stop);
  assert_orders (f, HX_CODE_A, "sell", 1);
  assert_market_sell (f, HX_CODE_A, qty);
  assert_sell_reason (f, HX_CODE_A, "trailing-stop");

  g_assert_true (hx_iterate_until (is_untracked, &wait, WAIT_MS));
  fixture_clear (f);
}

static void
test_stop_loss (void)
{
  Fixture *f = &fixture;
  gint64 price;
  gint64 qty;
  gint64 p;

  fixture_init (f);
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  qty = buy (f, HX_CODE_A, price);

  /* Down to just above -3 %, then the first price at or below it. */
  for (p = hoga_krx_add_ticks (price, -1);
       hoga_exit_rules_profit_bp (price, hoga_krx_add_ticks (p, -1)) > -300;
       p = hoga_krx_add_ticks (p, -2))
    trade_seen (f, HX_CODE_A, p);
  assert_orders (f, HX_CODE_A, "sell", 0);
  while (hoga_exit_rules_profit_bp (price, p) > -300)
    p = hoga_krx_add_ticks (p, -1);
  trade_seen (f, HX_CODE_A, p);
  assert_orders (f, HX_CODE_A, "sell", 1);
  assert_market_sell (f, HX_CODE_A, qty);
  assert_sell_reason (f, HX_CODE_A, "stop-loss");

  fixture_clear (f);
}

static void
test_take_profit (void)
{
  Fixture *f = &fixture;
  gint64 price;
  gint64 qty;
  gint64 target;

  fixture_init (f);
  f->settings->trailing_start_bp = 0;
  f->settings->take_profit_bp = 500;
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  qty = buy (f, HX_CODE_A, price);

  target = hoga_krx_round_up (price * 105 / 100);
  while (hoga_exit_rules_profit_bp (price, target) < 500)
    target = hoga_krx_add_ticks (target, 1);
  trade_seen (f, HX_CODE_A, hoga_krx_add_ticks (target, -1));
  assert_orders (f, HX_CODE_A, "sell", 0);
  trade_seen (f, HX_CODE_A, target);
  assert_orders (f, HX_CODE_A, "sell", 1);
  assert_market_sell (f, HX_CODE_A, qty);
  assert_sell_reason (f, HX_CODE_A, "take-profit");

  fixture_clear (f);
}

static void
test_sell_condition (void)
{
  Fixture *f = &fixture;
  gint64 qty;

  fixture_init (f);
  engine_start (f, TRUE);
  qty = buy (f, HX_CODE_A, start_price (f, HX_CODE_A));

  /* Another symbol entering the sell condition sells nothing. */
  force_condition (f, SELL_SEQ, HX_CODE_B, TRUE);
  assert_orders (f, HX_CODE_B, "sell", 0);
  assert_orders (f, HX_CODE_A, "sell", 0);

  force_condition (f, SELL_SEQ, HX_CODE_A, TRUE);
  assert_orders (f, HX_CODE_A, "sell", 1);
  assert_market_sell (f, HX_CODE_A, qty);
  assert_sell_reason (f, HX_CODE_A, "sell-condition");

  fixture_clear (f);
}

static void
test_outside_window (void)
{
  Fixture *f = &fixture;

  fixture_init (f);
  set_clock (f, 15, 10);
  engine_start (f, TRUE);
  trade (f, HX_CODE_A, start_price (f, HX_CODE_A));

  force_condition (f, BUY_SEQ, HX_CODE_A, TRUE);
  assert_orders (f, HX_CODE_A, "buy", 0);

  /* Back inside the window the next entry is bought. */
  set_clock (f, 10, 0);
  force_condition (f, BUY_SEQ, HX_CODE_A, FALSE);
  force_condition (f, BUY_SEQ, HX_CODE_A, TRUE);
  assert_orders (f, HX_CODE_A, "buy", 1);

  fixture_clear (f);
}

static void
test_kill_switch (void)
{
  Fixture *f = &fixture;
  gint64 qty;

  fixture_init (f);
  engine_start (f, TRUE);
  qty = buy (f, HX_CODE_A, start_price (f, HX_CODE_A));

  hoga_engine_kill_switch (f->engine, HOGA_KILL_STOP_BUYING);
  g_assert_cmpint (hoga_engine_get_kill_tier (f->engine), ==, HOGA_KILL_STOP_BUYING);
  trade (f, HX_CODE_B, start_price (f, HX_CODE_B));
  force_condition (f, BUY_SEQ, HX_CODE_B, TRUE);
  assert_orders (f, HX_CODE_B, "buy", 0);
  assert_orders (f, HX_CODE_A, "sell", 0);

  /* Tiers only go up. */
  hoga_engine_kill_switch (f->engine, HOGA_KILL_NONE);
  g_assert_cmpint (hoga_engine_get_kill_tier (f->engine), ==, HOGA_KILL_STOP_BUYING);

  hoga_engine_kill_switch (f->engine, HOGA_KILL_FLATTEN);
  assert_orders (f, HX_CODE_A, "sell", 1);
  assert_market_sell (f, HX_CODE_A, qty);
  assert_sell_reason (f, HX_CODE_A, "kill-switch");

  fixture_clear (f);
}

static void
test_kill_switch_cancels (void)
{
  Fixture *f = &fixture;
  CodeWait wait = { f, HX_CODE_A };
  g_autoptr(GError) error = NULL;
  gint64 qty;

  fixture_init (f);
  engine_start (f, TRUE);
  qty = buy (f, HX_CODE_B, start_price (f, HX_CODE_B));

  /* Limit buys from now on, so one can be left working. */
  f->settings->buy_type = HOGA_ORDER_TYPE_LIMIT;
  f->settings->buy_limit_offset_ticks = -2;
  g_assert_true (hoga_engine_apply_settings (f->engine, f->settings, &error));
  g_assert_no_error (error);
  trade (f, HX_CODE_A, start_price (f, HX_CODE_A));
  hx_command (f->server, "{\"cmd\":\"order-outcome\",\"outcome\":\"rest\",\"count\":1}");
  force_condition (f, BUY_SEQ, HX_CODE_A, TRUE);
  assert_orders (f, HX_CODE_A, "buy", 1);
  g_assert_cmpuint (count_cancels (f), ==, 0);

  /* Tier 2: the working buy is cancelled; the held position is not sold, and no exit
   * may sell it either. */
  hoga_engine_kill_switch (f->engine, HOGA_KILL_STOP_ALL);
  g_assert_true (hx_iterate_until (is_untracked, &wait, WAIT_MS));
  g_assert_cmpuint (count_cancels (f), ==, 1);
  force_condition (f, SELL_SEQ, HX_CODE_B, TRUE);
  assert_orders (f, HX_CODE_B, "sell", 0);

  hoga_engine_kill_switch (f->engine, HOGA_KILL_FLATTEN);
  assert_orders (f, HX_CODE_B, "sell", 1);
  assert_market_sell (f, HX_CODE_B, qty);

  fixture_clear (f);
}

static void
test_external_holding (void)
{
  Fixture *f = &fixture;
  g_autoptr(HxReply) reply = NULL;
  HogaHolding *holding;

  fixture_init (f);
  /* Bought outside Hoga, before it starts. */
  trade (f, HX_CODE_B, start_price (f, HX_CODE_B));
  hx_command (f->server, "{\"cmd\":\"order-outcome\",\"outcome\":\"fill\",\"count\":1}");
  reply = hx_tr (f->server, "kt10000", "/api/dostk/ordr",
                 "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"" HX_CODE_B "\",\"ord_qty\":\"3\","
                 "\"ord_uv\":\"\",\"trde_tp\":\"3\",\"cond_uv\":\"\"}");
  hx_assert_ok (reply);
  hx_pump (300);

  engine_start (f, TRUE);
  holding = hoga_account_lookup (hoga_engine_get_account (f->engine), HX_CODE_B);
  g_assert_nonnull (holding);
  g_assert_cmpint (hoga_holding_get_qty (holding), ==, 3);
  g_assert_true (hoga_holding_get_external (holding));
  g_assert_false (hoga_holding_get_tracked (holding));
  g_assert_null (hoga_tracker_lookup (hoga_engine_get_tracker (f->engine), HX_CODE_B));

  /* Not auto-sold: neither by the sell condition nor by a crash of its price. */
  force_condition (f, SELL_SEQ, HX_CODE_B, TRUE);
  trade_seen (f, HX_CODE_B, hoga_krx_round_down (start_price (f, HX_CODE_B) * 90 / 100));
  assert_orders (f, HX_CODE_B, "sell", 0);
  /* Nor bought again: it is held. */
  force_condition (f, BUY_SEQ, HX_CODE_B, TRUE);
  assert_orders (f, HX_CODE_B, "buy", 1);

  fixture_clear (f);
}

static void
test_restart (void)
{
  Fixture *f = &fixture;
  HogaPosition *position;
  HogaHolding *holding;
  gint64 price;
  gint64 peak;
  gint64 stop;
  gint64 qty;

  fixture_init (f);
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  qty = buy (f, HX_CODE_A, price);
  peak = hoga_krx_round_down (price * 105 / 100);
  trade_seen (f, HX_CODE_A, peak);
  stop = hoga_exit_rules_trailing_stop (peak, f->settings->trailing_drop_bp);
  engine_stop (f);

  engine_start (f, FALSE);
  g_assert_false (hoga_engine_get_auto_buy (f->engine));
  position = hoga_tracker_lookup (hoga_engine_get_tracker (f->engine), HX_CODE_A);
  g_assert_nonnull (position);
  g_assert_cmpint (hoga_position_get_qty (position), ==, qty);
  g_assert_cmpint (hoga_position_get_avg_cost (position), ==, price);
  g_assert_cmpint (hoga_position_get_peak (position), ==, peak);
  g_assert_cmpint (hoga_position_get_stop (position), ==, stop);
  g_assert_true (hoga_position_get_armed (position));
  holding = hoga_account_lookup (hoga_engine_get_account (f->engine), HX_CODE_A);
  g_assert_nonnull (holding);
  g_assert_true (hoga_holding_get_tracked (holding));
  g_assert_false (hoga_holding_get_external (holding));

  /* Auto-sell resumed: the restored stop still protects the position. */
  hx_pump (300);
  trade_seen (f, HX_CODE_A, stop);
  assert_orders (f, HX_CODE_A, "sell", 1);
  assert_sell_reason (f, HX_CODE_A, "trailing-stop");

  fixture_clear (f);
}

/* A restart against an account that no longer holds the position (sold outside Hoga, or
 * a fresh simulated exchange): tracking stops, nothing is sold, and it stays stopped. */
static void
test_restart_position_not_held (void)
{
  Fixture *f = &fixture;
  gint64 price;

  fixture_init (f);
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  buy (f, HX_CODE_A, price);
  engine_stop (f);

  hx_server_stop (f->server);
  f->server = hx_server_start (HX_SCRIPTED, NULL);

  engine_start (f, FALSE);
  g_assert_null (hoga_tracker_lookup (hoga_engine_get_tracker (f->engine), HX_CODE_A));
  g_assert_null (hoga_account_lookup (hoga_engine_get_account (f->engine), HX_CODE_A));
  hx_pump (300);
  g_assert_cmpuint (count_orders (f, HX_CODE_A, "sell"), ==, 0);
  engine_stop (f);

  /* The journal forgot it too. */
  engine_start (f, FALSE);
  g_assert_null (hoga_tracker_lookup (hoga_engine_get_tracker (f->engine), HX_CODE_A));

  fixture_clear (f);
}

static gboolean
is_not_tracked (gpointer data)
{
  CodeWait *wait = data;

  return hoga_tracker_lookup (hoga_engine_get_tracker (wait->f->engine), wait->code) == NULL;
}

/* The WebSocket drops just before a sell: the exchange fills it while no session is logged
 * in, so its 00 events are lost. After the reconnect the engine reconciles and learns the
 * fill from the broker's lists: one sell, the position closed, nothing left to sell. */
static void
test_disconnect_during_sell (void)
{
  Fixture *f = &fixture;
  CodeWait wait = { f, HX_CODE_A };
  g_autoptr(JsonObject) holdings = NULL;
  gint64 price;

  fixture_init (f);
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  buy (f, HX_CODE_A, price);

  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"drop-ws\"}");
  hoga_engine_sell_now (f->engine, HX_CODE_A);

  g_assert_true (hx_iterate_until (is_not_tracked, &wait, 3 * WAIT_MS));
  /* Learnt by reconciling after the reconnect, not from a 00 event. */
  g_assert_nonnull (strstr (f->log->str, "Reconnected; reconciling orders and holdings"));
  assert_orders (f, HX_CODE_A, "sell", 1);
  hx_pump (1000);
  g_assert_cmpuint (count_orders (f, HX_CODE_A, "sell"), ==, 1);
  holdings = hx_control (f->server, "{\"cmd\":\"holdings\"}");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (holdings, "holdings")),
                    ==, 0);

  fixture_clear (f);
}

/* With re-entry off, a symbol bought and sold earlier today is not bought again after a
 * restart when it re-enters the buy condition. */
static void
test_restart_remembers_bought_today (void)
{
  Fixture *f = &fixture;
  CodeWait wait = { f, HX_CODE_A };
  gint64 price;

  fixture_init (f);
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  buy (f, HX_CODE_A, price);
  hoga_engine_sell_now (f->engine, HX_CODE_A);
  g_assert_true (hx_iterate_until (is_not_tracked, &wait, WAIT_MS));
  engine_stop (f);

  engine_start (f, TRUE);
  force_condition (f, BUY_SEQ, HX_CODE_A, FALSE);
  force_condition (f, BUY_SEQ, HX_CODE_A, TRUE);
  hx_pump (1500);
  g_assert_cmpuint (count_orders (f, HX_CODE_A, "buy"), ==, 1);
  g_assert_null (hoga_tracker_lookup (hoga_engine_get_tracker (f->engine), HX_CODE_A));

  fixture_clear (f);
}

static void
test_rejected_sell_cooldown (void)
{
  Fixture *f = &fixture;
  g_autoptr(JsonObject) rejected = NULL;
  gint64 price;
  gint64 low;
  gint64 rejected_at;

  fixture_init (f);
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  buy (f, HX_CODE_A, price);

  low = hoga_krx_round_down (price * 95 / 100);
  hx_command (f->server, "{\"cmd\":\"order-outcome\",\"outcome\":\"reject-event\",\"count\":1}");
  trade_seen (f, HX_CODE_A, low);
  assert_orders (f, HX_CODE_A, "sell", 1);
  rejected_at = g_get_monotonic_time ();
  rejected = last_order (f, HX_CODE_A, "sell");
  hx_assert_member (rejected, "state", "rejected");

  /* Ticks keep saying stop-loss; nothing is sent again within the cooldown. */
  for (int i = 0; g_get_monotonic_time () - rejected_at < 3 * G_USEC_PER_SEC; i++)
    trade_seen (f, HX_CODE_A, hoga_krx_add_ticks (low, i % 2 == 0 ? -1 : 0));
  g_assert_cmpuint (count_orders (f, HX_CODE_A, "sell"), ==, 1);

  /* After it, the next tick sells again. */
  while (g_get_monotonic_time () - rejected_at
         < (gint64) (f->settings->sell_retry_cooldown_s + 1) * G_USEC_PER_SEC)
    hx_pump (100);
  trade_seen (f, HX_CODE_A, hoga_krx_add_ticks (low, -2));
  assert_orders (f, HX_CODE_A, "sell", 2);

  fixture_clear (f);
}

static void
test_end_of_day (void)
{
  Fixture *f = &fixture;
  gint64 qty;

  fixture_init (f);
  f->settings->end_of_day_sell = TRUE;
  f->settings->end_of_day_time = 151500;
  engine_start (f, TRUE);
  qty = buy (f, HX_CODE_A, start_price (f, HX_CODE_A));
  assert_orders (f, HX_CODE_A, "sell", 0);

  /* No tick needed: the time alone sells. */
  set_clock (f, 15, 15);
  assert_orders (f, HX_CODE_A, "sell", 1);
  assert_market_sell (f, HX_CODE_A, qty);
  assert_sell_reason (f, HX_CODE_A, "end-of-day");

  fixture_clear (f);
}

static void
test_unfilled_limit_sell (void)
{
  Fixture *f = &fixture;
  g_autoptr(GPtrArray) sells = NULL;
  gint64 price;
  gint64 qty;

  fixture_init (f);
  f->settings->sell_type = HOGA_ORDER_TYPE_LIMIT;
  f->settings->sell_limit_offset_ticks = -1;
  f->settings->unfilled_sell_timeout_s = 1;
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  qty = buy (f, HX_CODE_A, price);
  /* A limit is placed from a fresh tick. */
  price = hoga_krx_add_ticks (price, 1);
  trade_seen (f, HX_CODE_A, price);

  /* The limit sell rests unfilled; after its timeout it is cancelled and sent at market. */
  hx_command (f->server, "{\"cmd\":\"order-outcome\",\"outcome\":\"rest\",\"count\":1}");
  force_condition (f, SELL_SEQ, HX_CODE_A, TRUE);
  assert_orders (f, HX_CODE_A, "sell", 1);
  sells = exchange_orders (f, HX_CODE_A, "sell");
  hx_assert_member (g_ptr_array_index (sells, 0), "trde_tp", "0");
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (sells, 0), "price"), ==,
                   hoga_krx_add_ticks (price, -1));

  assert_orders (f, HX_CODE_A, "sell", 2);
  g_assert_cmpuint (count_cancels (f), ==, 1);
  assert_market_sell (f, HX_CODE_A, qty);

  fixture_clear (f);
}

static void
test_partial_sell (void)
{
  Fixture *f = &fixture;
  CodeWait wait = { f, HX_CODE_A };
  HogaPosition *position;
  gint64 qty;

  fixture_init (f);
  f->settings->unfilled_sell_timeout_s = 1;
  engine_start (f, TRUE);
  qty = buy (f, HX_CODE_A, start_price (f, HX_CODE_A));

  /* 5 shares go, the rest stays working; after the timeout it is cancelled and the rest
   * of the position is sold at market. */
  hx_command (f->server,
              "{\"cmd\":\"order-outcome\",\"outcome\":\"partial\",\"count\":1,\"qty\":5}");
  force_condition (f, SELL_SEQ, HX_CODE_A, TRUE);
  assert_orders (f, HX_CODE_A, "sell", 1);
  position = hoga_tracker_lookup (hoga_engine_get_tracker (f->engine), HX_CODE_A);
  g_assert_nonnull (position);
  g_assert_cmpint (hoga_position_get_qty (position), ==, qty - 5);

  assert_orders (f, HX_CODE_A, "sell", 2);
  g_assert_cmpuint (count_cancels (f), ==, 1);
  assert_market_sell (f, HX_CODE_A, qty - 5);
  g_assert_true (hx_iterate_until (is_untracked, &wait, WAIT_MS));

  fixture_clear (f);
}

static void
test_unfilled_limit_buy (void)
{
  Fixture *f = &fixture;
  CodeWait wait = { f, HX_CODE_A };
  g_autoptr(JsonObject) order = NULL;
  gint64 price;

  fixture_init (f);
  f->settings->buy_type = HOGA_ORDER_TYPE_LIMIT;
  f->settings->buy_limit_offset_ticks = -2;
  f->settings->unfilled_buy_timeout_s = 1;
  f->settings->cooldown_s = 1;
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  trade (f, HX_CODE_A, price);

  hx_command (f->server, "{\"cmd\":\"order-outcome\",\"outcome\":\"rest\",\"count\":1}");
  force_condition (f, BUY_SEQ, HX_CODE_A, TRUE);
  assert_orders (f, HX_CODE_A, "buy", 1);
  order = last_order (f, HX_CODE_A, "buy");
  hx_assert_member (order, "trde_tp", "0");
  g_assert_cmpint (json_object_get_int_member (order, "price"), ==, hoga_krx_add_ticks (price, -2));
  g_assert_cmpint (json_object_get_int_member (order, "qty"), ==,
                   AMOUNT / hoga_krx_add_ticks (price, -2));

  /* Cancelled after the timeout, and no longer tracked; never re-sent. */
  g_assert_true (hx_iterate_until (is_untracked, &wait, WAIT_MS));
  g_assert_cmpuint (count_cancels (f), ==, 1);
  assert_orders (f, HX_CODE_A, "buy", 1);

  /* It bought nothing, so the symbol is not "bought today": after the cooldown a new
   * entry buys it, as after a restart, where the journal knows only filled buys. */
  hx_pump (1500);
  g_assert_null (strstr (f->log->str, "Buy skipped: bought-today"));
  force_condition (f, BUY_SEQ, HX_CODE_A, FALSE);
  force_condition (f, BUY_SEQ, HX_CODE_A, TRUE);
  assert_orders (f, HX_CODE_A, "buy", 2);
  g_assert_nonnull (hoga_tracker_lookup (hoga_engine_get_tracker (f->engine), HX_CODE_A));

  fixture_clear (f);
}

/* How many times the engine said it was cancelling an order. */
static guint
count_cancel_attempts (Fixture *f)
{
  guint n = 0;

  for (const char *at = f->log->str; (at = strstr (at, "Cancelling order")) != NULL; at++)
    n++;
  return n;
}

/* A resting limit buy fills while the WebSocket is silent, so its 00 events never arrive.
 * At the unfilled timeout the engine cancels it, and the broker refuses: nothing is left
 * to cancel. The engine reads the broker's lists before it would cancel again, learns the
 * fill from them and tracks the position: one cancel, not one every second for as long as
 * the events are missing (found by bench/soak.py). */
static void
test_cancel_refused_after_missed_fill (void)
{
  Fixture *f = &fixture;
  CodeWait wait = { f, HX_CODE_A };
  gint64 deadline;
  gint64 price;
  gint64 limit;

  fixture_init (f);
  f->settings->buy_type = HOGA_ORDER_TYPE_LIMIT;
  f->settings->buy_limit_offset_ticks = -2;
  f->settings->unfilled_buy_timeout_s = 2;
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  limit = hoga_krx_add_ticks (price, -2);
  trade (f, HX_CODE_A, price);

  force_condition (f, BUY_SEQ, HX_CODE_A, TRUE);
  deadline = g_get_monotonic_time () + WAIT_MS * 1000;
  while (count_orders (f, HX_CODE_A, "buy") < 1 && g_get_monotonic_time () < deadline)
    hx_pump (20);
  g_assert_cmpuint (count_orders (f, HX_CODE_A, "buy"), ==, 1);

  /* Filled at its limit by a print below it, unseen by the engine. */
  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"ws-silent\",\"on\":true}");
  hx_command (f->server, "{\"cmd\":\"trade\",\"code\":\"%s\",\"price\":%" G_GINT64_FORMAT
              ",\"qty\":1000000}", HX_CODE_A, hoga_krx_add_ticks (limit, -1));
  {
    g_autoptr(JsonObject) order = last_order (f, HX_CODE_A, "buy");

    hx_assert_member (order, "state", "filled");
  }

  g_assert_true (hx_iterate_until (is_tracking, &wait, 3 * WAIT_MS));
  g_assert_cmpint (hoga_position_get_qty (hoga_tracker_lookup (hoga_engine_get_tracker (f->engine),
                                                               HX_CODE_A)), ==, AMOUNT / limit);
  hx_pump (2500);
  g_assert_cmpuint (count_cancel_attempts (f), ==, 1);
  g_assert_cmpuint (count_cancels (f), ==, 0);

  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"ws-silent\",\"on\":false}");
  fixture_clear (f);
}

static void
problem_cb (HogaEngine *engine,
            GError     *error,
            gpointer    data)
{
  guint *n_problems = data;

  (*n_problems)++;
}

/* Two changes of the buy condition in a row (a user going through the drop-down): the
 * second waits for the first start's answer, and the last choice is the one armed. */
static void
test_quick_condition_changes (void)
{
  Fixture *f = &fixture;
  g_autoptr(HogaSettings) changed = NULL;
  g_autoptr(GError) error = NULL;
  HogaConditionRegistry *registry;
  guint n_problems = 0;

  fixture_init (f);
  engine_start (f, TRUE);
  g_signal_connect (f->engine, "problem", G_CALLBACK (problem_cb), &n_problems);
  registry = hoga_engine_get_condition_registry (f->engine);

  changed = hoga_settings_copy (f->settings);
  g_free (changed->buy_condition);
  changed->buy_condition = g_strdup ("");
  g_free (changed->buy_condition_seq);
  changed->buy_condition_seq = g_strdup ("2");
  g_assert_true (hoga_engine_apply_settings (f->engine, changed, &error));
  g_free (changed->buy_condition_seq);
  changed->buy_condition_seq = g_strdup ("3");
  g_assert_true (hoga_engine_apply_settings (f->engine, changed, &error));
  g_assert_no_error (error);

  hx_pump (HX_QUIET_MS * 2);
  g_assert_cmpuint (n_problems, ==, 0);
  g_assert_true (hoga_condition_get_active (hoga_condition_registry_lookup (registry, "3")));
  g_assert_false (hoga_condition_get_active (hoga_condition_registry_lookup (registry, "2")));
  g_assert_false (hoga_condition_get_active (hoga_condition_registry_lookup (registry, BUY_SEQ)));

  /* The new condition buys. */
  trade (f, HX_CODE_A, start_price (f, HX_CODE_A));
  force_condition (f, "3", HX_CODE_A, TRUE);
  assert_orders (f, HX_CODE_A, "buy", 1);
  fixture_clear (f);
}

static void
test_condition_not_found (void)
{
  Fixture *f = &fixture;
  g_autoptr(GError) error = NULL;
  HogaConditionRegistry *registry;
  guint n_problems = 0;

  fixture_init (f);
  g_free (f->settings->buy_condition);
  f->settings->buy_condition = g_strdup ("없는 조건");
  g_free (f->settings->buy_condition_seq);
  f->settings->buy_condition_seq = g_strdup ("99");

  f->journal = HOGA_JOURNAL (hoga_sqlite_journal_open (f->journal_path, &error));
  g_assert_no_error (error);
  f->broker = HOGA_BROKER (kiwoom_broker_new (f->server->rest_url, f->server->ws_url,
                                              HX_TEST_APPKEY, HX_TEST_SECRETKEY));
  f->engine = hoga_engine_new (f->broker, f->journal, f->settings);
  hoga_engine_set_clock (f->engine, clock_cb, f, NULL);
  g_signal_connect (f->engine, "problem", G_CALLBACK (problem_cb), &n_problems);
  hoga_engine_start_async (f->engine, NULL, started_cb, f);
  g_assert_true (hx_iterate_until (is_done, f, 20000));
  g_assert_no_error (f->error);

  /* The engine runs (it still protects positions), and says what is missing. */
  g_assert_cmpuint (n_problems, ==, 1);
  registry = hoga_engine_get_condition_registry (f->engine);
  g_assert_cmpuint (hoga_condition_registry_get_n_active (registry), ==, 1);
  hoga_engine_set_auto_buy (f->engine, TRUE);
  trade (f, HX_CODE_A, start_price (f, HX_CODE_A));
  force_condition (f, BUY_SEQ, HX_CODE_A, TRUE);
  assert_orders (f, HX_CODE_A, "buy", 0);

  fixture_clear (f);
}

static gboolean
is_stop_buying (gpointer data)
{
  return hoga_engine_get_kill_tier (((Fixture *) data)->engine) == HOGA_KILL_STOP_BUYING;
}

static void
test_daily_loss (void)
{
  Fixture *f = &fixture;
  gint64 price;

  fixture_init (f);
  /* 0.1 % of the 10,000,000 KRW account: about 10,000 KRW. */
  f->settings->daily_loss_limit_bp = 10;
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  buy (f, HX_CODE_A, price);

  trade_seen (f, HX_CODE_A, hoga_krx_round_down (price * 98 / 100));
  g_assert_true (hx_iterate_until (is_stop_buying, f, WAIT_MS));
  /* Buying stopped; the position is still held (no flatten configured). */
  assert_orders (f, HX_CODE_A, "sell", 0);
  trade (f, HX_CODE_B, start_price (f, HX_CODE_B));
  force_condition (f, BUY_SEQ, HX_CODE_B, TRUE);
  assert_orders (f, HX_CODE_B, "buy", 0);

  fixture_clear (f);
}

/* ---- fees and taxes ------------------------------------------------------------------- */

static gint64
exchange_status_int (Fixture    *f,
                     const char *member)
{
  g_autoptr(JsonObject) status = hx_control (f->server, "{\"cmd\":\"status\"}");

  return json_object_get_int_member (status, member);
}

typedef struct {
  Fixture *f;
  gint64   value;
} RealizedWait;

static gboolean
realized_is (gpointer data)
{
  RealizedWait *wait = data;

  return hoga_account_get_realized_today (hoga_engine_get_account (wait->f->engine))
         == wait->value;
}

/* A buy and a sell at a higher price: today's realized P&L is the exchange's own figure,
 * after the commission of both orders and the sell's tax; a restart finds it again. */
static void
test_realized_net_of_costs (void)
{
  Fixture *f = &fixture;
  CodeWait wait = { f, HX_CODE_A };
  RealizedWait realized = { f, 0 };
  gint64 price;
  gint64 higher;
  gint64 qty;
  gint64 costs;

  fixture_init (f);
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  qty = buy (f, HX_CODE_A, price);
  /* The buy's commission is spent already: realized today is below zero before any sell. */
  realized.value = -exchange_status_int (f, "commission");
  g_assert_cmpint (realized.value, <, 0);
  g_assert_true (hx_iterate_until (realized_is, &realized, WAIT_MS));

  higher = hoga_krx_round_down (price * 101 / 100);
  trade_seen (f, HX_CODE_A, higher);
  hx_command (f->server, "{\"cmd\":\"order-outcome\",\"outcome\":\"fill\",\"count\":1}");
  hoga_engine_sell_now (f->engine, HX_CODE_A);
  g_assert_true (hx_iterate_until (is_untracked, &wait, WAIT_MS));
  assert_orders (f, HX_CODE_A, "sell", 1);

  costs = exchange_status_int (f, "commission") + exchange_status_int (f, "tax");
  realized.value = exchange_status_int (f, "realized_pnl");
  g_assert_cmpint (costs, >, 0);
  g_assert_cmpint (realized.value, ==, (higher - price) * qty - costs);
  g_assert_true (hx_iterate_until (realized_is, &realized, WAIT_MS));
  /* Once: the 04 events, a reconciliation, nothing adds the costs again. */
  hx_pump (HX_QUIET_MS);
  g_assert_true (realized_is (&realized));

  engine_stop (f);
  engine_start (f, FALSE);
  g_assert_true (realized_is (&realized));

  fixture_clear (f);
}

/* The daily loss limit counts fees and taxes: a round trip at an unchanged price loses
 * nothing gross, and about 2 bp of the account after its costs. */
static void
test_daily_loss_counts_costs (void)
{
  Fixture *f = &fixture;
  CodeWait wait = { f, HX_CODE_A };
  gint64 price;

  fixture_init (f);
  f->settings->daily_loss_limit_bp = 1;
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  buy (f, HX_CODE_A, price);
  g_assert_cmpint (hoga_engine_get_kill_tier (f->engine), ==, HOGA_KILL_NONE);

  hx_command (f->server, "{\"cmd\":\"order-outcome\",\"outcome\":\"fill\",\"count\":1}");
  hoga_engine_sell_now (f->engine, HX_CODE_A);
  g_assert_true (hx_iterate_until (is_untracked, &wait, WAIT_MS));
  g_assert_true (hx_iterate_until (is_stop_buying, f, WAIT_MS));
  g_assert_nonnull (strstr (f->log->str, "Daily loss limit reached"));

  trade (f, HX_CODE_B, start_price (f, HX_CODE_B));
  force_condition (f, BUY_SEQ, HX_CODE_B, TRUE);
  assert_orders (f, HX_CODE_B, "buy", 0);

  fixture_clear (f);
}

/* ---- stale market data (DESIGN.md §1.5) --------------------------------------------- */

static void
hold_ticks (Fixture  *f,
            gboolean  on)
{
  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"hold-ticks\",\"on\":%s}",
              on ? "true" : "false");
}

/* While the ticks of the one held position stop, a symbol entering the buy condition is
 * not bought, and the log says why; fresh ticks again, it is. */
static void
test_stale_ticks_hold_buys (void)
{
  Fixture *f = &fixture;
  gint64 price;

  fixture_init (f);
  f->settings->staleness_limit_ms = 1000;
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  buy (f, HX_CODE_A, price);
  trade_seen (f, HX_CODE_A, price);

  hold_ticks (f, TRUE);
  trade (f, HX_CODE_A, price);
  hx_pump (1500);
  trade (f, HX_CODE_B, start_price (f, HX_CODE_B));
  hx_command (f->server, "{\"cmd\":\"order-outcome\",\"outcome\":\"fill\",\"count\":1}");
  force_condition (f, BUY_SEQ, HX_CODE_B, TRUE);
  assert_orders (f, HX_CODE_B, "buy", 0);
  g_assert_nonnull (strstr (f->log->str, "Buy held: no tick for"));
  /* Held while the feed stays stale, housekeeping or not. */
  hx_pump (1500);
  g_assert_cmpuint (count_orders (f, HX_CODE_B, "buy"), ==, 0);

  hold_ticks (f, FALSE);
  trade_seen (f, HX_CODE_A, price);
  assert_orders (f, HX_CODE_B, "buy", 1);
  g_assert_nonnull (strstr (f->log->str, "Ticks are fresh again"));

  fixture_clear (f);
}

/* A stop-loss seen while automatic selling was off is not acted on once the price is
 * stale: when the sell condition fires later, the engine sells for that reason, at market,
 * instead of for a stop-loss at a limit priced off the stale last trade. */
static void
test_stale_ticks_exit (void)
{
  Fixture *f = &fixture;
  CodeWait wait = { f, HX_CODE_A };
  gint64 price;
  gint64 qty;

  fixture_init (f);
  f->settings->staleness_limit_ms = 1000;
  f->settings->sell_type = HOGA_ORDER_TYPE_LIMIT;
  engine_start (f, TRUE);
  price = start_price (f, HX_CODE_A);
  qty = buy (f, HX_CODE_A, price);

  hoga_engine_set_auto_sell (f->engine, FALSE);
  trade_seen (f, HX_CODE_A, hoga_krx_round_down (price * 96 / 100));
  g_assert_nonnull (strstr (f->log->str, "Exit not taken, automatic selling is off"));

  hold_ticks (f, TRUE);
  hx_pump (1500);
  hoga_engine_set_auto_sell (f->engine, TRUE);
  hx_pump (1500);
  g_assert_cmpuint (count_orders (f, HX_CODE_A, "sell"), ==, 0);

  hx_command (f->server, "{\"cmd\":\"order-outcome\",\"outcome\":\"fill\",\"count\":1}");
  force_condition (f, SELL_SEQ, HX_CODE_A, TRUE);
  assert_orders (f, HX_CODE_A, "sell", 1);
  assert_market_sell (f, HX_CODE_A, qty);
  assert_sell_reason (f, HX_CODE_A, "sell-condition");
  g_assert_true (hx_iterate_until (is_untracked, &wait, WAIT_MS));

  fixture_clear (f);
}

int
main (int   argc,
      char *argv[])
{
  hx_test_init (&argc, &argv);

  hx_test_add ("/engine/scenario/buy-once", test_buy_once);
  hx_test_add ("/engine/scenario/quick-condition-changes", test_quick_condition_changes);
  hx_test_add ("/engine/scenario/snapshot-not-bought", test_snapshot_not_bought);
  hx_test_add ("/engine/scenario/snapshot-bought-when-enabled", test_snapshot_bought_when_enabled);
  hx_test_add ("/engine/scenario/trailing-stop", test_trailing_stop);
  hx_test_add ("/engine/scenario/stop-loss", test_stop_loss);
  hx_test_add ("/engine/scenario/take-profit", test_take_profit);
  hx_test_add ("/engine/scenario/sell-condition", test_sell_condition);
  hx_test_add ("/engine/scenario/outside-window", test_outside_window);
  hx_test_add ("/engine/scenario/kill-switch", test_kill_switch);
  hx_test_add ("/engine/scenario/kill-switch-cancels", test_kill_switch_cancels);
  hx_test_add ("/engine/scenario/external-holding", test_external_holding);
  hx_test_add ("/engine/scenario/restart", test_restart);
  hx_test_add ("/engine/scenario/restart-position-not-held", test_restart_position_not_held);
  hx_test_add ("/engine/scenario/disconnect-during-sell", test_disconnect_during_sell);
  hx_test_add ("/engine/scenario/restart-remembers-bought-today", test_restart_remembers_bought_today);
  hx_test_add ("/engine/scenario/rejected-sell-cooldown", test_rejected_sell_cooldown);
  hx_test_add ("/engine/scenario/end-of-day", test_end_of_day);
  hx_test_add ("/engine/scenario/unfilled-limit-sell", test_unfilled_limit_sell);
  hx_test_add ("/engine/scenario/unfilled-limit-buy", test_unfilled_limit_buy);
  hx_test_add ("/engine/scenario/cancel-refused-after-missed-fill",
               test_cancel_refused_after_missed_fill);
  hx_test_add ("/engine/scenario/partial-sell", test_partial_sell);
  hx_test_add ("/engine/scenario/condition-not-found", test_condition_not_found);
  hx_test_add ("/engine/scenario/daily-loss", test_daily_loss);
  hx_test_add ("/engine/scenario/realized-net-of-costs", test_realized_net_of_costs);
  hx_test_add ("/engine/scenario/daily-loss-counts-costs", test_daily_loss_counts_costs);
  hx_test_add ("/engine/scenario/stale-ticks-hold-buys", test_stale_ticks_hold_buys);
  hx_test_add ("/engine/scenario/stale-ticks-exit", test_stale_ticks_exit);

  return g_test_run ();
}
