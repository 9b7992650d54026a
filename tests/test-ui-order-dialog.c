/* test-ui-order-dialog.c — the manual order dialog on a real engine and hoga-exchange
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dialog drives a running engine against hoga-exchange on loopback: what the form
 * says and offers, how the price steps along the tick grid, and what the exchange
 * receives when Send (or Enter) is pressed.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "hoga-engine.h"
#include "hoga-krx.h"
#include "hoga-order-dialog-private.h"
#include "hoga-sqlite-journal.h"
#include "hoga-ui.h"
#include "hx-test-fixture.h"
#include "kiwoom-broker.h"

#define WAIT_MS 5000

/* The dialog's page step, in ticks. */
#define PAGE_TICKS_FOR_TEST 10

typedef struct {
  HxServer        *server;
  char            *dir;
  char            *journal_path;
  HogaSettings    *settings;
  GDateTime       *now;
  gint64           now_set_us;
  HogaJournal     *journal;
  HogaBroker      *broker;
  HogaEngine      *engine;
  HogaOrderDialog *dialog;        /* weak */
  HogaOrder       *placed;
  gboolean         done;
  gboolean         ok;
  GError          *error;
} Fixture;

static Fixture fixture;

static GDateTime *
clock_cb (gpointer user_data)
{
  Fixture *f = user_data;

  return g_date_time_add (f->now, g_get_monotonic_time () - f->now_set_us);
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
fixture_init (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  memset (f, 0, sizeof *f);
  f->server = hx_server_start (HX_SCRIPTED, NULL);
  f->dir = g_dir_make_tmp ("hoga-order-dialog-XXXXXX", &error);
  g_assert_no_error (error);
  f->journal_path = g_build_filename (f->dir, "journal.sqlite", NULL);
  /* A Friday that is not a KRX holiday, in the regular session. */
  f->now = g_date_time_new (hoga_krx_time_zone (), 2026, 11, 20, 10, 0, 0);
  f->now_set_us = g_get_monotonic_time ();
  f->settings = hoga_settings_new ();
  f->settings->daily_loss_limit_bp = 0;
  f->settings->staleness_limit_ms = 60000;

  f->journal = HOGA_JOURNAL (hoga_sqlite_journal_open (f->journal_path, &error));
  g_assert_no_error (error);
  f->broker = HOGA_BROKER (kiwoom_broker_new (f->server->rest_url, f->server->ws_url,
                                              HX_TEST_APPKEY, HX_TEST_SECRETKEY));
  f->engine = hoga_engine_new (f->broker, f->journal, f->settings);
  hoga_engine_set_clock (f->engine, clock_cb, f, NULL);
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
  if (f->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (f->dialog));
  g_assert_null (f->dialog);
  g_clear_object (&f->placed);

  f->done = FALSE;
  hoga_engine_stop_async (f->engine, NULL, stopped_cb, f);
  g_assert_true (hx_iterate_until (is_done, f, 10000));
  g_assert_no_error (f->error);
  g_clear_object (&f->engine);
  g_clear_object (&f->broker);
  g_clear_object (&f->journal);
  hx_server_stop (f->server);
  remove_dir (f->dir);
  g_free (f->journal_path);
  g_free (f->dir);
  g_clear_pointer (&f->settings, hoga_settings_free);
  g_clear_pointer (&f->now, g_date_time_unref);
}

/* ---- the exchange ----------------------------------------------------------------- */

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
count_all_orders (Fixture *f)
{
  g_autoptr(JsonObject) reply = hx_control (f->server, "{\"cmd\":\"orders\"}");

  return json_array_get_length (hx_array (reply, "orders"));
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

static gint64
start_price (Fixture    *f,
             const char *code)
{
  HxSymbolInfo info;

  hx_symbol_info (f->server, code, &info);
  return hoga_krx_round_down (info.base);
}

/* ---- the dialog ------------------------------------------------------------------- */

static void
placed_cb (HogaOrderDialog *dialog,
           HogaOrder       *order,
           Fixture         *f)
{
  g_set_object (&f->placed, order);
}

static HogaOrderDialog *
open_dialog (Fixture    *f,
             const char *code,
             HogaSide    side)
{
  f->dialog = hoga_order_dialog_new (NULL, f->engine, code, side);
  g_object_add_weak_pointer (G_OBJECT (f->dialog), (gpointer *) &f->dialog);
  g_signal_connect (f->dialog, "placed", G_CALLBACK (placed_cb), f);
  gtk_window_present (GTK_WINDOW (f->dialog));
  hx_pump (100);
  return f->dialog;
}

static void
set_code (HogaOrderDialog *dialog,
          const char      *code)
{
  gtk_editable_set_text (hoga_order_dialog_get_code_editable (dialog), code);
}

static gboolean
is_looked_up (gpointer data)
{
  HogaOrderDialog *dialog = data;
  const char *name = hoga_order_dialog_get_name_text (dialog);

  return *name != '\0' && strcmp (name, "Looking up…") != 0;
}

/* Types @code and waits until the dialog knows what it is. */
static void
enter_code (HogaOrderDialog *dialog,
            const char      *code)
{
  set_code (dialog, code);
  g_assert_true (hx_iterate_until (is_looked_up, dialog, WAIT_MS));
}

/* Types @text into a spin button and commits it, as Tab or Enter would. */
static void
type_into (GtkSpinButton *spin,
           const char    *text)
{
  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  gtk_spin_button_update (spin);
}

static void
type_price (HogaOrderDialog *dialog,
            gint64           price)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, price);

  type_into (hoga_order_dialog_get_price_spin (dialog), text);
}

static gint64
price_value (HogaOrderDialog *dialog)
{
  return (gint64) gtk_spin_button_get_value (hoga_order_dialog_get_price_spin (dialog));
}

static void
assert_message_contains (HogaOrderDialog *dialog,
                         const char      *part)
{
  const char *message = hoga_order_dialog_get_message (dialog);

  if (strstr (message, part) == NULL)
    g_error ("the dialog says “%s”, not “…%s…”", message, part);
}

static void
select_limit (HogaOrderDialog *dialog)
{
  adw_combo_row_set_selected (hoga_order_dialog_get_type_row (dialog), 1);
}

/* "48,550" */
static char *
grouped (gint64 value)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  GString *out = g_string_new (NULL);
  gsize n = strlen (digits);

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static gboolean
dialog_closed (gpointer data)
{
  return ((Fixture *) data)->dialog == NULL;
}

static gboolean
not_sending (gpointer data)
{
  return !hoga_order_dialog_get_sending (((Fixture *) data)->dialog);
}

static gboolean
is_filled (gpointer data)
{
  return hoga_order_get_state (HOGA_ORDER (data)) == HOGA_ORDER_STATE_FILLED;
}

/* ---- tests ------------------------------------------------------------------------ */

static void
test_code (void)
{
  Fixture *f = &fixture;
  HogaOrderDialog *dialog;

  fixture_init (f);
  dialog = open_dialog (f, NULL, HOGA_SIDE_BUY);
  assert_message_contains (dialog, "Enter a stock code");
  g_assert_false (hoga_order_dialog_get_can_send (dialog));

  set_code (dialog, "hello!");
  assert_message_contains (dialog, "“hello!” is not a stock code");
  g_assert_false (hoga_order_dialog_get_can_send (dialog));

  set_code (dialog, "0059");
  assert_message_contains (dialog, "Enter the whole stock code");
  g_assert_false (hoga_order_dialog_get_can_send (dialog));

  /* The broker knows no such stock. */
  enter_code (dialog, "999990");
  g_assert_cmpstr (hoga_order_dialog_get_name_text (dialog), ==, "Unknown code");
  assert_message_contains (dialog, "No stock has the code 999990");
  g_assert_false (hoga_order_dialog_get_can_send (dialog));

  /* A real one: its name, and a market buy of one share can go. */
  enter_code (dialog, HX_CODE_A);
  g_assert_cmpstr (hoga_order_dialog_get_name_text (dialog), !=, "Unknown code");
  g_assert_cmpstr (hoga_order_dialog_get_message (dialog), ==, "");
  g_assert_true (hoga_order_dialog_get_can_send (dialog));

  /* Escape (window.close) closes it, sending nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  g_assert_true (hx_iterate_until (dialog_closed, f, WAIT_MS));
  g_assert_cmpuint (count_all_orders (f), ==, 0);

  fixture_clear (f);
}

static void
test_quantity (void)
{
  Fixture *f = &fixture;
  HogaOrderDialog *dialog;
  GtkSpinButton *qty;

  fixture_init (f);
  dialog = open_dialog (f, NULL, HOGA_SIDE_BUY);
  qty = hoga_order_dialog_get_qty_spin (dialog);
  enter_code (dialog, HX_CODE_A);

  type_into (qty, "0");
  assert_message_contains (dialog, "at least 1 share");
  g_assert_false (hoga_order_dialog_get_can_send (dialog));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "order.send", NULL);
  g_assert_false (hoga_order_dialog_get_sending (dialog));

  type_into (qty, "2");
  g_assert_true (hoga_order_dialog_get_can_send (dialog));

  /* Nothing is held: nothing to sell. */
  gtk_toggle_button_set_active (hoga_order_dialog_get_sell_toggle (dialog), TRUE);
  assert_message_contains (dialog, "No shares of " HX_CODE_A " can be sold");
  g_assert_false (hoga_order_dialog_get_can_send (dialog));

  hx_pump (HX_QUIET_MS);
  g_assert_cmpuint (count_all_orders (f), ==, 0);
  fixture_clear (f);
}

static void
test_limit_price (void)
{
  Fixture *f = &fixture;
  HogaOrderDialog *dialog;
  HxSymbolInfo info;
  g_autofree char *lower = NULL;
  g_autofree char *upper = NULL;
  g_autofree char *grid = NULL;
  g_autofree char *typed = NULL;
  gint64 price;

  fixture_init (f);
  price = start_price (f, HX_CODE_A);
  trade (f, HX_CODE_A, price);
  hx_symbol_info (f->server, HX_CODE_A, &info);
  dialog = open_dialog (f, HX_CODE_A, HOGA_SIDE_BUY);
  g_assert_true (hx_iterate_until (is_looked_up, dialog, WAIT_MS));

  /* Limit starts at the last trade, and says today's limits. */
  select_limit (dialog);
  g_assert_cmpint (price_value (dialog), ==, price);
  lower = grouped (info.lower);
  upper = grouped (info.upper);
  g_assert_nonnull (strstr (hoga_order_dialog_get_limits_text (dialog), lower));
  g_assert_nonnull (strstr (hoga_order_dialog_get_limits_text (dialog), upper));
  g_assert_true (hoga_order_dialog_get_can_send (dialog));

  /* Typed off the grid: kept as typed, flagged with the grid prices around it. */
  g_assert_cmpint (hoga_krx_tick_size (price), >, 1);
  type_price (dialog, price + 1);
  g_assert_cmpint (price_value (dialog), ==, price + 1);
  assert_message_contains (dialog, "is not on the tick grid");
  grid = grouped (price);
  assert_message_contains (dialog, grid);
  g_assert_false (hoga_order_dialog_get_can_send (dialog));

  /* Outside the daily limits. */
  type_price (dialog, hoga_krx_add_ticks (info.upper, 1));
  assert_message_contains (dialog, "outside today's limits");
  g_assert_false (hoga_order_dialog_get_can_send (dialog));
  type_price (dialog, hoga_krx_add_ticks (info.lower, -1));
  assert_message_contains (dialog, "outside today's limits");
  g_assert_false (hoga_order_dialog_get_can_send (dialog));

  /* On the grid again; typed with thousands separators. */
  typed = grouped (hoga_krx_add_ticks (price, -3));
  type_into (hoga_order_dialog_get_price_spin (dialog), typed);
  g_assert_cmpint (price_value (dialog), ==, hoga_krx_add_ticks (price, -3));
  g_assert_cmpstr (hoga_order_dialog_get_message (dialog), ==, "");
  g_assert_true (hoga_order_dialog_get_can_send (dialog));

  /* Back to market: the price no longer matters. */
  type_price (dialog, price + 1);
  g_assert_false (hoga_order_dialog_get_can_send (dialog));
  adw_combo_row_set_selected (hoga_order_dialog_get_type_row (dialog), 0);
  g_assert_true (hoga_order_dialog_get_can_send (dialog));

  fixture_clear (f);
}

static void
spin (HogaOrderDialog *dialog,
      GtkSpinType      direction)
{
  gtk_spin_button_spin (hoga_order_dialog_get_price_spin (dialog), direction, 0);
}

static void
test_tick_snapping (void)
{
  static const gint64 band_edges[] = { 2000, 5000, 20000, 50000, 200000, 500000 };
  static const char *codes[] = { HX_CODE_A, HX_CODE_B };
  Fixture *f = &fixture;
  HogaOrderDialog *dialog;
  HxSymbolInfo info;
  const char *code = NULL;
  gint64 edge = 0;
  gint64 below;
  gint64 above;

  fixture_init (f);
  /* A symbol with a band edge of the tick table well inside today's limits. */
  for (guint c = 0; c < G_N_ELEMENTS (codes) && edge == 0; c++)
    {
      hx_symbol_info (f->server, codes[c], &info);
      for (guint i = 0; i < G_N_ELEMENTS (band_edges) && edge == 0; i++)
        {
          if (hoga_krx_add_ticks (band_edges[i], -PAGE_TICKS_FOR_TEST) > info.lower
              && hoga_krx_add_ticks (band_edges[i], PAGE_TICKS_FOR_TEST) < info.upper)
            {
              code = codes[c];
              edge = band_edges[i];
            }
        }
    }
  g_assert_cmpint (edge, >, 0);
  trade (f, code, start_price (f, code));
  below = edge - hoga_krx_tick_size (edge - 1);
  above = edge + hoga_krx_tick_size (edge);
  g_assert_cmpint (hoga_krx_tick_size (edge - 1), !=, hoga_krx_tick_size (edge));

  dialog = open_dialog (f, code, HOGA_SIDE_BUY);
  g_assert_true (hx_iterate_until (is_looked_up, dialog, WAIT_MS));
  select_limit (dialog);

  /* One step is one tick of the band the price is in, across the edge both ways. */
  type_price (dialog, below);
  spin (dialog, GTK_SPIN_STEP_FORWARD);
  g_assert_cmpint (price_value (dialog), ==, edge);
  spin (dialog, GTK_SPIN_STEP_FORWARD);
  g_assert_cmpint (price_value (dialog), ==, above);
  spin (dialog, GTK_SPIN_STEP_BACKWARD);
  g_assert_cmpint (price_value (dialog), ==, edge);
  spin (dialog, GTK_SPIN_STEP_BACKWARD);
  g_assert_cmpint (price_value (dialog), ==, below);
  g_assert_true (hoga_order_dialog_get_can_send (dialog));

  /* From a typed off-grid price, a step lands on the grid price in that direction. */
  type_price (dialog, edge + 1);
  g_assert_false (hoga_order_dialog_get_can_send (dialog));
  spin (dialog, GTK_SPIN_STEP_FORWARD);
  g_assert_cmpint (price_value (dialog), ==, above);
  type_price (dialog, edge + 1);
  spin (dialog, GTK_SPIN_STEP_BACKWARD);
  g_assert_cmpint (price_value (dialog), ==, edge);
  g_assert_true (hoga_order_dialog_get_can_send (dialog));

  /* A page is ten ticks. */
  spin (dialog, GTK_SPIN_PAGE_FORWARD);
  g_assert_cmpint (price_value (dialog), ==, hoga_krx_add_ticks (edge, PAGE_TICKS_FOR_TEST));
  spin (dialog, GTK_SPIN_PAGE_BACKWARD);
  g_assert_cmpint (price_value (dialog), ==, edge);

  /* Steps stop at the daily limits. */
  type_price (dialog, info.upper);
  spin (dialog, GTK_SPIN_STEP_FORWARD);
  g_assert_cmpint (price_value (dialog), ==, info.upper);
  g_assert_true (hoga_order_dialog_get_can_send (dialog));

  fixture_clear (f);
}

static void
test_sends_limit_buy (void)
{
  Fixture *f = &fixture;
  HogaOrderDialog *dialog;
  g_autoptr(GPtrArray) orders = NULL;
  JsonObject *sent;
  GtkEditable *qty_text;
  gint64 price;
  gint64 limit;

  fixture_init (f);
  price = start_price (f, HX_CODE_A);
  limit = hoga_krx_add_ticks (price, -2);
  trade (f, HX_CODE_A, price);
  next_outcome (f, "rest");

  dialog = open_dialog (f, HX_CODE_A, HOGA_SIDE_BUY);
  g_assert_true (hx_iterate_until (is_looked_up, dialog, WAIT_MS));
  select_limit (dialog);
  type_price (dialog, limit);
  /* Typed, not committed yet: Enter commits it and sends. */
  qty_text = gtk_editable_get_delegate (GTK_EDITABLE (hoga_order_dialog_get_qty_spin (dialog)));
  gtk_editable_set_text (GTK_EDITABLE (hoga_order_dialog_get_qty_spin (dialog)), "2");
  g_signal_emit_by_name (qty_text, "activate");

  g_assert_true (hx_iterate_until (dialog_closed, f, WAIT_MS));
  g_assert_nonnull (f->placed);
  g_assert_cmpstr (hoga_order_get_reason (f->placed), ==, "manual");
  g_assert_cmpint (hoga_order_get_state (f->placed), ==, HOGA_ORDER_STATE_ACCEPTED);

  orders = exchange_orders (f, HX_CODE_A, "buy");
  g_assert_cmpuint (orders->len, ==, 1);
  sent = g_ptr_array_index (orders, 0);
  hx_assert_member (sent, "trde_tp", "0");
  g_assert_cmpint (json_object_get_int_member (sent, "price"), ==, limit);
  g_assert_cmpint (json_object_get_int_member (sent, "qty"), ==, 2);
  g_assert_cmpstr (hx_str (sent, "ord_no"), ==, hoga_order_get_ord_no (f->placed));

  fixture_clear (f);
}

static void
test_engine_refusal (void)
{
  Fixture *f = &fixture;
  HogaOrderDialog *dialog;

  fixture_init (f);
  trade (f, HX_CODE_A, start_price (f, HX_CODE_A));
  hoga_engine_kill_switch (f->engine, HOGA_KILL_STOP_BUYING);

  dialog = open_dialog (f, HX_CODE_A, HOGA_SIDE_BUY);
  g_assert_true (hx_iterate_until (is_looked_up, dialog, WAIT_MS));
  type_into (hoga_order_dialog_get_qty_spin (dialog), "3");
  g_assert_true (hoga_order_dialog_get_can_send (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "order.send", NULL));
  g_assert_true (hx_iterate_until (not_sending, f, WAIT_MS));

  /* Still open, the form as it was, the engine's reason under it. */
  g_assert_nonnull (f->dialog);
  g_assert_null (f->placed);
  assert_message_contains (dialog, "kill switch");
  g_assert_cmpstr (gtk_editable_get_text (hoga_order_dialog_get_code_editable (dialog)), ==,
                   HX_CODE_A);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (hoga_order_dialog_get_qty_spin (dialog)),
                   ==, 3);
  hx_pump (HX_QUIET_MS);
  g_assert_cmpuint (count_all_orders (f), ==, 0);

  /* Once the kill switch is reset, the same form goes through. */
  hoga_engine_reset_kill_switch (f->engine);
  next_outcome (f, "fill");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "order.send", NULL));
  g_assert_true (hx_iterate_until (dialog_closed, f, WAIT_MS));
  g_assert_nonnull (f->placed);
  g_assert_cmpuint (count_all_orders (f), ==, 1);
  g_assert_true (hx_iterate_until (is_filled, f->placed, WAIT_MS));

  fixture_clear (f);
}

typedef struct {
  Fixture    *f;
  const char *code;
  gint64      qty;
} HoldingWait;

static gboolean
holds (gpointer data)
{
  HoldingWait *wait = data;
  HogaHolding *holding = hoga_account_lookup (hoga_engine_get_account (wait->f->engine),
                                              wait->code);

  return holding != NULL && hoga_holding_get_sellable_qty (holding) == wait->qty;
}

static void
placed_order_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Fixture *f = data;
  G_GNUC_UNUSED g_autoptr(HogaOrder) order = NULL;

  order = hoga_engine_place_order_finish (HOGA_ENGINE (source), result, &f->error);

  f->done = TRUE;
}

static void
test_sell_prefilled (void)
{
  Fixture *f = &fixture;
  HogaOrderDialog *dialog;
  HoldingWait wait = { f, HX_CODE_A, 3 };
  g_autoptr(GPtrArray) orders = NULL;
  JsonObject *sent;

  fixture_init (f);
  trade (f, HX_CODE_A, start_price (f, HX_CODE_A));
  next_outcome (f, "fill");
  f->done = FALSE;
  hoga_engine_place_order_async (f->engine, HX_CODE_A, HOGA_SIDE_BUY, 3, HOGA_ORDER_TYPE_MARKET,
                                 0, NULL, placed_order_cb, f);
  g_assert_true (hx_iterate_until (is_done, f, WAIT_MS));
  g_assert_no_error (f->error);
  g_assert_true (hx_iterate_until (holds, &wait, WAIT_MS));

  /* "Sell…" from a row: the whole sellable quantity, at market. */
  dialog = open_dialog (f, HX_CODE_A, HOGA_SIDE_SELL);
  g_assert_true (hx_iterate_until (is_looked_up, dialog, WAIT_MS));
  g_assert_true (gtk_toggle_button_get_active (hoga_order_dialog_get_sell_toggle (dialog)));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (hoga_order_dialog_get_qty_spin (dialog)),
                   ==, 3);
  g_assert_true (hoga_order_dialog_get_can_send (dialog));

  type_into (hoga_order_dialog_get_qty_spin (dialog), "4");
  assert_message_contains (dialog, "Only 3 shares can be sold");
  g_assert_false (hoga_order_dialog_get_can_send (dialog));
  type_into (hoga_order_dialog_get_qty_spin (dialog), "3");

  next_outcome (f, "fill");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "order.send", NULL));
  g_assert_true (hx_iterate_until (dialog_closed, f, WAIT_MS));
  orders = exchange_orders (f, HX_CODE_A, "sell");
  g_assert_cmpuint (orders->len, ==, 1);
  sent = g_ptr_array_index (orders, 0);
  hx_assert_member (sent, "trde_tp", "3");
  g_assert_cmpint (json_object_get_int_member (sent, "qty"), ==, 3);
  g_assert_true (hx_iterate_until (is_filled, f->placed, WAIT_MS));

  fixture_clear (f);
}

int
main (int   argc,
      char *argv[])
{
  /* The strings compared are the English sources. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  hx_test_init (&argc, &argv);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }
  adw_init ();
  hoga_ui_init ();

  hx_test_add ("/ui/order-dialog/code", test_code);
  hx_test_add ("/ui/order-dialog/quantity", test_quantity);
  hx_test_add ("/ui/order-dialog/limit-price", test_limit_price);
  hx_test_add ("/ui/order-dialog/tick-snapping", test_tick_snapping);
  hx_test_add ("/ui/order-dialog/sends-limit-buy", test_sends_limit_buy);
  hx_test_add ("/ui/order-dialog/engine-refusal", test_engine_refusal);
  hx_test_add ("/ui/order-dialog/sell-prefilled", test_sell_prefilled);

  return g_test_run ();
}
