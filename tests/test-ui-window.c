/* test-ui-window.c — the trading window on a real engine, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window is driven the way a user drives it (its actions, its switches, its dialogs)
 * while the engine runs against hoga-exchange over loopback with a SQLite journal; the
 * assertions look at what the window shows and at what the exchange received.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "fake-notifications.h"
#include "hoga-engine.h"
#include "hoga-krx.h"
#include "hoga-sqlite-journal.h"
#include "hoga-table-helper.h"
#include "hoga-ui.h"
#include "hoga-window-private.h"
#include "hx-test-fixture.h"
#include "kiwoom-broker.h"

#define BUY_NAME "거래량 급증"
#define BUY_SEQ  "0"
#define WAIT_MS  8000

typedef struct {
  FakeNotifications *notifications;
  HxServer       *server;
  char           *dir;
  HogaSettings   *settings;
  GSettings      *gsettings;
  AdwApplication *application;
  HogaJournal    *journal;
  HogaBroker     *broker;
  HogaEngine     *engine;
  HogaWindow     *window;
  GDateTime      *now;
  gint64          now_set_us;
  gboolean        done;
  gboolean        ok;
  GError         *error;
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

/* An application registered the way `hoga` registers, so its startup loads the style
 * sheet, and a window on it with a running engine. */
static void
fixture_init (Fixture *f)
{
  g_autoptr(GSettings) strategy = NULL;
  g_autofree char *journal_path = NULL;
  g_autoptr(GError) error = NULL;

  /* build-aux/test runs the UI tests in a private session bus. */
  f->notifications = fake_notifications_start ();
  g_assert_nonnull (f->notifications);
  f->server = hx_server_start (HX_SCRIPTED, NULL);
  f->dir = g_dir_make_tmp ("hoga-ui-window-XXXXXX", &error);
  g_assert_no_error (error);
  f->now = g_date_time_new (hoga_krx_time_zone (), 2026, 11, 20, 10, 0, 0);
  f->now_set_us = g_get_monotonic_time ();

  f->gsettings = g_settings_new (APP_ID);
  strategy = g_settings_get_child (f->gsettings, "strategy");
  g_settings_set_string (strategy, "buy-condition", BUY_NAME);
  f->settings = hoga_settings_load_gsettings (f->gsettings, &error);
  g_assert_no_error (error);
  f->settings->amount_per_stock = 1000000;

  f->application = adw_application_new ("io.github.hoga.Hoga.Test", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (f->application), NULL, &error);
  g_assert_no_error (error);
  f->window = hoga_window_new (f->application, f->gsettings);
  g_object_ref_sink (f->window);
  hoga_window_set_profile (f->window, HOGA_PROFILE_SIMULATED);
  gtk_window_present (GTK_WINDOW (f->window));

  journal_path = g_build_filename (f->dir, "journal.sqlite", NULL);
  f->journal = HOGA_JOURNAL (hoga_sqlite_journal_open (journal_path, &error));
  g_assert_no_error (error);
  f->broker = HOGA_BROKER (kiwoom_broker_new (f->server->rest_url, f->server->ws_url,
                                              HX_TEST_APPKEY, HX_TEST_SECRETKEY));
  f->engine = hoga_engine_new (f->broker, f->journal, f->settings);
  hoga_engine_set_clock (f->engine, clock_cb, f, NULL);
  f->done = FALSE;
  hoga_engine_start_async (f->engine, NULL, started_cb, f);
  g_assert_true (hx_iterate_until (is_done, f, 20000));
  g_assert_no_error (f->error);
  g_assert_true (f->ok);

  hoga_window_set_engine (f->window, f->engine);
}

static void
fixture_clear (Fixture *f)
{
  hoga_window_set_engine (f->window, NULL);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->window);

  f->done = FALSE;
  hoga_engine_stop_async (f->engine, NULL, stopped_cb, f);
  g_assert_true (hx_iterate_until (is_done, f, 10000));
  g_assert_no_error (f->error);
  g_clear_object (&f->engine);
  g_clear_object (&f->broker);
  g_clear_object (&f->journal);

  hx_server_stop (f->server);
  remove_dir (f->dir);
  g_free (f->dir);
  g_clear_object (&f->application);
  g_clear_object (&f->gsettings);
  g_clear_pointer (&f->settings, hoga_settings_free);
  g_clear_pointer (&f->now, g_date_time_unref);
  g_clear_pointer (&f->notifications, fake_notifications_stop);
}

typedef struct {
  Fixture    *f;
  const char *prefix;
} NotificationWait;

static gboolean
has_notification (gpointer data)
{
  NotificationWait *wait = data;
  GPtrArray *summaries = fake_notifications_get_summaries (wait->f->notifications);

  for (guint i = 0; i < summaries->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (summaries, i), wait->prefix))
      return TRUE;
  return FALSE;
}

/* ---- widget lookups ------------------------------------------------------------------- */

typedef gboolean (*WidgetMatch) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find_widget (GtkWidget    *root,
             WidgetMatch   match,
             gconstpointer data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (match (child, data))
        return child;
      found = find_widget (child, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_switch_for (GtkWidget     *widget,
               gconstpointer  action)
{
  return GTK_IS_SWITCH (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static gboolean
is_column_view (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_COLUMN_VIEW (widget);
}

/* Drop-downs under @root whose list has @n_items entries. */
static guint
count_condition_dropdowns (GtkWidget *root,
                           guint      n_items)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_DROP_DOWN (child))
        {
          GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (child));

          n += model != NULL && g_list_model_get_n_items (model) == n_items;
        }
      n += count_condition_dropdowns (child, n_items);
    }
  return n;
}

static guint
shown_rows (GtkWidget *table)
{
  GtkWidget *view = find_widget (table, is_column_view, NULL);

  g_assert_nonnull (view);
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (view))));
}

typedef struct {
  GtkWidget *table;
  guint      rows;
} RowsWait;

static gboolean
has_rows (gpointer data)
{
  RowsWait *wait = data;

  return shown_rows (wait->table) >= wait->rows;
}

static gboolean
is_online (gpointer data)
{
  Fixture *f = data;
  const char *text = gtk_label_get_label (hoga_window_get_connection_label (f->window));

  return g_str_has_prefix (text, "Online");
}

/* ---- tests ---------------------------------------------------------------------------- */

static void
test_opens_running (void)
{
  Fixture *f = &fixture;

  fixture_init (f);
  g_assert_cmpstr (hoga_window_get_page (f->window), ==, "running");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  g_assert_true (hx_iterate_until (is_online, f, WAIT_MS));
  g_assert_cmpstr (gtk_label_get_label (hoga_window_get_profile_badge (f->window)), ==,
                   "Simulation");
  fixture_clear (f);
}

/* Both drop-downs offer "None" and every condition the exchange listed. */
static void
test_dropdowns_list_conditions (void)
{
  Fixture *f = &fixture;
  HogaConditionRegistry *registry;
  GtkWidget *bar;
  guint n_dropdowns = 0;

  fixture_init (f);
  registry = hoga_engine_get_condition_registry (f->engine);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (registry)), ==, 5);
  bar = GTK_WIDGET (hoga_window_get_strategy_bar (f->window));
  g_assert_true (hoga_strategy_bar_get_registry (HOGA_STRATEGY_BAR (bar)) == registry);

  n_dropdowns = count_condition_dropdowns (bar, 1 + 5);
  g_assert_cmpuint (n_dropdowns, ==, 2);
  fixture_clear (f);
}

static void
test_toggles_drive_engine (void)
{
  Fixture *f = &fixture;
  GtkWidget *buy_switch;
  GtkWidget *sell_switch;

  fixture_init (f);
  buy_switch = find_widget (GTK_WIDGET (f->window), is_switch_for, "trade.auto-buy");
  sell_switch = find_widget (GTK_WIDGET (f->window), is_switch_for, "trade.auto-sell");
  g_assert_nonnull (buy_switch);
  g_assert_nonnull (sell_switch);

  /* A restart starts with buying off; selling follows the settings (on). */
  hx_pump (50);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (buy_switch)));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (sell_switch)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "trade.auto-buy", NULL));
  hx_pump (50);
  g_assert_true (hoga_engine_get_auto_buy (f->engine));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (buy_switch)));

  /* The engine's own change shows in the switch. */
  hoga_engine_set_auto_sell (f->engine, FALSE);
  hx_pump (50);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (sell_switch)));

  /* Activating the switch itself (Space on it): it animates, then switches. */
  gtk_widget_activate (buy_switch);
  hx_pump (600);
  g_assert_false (hoga_engine_get_auto_buy (f->engine));
  fixture_clear (f);
}

/* A condition entry bought by the engine shows in the account, tracking and order frames. */
static void
test_scripted_buy_in_all_frames (void)
{
  Fixture *f = &fixture;
  HxSymbolInfo info;
  RowsWait wait;
  gint64 price;

  fixture_init (f);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "trade.auto-buy", NULL);
  hx_symbol_info (f->server, HX_CODE_A, &info);
  price = hoga_krx_round_down (info.base);
  hx_command (f->server, "{\"cmd\":\"trade\",\"code\":\"%s\",\"price\":%" G_GINT64_FORMAT "}",
              HX_CODE_A, price);
  hx_command (f->server,
              "{\"cmd\":\"condition\",\"seq\":\"%s\",\"code\":\"%s\",\"event\":\"I\"}",
              BUY_SEQ, HX_CODE_A);

  wait = (RowsWait) { GTK_WIDGET (hoga_window_get_orders_table (f->window)), 1 };
  g_assert_true (hx_iterate_until (has_rows, &wait, WAIT_MS));
  wait = (RowsWait) { GTK_WIDGET (hoga_window_get_tracking_table (f->window)), 1 };
  g_assert_true (hx_iterate_until (has_rows, &wait, WAIT_MS));
  wait = (RowsWait) { GTK_WIDGET (hoga_window_get_account_table (f->window)), 1 };
  g_assert_true (hx_iterate_until (has_rows, &wait, WAIT_MS));
  g_assert_cmpuint (hoga_engine_get_buys_today (f->engine), ==, 1);
  /* The fill is announced on the desktop. */
  {
    NotificationWait notification = { f, "Bought " };

    g_assert_true (hx_iterate_until (has_notification, &notification, WAIT_MS));
  }
  /* The fill's last events, before the engine stops and closes the journal. */
  hx_pump (HX_QUIET_MS);
  fixture_clear (f);
}

static gboolean
has_message_dialog (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          *(AdwMessageDialog **) data = ADW_MESSAGE_DIALOG (window);
          return TRUE;
        }
    }
  return FALSE;
}

static void
test_kill_switch (void)
{
  Fixture *f = &fixture;
  AdwMessageDialog *dialog = NULL;

  fixture_init (f);
  g_assert_false (hoga_window_get_kill_banner_shown (f->window));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "trade.kill-switch", "i",
                              HOGA_KILL_STOP_BUYING);
  g_assert_cmpint (hoga_engine_get_kill_tier (f->engine), ==, HOGA_KILL_STOP_BUYING);
  g_assert_true (hoga_window_get_kill_banner_shown (f->window));
  {
    NotificationWait notification = { f, "Kill switch" };

    g_assert_true (hx_iterate_until (has_notification, &notification, WAIT_MS));
  }

  gtk_widget_activate_action (GTK_WIDGET (f->window), "trade.reset-kill-switch", NULL);
  g_assert_cmpint (hoga_engine_get_kill_tier (f->engine), ==, HOGA_KILL_NONE);
  g_assert_false (hoga_window_get_kill_banner_shown (f->window));

  /* Flatten asks first: cancelling changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "trade.kill-switch", "i",
                              HOGA_KILL_FLATTEN);
  g_assert_true (hx_iterate_until (has_message_dialog, &dialog, WAIT_MS));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpint (hoga_engine_get_kill_tier (f->engine), ==, HOGA_KILL_NONE);

  dialog = NULL;
  gtk_widget_activate_action (GTK_WIDGET (f->window), "trade.kill-switch", "i",
                              HOGA_KILL_FLATTEN);
  g_assert_true (hx_iterate_until (has_message_dialog, &dialog, WAIT_MS));
  adw_message_dialog_response (dialog, "flatten");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpint (hoga_engine_get_kill_tier (f->engine), ==, HOGA_KILL_FLATTEN);
  g_assert_true (hoga_window_get_kill_banner_shown (f->window));
  hx_pump (HX_QUIET_MS);
  fixture_clear (f);
}

/* Without an engine nothing can trade: every trade action is disabled. */
static void
test_no_engine_disables_actions (void)
{
  Fixture *f = &fixture;

  fixture_init (f);
  hoga_window_set_engine (f->window, NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "trade.kill-switch", "i",
                              HOGA_KILL_STOP_BUYING);
  g_assert_cmpint (hoga_engine_get_kill_tier (f->engine), ==, HOGA_KILL_NONE);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "trade.auto-buy", NULL);
  g_assert_false (hoga_engine_get_auto_buy (f->engine));

  hoga_window_show_failed (f->window, "The journal is locked");
  g_assert_cmpstr (hoga_window_get_page (f->window), ==, "failed");
  hoga_window_set_engine (f->window, f->engine);
  g_assert_cmpstr (hoga_window_get_page (f->window), ==, "running");
  fixture_clear (f);
}

/* Size and panes are written on close and read by the next window. */
static void
test_state_round_trip (void)
{
  Fixture *f = &fixture;
  g_autoptr(GSettings) state = NULL;
  HogaWindow *second;
  int width;
  int height;

  fixture_init (f);
  state = g_settings_get_child (f->gsettings, "window-state");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 720);
  hx_pump (100);
  hoga_window_save_state (f->window);
  g_assert_cmpint (g_settings_get_int (state, "width"), ==, 1100);
  g_assert_cmpint (g_settings_get_int (state, "height"), ==, 720);
  g_assert_cmpint (g_settings_get_int (state, "frames-pane-position"), >=, 0);

  second = hoga_window_new (f->application, f->gsettings);
  gtk_window_get_default_size (GTK_WINDOW (second), &width, &height);
  g_assert_cmpint (width, ==, 1100);
  g_assert_cmpint (height, ==, 720);
  gtk_window_destroy (GTK_WINDOW (second));
  fixture_clear (f);
}

int
main (int   argc,
      char *argv[])
{
  hx_test_init (&argc, &argv);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display: the UI tests run under Xvfb (build-aux/test)");
      return g_test_run ();
    }
  hoga_ui_init ();

  hx_test_add ("/ui/window/opens-running", test_opens_running);
  hx_test_add ("/ui/window/dropdowns-list-conditions", test_dropdowns_list_conditions);
  hx_test_add ("/ui/window/toggles-drive-engine", test_toggles_drive_engine);
  hx_test_add ("/ui/window/scripted-buy-in-all-frames", test_scripted_buy_in_all_frames);
  hx_test_add ("/ui/window/kill-switch", test_kill_switch);
  hx_test_add ("/ui/window/no-engine-disables-actions", test_no_engine_disables_actions);
  hx_test_add ("/ui/window/state-round-trip", test_state_round_trip);

  return g_test_run ();
}
