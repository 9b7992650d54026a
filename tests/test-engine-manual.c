/* test-engine-manual.c — the user's own orders: hoga-exchange, the Kiwoom adapter, a journal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine runs against hoga-exchange on loopback as in test-engine.c; every scenario
 * asserts what matters most: what the exchange received, and that a refused order sent
 * nothing.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "hoga-engine.h"
#include "hoga-krx.h"
#include "hoga-sqlite-journal.h"
#include "hx-test-fixture.h"
#include "kiwoom-broker.h"

#define WAIT_MS  5000

typedef struct {
  HxServer     *server;
  char         *dir;
  char         *journal_path;
  HogaSettings *settings;
  GDateTime    *now;
  gint64        now_set_us;
  HogaJournal  *journal;
  HogaBroker   *broker;
  HogaEngine   *engine;
  gboolean      done;
  gboolean      ok;
  GError       *error;
  HogaOrder    *order;
} Fixture;

static Fixture fixture;

/* A weekday session time that advances in real time, as in test-engine.c. */
static GDateTime *
clock_cb (gpointer user_data)
{
  Fixture *f = user_data;

  return g_date_time_add (f->now, g_get_monotonic_time () - f->now_set_us);
}

static void
log_cb (HogaEngine *engine,
        guint       level,
        const char *code,
        const char *message,
        gpointer    data)
{
  g_test_message ("engine: %s %s", code != NULL ? code : "-", message);
}

static void
fixture_init (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  memset (f, 0, sizeof *f);
  f->server = hx_server_start (HX_SCRIPTED, NULL);
  f->dir = g_dir_make_tmp ("hoga-engine-manual-XXXXXX", &error);
  g_assert_no_error (error);
  f->journal_path = g_build_filename (f->dir, "journal.sqlite", NULL);
  /* A Friday that is not a KRX holiday, in the regular session. */
  f->now = g_date_time_new (hoga_krx_time_zone (), 2026, 11, 20, 10, 0, 0);
  f->now_set_us = g_get_monotonic_time ();

  f->settings = hoga_settings_new ();
  g_free (f->settings->buy_condition);
  f->settings->buy_condition = g_strdup ("거래량 급증");
  f->settings->daily_loss_limit_bp = 0;
  f->settings->staleness_limit_ms = 60000;
  /* Short, so a manual limit order outliving it shows the timeouts leave it alone. */
  f->settings->unfilled_buy_timeout_s = 1;
  f->settings->unfilled_sell_timeout_s = 1;
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

static void
engine_start (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->journal = HOGA_JOURNAL (hoga_sqlite_journal_open (f->journal_path, &error));
  g_assert_no_error (error);
  f->broker = HOGA_BROKER (kiwoom_broker_new (f->server->rest_url, f->server->ws_url,
                                              HX_TEST_APPKEY, HX_TEST_SECRETKEY));
  f->engine = hoga_engine_new (f->broker, f->journal, f->settings);
  hoga_engine_set_clock (f->engine, clock_cb, f, NULL);
  g_signal_connect (f->engine, "log", G_CALLBACK (log_cb), f);

  f->done = FALSE;
  hoga_engine_start_async (f->engine, NULL, started_cb, f);
  g_assert_true (hx_iterate_until (is_done, f, 20000));
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
}

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
    {
      f->done = FALSE;
      hoga_engine_stop_async (f->engine, NULL, stopped_cb, f);
      g_assert_true (hx_iterate_until (is_done, f, 10000));
      g_assert_no_error (f->error);
      g_clear_object (&f->engine);
      g_clear_object (&f->broker);
      g_clear_object (&f->journal);
    }
  g_clear_object (&f->order);
  hx_server_stop (f->server);
  remove_dir (f->dir);
  g_free (f->journal_path);
  g_free (f->dir);
  g_clear_pointer (&f->settings, hoga_settings_free);
  g_clear_pointer (&f->now, g_date_time_unref);
}

/* ---- the exchange's side ------------------------------------------------------------ */

/* Every order the exchange received for @code of @kind ("new", "cancel") and, for new
 * ones, @side ("buy"/"sell"; NULL for any). */
static GPtrArray *
exchange_orders (Fixture    *f,
                 const char *code,
                 const char *kind,
                 const char *side)
{
  g_autoptr(JsonObject) reply = hx_control (f->server, "{\"cmd\":\"orders\"}");
  JsonArray *orders = hx_array (reply, "orders");
  GPtrArray *matching = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);

      if (g_strcmp0 (hx_str (order, "code"), code) == 0
          && g_strcmp0 (hx_str (order, "kind"), kind) == 0
          && (side == NULL || g_strcmp0 (hx_str (order, "side"), side) == 0))
        g_ptr_array_add (matching, json_object_ref (order));
    }
  return matching;
}

static guint
count_all_orders (Fixture *f)
{
  g_autoptr(JsonObject) reply = hx_control (f->server, "{\"cmd\":\"orders\"}");

  return json_array_get_length (hx_array (reply, "orders"));
}

/* Waits (bounded) for @n orders, then a quiet while more could arrive; exactly @n. */
static void
assert_orders (Fixture    *f,
               const char *code,
               const char *kind,
               const char *side,
               guint       n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;
  GPtrArray *orders;

  for (;;)
    {
      orders = exchange_orders (f, code, kind, side);
      if (orders->len >= n || g_get_monotonic_time () >= deadline)
        break;
      g_ptr_array_unref (orders);
      hx_pump (50);
    }
  g_ptr_array_unref (orders);
  hx_pump (HX_QUIET_MS);
  orders = exchange_orders (f, code, kind, side);
  g_assert_cmpuint (orders->len, ==, n);
  g_ptr_array_unref (orders);
}

static JsonObject *
last_order (Fixture    *f,
            const char *code,
            const char *side)
{
  g_autoptr(GPtrArray) orders = exchange_orders (f, code, "new", side);

  g_assert_cmpuint (orders->len, >, 0);
  return json_object_ref (g_ptr_array_index (orders, orders->len - 1));
}

static void
trade (Fixture    *f,
       const char *code,
       gint64      price)
{
  hx_command (f->server, "{\"cmd\":\"trade\",\"code\":\"%s\",\"price\":%" G_GINT64_FORMAT "}",
              code, price);
}

static void
next_outcome (Fixture    *f,
              const char *outcome)
{
  hx_command (f->server, "{\"cmd\":\"order-outcome\",\"outcome\":\"%s\",\"count\":1}", outcome);
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

/* ---- the engine's side -------------------------------------------------------------- */

static void
placed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Fixture *f = data;

  g_clear_object (&f->order);
  f->order = hoga_engine_place_order_finish (HOGA_ENGINE (source), result, &f->error);
  f->done = TRUE;
}

/* Places the user's order and waits for its outcome: the order, or NULL and @error. */
static HogaOrder *
place (Fixture        *f,
       const char     *code,
       HogaSide        side,
       gint64          qty,
       HogaOrderType   type,
       gint64          price,
       GError        **error)
{
  f->done = FALSE;
  g_clear_error (&f->error);
  hoga_engine_place_order_async (f->engine, code, side, qty, type, price, NULL, placed_cb, f);
  g_assert_true (hx_iterate_until (is_done, f, WAIT_MS));
  g_assert_true ((f->order == NULL) != (f->error == NULL));
  if (f->error != NULL)
    {
      g_test_message ("refused: %s", f->error->message);
      g_propagate_error (error, g_steal_pointer (&f->error));
      return NULL;
    }
  return g_steal_pointer (&f->order);
}

typedef struct {
  Fixture    *f;
  const char *code;
  gint64      qty;
} CodeWait;

static gboolean
is_tracking (gpointer data)
{
  CodeWait *wait = data;
  HogaPosition *position = hoga_tracker_lookup (hoga_engine_get_tracker (wait->f->engine),
                                                wait->code);

  return position != NULL && hoga_position_get_state (position) == HOGA_POSITION_STATE_TRACKING
         && hoga_position_get_qty (position) == wait->qty;
}

static gboolean
is_untracked (gpointer data)
{
  CodeWait *wait = data;

  return hoga_tracker_lookup (hoga_engine_get_tracker (wait->f->engine), wait->code) == NULL;
}

static gboolean
is_sellable (gpointer data)
{
  CodeWait *wait = data;
  HogaHolding *holding = hoga_account_lookup (hoga_engine_get_account (wait->f->engine),
                                              wait->code);

  return holding != NULL && hoga_holding_get_sellable_qty (holding) == wait->qty;
}

typedef struct {
  HogaOrder      *order;
  HogaOrderState  state;
} StateWait;

static gboolean
has_state (gpointer data)
{
  StateWait *wait = data;

  return hoga_order_get_state (wait->order) == wait->state;
}

/* A manual market buy of @qty shares of @code that the exchange fills at once; the
 * position is tracked and the account can sell it. */
static void
bought (Fixture    *f,
        const char *code,
        gint64      qty)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaOrder) order = NULL;
  CodeWait wait = { f, code, qty };

  trade (f, code, start_price (f, code));
  next_outcome (f, "fill");
  order = place (f, code, HOGA_SIDE_BUY, qty, HOGA_ORDER_TYPE_MARKET, 0, &error);
  g_assert_no_error (error);
  g_assert_true (hx_iterate_until (is_tracking, &wait, WAIT_MS));
  g_assert_true (hx_iterate_until (is_sellable, &wait, WAIT_MS));
}

/* ---- scenarios ------------------------------------------------------------------------ */

static void
test_market_buy (void)
{
  Fixture *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaOrder) order = NULL;
  g_autoptr(JsonObject) sent = NULL;
  CodeWait wait = { f, HX_CODE_A, 3 };
  gint64 price;

  fixture_init (f);
  engine_start (f);
  price = start_price (f, HX_CODE_A);
  trade (f, HX_CODE_A, price);
  next_outcome (f, "fill");

  /* A code as the broker may write it is normalised. */
  order = place (f, "A" HX_CODE_A, HOGA_SIDE_BUY, 3, HOGA_ORDER_TYPE_MARKET, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);
  g_assert_cmpstr (hoga_order_get_code (order), ==, HX_CODE_A);
  g_assert_cmpstr (hoga_order_get_reason (order), ==, "manual");
  g_assert_cmpint (hoga_order_get_side (order), ==, HOGA_SIDE_BUY);
  g_assert_cmpint (hoga_order_get_qty (order), ==, 3);
  g_assert_cmpstr (hoga_order_get_ord_no (order), !=, "");

  /* Once, with the right fields. */
  assert_orders (f, HX_CODE_A, "new", "buy", 1);
  g_assert_cmpuint (count_all_orders (f), ==, 1);
  sent = last_order (f, HX_CODE_A, "buy");
  hx_assert_member (sent, "trde_tp", "3");
  g_assert_cmpint (json_object_get_int_member (sent, "qty"), ==, 3);
  g_assert_cmpstr (hx_str (sent, "ord_no"), ==, hoga_order_get_ord_no (order));

  /* Tracked like the engine's own buys: the exits protect it from its fill on. */
  g_assert_true (hx_iterate_until (is_tracking, &wait, WAIT_MS));
  g_assert_cmpint (hoga_position_get_avg_cost (hoga_tracker_lookup (
                     hoga_engine_get_tracker (f->engine), HX_CODE_A)), ==, price);

  fixture_clear (f);
}

static void
test_limit_off_grid (void)
{
  Fixture *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaOrder) order = NULL;
  GListModel *orders;
  gint64 price;
  gint64 off_grid;

  fixture_init (f);
  engine_start (f);
  price = start_price (f, HX_CODE_A);
  g_assert_cmpint (hoga_krx_tick_size (price), >, 1);
  trade (f, HX_CODE_A, price);
  off_grid = price + 1;

  order = place (f, HX_CODE_A, HOGA_SIDE_BUY, 1, HOGA_ORDER_TYPE_LIMIT, off_grid, &error);
  g_assert_null (order);
  g_assert_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_INVALID_PRICE);
  /* The message names the grid prices around it. */
  g_assert_nonnull (strstr (error->message, "tick grid"));
  g_clear_error (&error);

  /* A limit price of 0 and one outside the daily limits are refused too. */
  order = place (f, HX_CODE_A, HOGA_SIDE_BUY, 1, HOGA_ORDER_TYPE_LIMIT, 0, &error);
  g_assert_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_INVALID_PRICE);
  g_clear_error (&error);
  order = place (f, HX_CODE_A, HOGA_SIDE_BUY, 1, HOGA_ORDER_TYPE_LIMIT,
                 hoga_krx_add_ticks (hoga_krx_upper_limit (price), 1), &error);
  g_assert_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_INVALID_PRICE);
  g_assert_nonnull (strstr (error->message, "limits"));
  g_clear_error (&error);

  hx_pump (HX_QUIET_MS);
  g_assert_cmpuint (count_all_orders (f), ==, 0);
  orders = G_LIST_MODEL (hoga_engine_get_order_book (f->engine));
  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 0);

  fixture_clear (f);
}

static void
test_bad_quantity_and_code (void)
{
  Fixture *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaOrder) order = NULL;

  fixture_init (f);
  engine_start (f);
  trade (f, HX_CODE_A, start_price (f, HX_CODE_A));

  order = place (f, HX_CODE_A, HOGA_SIDE_BUY, 0, HOGA_ORDER_TYPE_MARKET, 0, &error);
  g_assert_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_INVALID_QUANTITY);
  g_clear_error (&error);
  order = place (f, HX_CODE_A, HOGA_SIDE_BUY, -5, HOGA_ORDER_TYPE_MARKET, 0, &error);
  g_assert_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_INVALID_QUANTITY);
  g_clear_error (&error);

  order = place (f, "hello!", HOGA_SIDE_BUY, 1, HOGA_ORDER_TYPE_MARKET, 0, &error);
  g_assert_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_INVALID_CODE);
  g_clear_error (&error);
  g_assert_false (hx_symbol_exists (f->server, "999990"));
  order = place (f, "999990", HOGA_SIDE_BUY, 1, HOGA_ORDER_TYPE_MARKET, 0, &error);
  g_assert_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_UNKNOWN_CODE);
  g_clear_error (&error);

  hx_pump (HX_QUIET_MS);
  g_assert_cmpuint (count_all_orders (f), ==, 0);

  fixture_clear (f);
}

static void
test_sell_more_than_held (void)
{
  Fixture *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaOrder) order = NULL;
  CodeWait wait = { f, HX_CODE_A, 0 };

  fixture_init (f);
  engine_start (f);
  bought (f, HX_CODE_A, 3);

  order = place (f, HX_CODE_A, HOGA_SIDE_SELL, 4, HOGA_ORDER_TYPE_MARKET, 0, &error);
  g_assert_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_NOT_ENOUGH_SHARES);
  g_clear_error (&error);
  /* Nothing of B is held. */
  trade (f, HX_CODE_B, start_price (f, HX_CODE_B));
  order = place (f, HX_CODE_B, HOGA_SIDE_SELL, 1, HOGA_ORDER_TYPE_MARKET, 0, &error);
  g_assert_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_NOT_ENOUGH_SHARES);
  g_clear_error (&error);
  assert_orders (f, HX_CODE_A, "new", "sell", 0);
  assert_orders (f, HX_CODE_B, "new", "sell", 0);

  /* All that is held can be sold. */
  next_outcome (f, "fill");
  order = place (f, HX_CODE_A, HOGA_SIDE_SELL, 3, HOGA_ORDER_TYPE_MARKET, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hoga_order_get_reason (order), ==, "manual");
  assert_orders (f, HX_CODE_A, "new", "sell", 1);
  g_assert_true (hx_iterate_until (is_untracked, &wait, WAIT_MS));

  fixture_clear (f);
}

static void
test_one_working_sell (void)
{
  Fixture *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaOrder) first = NULL;
  g_autoptr(HogaOrder) second = NULL;
  g_autoptr(JsonObject) sent = NULL;
  gint64 price;

  fixture_init (f);
  engine_start (f);
  bought (f, HX_CODE_A, 3);
  price = start_price (f, HX_CODE_A);

  next_outcome (f, "rest");
  first = place (f, HX_CODE_A, HOGA_SIDE_SELL, 1, HOGA_ORDER_TYPE_LIMIT,
                 hoga_krx_add_ticks (price, 2), &error);
  g_assert_no_error (error);
  sent = last_order (f, HX_CODE_A, "sell");
  hx_assert_member (sent, "trde_tp", "0");
  g_assert_cmpint (json_object_get_int_member (sent, "price"), ==, hoga_krx_add_ticks (price, 2));
  g_assert_cmpint (json_object_get_int_member (sent, "qty"), ==, 1);

  second = place (f, HX_CODE_A, HOGA_SIDE_SELL, 1, HOGA_ORDER_TYPE_MARKET, 0, &error);
  g_assert_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_BUSY);
  g_clear_error (&error);
  assert_orders (f, HX_CODE_A, "new", "sell", 1);

  /* The resting limit sell outlives the unfilled timeout: the user's price stands. */
  hx_pump (2500);
  assert_orders (f, HX_CODE_A, "cancel", NULL, 0);
  g_assert_cmpint (hoga_order_get_state (first), ==, HOGA_ORDER_STATE_ACCEPTED);

  fixture_clear (f);
}

static void
test_kill_switch (void)
{
  Fixture *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaOrder) order = NULL;
  CodeWait wait = { f, HX_CODE_A, 0 };

  fixture_init (f);
  engine_start (f);
  bought (f, HX_CODE_A, 2);
  trade (f, HX_CODE_B, start_price (f, HX_CODE_B));

  /* Tier 1 stops the user's buys too, market or limit. */
  hoga_engine_kill_switch (f->engine, HOGA_KILL_STOP_BUYING);
  order = place (f, HX_CODE_B, HOGA_SIDE_BUY, 1, HOGA_ORDER_TYPE_MARKET, 0, &error);
  g_assert_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_KILL_SWITCH);
  g_clear_error (&error);
  order = place (f, HX_CODE_B, HOGA_SIDE_BUY, 1, HOGA_ORDER_TYPE_LIMIT,
                 start_price (f, HX_CODE_B), &error);
  g_assert_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_KILL_SWITCH);
  g_clear_error (&error);
  assert_orders (f, HX_CODE_B, "new", "buy", 0);

  /* Tier 2 stops the automation; the user may still sell by hand. */
  hoga_engine_kill_switch (f->engine, HOGA_KILL_STOP_ALL);
  next_outcome (f, "fill");
  order = place (f, HX_CODE_A, HOGA_SIDE_SELL, 2, HOGA_ORDER_TYPE_MARKET, 0, &error);
  g_assert_no_error (error);
  assert_orders (f, HX_CODE_A, "new", "sell", 1);
  g_assert_true (hx_iterate_until (is_untracked, &wait, WAIT_MS));

  fixture_clear (f);
}

static void
test_cancel_resting (void)
{
  Fixture *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaOrder) order = NULL;
  g_autoptr(JsonObject) sent = NULL;
  g_autoptr(GPtrArray) cancels = NULL;
  CodeWait wait = { f, HX_CODE_A, 0 };
  StateWait cancelled;
  gint64 price;
  gint64 limit;

  fixture_init (f);
  engine_start (f);
  price = start_price (f, HX_CODE_A);
  limit = hoga_krx_add_ticks (price, -2);
  trade (f, HX_CODE_A, price);

  next_outcome (f, "rest");
  order = place (f, HX_CODE_A, HOGA_SIDE_BUY, 2, HOGA_ORDER_TYPE_LIMIT, limit, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hoga_order_get_state (order), ==, HOGA_ORDER_STATE_ACCEPTED);
  assert_orders (f, HX_CODE_A, "new", "buy", 1);
  sent = last_order (f, HX_CODE_A, "buy");
  hx_assert_member (sent, "trde_tp", "0");
  g_assert_cmpint (json_object_get_int_member (sent, "price"), ==, limit);
  g_assert_cmpint (json_object_get_int_member (sent, "qty"), ==, 2);

  /* A second buy of the symbol waits for this one. */
  g_clear_object (&f->order);
  g_assert_null (place (f, HX_CODE_A, HOGA_SIDE_BUY, 1, HOGA_ORDER_TYPE_MARKET, 0, &error));
  g_assert_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_BUSY);
  g_clear_error (&error);

  /* Past the unfilled-buy timeout, nobody but the user cancels it. */
  hx_pump (2500);
  assert_orders (f, HX_CODE_A, "cancel", NULL, 0);

  g_assert_true (hoga_engine_cancel_order (f->engine, hoga_order_get_id (order), &error));
  g_assert_no_error (error);
  /* Asked once: a second click while it is on its way sends nothing more. */
  g_assert_false (hoga_engine_cancel_order (f->engine, hoga_order_get_id (order), &error));
  g_assert_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_BUSY);
  g_clear_error (&error);

  cancelled = (StateWait) { order, HOGA_ORDER_STATE_CANCELLED };
  g_assert_true (hx_iterate_until (has_state, &cancelled, WAIT_MS));
  assert_orders (f, HX_CODE_A, "cancel", NULL, 1);
  cancels = exchange_orders (f, HX_CODE_A, "cancel", NULL);
  g_assert_cmpstr (hx_str (g_ptr_array_index (cancels, 0), "orig_ord_no"), ==,
                   hoga_order_get_ord_no (order));
  /* Nothing was bought: nothing is tracked. */
  g_assert_true (hx_iterate_until (is_untracked, &wait, WAIT_MS));

  /* Done now, and an id no order has: nothing to cancel. */
  g_assert_false (hoga_engine_cancel_order (f->engine, hoga_order_get_id (order), &error));
  g_assert_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_NOT_WORKING);
  g_clear_error (&error);
  g_assert_false (hoga_engine_cancel_order (f->engine, 424242, &error));
  g_assert_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_NOT_WORKING);
  g_clear_error (&error);
  assert_orders (f, HX_CODE_A, "cancel", NULL, 1);

  fixture_clear (f);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  HogaQuote **quote = data;

  *quote = hoga_engine_lookup_stock_finish (HOGA_ENGINE (source), result, NULL);
  fixture.done = TRUE;
}

static void
test_lookup_stock (void)
{
  Fixture *f = &fixture;
  g_autoptr(HogaQuote) quote = NULL;
  HxSymbolInfo info;

  fixture_init (f);
  engine_start (f);
  hx_symbol_info (f->server, HX_CODE_B, &info);
  g_assert_null (hoga_quote_book_lookup (hoga_engine_get_quote_book (f->engine), HX_CODE_B));

  f->done = FALSE;
  hoga_engine_lookup_stock_async (f->engine, HX_CODE_B "_NX", NULL, looked_up_cb, &quote);
  g_assert_true (hx_iterate_until (is_done, f, WAIT_MS));
  g_assert_nonnull (quote);
  g_assert_cmpstr (hoga_quote_get_code (quote), ==, HX_CODE_B);
  g_assert_cmpstr (hoga_quote_get_name (quote), !=, "");
  g_assert_cmpint (hoga_quote_get_base_price (quote), ==, info.base);
  g_assert_true (hoga_quote_book_lookup (hoga_engine_get_quote_book (f->engine), HX_CODE_B)
                 == quote);

  fixture_clear (f);
}

int
main (int   argc,
      char *argv[])
{
  hx_test_init (&argc, &argv);

  hx_test_add ("/engine/manual/market-buy", test_market_buy);
  hx_test_add ("/engine/manual/limit-off-grid", test_limit_off_grid);
  hx_test_add ("/engine/manual/bad-quantity-and-code", test_bad_quantity_and_code);
  hx_test_add ("/engine/manual/sell-more-than-held", test_sell_more_than_held);
  hx_test_add ("/engine/manual/one-working-sell", test_one_working_sell);
  hx_test_add ("/engine/manual/kill-switch", test_kill_switch);
  hx_test_add ("/engine/manual/cancel-resting", test_cancel_resting);
  hx_test_add ("/engine/manual/lookup-stock", test_lookup_stock);

  return g_test_run ();
}
