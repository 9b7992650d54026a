/* test-ui-event-log.c — the event log pane: text, filters, the cap, batching, following
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>

#include "hoga-event-log-entry.h"
#include "hoga-event-log-private.h"
#include "hoga-ui.h"

/* build-aux/test's sanitizer and valgrind passes run several times slower and say by how
 * much in HOGA_TEST_TIME_SCALE (tests/meson.build): time bounds stretch to match. */
static gint64
time_scale (void)
{
  const char *scale = g_getenv ("HOGA_TEST_TIME_SCALE");

  return scale != NULL ? MAX (1, g_ascii_strtoll (scale, NULL, 10)) : 1;
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms. */
static void
pump (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

typedef gboolean (*DoneFunc) (gpointer data);

static gboolean
iterate_until (DoneFunc  done,
               gpointer  data,
               guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data))
    {
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      pump (20);
    }
  return TRUE;
}

static HogaEventLog *
new_log (void)
{
  HogaEventLog *log = HOGA_EVENT_LOG (hoga_event_log_new ());

  return g_object_ref_sink (log);
}

/* 2026-11-20 00:00:00 UTC + @seconds: 09:00:00 in Seoul. */
static GDateTime *
utc_time (int seconds)
{
  g_autoptr(GDateTime) midnight = g_date_time_new_utc (2026, 11, 20, 0, 0, 0);

  return g_date_time_add_seconds (midnight, seconds);
}

static void
append (HogaEventLog   *log,
        int             seconds,
        GLogLevelFlags  level,
        const char     *code,
        const char     *message)
{
  g_autoptr(GDateTime) time = utc_time (seconds);

  hoga_event_log_append (log, time, level, code, message);
}

static guint
n_shown (HogaEventLog *log)
{
  return g_list_model_get_n_items (hoga_event_log_get_shown (log));
}

/* One line of each level, with codes and messages the text filter can tell apart. */
static void
append_mix (HogaEventLog *log)
{
  append (log, 1, G_LOG_LEVEL_DEBUG, NULL, "Tick batch applied");
  append (log, 2, G_LOG_LEVEL_DEBUG, "005930", "Quote refreshed");
  append (log, 3, G_LOG_LEVEL_INFO, "005930", "Entered the buy condition");
  append (log, 4, G_LOG_LEVEL_INFO, "000660", "Entered the buy condition");
  append (log, 5, G_LOG_LEVEL_INFO, NULL, "Condition 0 armed");
  append (log, 6, G_LOG_LEVEL_MESSAGE, "005930", "Buy placed: 3 shares at market");
  append (log, 7, G_LOG_LEVEL_MESSAGE, "000660", "Bought 10 shares at 61,000 KRW");
  append (log, 8, G_LOG_LEVEL_WARNING, "000660", "Sell rejected: no shares; next try in 5 s");
  append (log, 9, G_LOG_LEVEL_WARNING, NULL, "Could not read the deposit");
  append (log, 10, G_LOG_LEVEL_CRITICAL, "035720", "Order outcome unknown");
  append (log, 11, G_LOG_LEVEL_ERROR, NULL, "Journal write failed");
}

static void
test_text (void)
{
  g_autoptr(HogaEventLog) log = new_log ();
  g_autofree char *text = NULL;
  g_autoptr(HogaEventLogEntry) entry = NULL;

  /* 01:02:03 UTC is 10:02:03 in Seoul, whatever the machine's zone. */
  append (log, 3723, G_LOG_LEVEL_MESSAGE, "005930", "Bought 3 shares at 71,000 KRW");
  append (log, 3724, G_LOG_LEVEL_WARNING, NULL, "Reconnecting");
  append (log, 3725, G_LOG_LEVEL_ERROR, "000660", "Sell rejected: 장 종료");

  text = hoga_event_log_to_text (log);
  g_assert_cmpstr (text, ==,
                   "10:02:03\tNotice\t005930\tBought 3 shares at 71,000 KRW\n"
                   "10:02:04\tWarning\t\tReconnecting\n"
                   "10:02:05\tError\t000660\tSell rejected: 장 종료\n");

  entry = g_list_model_get_item (hoga_event_log_get_entries (log), 0);
  g_assert_cmpint (g_date_time_get_hour (hoga_event_log_entry_get_time (entry)), ==, 10);
  g_assert_cmpstr (hoga_event_log_entry_get_time_text (entry), ==, "10:02:03");
}

static void
test_filter_level (void)
{
  g_autoptr(HogaEventLog) log = new_log ();
  GtkDropDown *levels = hoga_event_log_get_level_filter (log);
  g_autofree char *errors = NULL;

  append_mix (log);
  g_assert_cmpuint (n_shown (log), ==, 11);

  gtk_drop_down_set_selected (levels, 1);   /* Info and above */
  g_assert_cmpuint (n_shown (log), ==, 9);
  gtk_drop_down_set_selected (levels, 2);   /* Warnings and errors */
  g_assert_cmpuint (n_shown (log), ==, 4);
  gtk_drop_down_set_selected (levels, 3);   /* Errors */
  g_assert_cmpuint (n_shown (log), ==, 2);

  /* The copy is of what is shown. */
  errors = hoga_event_log_to_text (log);
  g_assert_cmpstr (errors, ==,
                   "09:00:10\tCritical\t035720\tOrder outcome unknown\n"
                   "09:00:11\tError\t\tJournal write failed\n");

  /* New lines obey the filter too. */
  append (log, 12, G_LOG_LEVEL_WARNING, NULL, "Stale tick ignored");
  append (log, 13, G_LOG_LEVEL_CRITICAL, NULL, "Kicked by another session");
  g_assert_cmpuint (n_shown (log), ==, 3);

  gtk_drop_down_set_selected (levels, 0);   /* All */
  g_assert_cmpuint (n_shown (log), ==, 13);
}

typedef struct {
  HogaEventLog *log;
  guint         n;
} ShownWait;

static gboolean
shows (gpointer data)
{
  ShownWait *wait = data;

  return n_shown (wait->log) == wait->n;
}

/* Types @text into the search entry and waits (bounded) for @n lines to be shown. */
static void
search (HogaEventLog *log,
        const char   *text,
        guint         n)
{
  ShownWait wait = { log, n };

  gtk_editable_set_text (GTK_EDITABLE (hoga_event_log_get_search_entry (log)), text);
  if (!iterate_until (shows, &wait, 3000))
    g_error ("“%s”: %u lines shown, not %u", text, n_shown (log), n);
  /* And stays there once the search delay is over. */
  pump (300);
  g_assert_cmpuint (n_shown (log), ==, n);
}

static void
test_filter_symbol (void)
{
  g_autoptr(HogaEventLog) log = new_log ();
  g_autofree char *text = NULL;

  append_mix (log);

  search (log, "005930", 3);
  search (log, "000660", 3);
  /* The message, case-insensitively, and a part of a code. */
  search (log, "BUY", 3);
  search (log, "buy condition", 2);
  search (log, "0006", 3);
  search (log, "nothing like this", 0);
  search (log, "", 11);

  /* Both filters at once. */
  search (log, "000660", 3);
  gtk_drop_down_set_selected (hoga_event_log_get_level_filter (log), 2);
  g_assert_cmpuint (n_shown (log), ==, 1);
  text = hoga_event_log_to_text (log);
  g_assert_cmpstr (text, ==,
                   "09:00:08\tWarning\t000660\tSell rejected: no shares; next try in 5 s\n");
}

static void
assert_message_at (GListModel *model,
                   guint       position,
                   const char *expected)
{
  g_autoptr(HogaEventLogEntry) entry = g_list_model_get_item (model, position);

  g_assert_nonnull (entry);
  g_assert_cmpstr (hoga_event_log_entry_get_message (entry), ==, expected);
}

static void
test_cap (void)
{
  g_autoptr(HogaEventLog) log = new_log ();
  GListModel *entries;
  g_autofree char *last = NULL;

  /* Over the cap in one batch: the oldest never show. */
  for (guint i = 0; i < HOGA_EVENT_LOG_MAX_ENTRIES + 10; i++)
    {
      g_autofree char *message = g_strdup_printf ("line %u", i);

      hoga_event_log_append (log, NULL, G_LOG_LEVEL_INFO, NULL, message);
    }
  entries = hoga_event_log_get_entries (log);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, HOGA_EVENT_LOG_MAX_ENTRIES);
  assert_message_at (entries, 0, "line 10");
  last = g_strdup_printf ("line %u", HOGA_EVENT_LOG_MAX_ENTRIES + 9);
  assert_message_at (entries, HOGA_EVENT_LOG_MAX_ENTRIES - 1, last);

  /* And over it across batches: the oldest shown lines go. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *message = g_strdup_printf ("more %u", i);

      hoga_event_log_append (log, NULL, G_LOG_LEVEL_INFO, NULL, message);
    }
  entries = hoga_event_log_get_entries (log);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, HOGA_EVENT_LOG_MAX_ENTRIES);
  assert_message_at (entries, 0, "line 15");
  assert_message_at (entries, HOGA_EVENT_LOG_MAX_ENTRIES - 1, "more 4");
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *n_changes)
{
  (*n_changes)++;
}

typedef struct {
  GListModel *model;
  guint       n;
} CountWait;

static gboolean
has_items (gpointer data)
{
  CountWait *wait = data;

  return g_list_model_get_n_items (wait->model) == wait->n;
}

static GtkWindow *
show_in_window (HogaEventLog *log)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 640, 240);
  gtk_window_set_child (window, GTK_WIDGET (log));
  gtk_window_present (window);
  pump (200);
  return window;
}

static void
test_burst (void)
{
  g_autoptr(HogaEventLog) log = new_log ();
  GtkWindow *window = show_in_window (log);
  GListModel *entries = hoga_event_log_get_entries (log);
  CountWait wait = { entries, 1000 };
  guint n_changes = 0;
  gint64 start;
  gint64 appended_us;
  gint64 shown_us;

  g_signal_connect (entries, "items-changed", G_CALLBACK (items_changed_cb), &n_changes);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *message = g_strdup_printf ("Buy skipped: already held (%u)", i);

      hoga_event_log_append (log, NULL, G_LOG_LEVEL_INFO, "005930", message);
    }
  appended_us = g_get_monotonic_time () - start;

  /* Shown by the log's own batch, in one model change, and drawn. */
  g_assert_true (iterate_until (has_items, &wait, 2000));
  pump (100);
  shown_us = g_get_monotonic_time () - start;
  g_test_message ("1,000 lines: appended in %" G_GINT64_FORMAT " µs, shown in %" G_GINT64_FORMAT
                  " µs", appended_us, shown_us);
  g_assert_cmpuint (n_changes, ==, 1);
  /* Generous bounds for a loaded test machine; the real cost is a few milliseconds. */
  g_assert_cmpint (appended_us, <, 250000 * time_scale ());
  g_assert_cmpint (shown_us, <, 1500000 * time_scale ());

  gtk_window_destroy (window);
}

static gboolean
at_bottom (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
         >= gtk_adjustment_get_upper (adjustment) - 12;
}

static gboolean
is_at_bottom (gpointer data)
{
  GtkAdjustment *adjustment = data;

  return gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment)
         && at_bottom (adjustment);
}

static void
append_lines (HogaEventLog *log,
              const char   *prefix,
              guint         n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *message = g_strdup_printf ("%s %u", prefix, i);

      hoga_event_log_append (log, NULL, G_LOG_LEVEL_MESSAGE, NULL, message);
    }
  hoga_event_log_flush (log);
}

static void
test_follows_bottom (void)
{
  g_autoptr(HogaEventLog) log = new_log ();
  GtkWindow *window = show_in_window (log);
  GtkAdjustment *adjustment = hoga_event_log_get_vadjustment (log);

  /* More lines than fit: the newest are in view. */
  append_lines (log, "first", 200);
  g_assert_true (iterate_until (is_at_bottom, adjustment, 3000));

  /* Scrolled up, the user reads in peace while lines come in. */
  gtk_adjustment_set_value (adjustment, 0);
  pump (100);
  append_lines (log, "second", 50);
  pump (300);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), <, 1);
  g_assert_false (at_bottom (adjustment));

  /* Back at the bottom, the view follows again. */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                        - gtk_adjustment_get_page_size (adjustment));
  pump (100);
  append_lines (log, "third", 50);
  g_assert_true (iterate_until (is_at_bottom, adjustment, 3000));
  pump (300);
  g_assert_true (at_bottom (adjustment));

  gtk_window_destroy (window);
}

static void
test_clear (void)
{
  g_autoptr(HogaEventLog) log = new_log ();
  g_autofree char *text = NULL;

  append_mix (log);
  g_assert_cmpuint (n_shown (log), ==, 11);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (log), "log.clear", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (hoga_event_log_get_entries (log)), ==, 0);
  text = hoga_event_log_to_text (log);
  g_assert_cmpstr (text, ==, "");

  /* Lines still waiting for their batch go too. */
  append (log, 1, G_LOG_LEVEL_INFO, NULL, "pending");
  hoga_event_log_clear (log);
  pump (250);
  g_assert_cmpuint (g_list_model_get_n_items (hoga_event_log_get_entries (log)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* The strings compared are the English sources. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }
  hoga_ui_init ();

  g_test_add_func ("/ui/event-log/text", test_text);
  g_test_add_func ("/ui/event-log/filter-level", test_filter_level);
  g_test_add_func ("/ui/event-log/filter-symbol", test_filter_symbol);
  g_test_add_func ("/ui/event-log/cap-drops-oldest", test_cap);
  g_test_add_func ("/ui/event-log/burst-is-one-change", test_burst);
  g_test_add_func ("/ui/event-log/follows-bottom", test_follows_bottom);
  g_test_add_func ("/ui/event-log/clear", test_clear);

  return g_test_run ();
}
