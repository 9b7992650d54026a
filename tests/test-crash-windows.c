/* test-crash-windows.c — kill -9 hoga in each journal window of a buy, then restart it
 *
 * DESIGN.md §1.3: a crash at any instant loses no fill and causes no duplicate order. The
 * headless program runs against an exchange this test starts; HOGA_CRASH_AT makes it
 * SIGKILL itself at one instant of its first buy (crash points, built with
 * -Dcrash_points=true). A second run on the same journal and exchange must reconcile what
 * the first left behind: the exchange then holds at most the one order the first run sent,
 * and its fill is tracked as a position. The last window is after the buy's fill is
 * journaled and before the position it makes is. Window (3) is also reached without a crash point:
 * the exchange holds the order's reply while the test kills hoga.
 *
 * The exchange's session clock starts at 10:00 KST and hoga's engine runs on the same
 * clock (HOGA_TEST_CLOCK, read only by builds with crash points), so the tests run at any
 * hour and the order times the exchange reports agree with the journal's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "hx-test-fixture.h"

/* data/exchange/conditions.ini: seq 0 is the buy condition of the shipped configuration. */
#define BUY_SEQ       "0"
#define BUY_CONDITION "거래량 급증"
#define CODE          HX_CODE_A
#define SHARES        3

/* Timeouts in milliseconds. The engine logs in, reads the account and arms the conditions
 * before it reports that it started. An order that is not at the broker is settled by the
 * second reconciliation that misses it, at least the reconcile interval after the first. */
#define STARTED_MS    20000
#define CRASH_MS      10000
#define SETTLED_MS    25000
#define QUIET_MS      3000
#define STOPPED_MS    10000
#define POLL_MS       50
/* Far longer than the test takes to see an order at the exchange. */
#define REPLY_DELAY_MS 2000

/* The whole session is a valid trading window; the clocks start inside it (a Friday). */
#define WINDOW_START  "08:00"
#define WINDOW_END    "20:00"
#define SESSION_START "2026-11-20 10:00:00"

typedef struct {
  GSubprocess      *process;
  GDataInputStream *lines;
  GPtrArray        *log;          /* JsonObject*, every line printed so far */
  gboolean          eof;
  gboolean          exited;
} Hoga;

typedef struct {
  Hoga       *hoga;
  const char *event;              /* the line's "event", or NULL for any */
  const char *text;               /* a part of its "message", or NULL for any */
} LogWait;

typedef struct {
  HxServer *server;
  char     *dir;                  /* XDG_DATA_HOME, keyring and config */
  char     *config;
  gint64    price;                /* amount-per-stock buys SHARES at this price */
} Fixture;

/* ---- the hoga process -------------------------------------------------------------- */

static void
child_setup (gpointer data)
{
  /* A failed test must not leave hoga trading behind it. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Hoga *hoga = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  JsonNode *root;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                    NULL, &error);
  g_assert_no_error (error);
  if (line == NULL)
    {
      hoga->eof = TRUE;
      return;
    }

  g_test_message ("hoga: %s", line);
  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_ptr_array_add (hoga->log, json_object_ref (json_node_get_object (root)));
  g_data_input_stream_read_line_async (hoga->lines, G_PRIORITY_DEFAULT, NULL, read_line_cb,
                                       hoga);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Hoga *hoga = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  hoga->exited = TRUE;
}

/* hoga --headless on the fixture's configuration; with @crash_at, it kills itself there. */
static Hoga *
hoga_start (Fixture    *f,
            const char *crash_at)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *keyring = g_build_filename (f->dir, "keyring", NULL);
  const char *program = g_getenv ("HOGA");
  g_autoptr(GError) error = NULL;
  Hoga *hoga = g_new0 (Hoga, 1);

  g_assert_nonnull (program);
  /* English messages, and nothing reaches the user's own keyring or journal. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", f->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_BACKEND", "file", TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_subprocess_launcher_setenv (launcher, "SECRET_FILE_TEST_PASSWORD", "test-crash", TRUE);
  g_subprocess_launcher_setenv (launcher, "KIWOOM_APPKEY", HX_TEST_APPKEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "KIWOOM_SECRETKEY", HX_TEST_SECRETKEY, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  {
    g_autoptr(JsonObject) status = hx_control (f->server, "{\"cmd\":\"status\"}");
    const char *stamp = json_object_get_string_member (status, "clock");
    g_autofree char *clock = NULL;

    /* YYYYMMDDHHMMSS → "YYYY-MM-DD HH:MM:SS" */
    g_assert_cmpuint (strlen (stamp), ==, 14);
    clock = g_strdup_printf ("%.4s-%.2s-%.2s %.2s:%.2s:%.2s", stamp, stamp + 4, stamp + 6,
                             stamp + 8, stamp + 10, stamp + 12);
    g_subprocess_launcher_setenv (launcher, "HOGA_TEST_CLOCK", clock, TRUE);
  }
  if (crash_at != NULL)
    g_subprocess_launcher_setenv (launcher, "HOGA_CRASH_AT", crash_at, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "HOGA_CRASH_AT");
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  hoga->process = g_subprocess_launcher_spawn (launcher, &error, program, "--headless",
                                               "--config", f->config, NULL);
  g_assert_no_error (error);
  hoga->log = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  hoga->lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (hoga->process));
  g_data_input_stream_read_line_async (hoga->lines, G_PRIORITY_DEFAULT, NULL, read_line_cb,
                                       hoga);
  g_subprocess_wait_async (hoga->process, NULL, wait_cb, hoga);
  return hoga;
}

static gboolean
hoga_is_done (gpointer data)
{
  Hoga *hoga = data;

  return hoga->exited && hoga->eof;
}

/* Kills hoga if it still runs; its last read and wait complete before it is freed. */
static void
hoga_free (Hoga *hoga)
{
  if (!hoga->exited)
    g_subprocess_force_exit (hoga->process);
  hx_iterate_until (hoga_is_done, hoga, STOPPED_MS);
  g_clear_object (&hoga->lines);
  g_clear_object (&hoga->process);
  g_ptr_array_unref (hoga->log);
  g_free (hoga);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Hoga, hoga_free)

static gboolean
line_matches (JsonObject *line,
              LogWait    *wait)
{
  const char *event = json_object_get_string_member_with_default (line, "event", "");
  const char *message = json_object_get_string_member_with_default (line, "message", "");

  return (wait->event == NULL || g_str_equal (event, wait->event))
         && (wait->text == NULL || strstr (message, wait->text) != NULL);
}

static guint
count_lines (Hoga       *hoga,
             const char *event,
             const char *text)
{
  LogWait wait = { hoga, event, text };
  guint n = 0;

  for (guint i = 0; i < hoga->log->len; i++)
    n += line_matches (g_ptr_array_index (hoga->log, i), &wait);
  return n;
}

static gboolean
has_line (gpointer data)
{
  LogWait *wait = data;

  return count_lines (wait->hoga, wait->event, wait->text) > 0;
}

static void
wait_for_line (Hoga       *hoga,
               const char *event,
               const char *text,
               guint       timeout_ms)
{
  LogWait wait = { hoga, event, text };

  if (!hx_iterate_until (has_line, &wait, timeout_ms))
    hx_fail ("hoga did not log %s / %s within %u ms (exited: %d)", event ? event : "any event",
             text ? text : "any message", timeout_ms, hoga->exited);
}

static void
wait_for_sigkill (Hoga *hoga)
{
  if (!hx_iterate_until (hoga_is_done, hoga, CRASH_MS))
    hx_fail ("hoga did not crash within %u ms", CRASH_MS);
  g_assert_true (g_subprocess_get_if_signaled (hoga->process));
  g_assert_cmpint (g_subprocess_get_term_sig (hoga->process), ==, SIGKILL);
}

/* SIGTERM: a clean stop, exit status 0. */
static void
hoga_stop (Hoga *hoga)
{
  g_subprocess_send_signal (hoga->process, SIGTERM);
  if (!hx_iterate_until (hoga_is_done, hoga, STOPPED_MS))
    hx_fail ("hoga did not stop within %u ms of SIGTERM", STOPPED_MS);
  g_assert_true (g_subprocess_get_if_exited (hoga->process));
  g_assert_cmpint (g_subprocess_get_exit_status (hoga->process), ==, 0);
  g_assert_cmpuint (count_lines (hoga, "engine-stopped", NULL), ==, 1);
}

/* ---- the exchange ------------------------------------------------------------------ */

static guint
count_buy_orders (Fixture *f)
{
  g_autoptr(JsonObject) reply = hx_control (f->server, "{\"cmd\":\"orders\"}");
  JsonArray *orders = hx_array (reply, "orders");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *order = json_array_get_object_element (orders, i);

      if (g_str_equal (hx_str (order, "code"), CODE) && g_str_equal (hx_str (order, "side"), "buy")
          && g_str_equal (hx_str (order, "kind"), "new"))
        {
          g_assert_cmpint (json_object_get_int_member (order, "qty"), ==, SHARES);
          n++;
        }
    }
  return n;
}

static gint64
held_qty (Fixture *f)
{
  g_autoptr(JsonObject) reply = hx_control (f->server, "{\"cmd\":\"holdings\"}");
  JsonArray *holdings = hx_array (reply, "holdings");

  for (guint i = 0; i < json_array_get_length (holdings); i++)
    {
      JsonObject *holding = json_array_get_object_element (holdings, i);

      if (g_str_equal (hx_str (holding, "code"), CODE))
        return json_object_get_int_member (holding, "qty");
    }
  return 0;
}

/* A trade sets the price the engine sizes the buy at (it looks it up when the symbol
 * enters), then the buy condition takes the symbol in; the market buy fills. */
static void
trigger_buy (Fixture *f)
{
  hx_command (f->server, "{\"cmd\":\"trade\",\"code\":\"%s\",\"price\":%" G_GINT64_FORMAT
              ",\"qty\":1}", CODE, f->price);
  hx_command (f->server, "{\"cmd\":\"order-outcome\",\"outcome\":\"fill\",\"count\":1}");
  hx_command (f->server, "{\"cmd\":\"condition\",\"seq\":\"%s\",\"code\":\"%s\",\"event\":\"I\"}",
              BUY_SEQ, CODE);
}

/* ---- fixture ----------------------------------------------------------------------- */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_init (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  HxSymbolInfo info;

  /* In session whatever the wall clock says: the exchange starts at 10:00 KST and every
   * hoga run gets the exchange's current time as its clock (HOGA_TEST_CLOCK), so order
   * times in the exchange's lists agree with the journal's for reconciliation. */
  f->server = hx_server_start (HX_SCRIPTED, "--start-time", SESSION_START, NULL);
  hx_symbol_info (f->server, CODE, &info);
  f->price = hx_ticks_from (info.base, 0);

  f->dir = g_dir_make_tmp ("test-crash-windows-XXXXXX", &error);
  g_assert_no_error (error);
  f->config = g_build_filename (f->dir, "hoga.ini", NULL);
  text = g_strdup_printf ("[broker]\n"
                          "profile=custom\n"
                          "rest-url=%s\n"
                          "ws-url=%s\n"
                          "[strategy]\n"
                          "buy-condition=" BUY_CONDITION "\n"
                          "auto-buy=true\n"
                          "auto-sell=false\n"
                          "amount-per-stock=%" G_GINT64_FORMAT "\n"
                          "buy-type=market\n"
                          "trading-window-start=" WINDOW_START "\n"
                          "trading-window-end=" WINDOW_END "\n"
                          "[risk]\n"
                          "max-order-value=%" G_GINT64_FORMAT "\n",
                          f->server->rest_url, f->server->ws_url,
                          f->price * SHARES + f->price / 2, info.upper * (SHARES + 1));
  g_file_set_contents (f->config, text, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_clear (Fixture *f)
{
  hx_server_stop (f->server);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->config);
}

/* Run 1: crash at @crash_at during the buy. Returns how many orders reached the exchange. */
static guint
crash_during_buy (Fixture    *f,
                  const char *crash_at)
{
  g_autoptr(Hoga) hoga = hoga_start (f, crash_at);

  wait_for_line (hoga, "engine-started", NULL, STARTED_MS);
  trigger_buy (f);
  wait_for_sigkill (hoga);
  return count_buy_orders (f);
}

/* Run 2 on the same journal and exchange, without a crash point; the order the first run
 * sent (if any) is reconciled, never resent. */
static Hoga *
restart (Fixture *f)
{
  Hoga *hoga = hoga_start (f, NULL);

  wait_for_line (hoga, "engine-started", NULL, STARTED_MS);
  return hoga;
}

/* The order reached the exchange and filled: the second run finds it there, counts its
 * fill once and tracks the position; the symbol, still in the condition, is not bought
 * again. */
static void
check_found_and_tracked (Fixture *f,
                         Hoga    *hoga)
{
  wait_for_line (hoga, NULL, "was found at the broker", SETTLED_MS);
  wait_for_line (hoga, NULL, "Bought " G_STRINGIFY (SHARES) " shares", SETTLED_MS);
  hx_pump (QUIET_MS);
  g_assert_cmpuint (count_lines (hoga, NULL, "Bought"), ==, 1);
  g_assert_cmpuint (count_buy_orders (f), ==, 1);
  g_assert_cmpint (held_qty (f), ==, SHARES);
}

/* A third run loads the position from the journal. */
static void
check_journal_tracks (Fixture *f)
{
  g_autoptr(Hoga) hoga = hoga_start (f, NULL);

  wait_for_line (hoga, "engine-started", NULL, STARTED_MS);
  g_assert_cmpuint (count_lines (hoga, NULL, "Journal loaded: tracked positions 1,"), ==, 1);
  hoga_stop (hoga);
  g_assert_cmpuint (count_buy_orders (f), ==, 1);
}

/* ---- the windows ------------------------------------------------------------------- */

/* (1) Nothing journaled, nothing sent: no order anywhere, and the restart does not buy
 * the symbol it finds in the condition's snapshot. */
static void
test_before_journal (void)
{
  Fixture f = { 0 };
  g_autoptr(Hoga) hoga = NULL;

  fixture_init (&f);
  g_assert_cmpuint (crash_during_buy (&f, "before-journal"), ==, 0);

  hoga = restart (&f);
  hx_pump (QUIET_MS);
  g_assert_cmpuint (count_buy_orders (&f), ==, 0);
  g_assert_cmpint (held_qty (&f), ==, 0);
  g_assert_cmpuint (count_lines (hoga, NULL, "Buy placed"), ==, 0);
  hoga_stop (hoga);
  fixture_clear (&f);
}

/* (2) The intent is journaled, the request never left: the restart finds nothing at the
 * broker and settles the intent as not executed, without sending it. */
static void
test_after_journal (void)
{
  Fixture f = { 0 };
  g_autoptr(Hoga) hoga = NULL;

  fixture_init (&f);
  g_assert_cmpuint (crash_during_buy (&f, "after-journal"), ==, 0);

  hoga = restart (&f);
  wait_for_line (hoga, NULL, "is not at the broker: not executed", SETTLED_MS);
  hx_pump (QUIET_MS);
  g_assert_cmpuint (count_buy_orders (&f), ==, 0);
  g_assert_cmpint (held_qty (&f), ==, 0);
  g_assert_cmpuint (count_lines (hoga, NULL, "Bought"), ==, 0);
  hoga_stop (hoga);
  fixture_clear (&f);
}

/* (3) The request reached the exchange; hoga died with its reply unread. */
static void
test_after_send (void)
{
  Fixture f = { 0 };
  g_autoptr(Hoga) hoga = NULL;

  fixture_init (&f);
  g_assert_cmpuint (crash_during_buy (&f, "after-send"), ==, 1);

  hoga = restart (&f);
  check_found_and_tracked (&f, hoga);
  hoga_stop (hoga);
  check_journal_tracks (&f);
  fixture_clear (&f);
}

/* (3) again, without a crash point: the exchange holds the reply while the test kills
 * hoga. The buy needs a price lookup first, so the replies are only delayed until the
 * order is in, and then held for good. */
static void
test_after_send_hung_reply (void)
{
  Fixture f = { 0 };
  g_autoptr(Hoga) first = NULL;
  g_autoptr(Hoga) hoga = NULL;
  gint64 deadline;

  fixture_init (&f);
  first = hoga_start (&f, NULL);
  wait_for_line (first, "engine-started", NULL, STARTED_MS);
  hx_command (f.server, "{\"cmd\":\"fault\",\"name\":\"rest-delay\",\"ms\":%d}",
              REPLY_DELAY_MS);
  trigger_buy (&f);
  deadline = g_get_monotonic_time () + CRASH_MS * 1000;
  while (count_buy_orders (&f) == 0 && g_get_monotonic_time () < deadline)
    hx_pump (POLL_MS);
  hx_command (f.server, "{\"cmd\":\"fault\",\"name\":\"rest-hang\",\"on\":true}");
  g_assert_cmpuint (count_buy_orders (&f), ==, 1);
  g_subprocess_send_signal (first->process, SIGKILL);
  wait_for_sigkill (first);
  g_assert_cmpuint (count_lines (first, NULL, "Bought"), ==, 0);
  hx_command (f.server, "{\"cmd\":\"fault\",\"name\":\"rest-delay\",\"ms\":0}");
  hx_command (f.server, "{\"cmd\":\"fault\",\"name\":\"rest-hang\",\"on\":false}");

  hoga = restart (&f);
  check_found_and_tracked (&f, hoga);
  hoga_stop (hoga);
  check_journal_tracks (&f);
  fixture_clear (&f);
}

/* (4) The exchange accepted the order and hoga read the receipt, but died before the
 * journal recorded it. */
static void
test_after_reply (void)
{
  Fixture f = { 0 };
  g_autoptr(Hoga) hoga = NULL;

  fixture_init (&f);
  g_assert_cmpuint (crash_during_buy (&f, "after-reply"), ==, 1);

  hoga = restart (&f);
  check_found_and_tracked (&f, hoga);
  hoga_stop (hoga);
  check_journal_tracks (&f);
  fixture_clear (&f);
}

/* (5) The fill is journaled, the position it makes is not yet: hoga died between the two
 * writes. The restart finds the order filled and no position for it; the shares the
 * broker holds are the buy's, so they are tracked (not left as someone else's, unsold). */
static void
test_after_fill (void)
{
  Fixture f = { 0 };
  g_autoptr(Hoga) hoga = NULL;

  fixture_init (&f);
  g_assert_cmpuint (crash_during_buy (&f, "after-fill"), ==, 1);
  g_assert_cmpint (held_qty (&f), ==, SHARES);

  hoga = restart (&f);
  wait_for_line (hoga, NULL, "The buy filled while Hoga was not running", SETTLED_MS);
  hx_pump (QUIET_MS);
  g_assert_cmpuint (count_buy_orders (&f), ==, 1);
  g_assert_cmpint (held_qty (&f), ==, SHARES);
  hoga_stop (hoga);
  check_journal_tracks (&f);
  fixture_clear (&f);
}

int
main (int   argc,
      char *argv[])
{
  const struct {
    const char *path;
    void      (*func) (void);
  } tests[] = {
    { "/engine/crash/before-journal", test_before_journal },
    { "/engine/crash/after-journal", test_after_journal },
    { "/engine/crash/after-send", test_after_send },
    { "/engine/crash/after-send-hung-reply", test_after_send_hung_reply },
    { "/engine/crash/after-reply", test_after_reply },
    { "/engine/crash/after-fill", test_after_fill },
  };

  hx_test_init (&argc, &argv);
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    hx_test_add (tests[i].path, tests[i].func);

  return g_test_run ();
}
