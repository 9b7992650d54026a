/* test-journal.c — the SQLite journal on real files: records, restart load, ordering,
 * durability settings, refusal of files it must not touch, responsiveness, crash safety
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The crash test re-runs this program with --crash-child: the child journals orders as fast
 * as it can and reports each completed step on stdout; the parent SIGKILLs it at a random
 * moment and checks that everything reported survived.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "hoga-journal.h"
#include "hoga-sqlite-journal.h"

/* build-aux/test's sanitizer and valgrind passes run several times slower and say by how
 * much in HOGA_TEST_TIME_SCALE (tests/meson.build): time bounds stretch to match. */
static gint64
time_scale (void)
{
  const char *scale = g_getenv ("HOGA_TEST_TIME_SCALE");

  return scale != NULL ? MAX (1, g_ascii_strtoll (scale, NULL, 10)) : 1;
}

#define CRASH_RUNS        20
#define CRASH_CHAINS      16     /* orders in flight in the child */
#define CRASH_SEQ_PER_RUN 1000000

static const char *self_exe;

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("hoga-journal-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "journal.sqlite", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);

      g_assert_cmpint (g_unlink (file), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
  g_free (fixture->path);
}

/* Waiting for one call at a time. */

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static HogaJournal *
open_journal (const char *path)
{
  g_autoptr(GError) error = NULL;
  HogaSqliteJournal *journal = hoga_sqlite_journal_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (HOGA_IS_SQLITE_JOURNAL (journal));
  return HOGA_JOURNAL (journal);
}

static void
close_journal (HogaJournal *journal)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  hoga_journal_close_async (journal, store_result_cb, &result);
  g_assert_true (hoga_journal_close_finish (journal, wait_result (&result), &error));
  g_assert_no_error (error);
  g_object_unref (journal);
}

static gint64
record_order (HogaJournal           *journal,
              const HogaOrderRecord *order)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  hoga_journal_record_order_async (journal, order, store_result_cb, &result);
  id = hoga_journal_record_order_finish (journal, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gboolean
record_fill (HogaJournal          *journal,
             const HogaFillRecord *fill)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean is_new = FALSE;

  hoga_journal_record_fill_async (journal, fill, store_result_cb, &result);
  g_assert_true (hoga_journal_record_fill_finish (journal, wait_result (&result), &is_new,
                                                  &error));
  g_assert_no_error (error);
  return is_new;
}

/* Completes a call finishing with hoga_journal_write_finish(). */
static void
wait_write (HogaJournal   *journal,
            GAsyncResult **slot)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hoga_journal_write_finish (journal, wait_result (slot), &error));
  g_assert_no_error (error);
  g_clear_object (slot);
}

static HogaJournalSnapshot *
load (HogaJournal *journal,
      guint32      today)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  HogaJournalSnapshot *snapshot;

  hoga_journal_load_async (journal, today, store_result_cb, &result);
  snapshot = hoga_journal_load_finish (journal, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

/* Raw SQLite, for what the port does not show (audit lines, row counts, file settings). */
static char *
query (const char *path,
       const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  return text;
}

static void
exec_raw (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                    NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static HogaOrderRecord
sample_order (guint n)
{
  HogaOrderRecord order = {
    .side = n % 2 ? HOGA_SIDE_BUY : HOGA_SIDE_SELL,
    .qty = n + 1,
    .price = 1000 + 5 * (gint64)n,
    .type = n % 2 ? HOGA_ORDER_TYPE_LIMIT : HOGA_ORDER_TYPE_MARKET,
    .venue = (HogaVenue)(n % 3),
    .created_at = 1700000000000000 + n,
    .state = HOGA_ORDER_STATE_PENDING,
  };

  g_snprintf (order.code, sizeof order.code, "%06u", n % 1000000);
  g_snprintf (order.reason, sizeof order.reason, "seq-%u", n);
  return order;
}

static void
assert_orders_equal (const HogaOrderRecord *a,
                     const HogaOrderRecord *b)
{
  g_assert_cmpint (a->id, ==, b->id);
  g_assert_cmpint (a->side, ==, b->side);
  g_assert_cmpstr (a->code, ==, b->code);
  g_assert_cmpint (a->qty, ==, b->qty);
  g_assert_cmpint (a->price, ==, b->price);
  g_assert_cmpint (a->type, ==, b->type);
  g_assert_cmpint (a->venue, ==, b->venue);
  g_assert_cmpstr (a->reason, ==, b->reason);
  g_assert_cmpint (a->created_at, ==, b->created_at);
  g_assert_cmpint (a->state, ==, b->state);
  g_assert_cmpstr (a->ord_no, ==, b->ord_no);
  g_assert_cmpstr (a->orig_ord_no, ==, b->orig_ord_no);
  g_assert_cmpstr (a->root_ord_no, ==, b->root_ord_no);
  g_assert_cmpint (a->filled_qty, ==, b->filled_qty);
  g_assert_cmpint (a->filled_amount, ==, b->filled_amount);
  g_assert_cmpstr (a->error, ==, b->error);
  g_assert_cmpint (a->updated_at, ==, b->updated_at);
  g_assert_cmpint (a->fee, ==, b->fee);
  g_assert_cmpint (a->tax, ==, b->tax);
}

static void
assert_fills_equal (const HogaFillRecord *a,
                    const HogaFillRecord *b)
{
  g_assert_cmpstr (a->ord_no, ==, b->ord_no);
  g_assert_cmpstr (a->fill_no, ==, b->fill_no);
  g_assert_cmpint (a->qty, ==, b->qty);
  g_assert_cmpint (a->price, ==, b->price);
  g_assert_cmpint (a->filled_at, ==, b->filled_at);
}

static void
assert_positions_equal (const HogaPositionRecord *a,
                        const HogaPositionRecord *b)
{
  g_assert_cmpstr (a->code, ==, b->code);
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpint (a->qty, ==, b->qty);
  g_assert_cmpint (a->exit.avg_cost, ==, b->exit.avg_cost);
  g_assert_cmpint (a->exit.entry_filled, ==, b->exit.entry_filled);
  g_assert_cmpint (a->exit.peak, ==, b->exit.peak);
  g_assert_cmpint (a->exit.stop, ==, b->exit.stop);
  g_assert_cmpint (a->exit.armed, ==, b->exit.armed);
  g_assert_cmpstr (a->state, ==, b->state);
  g_assert_cmpstr (a->exit_reason, ==, b->exit_reason);
  g_assert_cmpint (a->entered_at, ==, b->entered_at);
  g_assert_cmpint (a->external, ==, b->external);
  g_assert_cmpint (a->updated_at, ==, b->updated_at);
}

static void
assert_daily_equal (const HogaDailyRecord *a,
                    const HogaDailyRecord *b)
{
  g_assert_cmpuint (a->date, ==, b->date);
  g_assert_cmpint (a->start_equity, ==, b->start_equity);
  g_assert_cmpint (a->realized_pnl, ==, b->realized_pnl);
  g_assert_cmpint (a->buy_count, ==, b->buy_count);
  g_assert_cmpint (a->kill_tier, ==, b->kill_tier);
  g_assert_cmpint (a->updated_at, ==, b->updated_at);
}

static void
test_order_state_strings (void)
{
  for (HogaOrderState s = HOGA_ORDER_STATE_PENDING; s <= HOGA_ORDER_STATE_UNKNOWN; s++)
    {
      HogaOrderState back = -1;

      g_assert_true (hoga_order_state_from_string (hoga_order_state_to_string (s), &back));
      g_assert_cmpint (back, ==, s);
    }
  g_assert_cmpstr (hoga_order_state_to_string (HOGA_ORDER_STATE_PARTIAL), ==, "PARTIAL");
  g_assert_false (hoga_order_state_from_string ("partial", &(HogaOrderState) { 0 }));
  g_assert_false (hoga_order_state_from_string (NULL, &(HogaOrderState) { 0 }));

  g_assert_true (hoga_order_state_is_terminal (HOGA_ORDER_STATE_FILLED));
  g_assert_true (hoga_order_state_is_terminal (HOGA_ORDER_STATE_CANCELLED));
  g_assert_true (hoga_order_state_is_terminal (HOGA_ORDER_STATE_REJECTED));
  g_assert_false (hoga_order_state_is_terminal (HOGA_ORDER_STATE_UNKNOWN));
  g_assert_false (hoga_order_state_is_terminal (HOGA_ORDER_STATE_PENDING));
  g_assert_false (hoga_order_state_is_terminal (HOGA_ORDER_STATE_PARTIAL));
}

static void
test_default_path (void)
{
  g_autofree char *path = hoga_sqlite_journal_default_path ("paper");
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "hoga", "paper",
                                                "journal.sqlite", NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  HogaJournal *journal = open_journal (fixture->path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(HogaJournalSnapshot) snapshot = NULL;
  g_autofree char *audit = NULL;
  HogaOrderRecord order = sample_order (7);
  HogaFillRecord fill = {
    .ord_no = "0000138", .fill_no = "11", .qty = 3, .price = 70100, .filled_at = 1700000001,
  };
  HogaPositionRecord position = {
    .code = "005930", .name = "삼성전자", .qty = 12,
    .exit = { .avg_cost = 70000, .entry_filled = TRUE, .peak = 72300, .stop = 71500,
              .armed = TRUE },
    .state = "tracking", .exit_reason = "trailing-stop", .entered_at = 1700000000000000,
    .external = TRUE, .updated_at = 1700000002000000,
  };
  HogaDailyRecord daily = {
    .date = 20261121, .start_equity = 10000000, .realized_pnl = -35500, .buy_count = 4,
    .kill_tier = HOGA_KILL_STOP_BUYING, .updated_at = 1700000003000000,
  };
  HogaAuditRecord line = {
    .time = 1700000004000000, .level = HOGA_AUDIT_WARNING, .kind = "risk", .code = "005930",
    .message = "일일 손실 한도 도달: 자동 매수 중지",
  };

  /* Every field set, and text cut at a character boundary: "가" is 3 bytes, the field 128. */
  g_strlcpy (order.reason, "exit:stop-loss", sizeof order.reason);
  for (gsize i = 0; i + 3 < sizeof order.error; i += 3)
    memcpy (order.error + i, "가", 3);
  order.id = record_order (journal, &order);
  order.state = HOGA_ORDER_STATE_PARTIAL;
  g_strlcpy (order.ord_no, "0000138", sizeof order.ord_no);
  g_strlcpy (order.orig_ord_no, "0000100", sizeof order.orig_ord_no);
  g_strlcpy (order.root_ord_no, "0000099", sizeof order.root_ord_no);
  order.filled_qty = 3;
  order.filled_amount = 3 * 70100;
  order.updated_at = 1700000005000000;
  order.fee = 30;
  order.tax = 378;
  hoga_journal_update_order_async (journal, &order, store_result_cb, &result);
  wait_write (journal, &result);

  g_assert_true (record_fill (journal, &fill));
  hoga_journal_save_position_async (journal, &position, store_result_cb, &result);
  wait_write (journal, &result);
  hoga_journal_save_daily_async (journal, &daily, store_result_cb, &result);
  wait_write (journal, &result);
  hoga_journal_append_audit_async (journal, &line, store_result_cb, &result);
  wait_write (journal, &result);
  close_journal (journal);

  /* Through a restart. */
  journal = open_journal (fixture->path);
  snapshot = load (journal, 20261121);
  g_assert_cmpuint (snapshot->orders->len, ==, 1);
  assert_orders_equal (&g_array_index (snapshot->orders, HogaOrderRecord, 0), &order);
  g_assert_true (g_utf8_validate (order.error, -1, NULL));

  g_assert_cmpuint (snapshot->fills->len, ==, 1);
  assert_fills_equal (&g_array_index (snapshot->fills, HogaFillRecord, 0), &fill);

  g_assert_cmpuint (snapshot->positions->len, ==, 1);
  assert_positions_equal (&g_array_index (snapshot->positions, HogaPositionRecord, 0),
                          &position);

  g_assert_true (snapshot->has_daily);
  assert_daily_equal (&snapshot->daily, &daily);
  close_journal (journal);

  audit = query (fixture->path,
                 "SELECT time || '|' || level || '|' || kind || '|' || code || '|' || message "
                 "FROM audit");
  g_assert_cmpstr (audit, ==,
                   "1700000004000000|warning|risk|005930|일일 손실 한도 도달: 자동 매수 중지");
}

/* µs since the epoch of a time of day in Seoul. */
static gint64
kst_us (int year,
        int month,
        int day,
        int hour,
        int minute)
{
  g_autoptr(GTimeZone) kst = g_time_zone_new_offset (9 * 3600);
  g_autoptr(GDateTime) time = g_date_time_new (kst, year, month, day, hour, minute, 0);

  return g_date_time_to_unix (time) * G_USEC_PER_SEC;
}

static void
update_order (HogaJournal           *journal,
              const HogaOrderRecord *order)
{
  g_autoptr(GAsyncResult) result = NULL;

  hoga_journal_update_order_async (journal, order, store_result_cb, &result);
  wait_write (journal, &result);
}

/* The day's fees and taxes are the sum over the orders created that day in Seoul, terminal
 * ones included: a restart's net realized P&L needs them all. */
static void
test_costs_today (Fixture       *fixture,
                  gconstpointer  data)
{
  HogaJournal *journal = open_journal (fixture->path);
  g_autoptr(HogaJournalSnapshot) day = NULL;
  g_autoptr(HogaJournalSnapshot) day_before = NULL;
  g_autoptr(HogaJournalSnapshot) day_after = NULL;
  HogaOrderRecord buy = sample_order (1);
  HogaOrderRecord sell = sample_order (2);
  HogaOrderRecord late = sample_order (3);

  buy.created_at = kst_us (2026, 11, 21, 9, 0);
  sell.created_at = kst_us (2026, 11, 21, 15, 20);
  late.created_at = kst_us (2026, 11, 20, 23, 59);
  buy.id = record_order (journal, &buy);
  sell.id = record_order (journal, &sell);
  late.id = record_order (journal, &late);

  buy.state = HOGA_ORDER_STATE_FILLED;
  buy.fee = 100;
  update_order (journal, &buy);
  sell.state = HOGA_ORDER_STATE_PARTIAL;
  sell.updated_at = kst_us (2026, 11, 21, 15, 21);
  sell.fee = 50;
  sell.tax = 639;
  update_order (journal, &sell);
  late.state = HOGA_ORDER_STATE_FILLED;
  late.fee = 990;
  late.tax = 9;
  update_order (journal, &late);
  close_journal (journal);

  journal = open_journal (fixture->path);
  day = load (journal, 20261121);
  g_assert_cmpint (day->costs_today, ==, 100 + 50 + 639);
  day_before = load (journal, 20261120);
  g_assert_cmpint (day_before->costs_today, ==, 999);
  day_after = load (journal, 20261122);
  g_assert_cmpint (day_after->costs_today, ==, 0);
  /* The open order keeps its own figures. */
  g_assert_cmpuint (day->orders->len, ==, 1);
  assert_orders_equal (&g_array_index (day->orders, HogaOrderRecord, 0), &sell);
  close_journal (journal);
}

/* A journal of schema version 1 (no costs per order) is migrated in place: its orders
 * load with no costs, and take them from then on. */
static void
test_migrate_from_v1 (Fixture       *fixture,
                      gconstpointer  data)
{
  HogaJournal *journal = open_journal (fixture->path);
  g_autoptr(HogaJournalSnapshot) before = NULL;
  g_autoptr(HogaJournalSnapshot) after = NULL;
  g_autofree char *version = NULL;
  g_autofree char *current = g_strdup_printf ("%d", hoga_sqlite_journal_schema_version ());
  HogaOrderRecord order = sample_order (4);

  order.created_at = kst_us (2026, 11, 21, 10, 0);
  order.updated_at = order.created_at;
  order.id = record_order (journal, &order);
  close_journal (journal);

  /* Back to version 1 as it shipped. */
  exec_raw (fixture->path, "ALTER TABLE orders DROP COLUMN fee;"
                           "ALTER TABLE orders DROP COLUMN tax;"
                           "PRAGMA user_version = 1");
  version = query (fixture->path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "1");
  g_clear_pointer (&version, g_free);

  journal = open_journal (fixture->path);
  before = load (journal, 20261121);
  g_assert_cmpuint (before->orders->len, ==, 1);
  assert_orders_equal (&g_array_index (before->orders, HogaOrderRecord, 0), &order);
  g_assert_cmpint (before->costs_today, ==, 0);

  order.state = HOGA_ORDER_STATE_PARTIAL;
  order.updated_at = kst_us (2026, 11, 21, 10, 1);
  order.fee = 150;
  order.tax = 1800;
  update_order (journal, &order);
  after = load (journal, 20261121);
  assert_orders_equal (&g_array_index (after->orders, HogaOrderRecord, 0), &order);
  g_assert_cmpint (after->costs_today, ==, 1950);
  close_journal (journal);

  version = query (fixture->path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, current);
}

static void
test_order_ids_increase (Fixture       *fixture,
                         gconstpointer  data)
{
  HogaJournal *journal = open_journal (fixture->path);
  gint64 last = 0;

  for (guint n = 0; n < 50; n++)
    {
      HogaOrderRecord order = sample_order (n);
      gint64 id = record_order (journal, &order);

      g_assert_cmpint (id, >, last);
      last = id;
    }
  close_journal (journal);

  /* And on after a restart. */
  journal = open_journal (fixture->path);
  g_assert_cmpint (record_order (journal, &(HogaOrderRecord) { .side = HOGA_SIDE_BUY,
                                                              .code = "005930", .qty = 1 }),
                   >, last);
  close_journal (journal);
}

static void
test_update_order (Fixture       *fixture,
                   gconstpointer  data)
{
  HogaJournal *journal = open_journal (fixture->path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(HogaJournalSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  HogaOrderRecord order = sample_order (1);
  HogaOrderRecord changed;
  HogaOrderRecord missing = { .id = 9999, .state = HOGA_ORDER_STATE_SENT };

  order.id = record_order (journal, &order);

  /* Only the mutable part is written: the rest of the record is ignored. */
  changed = order;
  changed.state = HOGA_ORDER_STATE_UNKNOWN;
  g_strlcpy (changed.error, "timeout", sizeof changed.error);
  changed.updated_at = 1800000000000000;
  changed.qty = 999;
  g_strlcpy (changed.code, "999999", sizeof changed.code);
  hoga_journal_update_order_async (journal, &changed, store_result_cb, &result);
  wait_write (journal, &result);

  hoga_journal_update_order_async (journal, &missing, store_result_cb, &result);
  g_assert_false (hoga_journal_write_finish (journal, wait_result (&result), &error));
  g_assert_error (error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_NOT_FOUND);
  g_clear_object (&result);

  snapshot = load (journal, 0);
  g_assert_cmpuint (snapshot->orders->len, ==, 1);
  order.state = HOGA_ORDER_STATE_UNKNOWN;
  g_strlcpy (order.error, "timeout", sizeof order.error);
  order.updated_at = 1800000000000000;
  assert_orders_equal (&g_array_index (snapshot->orders, HogaOrderRecord, 0), &order);
  close_journal (journal);
}

static void
test_fill_idempotent (Fixture       *fixture,
                      gconstpointer  data)
{
  HogaJournal *journal = open_journal (fixture->path);
  g_autofree char *count = NULL;
  HogaFillRecord fill = {
    .ord_no = "0000138", .fill_no = "1", .qty = 5, .price = 70000, .filled_at = 1,
  };
  HogaFillRecord other_order = fill;
  HogaFillRecord next_fill = fill;

  g_strlcpy (other_order.ord_no, "0000139", sizeof other_order.ord_no);
  g_strlcpy (next_fill.fill_no, "2", sizeof next_fill.fill_no);

  g_assert_true (record_fill (journal, &fill));
  g_assert_false (record_fill (journal, &fill));
  /* The same fill again from reconciliation, with its own timestamp: still not new. */
  fill.filled_at = 2;
  g_assert_false (record_fill (journal, &fill));
  g_assert_true (record_fill (journal, &other_order));
  g_assert_true (record_fill (journal, &next_fill));
  close_journal (journal);

  count = query (fixture->path,
                 "SELECT count(*) FROM fills WHERE ord_no = '0000138' AND fill_no = '1'");
  g_assert_cmpstr (count, ==, "1");
  g_clear_pointer (&count, g_free);
  count = query (fixture->path, "SELECT count(*) FROM fills");
  g_assert_cmpstr (count, ==, "3");
}

static void
test_load_restart_state (Fixture       *fixture,
                         gconstpointer  data)
{
  HogaJournal *journal = open_journal (fixture->path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(HogaJournalSnapshot) snapshot = NULL;
  GHashTable *open_ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  gint64 ids[HOGA_ORDER_STATE_UNKNOWN + 1];

  for (HogaOrderState s = HOGA_ORDER_STATE_PENDING; s <= HOGA_ORDER_STATE_UNKNOWN; s++)
    {
      HogaOrderRecord order = sample_order (s);
      HogaFillRecord fill = { .fill_no = "1", .qty = 1, .price = 1000, .filled_at = 1 };

      order.id = ids[s] = record_order (journal, &order);
      order.state = s;
      g_snprintf (order.ord_no, sizeof order.ord_no, "%07d", 100 + s);
      hoga_journal_update_order_async (journal, &order, store_result_cb, &result);
      wait_write (journal, &result);
      g_strlcpy (fill.ord_no, order.ord_no, sizeof fill.ord_no);
      g_assert_true (record_fill (journal, &fill));
      if (!hoga_order_state_is_terminal (s))
        g_hash_table_add (open_ids, &ids[s]);
    }
  /* A fill of an order Hoga did not place is kept, but belongs to no open order. */
  g_assert_true (record_fill (journal, &(HogaFillRecord) { .ord_no = "7777777",
                                                           .fill_no = "1", .qty = 1 }));

  for (guint i = 0; i < 3; i++)
    {
      HogaPositionRecord position = { .qty = i + 1 };

      g_snprintf (position.code, sizeof position.code, "00000%u", i);
      hoga_journal_save_position_async (journal, &position, store_result_cb, &result);
      wait_write (journal, &result);
    }
  /* Saved again (replaced, not duplicated), then one removed, and removing it twice is
   * harmless. */
  hoga_journal_save_position_async (journal, &(HogaPositionRecord) { .code = "000001",
                                                                     .qty = 20 },
                                    store_result_cb, &result);
  wait_write (journal, &result);
  hoga_journal_remove_position_async (journal, "000000", store_result_cb, &result);
  wait_write (journal, &result);
  hoga_journal_remove_position_async (journal, "000000", store_result_cb, &result);
  wait_write (journal, &result);

  hoga_journal_save_daily_async (journal, &(HogaDailyRecord) { .date = 20261120,
                                                               .buy_count = 9 },
                                 store_result_cb, &result);
  wait_write (journal, &result);
  hoga_journal_save_daily_async (journal, &(HogaDailyRecord) { .date = 20261121,
                                                               .buy_count = 1 },
                                 store_result_cb, &result);
  wait_write (journal, &result);
  hoga_journal_save_daily_async (journal, &(HogaDailyRecord) { .date = 20261121,
                                                               .buy_count = 2 },
                                 store_result_cb, &result);
  wait_write (journal, &result);
  close_journal (journal);

  journal = open_journal (fixture->path);
  snapshot = load (journal, 20261121);

  g_assert_cmpuint (snapshot->orders->len, ==, g_hash_table_size (open_ids));
  for (guint i = 0; i < snapshot->orders->len; i++)
    {
      const HogaOrderRecord *order = &g_array_index (snapshot->orders, HogaOrderRecord, i);

      g_assert_true (g_hash_table_contains (open_ids, &order->id));
      g_assert_false (hoga_order_state_is_terminal (order->state));
      if (i > 0)
        g_assert_cmpint (order[-1].id, <, order->id);
    }

  g_assert_cmpuint (snapshot->fills->len, ==, g_hash_table_size (open_ids));
  for (guint i = 0; i < snapshot->fills->len; i++)
    {
      const HogaFillRecord *fill = &g_array_index (snapshot->fills, HogaFillRecord, i);
      gboolean of_open_order = FALSE;

      for (guint j = 0; j < snapshot->orders->len; j++)
        of_open_order |= g_str_equal (fill->ord_no,
                                      g_array_index (snapshot->orders, HogaOrderRecord,
                                                     j).ord_no);
      g_assert_true (of_open_order);
    }

  g_assert_cmpuint (snapshot->positions->len, ==, 2);
  g_assert_cmpstr (g_array_index (snapshot->positions, HogaPositionRecord, 0).code, ==,
                   "000001");
  g_assert_cmpint (g_array_index (snapshot->positions, HogaPositionRecord, 0).qty, ==, 20);
  g_assert_cmpstr (g_array_index (snapshot->positions, HogaPositionRecord, 1).code, ==,
                   "000002");

  g_assert_true (snapshot->has_daily);
  g_assert_cmpuint (snapshot->daily.date, ==, 20261121);
  g_assert_cmpint (snapshot->daily.buy_count, ==, 2);
  g_clear_pointer (&snapshot, hoga_journal_snapshot_free);

  /* A new day has no record yet. */
  snapshot = load (journal, 20261122);
  g_assert_false (snapshot->has_daily);
  close_journal (journal);
  g_hash_table_unref (open_ids);
}

typedef struct {
  HogaJournal *journal;
  GArray      *completed;      /* guint, the submission index of each completion */
  guint        expected;
  guint        failed;
} OrderRun;

typedef enum {
  CALL_RECORD_ORDER,
  CALL_UPDATE_ORDER,
  CALL_RECORD_FILL,
  CALL_SAVE_POSITION,
  CALL_REMOVE_POSITION,
  CALL_APPEND_AUDIT,
  CALL_LOAD,
  N_CALLS
} CallKind;

typedef struct {
  OrderRun *run;
  guint     index;
  CallKind  kind;
} OrderCall;

static void
order_call_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  OrderCall *call = user_data;
  g_autoptr(GError) error = NULL;
  gboolean is_new;
  gboolean ok;

  switch (call->kind)
    {
    case CALL_RECORD_ORDER:
      ok = hoga_journal_record_order_finish (call->run->journal, result, &error) > 0;
      break;
    case CALL_RECORD_FILL:
      ok = hoga_journal_record_fill_finish (call->run->journal, result, &is_new, &error);
      break;
    case CALL_LOAD:
      {
        g_autoptr(HogaJournalSnapshot) snapshot =
          hoga_journal_load_finish (call->run->journal, result, &error);

        ok = snapshot != NULL;
      }
      break;
    default:
      /* Every other call finishes as a plain write. */
      ok = hoga_journal_write_finish (call->run->journal, result, &error);
    }
  g_assert_no_error (error);
  call->run->failed += !ok;
  g_array_append_val (call->run->completed, call->index);
  g_free (call);
}

static void
test_completion_order (Fixture       *fixture,
                       gconstpointer  data)
{
  OrderRun run = {
    .journal = open_journal (fixture->path),
    .completed = g_array_new (FALSE, FALSE, sizeof (guint)),
    .expected = 1000,
  };
  HogaOrderRecord first = sample_order (0);

  first.id = record_order (run.journal, &first);

  /* Mixed, submitted in one go, so the worker batches them. */
  for (guint i = 0; i < run.expected; i++)
    {
      OrderCall *call = g_new0 (OrderCall, 1);
      HogaOrderRecord order = sample_order (i);
      HogaFillRecord fill = { .ord_no = "0000001", .qty = 1, .price = 1 };
      HogaPositionRecord position = { .code = "005930", .qty = i };
      HogaAuditRecord line = { .kind = "test" };

      call->run = &run;
      call->index = i;
      call->kind = g_test_rand_int_range (0, N_CALLS);
      switch (call->kind)
        {
        case CALL_RECORD_ORDER:
          hoga_journal_record_order_async (run.journal, &order, order_call_done_cb, call);
          break;
        case CALL_UPDATE_ORDER:
          first.filled_qty = i;
          hoga_journal_update_order_async (run.journal, &first, order_call_done_cb, call);
          break;
        case CALL_RECORD_FILL:
          g_snprintf (fill.fill_no, sizeof fill.fill_no, "%u", i % 50);
          hoga_journal_record_fill_async (run.journal, &fill, order_call_done_cb, call);
          break;
        case CALL_SAVE_POSITION:
          hoga_journal_save_position_async (run.journal, &position, order_call_done_cb,
                                            call);
          break;
        case CALL_REMOVE_POSITION:
          hoga_journal_remove_position_async (run.journal, "005930", order_call_done_cb,
                                              call);
          break;
        case CALL_APPEND_AUDIT:
          g_snprintf (line.message, sizeof line.message, "call %u", i);
          hoga_journal_append_audit_async (run.journal, &line, order_call_done_cb, call);
          break;
        default:
          hoga_journal_load_async (run.journal, 20261121, order_call_done_cb, call);
        }
    }

  while (run.completed->len < run.expected)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (run.failed, ==, 0);
  for (guint i = 0; i < run.expected; i++)
    g_assert_cmpuint (g_array_index (run.completed, guint, i), ==, i);

  close_journal (run.journal);
  g_array_unref (run.completed);
}

static void
test_durability_settings (Fixture       *fixture,
                          gconstpointer  data)
{
  HogaJournal *journal = open_journal (fixture->path);
  g_autofree char *schema = g_strdup_printf ("schema=%d, ",
                                             hoga_sqlite_journal_schema_version ());
  g_autofree char *journal_mode = NULL;
  g_autofree char *version = NULL;
  const char *info = hoga_sqlite_journal_get_debug_info (HOGA_SQLITE_JOURNAL (journal));

  /* What the connection reports for itself: synchronous is per connection. */
  g_test_message ("%s", info);
  g_assert_nonnull (strstr (info, "journal_mode=wal, "));
  g_assert_nonnull (strstr (info, "synchronous=2, "));
  g_assert_nonnull (strstr (info, "foreign_keys=1, "));
  g_assert_nonnull (strstr (info, "locking_mode=exclusive"));
  g_assert_nonnull (strstr (info, schema));
  g_assert_cmpstr (hoga_sqlite_journal_get_path (HOGA_SQLITE_JOURNAL (journal)), ==,
                   fixture->path);
  close_journal (journal);

  /* WAL and the version are in the file. */
  journal_mode = query (fixture->path, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");
  version = query (fixture->path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, hoga_sqlite_journal_schema_version ());
}

static void
test_unref_without_close (Fixture       *fixture,
                          gconstpointer  data)
{
  HogaJournal *journal = open_journal (fixture->path);
  g_autoptr(HogaJournalSnapshot) snapshot = NULL;
  HogaOrderRecord order = sample_order (3);

  /* The last reference stops the worker and closes the file. */
  order.id = record_order (journal, &order);
  order.updated_at = order.created_at;
  g_object_unref (journal);

  journal = open_journal (fixture->path);
  snapshot = load (journal, 0);
  g_assert_cmpuint (snapshot->orders->len, ==, 1);
  assert_orders_equal (&g_array_index (snapshot->orders, HogaOrderRecord, 0), &order);
  close_journal (journal);
}

static void
test_busy (Fixture       *fixture,
           gconstpointer  data)
{
  HogaJournal *journal = open_journal (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaSqliteJournal) second = hoga_sqlite_journal_open (fixture->path, &error);

  g_assert_null (second);
  g_assert_error (error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_BUSY);
  g_test_message ("%s", error->message);
  close_journal (journal);
}

static void
test_closed (Fixture       *fixture,
             gconstpointer  data)
{
  HogaJournal *journal = open_journal (fixture->path);
  g_autoptr(GAsyncResult) closed = NULL;
  g_autoptr(GAsyncResult) late = NULL;
  g_autoptr(GError) error = NULL;

  hoga_journal_close_async (journal, store_result_cb, &closed);
  hoga_journal_save_daily_async (journal, &(HogaDailyRecord) { .date = 20261121 },
                                 store_result_cb, &late);
  g_assert_false (hoga_journal_write_finish (journal, wait_result (&late), &error));
  g_assert_error (error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_CLOSED);
  /* Completions keep submission order: the close had finished first. */
  g_assert_nonnull (closed);
  g_assert_true (hoga_journal_close_finish (journal, closed, NULL));
  g_object_unref (journal);
}

/* Files the journal must refuse and leave exactly as they were. */

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* Name, size, modification time and checksum of every file in @dir_path, sorted. */
static char *
dir_state (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *checksum = NULL;
      g_autoptr(GError) error = NULL;
      GStatBuf st;
      gsize length;

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_file_get_contents (path, &contents, &length, &error);
      g_assert_no_error (error);
      checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents,
                                              length);
      g_ptr_array_add (lines, g_strdup_printf ("%s %" G_GSIZE_FORMAT " %ld.%09ld %s", name,
                                               length, (long)st.st_mtim.tv_sec,
                                               (long)st.st_mtim.tv_nsec, checksum));
    }
  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **)lines->pdata);
}

static void
assert_refused_untouched (const char         *path,
                          gint                code,
                          const char * const *fragments)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *before = dir_state (dir);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaSqliteJournal) journal = NULL;

  journal = hoga_sqlite_journal_open (path, &error);
  g_assert_null (journal);
  g_assert_error (error, HOGA_JOURNAL_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "not modified"));
  for (guint i = 0; fragments != NULL && fragments[i] != NULL; i++)
    g_assert_nonnull (strstr (error->message, fragments[i]));

  after = dir_state (dir);
  g_assert_cmpstr (before, ==, after);
}

static void
test_newer_schema_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  int newer = hoga_sqlite_journal_schema_version () + 1;
  g_autofree char *set = g_strdup_printf ("CREATE TABLE future (x); PRAGMA user_version = %d",
                                          newer);
  g_autofree char *newer_text = g_strdup_printf ("schema version %d", newer);
  g_autofree char *known_text = g_strdup_printf ("up to %d",
                                                 hoga_sqlite_journal_schema_version ());
  const char *fragments[] = { newer_text, known_text, NULL };

  exec_raw (fixture->path, set);
  assert_refused_untouched (fixture->path, HOGA_JOURNAL_ERROR_TOO_NEW, fragments);
}

/* A newer Hoga killed with its last commits still in the WAL: neither file may change (an
 * accepted file would have the WAL checkpointed into it on close). */
static void
test_newer_schema_in_wal_refused (Fixture       *fixture,
                                  gconstpointer  data)
{
  int newer = hoga_sqlite_journal_schema_version () + 1;
  g_autofree char *source = g_build_filename (fixture->dir, "newer.sqlite", NULL);
  g_autofree char *source_wal = g_strconcat (source, "-wal", NULL);
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *sql = g_strdup_printf ("PRAGMA journal_mode = WAL;"
                                          "PRAGMA wal_autocheckpoint = 0;"
                                          "CREATE TABLE future (x);"
                                          "INSERT INTO future VALUES (1);"
                                          "PRAGMA user_version = %d", newer);
  g_autofree char *newer_text = g_strdup_printf ("schema version %d", newer);
  const char *fragments[] = { newer_text, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (source, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  /* Copied while open: the pair a crash leaves behind. */
  g_file_get_contents (source, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (fixture->path, contents, length, &error);
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  g_file_get_contents (source_wal, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 0);
  g_file_set_contents (wal, contents, length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
  g_assert_cmpint (g_unlink (source), ==, 0);

  assert_refused_untouched (fixture->path, HOGA_JOURNAL_ERROR_TOO_NEW, fragments);
}

static void
test_garbage_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  char garbage[4096];

  for (gsize i = 0; i < sizeof garbage; i++)
    garbage[i] = (char)g_test_rand_int_range (0, 256);
  g_file_set_contents (fixture->path, garbage, sizeof garbage, &error);
  g_assert_no_error (error);
  assert_refused_untouched (fixture->path, HOGA_JOURNAL_ERROR_CORRUPT, NULL);

  /* Short text, the other common accident. */
  g_file_set_contents (fixture->path, "not a database\n", -1, &error);
  g_assert_no_error (error);
  assert_refused_untouched (fixture->path, HOGA_JOURNAL_ERROR_CORRUPT, NULL);
}

static void
test_damaged_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *page_size = NULL;
  gsize length;
  gsize page;
  HogaJournal *journal = open_journal (fixture->path);

  for (guint n = 0; n < 200; n++)
    record_order (journal, &(HogaOrderRecord) { .side = HOGA_SIDE_BUY, .code = "005930" });
  close_journal (journal);

  /* A valid header, a wrecked b-tree page: only an integrity check finds it. */
  page_size = query (fixture->path, "PRAGMA page_size");
  page = atoi (page_size);
  g_file_get_contents (fixture->path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, 4 * page);
  memset (contents + 2 * page + 8, 0x5a, page - 8);
  g_file_set_contents (fixture->path, contents, length, &error);
  g_assert_no_error (error);

  assert_refused_untouched (fixture->path, HOGA_JOURNAL_ERROR_CORRUPT, NULL);
}

static void
test_zero_length_is_new (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaJournalSnapshot) snapshot = NULL;
  HogaJournal *journal;

  g_file_set_contents (fixture->path, "", 0, &error);
  g_assert_no_error (error);

  journal = open_journal (fixture->path);
  snapshot = load (journal, 20261121);
  g_assert_cmpuint (snapshot->orders->len, ==, 0);
  g_assert_cmpint (record_order (journal, &(HogaOrderRecord) { .side = HOGA_SIDE_BUY,
                                                              .code = "005930", .qty = 1 }),
                   ==, 1);
  close_journal (journal);
}

#define RESPONSIVE_WRITES 2000
#define RESPONSIVE_WINDOW 8

typedef struct {
  HogaJournal *journal;
  guint        submitted;
  guint        completed;
  gint64       last;
  gint64       max_gap;
  guint        ticks;
} Responsiveness;

static gboolean
tick_cb (gpointer user_data)
{
  Responsiveness *r = user_data;
  gint64 now = g_get_monotonic_time ();

  if (r->last != 0)
    r->max_gap = MAX (r->max_gap, now - r->last);
  r->last = now;
  r->ticks++;
  return G_SOURCE_CONTINUE;
}

static void responsive_submit (Responsiveness *r);

static void
responsive_write_done_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  Responsiveness *r = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (hoga_journal_record_order_finish (r->journal, result, &error), >, 0);
  g_assert_no_error (error);
  r->completed++;
  responsive_submit (r);
}

static void
responsive_submit (Responsiveness *r)
{
  HogaOrderRecord order;

  if (r->submitted == RESPONSIVE_WRITES)
    return;
  order = sample_order (r->submitted++);
  hoga_journal_record_order_async (r->journal, &order, responsive_write_done_cb, r);
}

static void
test_main_loop_responsive (Fixture       *fixture,
                           gconstpointer  data)
{
  Responsiveness r = { .journal = open_journal (fixture->path) };
  gint64 start;
  guint tick_id;

  tick_id = g_timeout_add (1, tick_cb, &r);
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 20000)
    g_main_context_iteration (NULL, TRUE);

  /* A few writes in flight at a time, as from an engine, so the disk syncs many times. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < RESPONSIVE_WINDOW; i++)
    responsive_submit (&r);
  while (r.completed < RESPONSIVE_WRITES)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick_id);
  g_test_message ("%d journaled orders in %.0f ms; %u ticks of a 1 ms timeout, "
                  "longest gap %.1f ms",
                  RESPONSIVE_WRITES, (g_get_monotonic_time () - start) / 1000.0, r.ticks,
                  r.max_gap / 1000.0);
  g_assert_cmpint (r.max_gap, <, 50000 * time_scale ());
  close_journal (r.journal);
}

/* Crash durability. */

typedef struct {
  HogaJournal *journal;
  guint        next_seq;
} CrashChild;

typedef struct {
  CrashChild      *child;
  HogaOrderRecord  order;
} CrashChain;

static void
report (const char *format,
        ...) G_GNUC_PRINTF (1, 2);

/* One write(2) per line: a line reported is a line the parent gets whole. */
static void
report (const char *format,
        ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  g_assert_cmpint (write (STDOUT_FILENO, line, strlen (line)), ==, strlen (line));
}

static HogaFillRecord
crash_fill (guint seq)
{
  HogaFillRecord fill = { .qty = seq % 10 + 1, .price = 1000 + seq % 5000, .filled_at = seq };

  g_snprintf (fill.ord_no, sizeof fill.ord_no, "%09u", seq);
  g_snprintf (fill.fill_no, sizeof fill.fill_no, "F%u", seq);
  return fill;
}

static void crash_chain_start (CrashChain *chain);

static void
crash_fill_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CrashChain *chain = user_data;
  g_autoptr(GError) error = NULL;
  gboolean is_new;

  g_assert_true (hoga_journal_record_fill_finish (chain->child->journal, result, &is_new,
                                                  &error));
  g_assert_no_error (error);
  report ("F %u\n", atoi (chain->order.reason + 4));
  crash_chain_start (chain);
}

static void
crash_update_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  CrashChain *chain = user_data;
  g_autoptr(GError) error = NULL;
  HogaFillRecord fill;

  g_assert_true (hoga_journal_write_finish (chain->child->journal, result, &error));
  g_assert_no_error (error);
  report ("A %" G_GINT64_FORMAT " %s\n", chain->order.id, chain->order.reason + 4);
  fill = crash_fill (atoi (chain->order.reason + 4));
  hoga_journal_record_fill_async (chain->child->journal, &fill, crash_fill_done_cb, chain);
}

static void
crash_order_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CrashChain *chain = user_data;
  g_autoptr(GError) error = NULL;

  chain->order.id = hoga_journal_record_order_finish (chain->child->journal, result, &error);
  g_assert_no_error (error);
  report ("O %" G_GINT64_FORMAT " %s\n", chain->order.id, chain->order.reason + 4);

  chain->order.state = HOGA_ORDER_STATE_ACCEPTED;
  g_snprintf (chain->order.ord_no, sizeof chain->order.ord_no, "%09u",
              (guint)atoi (chain->order.reason + 4));
  hoga_journal_update_order_async (chain->child->journal, &chain->order,
                                   crash_update_done_cb, chain);
}

/* Each chain journals an intent, accepts it, records its fill, and starts again. */
static void
crash_chain_start (CrashChain *chain)
{
  chain->order = sample_order (chain->child->next_seq++);
  hoga_journal_record_order_async (chain->child->journal, &chain->order,
                                   crash_order_done_cb, chain);
}

static int
crash_child (const char *path,
             guint       first_seq)
{
  g_autoptr(GError) error = NULL;
  CrashChild child = { .next_seq = first_seq };
  CrashChain chains[CRASH_CHAINS];

  child.journal = HOGA_JOURNAL (hoga_sqlite_journal_open (path, &error));
  if (child.journal == NULL)
    g_error ("crash child: %s", error->message);

  for (guint i = 0; i < CRASH_CHAINS; i++)
    {
      chains[i].child = &child;
      crash_chain_start (&chains[i]);
    }
  /* Until the parent kills it. */
  g_main_loop_run (g_main_loop_new (NULL, FALSE));
  return 1;
}

typedef struct {
  GHashTable *orders;     /* seq → id, as reported by the children */
  GHashTable *accepted;   /* seq */
  GHashTable *filled;     /* seq */
} CrashReports;

static void
parse_reports (CrashReports *reports,
               const char   *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", -1);
      guint n_fields = g_strv_length (f);

      if (g_str_equal (f[0], "F"))
        {
          g_assert_cmpuint (n_fields, ==, 2);
          g_hash_table_add (reports->filled, GUINT_TO_POINTER (atoi (f[1])));
          continue;
        }
      g_assert_cmpuint (n_fields, ==, 3);
      if (g_str_equal (f[0], "O"))
        g_hash_table_insert (reports->orders, GUINT_TO_POINTER (atoi (f[2])),
                             GSIZE_TO_POINTER (g_ascii_strtoll (f[1], NULL, 10)));
      else if (g_str_equal (f[0], "A"))
        g_hash_table_add (reports->accepted, GUINT_TO_POINTER (atoi (f[2])));
      else
        g_assert_not_reached ();
    }
}

/* Runs one child, kills it after @delay_ms of journaling, and returns what it reported.
 * With @try_open, checks first that the journal cannot be opened while the child has it. */
static char *
run_crash_child (const char *path,
                 guint       first_seq,
                 guint       delay_ms,
                 gboolean    try_open)
{
  g_autofree char *seq = g_strdup_printf ("%u", first_seq);
  const char *argv[] = { self_exe, "--crash-child", path, seq, NULL };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  GPid pid;
  int out_fd;
  int status;
  gint64 deadline = 0;

  g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                            NULL, NULL, &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);

  /* The clock starts at the first completed write, so every run kills a child mid-work. */
  for (;;)
    {
      struct pollfd pfd = { .fd = out_fd, .events = POLLIN };
      int timeout = deadline == 0 ? 10000 : (int)((deadline - g_get_monotonic_time ()) / 1000);
      char buffer[4096];
      ssize_t n;

      if (deadline != 0 && timeout <= 0)
        break;
      g_assert_cmpint (poll (&pfd, 1, MAX (timeout, 0)), >=, 0);
      if (pfd.revents == 0)
        {
          g_assert_cmpint (deadline, !=, 0);
          continue;
        }
      n = read (out_fd, buffer, sizeof buffer);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (out, buffer, n);
      if (deadline == 0 && try_open)
        {
          g_autoptr(HogaSqliteJournal) second = hoga_sqlite_journal_open (path, &error);

          g_assert_null (second);
          g_assert_error (error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_BUSY);
          g_clear_error (&error);
        }
      if (deadline == 0)
        deadline = g_get_monotonic_time () + delay_ms * 1000;
    }

  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  for (;;)
    {
      char buffer[4096];
      ssize_t n = read (out_fd, buffer, sizeof buffer);

      if (n == 0)
        break;
      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      g_string_append_len (out, buffer, n);
    }
  g_close (out_fd, NULL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  /* Killed while journaling, not stopped on its own. */
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  /* A line cut by the kill was never reported. */
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_truncate (out, strrchr (out->str, '\n') - out->str + 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
verify_after_crash (const char   *path,
                    CrashReports *reports)
{
  HogaJournal *journal = open_journal (path);
  g_autoptr(HogaJournalSnapshot) snapshot = load (journal, 0);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) fills = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *check = NULL;
  GHashTableIter iter;
  gpointer key, value;

  /* Every order in the file is whole: its fields are those of its sequence number. */
  for (guint i = 0; i < snapshot->orders->len; i++)
    {
      HogaOrderRecord *order = &g_array_index (snapshot->orders, HogaOrderRecord, i);
      HogaOrderRecord expected;

      g_assert_true (g_str_has_prefix (order->reason, "seq-"));
      expected = sample_order (atoi (order->reason + 4));
      expected.id = order->id;
      if (order->state == HOGA_ORDER_STATE_ACCEPTED)
        {
          expected.state = HOGA_ORDER_STATE_ACCEPTED;
          g_strlcpy (expected.ord_no, order->ord_no, sizeof expected.ord_no);
          g_assert_cmpint (atoi (order->ord_no), ==, atoi (order->reason + 4));
          expected.updated_at = order->updated_at;
        }
      else
        {
          expected.updated_at = expected.created_at;
        }
      assert_orders_equal (order, &expected);
      g_hash_table_insert (by_id, &order->id, order);
    }
  for (guint i = 0; i < snapshot->fills->len; i++)
    {
      HogaFillRecord *fill = &g_array_index (snapshot->fills, HogaFillRecord, i);
      HogaFillRecord expected = crash_fill (atoi (fill->ord_no));

      assert_fills_equal (fill, &expected);
      g_hash_table_insert (fills, fill->ord_no, fill);
    }

  /* Everything a child was told is done is there. */
  g_hash_table_iter_init (&iter, reports->orders);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 id = GPOINTER_TO_SIZE (value);
      HogaOrderRecord *order = g_hash_table_lookup (by_id, &id);

      g_assert_nonnull (order);
      g_assert_cmpint (atoi (order->reason + 4), ==, GPOINTER_TO_UINT (key));
    }
  g_hash_table_iter_init (&iter, reports->accepted);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gint64 id = GPOINTER_TO_SIZE (g_hash_table_lookup (reports->orders, key));
      HogaOrderRecord *order = g_hash_table_lookup (by_id, &id);

      g_assert_nonnull (order);
      g_assert_cmpint (order->state, ==, HOGA_ORDER_STATE_ACCEPTED);
    }
  g_hash_table_iter_init (&iter, reports->filled);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autofree char *ord_no = g_strdup_printf ("%09u", GPOINTER_TO_UINT (key));

      g_assert_true (g_hash_table_contains (fills, ord_no));
    }
  close_journal (journal);

  check = query (path, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
}

static void
test_crash_durability (Fixture       *fixture,
                       gconstpointer  data)
{
  CrashReports reports = {
    .orders = g_hash_table_new (NULL, NULL),
    .accepted = g_hash_table_new (NULL, NULL),
    .filled = g_hash_table_new (NULL, NULL),
  };

  for (guint run = 0; run < CRASH_RUNS; run++)
    {
      guint delay_ms = g_test_rand_int_range (0, 300);
      guint orders_before = g_hash_table_size (reports.orders);
      g_autofree char *out = run_crash_child (fixture->path, (run + 1) * CRASH_SEQ_PER_RUN,
                                              delay_ms, run == 0);

      parse_reports (&reports, out);
      g_test_message ("run %u: killed %u ms after its first write; %u orders reported",
                      run, delay_ms, g_hash_table_size (reports.orders) - orders_before);
      g_assert_cmpuint (g_hash_table_size (reports.orders), >, orders_before);
      verify_after_crash (fixture->path, &reports);
    }
  g_test_message ("%u runs: %u orders, %u acceptances, %u fills reported, all found",
                  CRASH_RUNS, g_hash_table_size (reports.orders),
                  g_hash_table_size (reports.accepted), g_hash_table_size (reports.filled));

  g_hash_table_unref (reports.orders);
  g_hash_table_unref (reports.accepted);
  g_hash_table_unref (reports.filled);
}

#define ADD_FIXTURE_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--crash-child"))
    return crash_child (argv[2], atoi (argv[3]));

  self_exe = argv[0];
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/journal/order-state-strings", test_order_state_strings);
  g_test_add_func ("/store/journal/default-path", test_default_path);
  ADD_FIXTURE_TEST ("/store/journal/round-trip", test_round_trip);
  ADD_FIXTURE_TEST ("/store/journal/order-ids-increase", test_order_ids_increase);
  ADD_FIXTURE_TEST ("/store/journal/update-order", test_update_order);
  ADD_FIXTURE_TEST ("/store/journal/fill-idempotent", test_fill_idempotent);
  ADD_FIXTURE_TEST ("/store/journal/costs-today", test_costs_today);
  ADD_FIXTURE_TEST ("/store/journal/migrate-from-v1", test_migrate_from_v1);
  ADD_FIXTURE_TEST ("/store/journal/load-restart-state", test_load_restart_state);
  ADD_FIXTURE_TEST ("/store/journal/completion-order", test_completion_order);
  ADD_FIXTURE_TEST ("/store/journal/durability-settings", test_durability_settings);
  ADD_FIXTURE_TEST ("/store/journal/unref-without-close", test_unref_without_close);
  ADD_FIXTURE_TEST ("/store/journal/busy", test_busy);
  ADD_FIXTURE_TEST ("/store/journal/closed", test_closed);
  ADD_FIXTURE_TEST ("/store/journal/newer-schema-refused", test_newer_schema_refused);
  ADD_FIXTURE_TEST ("/store/journal/newer-schema-in-wal-refused",
                    test_newer_schema_in_wal_refused);
  ADD_FIXTURE_TEST ("/store/journal/garbage-refused", test_garbage_refused);
  ADD_FIXTURE_TEST ("/store/journal/damaged-refused", test_damaged_refused);
  ADD_FIXTURE_TEST ("/store/journal/zero-length-is-new", test_zero_length_is_new);
  ADD_FIXTURE_TEST ("/store/journal/main-loop-responsive", test_main_loop_responsive);
  ADD_FIXTURE_TEST ("/store/journal/crash-durability", test_crash_durability);

  return g_test_run ();
}
