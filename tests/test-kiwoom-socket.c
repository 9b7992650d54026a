/* test-kiwoom-socket.c — the Kiwoom WebSocket session against hoga-exchange over loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test runs a real hoga-exchange, scripts it through the control endpoint and
 * asserts what KiwoomSocket did: its signals, state, counters, and what the exchange saw.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "hx-test-fixture.h"
#include "kiwoom-socket.h"

/* Every login also registers the market-wide 0s group (item [""]): one REG. */
#define SESSION_REGS 1

#define WATCHDOG_MS     1000
#define BACKOFF_MIN_MS  100
#define BACKOFF_MAX_MS  400
#define WAIT_MS         5000
#define PING_INTERVAL   "0.25"

typedef struct {
  HxServer     *server;
  KiwoomRest   *rest;
  KiwoomSocket *socket;
  GArray       *states;      /* HogaConnectionState, every change */
  GArray       *ticks;       /* HogaTick */
  GArray       *depths;      /* HogaDepth */
  GArray       *conditions;  /* HogaConditionEvent */
  GArray       *orders;      /* HogaOrderEvent */
  GArray       *balances;    /* HogaBalanceEvent */
  GArray       *sessions;    /* HogaSessionEvent */
  GPtrArray    *problems;    /* GError* */
  guint         n_rearmed;
  guint64       pings_when_online;  /* PINGs echoed before the first LOGIN ack */
  gboolean      dead_sessions;  /* the test kills sessions: the watchdog may fire */
  /* the last async call */
  gboolean      done;
  gpointer      result;
  GError       *error;
} Fixture;

/* ---- recording --------------------------------------------------------------------- */

static void
tick_cb (KiwoomSocket *socket,
         HogaTick     *tick,
         Fixture      *f)
{
  g_array_append_val (f->ticks, *tick);
}

static void
depth_cb (KiwoomSocket *socket,
          HogaDepth    *depth,
          Fixture      *f)
{
  g_array_append_val (f->depths, *depth);
}

static void
condition_cb (KiwoomSocket       *socket,
              HogaConditionEvent *event,
              Fixture            *f)
{
  g_array_append_val (f->conditions, *event);
}

static void
order_cb (KiwoomSocket   *socket,
          HogaOrderEvent *event,
          Fixture        *f)
{
  g_array_append_val (f->orders, *event);
}

static void
balance_cb (KiwoomSocket     *socket,
            HogaBalanceEvent *event,
            Fixture          *f)
{
  g_array_append_val (f->balances, *event);
}

static void
problem_cb (KiwoomSocket *socket,
            GError       *error,
            Fixture      *f)
{
  g_test_message ("problem: %s", error->message);
  g_ptr_array_add (f->problems, g_error_copy (error));
}

static void
session_cb (KiwoomSocket     *socket,
            HogaSessionEvent *event,
            Fixture          *f)
{
  g_array_append_val (f->sessions, *event);
}

static void
rearmed_cb (KiwoomSocket *socket,
            Fixture      *f)
{
  f->n_rearmed++;
}

static void
state_cb (KiwoomSocket *socket,
          GParamSpec   *pspec,
          Fixture      *f)
{
  HogaConnectionState state = kiwoom_socket_get_state (socket);

  g_test_message ("state: %s", hoga_connection_state_to_string (state));
  if (state == HOGA_CONNECTION_ONLINE && f->pings_when_online == 0)
    {
      KiwoomSocketStats s;

      kiwoom_socket_get_stats (socket, &s);
      f->pings_when_online = s.pings;
    }
  g_array_append_val (f->states, state);
}

/* ---- set-up ------------------------------------------------------------------------ */

/* Starts hoga-exchange (scripted) with the extra arguments and a socket on it, not yet
 * started. */
static Fixture *
fixture_new (const char *first_arg,
             ...)
{
  const char *scripted[] = { HX_SCRIPTED };
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  Fixture *f = g_new0 (Fixture, 1);
  va_list ap;

  for (guint i = 0; i < G_N_ELEMENTS (scripted); i++)
    g_ptr_array_add (args, (gpointer) scripted[i]);
  /* PINGs well inside the watchdog, so an idle healthy session is never taken for dead;
   * a later --ping-interval in the extra arguments wins. */
  g_ptr_array_add (args, (gpointer) "--ping-interval");
  g_ptr_array_add (args, (gpointer) PING_INTERVAL);
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  f->server = hx_server_startv ((const char * const *) args->pdata);
  f->rest = kiwoom_rest_new (f->server->rest_url, HX_TEST_APPKEY, HX_TEST_SECRETKEY);
  f->socket = g_object_new (KIWOOM_TYPE_SOCKET,
                            "ws-url", f->server->ws_url,
                            "rest", f->rest,
                            "watchdog-ms", WATCHDOG_MS,
                            "backoff-min-ms", BACKOFF_MIN_MS,
                            "backoff-max-ms", BACKOFF_MAX_MS,
                            NULL);

  f->states = g_array_new (FALSE, FALSE, sizeof (HogaConnectionState));
  f->ticks = g_array_new (FALSE, FALSE, sizeof (HogaTick));
  f->depths = g_array_new (FALSE, FALSE, sizeof (HogaDepth));
  f->conditions = g_array_new (FALSE, FALSE, sizeof (HogaConditionEvent));
  f->orders = g_array_new (FALSE, FALSE, sizeof (HogaOrderEvent));
  f->balances = g_array_new (FALSE, FALSE, sizeof (HogaBalanceEvent));
  f->sessions = g_array_new (FALSE, FALSE, sizeof (HogaSessionEvent));
  f->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);

  g_signal_connect (f->socket, "tick", G_CALLBACK (tick_cb), f);
  g_signal_connect (f->socket, "depth", G_CALLBACK (depth_cb), f);
  g_signal_connect (f->socket, "condition-event", G_CALLBACK (condition_cb), f);
  g_signal_connect (f->socket, "order-event", G_CALLBACK (order_cb), f);
  g_signal_connect (f->socket, "balance-event", G_CALLBACK (balance_cb), f);
  g_signal_connect (f->socket, "session-event", G_CALLBACK (session_cb), f);
  g_signal_connect (f->socket, "problem", G_CALLBACK (problem_cb), f);
  g_signal_connect (f->socket, "rearmed", G_CALLBACK (rearmed_cb), f);
  g_signal_connect (f->socket, "notify::state", G_CALLBACK (state_cb), f);
  return f;
}

static KiwoomSocketStats
stats (Fixture *f)
{
  KiwoomSocketStats s;

  kiwoom_socket_get_stats (f->socket, &s);
  return s;
}

static void
fixture_free (Fixture *f)
{
  /* A healthy session is never taken for dead. */
  if (!f->dead_sessions)
    g_assert_cmpuint (stats (f).watchdog_timeouts, ==, 0);

  kiwoom_socket_stop (f->socket);
  g_signal_handlers_disconnect_by_data (f->socket, f);
  g_clear_object (&f->socket);
  g_clear_object (&f->rest);
  /* Let the close handshake reach the exchange before it is stopped. */
  hx_pump (100);
  hx_server_stop (f->server);

  g_array_unref (f->states);
  g_array_unref (f->ticks);
  g_array_unref (f->depths);
  g_array_unref (f->conditions);
  g_array_unref (f->orders);
  g_array_unref (f->balances);
  g_array_unref (f->sessions);
  g_ptr_array_unref (f->problems);
  g_clear_error (&f->error);
  g_free (f);
}

/* Frames other than the exchange's PINGs, which come on their own clock. */
static guint64
data_frames (Fixture *f)
{
  KiwoomSocketStats s = stats (f);

  return s.frames - s.pings;
}

static gboolean
is_offline (gpointer data)
{
  Fixture *f = data;

  return kiwoom_socket_get_state (f->socket) == HOGA_CONNECTION_OFFLINE;
}

static gboolean
is_online (gpointer data)
{
  Fixture *f = data;

  return kiwoom_socket_get_state (f->socket) == HOGA_CONNECTION_ONLINE;
}

static void
wait_online (Fixture *f)
{
  if (!hx_iterate_until (is_online, f, WAIT_MS))
    hx_fail ("the socket is not online after %d ms (state %s)", WAIT_MS,
             hoga_connection_state_to_string (kiwoom_socket_get_state (f->socket)));
}

typedef struct {
  Fixture *f;
  guint    wanted;
} Count;

static gboolean
reg_answered (gpointer data)
{
  Count *c = data;
  KiwoomSocketStats s = stats (c->f);

  return s.reg_acked + s.reg_failed >= c->wanted;
}

/* Online, and the login's session-group REG answered, so no test starts counting frames
 * with that ack still on its way. */
static void
start_online (Fixture *f)
{
  KiwoomSocketStats before = stats (f);
  Count c = { f, before.reg_acked + before.reg_failed + SESSION_REGS };

  kiwoom_socket_start (f->socket);
  wait_online (f);
  if (!hx_iterate_until (reg_answered, &c, WAIT_MS))
    hx_fail ("the session group REG was not answered within %d ms", WAIT_MS);
}

static gboolean
reg_acked (gpointer data)
{
  Count *c = data;

  return stats (c->f).reg_acked >= c->wanted;
}

static void
wait_reg_acked (Fixture *f,
                guint    wanted)
{
  Count c = { f, wanted };

  if (!hx_iterate_until (reg_acked, &c, WAIT_MS))
    hx_fail ("%u REG acks expected, %u came (%u sent, %u failed)", wanted,
             stats (f).reg_acked, stats (f).reg_sent, stats (f).reg_failed);
}

static void
subscribe_one (Fixture    *f,
               const char *code)
{
  const char *codes[] = { code, NULL };
  guint acked = stats (f).reg_acked;

  kiwoom_socket_subscribe (f->socket, codes);
  wait_reg_acked (f, acked + 1);
}

static void
trade (Fixture    *f,
       const char *code,
       gint64      price,
       gint64      qty)
{
  hx_command (f->server, "{\"cmd\":\"trade\",\"code\":\"%s\",\"price\":%" G_GINT64_FORMAT
              ",\"qty\":%" G_GINT64_FORMAT "}", code, price, qty);
}

typedef struct {
  Fixture    *f;
  const char *code;
  gint64      price;
  guint       from;
  guint       found;          /* index + 1 */
} TickSearch;

static gboolean
find_tick (gpointer data)
{
  TickSearch *search = data;

  for (guint i = search->from; i < search->f->ticks->len; i++)
    {
      HogaTick *tick = &g_array_index (search->f->ticks, HogaTick, i);

      if (strcmp (tick->code, search->code) == 0
          && (search->price == 0 || tick->price == search->price))
        {
          search->found = i + 1;
          return TRUE;
        }
    }
  return FALSE;
}

/* Trades @code at @price and returns the ::tick it caused (a copy). */
static HogaTick
trade_and_wait_tick (Fixture    *f,
                     const char *code,
                     gint64      price,
                     gint64      qty)
{
  TickSearch search = { f, code, price, f->ticks->len, 0 };

  trade (f, code, price, qty);
  if (!hx_iterate_until (find_tick, &search, WAIT_MS))
    hx_fail ("no ::tick for %s at %" G_GINT64_FORMAT " within %d ms (%u ticks, state %s)",
             code, price, WAIT_MS, f->ticks->len,
             hoga_connection_state_to_string (kiwoom_socket_get_state (f->socket)));
  return g_array_index (f->ticks, HogaTick, search.found - 1);
}

static void
assert_no_tick_for (Fixture    *f,
                    const char *code,
                    gint64      price)
{
  TickSearch search = { f, code, price, f->ticks->len, 0 };

  trade (f, code, price, 1);
  if (hx_iterate_until (find_tick, &search, HX_QUIET_MS))
    hx_fail ("unexpected ::tick for %s at %" G_GINT64_FORMAT, code, price);
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Fixture *f = data;

  g_assert_false (f->done);
  if (g_task_get_source_tag (G_TASK (result)) == kiwoom_socket_list_conditions_async)
    f->result = kiwoom_socket_list_conditions_finish (KIWOOM_SOCKET (source), result, &f->error);
  else
    f->result = kiwoom_socket_start_condition_finish (KIWOOM_SOCKET (source), result, &f->error);
  f->done = TRUE;
}

static void
wait_async (Fixture *f)
{
  if (!hx_iterate_until (flag_set, &f->done, WAIT_MS))
    hx_fail ("the asynchronous call did not finish within %d ms", WAIT_MS);
}

static GPtrArray *
list_conditions (Fixture *f)
{
  f->done = FALSE;
  g_clear_error (&f->error);
  kiwoom_socket_list_conditions_async (f->socket, NULL, async_done_cb, f);
  wait_async (f);
  g_assert_no_error (f->error);
  return f->result;
}

/* Returns the snapshot, or NULL with f->error set. */
static char **
start_condition (Fixture    *f,
                 const char *seq)
{
  f->done = FALSE;
  g_clear_error (&f->error);
  kiwoom_socket_start_condition_async (f->socket, seq, NULL, async_done_cb, f);
  wait_async (f);
  return f->result;
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
  gboolean    inserted;
  gboolean    from_snapshot;
  guint       from;
  guint       found;
} ConditionSearch;

static gboolean
find_condition_event (gpointer data)
{
  ConditionSearch *search = data;

  for (guint i = search->from; i < search->f->conditions->len; i++)
    {
      HogaConditionEvent *event = &g_array_index (search->f->conditions, HogaConditionEvent, i);

      if (strcmp (event->code, search->code) == 0 && event->inserted == search->inserted
          && event->from_snapshot == search->from_snapshot)
        {
          search->found = i + 1;
          return TRUE;
        }
    }
  return FALSE;
}

static HogaConditionEvent
wait_condition_event (Fixture    *f,
                      guint       from,
                      const char *code,
                      gboolean    inserted,
                      gboolean    from_snapshot)
{
  ConditionSearch search = { f, code, inserted, from_snapshot, from, 0 };

  if (!hx_iterate_until (find_condition_event, &search, WAIT_MS))
    hx_fail ("no %s %s condition event for %s within %d ms (%u events)",
             from_snapshot ? "snapshot" : "realtime", inserted ? "I" : "D", code, WAIT_MS,
             f->conditions->len);
  return g_array_index (f->conditions, HogaConditionEvent, search.found - 1);
}

static gint64
status_int (Fixture    *f,
            const char *member)
{
  g_autoptr(JsonObject) status = hx_control (f->server, "{\"cmd\":\"status\"}");

  return json_object_get_int_member (status, member);
}

static gboolean
has_problem (Fixture *f,
             gint     code)
{
  for (guint i = 0; i < f->problems->len; i++)
    if (g_error_matches (g_ptr_array_index (f->problems, i), HOGA_BROKER_ERROR, code))
      return TRUE;
  return FALSE;
}

static gboolean
saw_state (Fixture             *f,
           HogaConnectionState  state)
{
  for (guint i = 0; i < f->states->len; i++)
    if (g_array_index (f->states, HogaConnectionState, i) == state)
      return TRUE;
  return FALSE;
}

/* ---- session ----------------------------------------------------------------------- */

static void
test_login (void)
{
  Fixture *f = fixture_new (NULL, NULL);
  KiwoomSocketStats s;

  g_assert_cmpint (kiwoom_socket_get_state (f->socket), ==, HOGA_CONNECTION_OFFLINE);
  g_assert_cmpint (kiwoom_socket_get_latency_us (f->socket), ==, -1);

  kiwoom_socket_start (f->socket);
  g_assert_cmpint (kiwoom_socket_get_state (f->socket), ==, HOGA_CONNECTION_CONNECTING);
  wait_online (f);

  g_assert_cmpuint (f->states->len, ==, 2);
  g_assert_cmpint (g_array_index (f->states, HogaConnectionState, 0), ==, HOGA_CONNECTION_CONNECTING);
  g_assert_cmpint (g_array_index (f->states, HogaConnectionState, 1), ==, HOGA_CONNECTION_ONLINE);
  s = stats (f);
  g_assert_cmpuint (s.connects, ==, 1);
  g_assert_cmpuint (s.logins, ==, 1);
  g_assert_cmpuint (s.login_failures, ==, 0);
  /* The LOGIN round trip is the first latency sample. */
  g_assert_cmpint (kiwoom_socket_get_latency_us (f->socket), >=, 0);
  g_assert_cmpint (kiwoom_socket_get_latency_us (f->socket), <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (status_int (f, "logged_in"), ==, 1);
  g_assert_cmpuint (f->problems->len, ==, 0);

  fixture_free (f);
}

static void
test_pings_keep_alive (void)
{
  Fixture *f = fixture_new ("--ping-interval", "0.2", "--max-missed-pings", "2", NULL);
  KiwoomSocketStats s;

  start_online (f);
  /* Eight ping intervals: two missed PINGs would have closed the session. */
  hx_pump (1600);

  s = stats (f);
  g_assert_cmpuint (s.pings, >=, 5);
  g_assert_cmpuint (s.connects, ==, 1);
  g_assert_cmpuint (s.watchdog_timeouts, ==, 0);
  g_assert_cmpuint (f->states->len, ==, 2);
  g_assert_true (is_online (f));
  g_assert_cmpint (status_int (f, "logged_in"), ==, 1);
  g_assert_cmpuint (f->problems->len, ==, 0);

  fixture_free (f);
}

static void
test_not_connected (void)
{
  g_autoptr(KiwoomRest) rest = kiwoom_rest_new ("http://127.0.0.1:9", "k", "s");
  g_autoptr(KiwoomSocket) socket = kiwoom_socket_new ("ws://127.0.0.1:9/api/dostk/websocket",
                                                      rest);
  Fixture f = { 0 };

  f.socket = socket;
  kiwoom_socket_list_conditions_async (socket, NULL, async_done_cb, &f);
  wait_async (&f);
  g_assert_error (f.error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_NOT_CONNECTED);
  g_assert_null (f.result);
  g_clear_error (&f.error);

  f.done = FALSE;
  kiwoom_socket_start_condition_async (socket, "1", NULL, async_done_cb, &f);
  wait_async (&f);
  g_assert_error (f.error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_NOT_CONNECTED);
  g_clear_error (&f.error);
}

static void
test_stop (void)
{
  Fixture *f = fixture_new (NULL, NULL);
  KiwoomSocketStats s;
  HxSymbolInfo info;

  hx_symbol_info (f->server, HX_CODE_A, &info);
  start_online (f);
  subscribe_one (f, HX_CODE_A);

  kiwoom_socket_stop (f->socket);
  g_assert_cmpint (kiwoom_socket_get_state (f->socket), ==, HOGA_CONNECTION_OFFLINE);
  /* A clean close: the exchange lets the session go. */
  hx_pump (300);
  g_assert_cmpint (status_int (f, "sessions"), ==, 0);

  assert_no_tick_for (f, HX_CODE_A, hx_ticks_from (info.base, 1));
  hx_pump (3 * BACKOFF_MAX_MS);
  s = stats (f);
  g_assert_cmpuint (s.connects, ==, 1);
  g_assert_cmpint (kiwoom_socket_get_state (f->socket), ==, HOGA_CONNECTION_OFFLINE);
  g_assert_cmpint (status_int (f, "sessions"), ==, 0);

  /* The wanted codes outlive stop(): a new start() registers them again. */
  start_online (f);
  wait_reg_acked (f, 2 * (SESSION_REGS + 1));
  trade_and_wait_tick (f, HX_CODE_A, hx_ticks_from (info.base, 2), 1);

  fixture_free (f);
}

/* ---- realtime data ----------------------------------------------------------------- */

static void
test_tick (void)
{
  Fixture *f = fixture_new (NULL, NULL);
  HxSymbolInfo info;
  HogaTick tick;
  gint64 up;
  gint64 down;
  gint64 before;

  hx_symbol_info (f->server, HX_CODE_A, &info);
  start_online (f);
  /* "A" prefix and SOR suffix are normalised away. */
  {
    const char *codes[] = { "A" HX_CODE_A, HX_CODE_A "_AL", NULL };

    kiwoom_socket_subscribe (f->socket, codes);
    wait_reg_acked (f, SESSION_REGS + 1);
    g_assert_cmpuint (stats (f).reg_sent, ==, SESSION_REGS + 1);
  }

  up = hx_ticks_from (info.base, 3);
  before = g_get_monotonic_time ();
  tick = trade_and_wait_tick (f, HX_CODE_A, up, 7);
  g_assert_cmpstr (tick.code, ==, HX_CODE_A);
  g_assert_cmpint (tick.price, ==, up);
  g_assert_cmpint (tick.volume, ==, 7);
  g_assert_cmpint (tick.sign, ==, 2);
  g_assert_cmpint (tick.change, ==, up - info.base);
  g_assert_cmpint (tick.received_us, >=, before);
  g_assert_cmpint (tick.received_us, <=, g_get_monotonic_time ());

  down = hx_ticks_from (info.base, -2);
  tick = trade_and_wait_tick (f, HX_CODE_A, down, -3);
  g_assert_cmpint (tick.price, ==, down);
  g_assert_cmpint (tick.volume, ==, -3);
  g_assert_cmpint (tick.sign, ==, 5);
  g_assert_cmpint (tick.change, ==, down - info.base);
  g_assert_cmpint (tick.low, ==, down);
  g_assert_cmpint (tick.high, ==, up);

  /* A symbol nobody subscribed to stays silent. */
  {
    HxSymbolInfo other;

    hx_symbol_info (f->server, HX_CODE_B, &other);
    assert_no_tick_for (f, HX_CODE_B, hx_ticks_from (other.base, 1));
  }

  fixture_free (f);
}

static void
test_several_entries_per_frame (void)
{
  Fixture *f = fixture_new ("--entries-per-frame", "4", NULL);
  HxSymbolInfo info;
  HogaTick tick;
  guint64 frames_before;
  guint depths_before;

  hx_symbol_info (f->server, HX_CODE_A, &info);
  start_online (f);
  subscribe_one (f, HX_CODE_A);

  frames_before = data_frames (f);
  depths_before = f->depths->len;
  tick = trade_and_wait_tick (f, HX_CODE_A, hx_ticks_from (info.base, 1), 2);
  /* 0B and its 0D travel in one REAL frame: both entries carry that frame's time, and
   * the depth is there as soon as the tick is. */
  g_assert_cmpuint (f->depths->len, ==, depths_before + 1);
  {
    HogaDepth *depth = &g_array_index (f->depths, HogaDepth, depths_before);

    g_assert_cmpstr (depth->code, ==, HX_CODE_A);
    g_assert_cmpint (depth->received_us, ==, tick.received_us);
    g_assert_cmpint (depth->ask[0], >, depth->bid[0]);
    g_assert_cmpint (depth->bid[0], >, 0);
  }
  g_assert_cmpuint (data_frames (f), ==, frames_before + 1);
  g_assert_cmpuint (stats (f).entries, >=, 2);

  fixture_free (f);
}

static void
test_reg_groups (void)
{
  Fixture *f = fixture_new ("--symbols", "400", NULL);
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) subscribed = NULL;
  const guint probes[] = { 0, 99, 100, 199, 200, 249 };
  KiwoomSocketStats s;

  for (guint n = 1; n <= 250; n++)
    g_ptr_array_add (codes, g_strdup_printf ("9%04u0", n));
  g_ptr_array_add (codes, NULL);
  g_assert_true (hx_symbol_exists (f->server, g_ptr_array_index (codes, 249)));

  start_online (f);
  kiwoom_socket_subscribe (f->socket, (const char * const *) codes->pdata);
  wait_reg_acked (f, SESSION_REGS + 3);
  s = stats (f);
  g_assert_cmpuint (s.reg_sent, ==, SESSION_REGS + 3);
  g_assert_cmpuint (s.reg_failed, ==, 0);
  subscribed = kiwoom_socket_dup_subscriptions (f->socket);
  g_assert_cmpuint (g_strv_length (subscribed), ==, 250);

  /* A code at each edge of each group delivers. */
  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      const char *code = g_ptr_array_index (codes, probes[i]);
      HxSymbolInfo info;

      hx_symbol_info (f->server, code, &info);
      trade_and_wait_tick (f, code, hx_ticks_from (info.base, 1), 1);
    }

  /* Subscribing again sends nothing; unsubscribing sends one REMOVE per group touched. */
  kiwoom_socket_subscribe (f->socket, (const char * const *) codes->pdata);
  g_assert_cmpuint (stats (f).reg_sent, ==, SESSION_REGS + 3);
  {
    const char *gone[] = { g_ptr_array_index (codes, 5), g_ptr_array_index (codes, 150), NULL };
    HxSymbolInfo info;

    kiwoom_socket_unsubscribe (f->socket, gone);
    g_assert_cmpuint (stats (f).remove_sent, ==, 2);
    hx_symbol_info (f->server, gone[0], &info);
    hx_pump (200);
    assert_no_tick_for (f, gone[0], hx_ticks_from (info.base, 2));

    /* A new code fills the hole in group 1 instead of opening group 4. */
    kiwoom_socket_subscribe (f->socket, gone);
    wait_reg_acked (f, SESSION_REGS + 5);
    g_assert_cmpuint (stats (f).reg_sent, ==, SESSION_REGS + 5);
    trade_and_wait_tick (f, gone[0], hx_ticks_from (info.base, 3), 1);
  }

  fixture_free (f);
}

static gboolean
reg_refused (gpointer data)
{
  Fixture *f = data;

  return stats (f).reg_failed > 0 && f->problems->len > 0;
}

static void
test_reg_refused (void)
{
  Fixture *f = fixture_new ("--max-reg-items", "5", NULL);
  const char *codes[] = { "005930", "000660", "373220", "207940", "005380", "000270",
                          "068270", "035420", NULL };
  KiwoomSocketStats s;

  start_online (f);
  kiwoom_socket_subscribe (f->socket, codes);
  if (!hx_iterate_until (reg_refused, f, WAIT_MS))
    hx_fail ("the refused REG was not reported within %d ms", WAIT_MS);
  s = stats (f);
  g_assert_cmpuint (s.reg_sent, ==, SESSION_REGS + 1);
  g_assert_cmpuint (s.reg_failed, ==, 1);
  g_assert_cmpuint (s.reg_acked, ==, SESSION_REGS);
  g_assert_true (has_problem (f, HOGA_BROKER_ERROR_REJECTED));
  g_assert_nonnull (strstr (((GError *) g_ptr_array_index (f->problems, 0))->message,
                            "등록 종목수 초과"));
  g_assert_true (is_online (f));

  fixture_free (f);
}

/* ---- conditions -------------------------------------------------------------------- */

static void
test_condition_list (void)
{
  Fixture *f = fixture_new (NULL, NULL);
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(HxWs) ws = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *token = NULL;
  JsonArray *rows;

  start_online (f);
  infos = list_conditions (f);

  /* The exchange's own answer, read by an independent client under another app key. */
  token = hx_issue_token (f->server, "hx-other-appkey");
  ws = hx_ws_connect (f->server, TRUE);
  hx_ws_login (ws, token);
  hx_ws_send (ws, "{\"trnm\":\"CNSRLST\"}");
  reply = hx_ws_wait_trnm (ws, "CNSRLST", HX_WAIT_MS);
  rows = hx_array (reply, "data");

  g_assert_cmpuint (infos->len, >, 0);
  g_assert_cmpuint (infos->len, ==, json_array_get_length (rows));
  for (guint i = 0; i < infos->len; i++)
    {
      HogaConditionInfo *info = g_ptr_array_index (infos, i);
      JsonArray *row = json_array_get_array_element (rows, i);

      g_assert_cmpstr (info->seq, ==, json_array_get_string_element (row, 0));
      g_assert_cmpstr (info->name, ==, json_array_get_string_element (row, 1));
    }
  g_assert_cmpint (kiwoom_socket_get_latency_us (f->socket), >=, 0);
  g_assert_true (is_online (f));

  fixture_free (f);
}

static void
test_condition_realtime (void)
{
  Fixture *f = fixture_new (NULL, NULL);
  g_auto(GStrv) snapshot = NULL;
  g_auto(GStrv) members = NULL;
  HogaConditionEvent event;
  guint from;

  start_online (f);
  force_condition (f, "1", HX_CODE_A, TRUE);
  force_condition (f, "1", HX_CODE_B, TRUE);

  /* No CNSRLST on this connection yet: the socket sends one first. */
  snapshot = start_condition (f, "1");
  g_assert_no_error (f->error);
  g_assert_nonnull (snapshot);
  g_assert_cmpuint (g_strv_length (snapshot), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) snapshot, HX_CODE_A));
  g_assert_true (g_strv_contains ((const char * const *) snapshot, HX_CODE_B));
  /* The snapshot is returned, not reported as events. */
  g_assert_cmpuint (f->conditions->len, ==, 0);

  from = f->conditions->len;
  force_condition (f, "1", "035420", TRUE);
  event = wait_condition_event (f, from, "035420", TRUE, FALSE);
  g_assert_cmpstr (event.seq, ==, "1");
  g_assert_cmpint (event.received_us, >, 0);

  force_condition (f, "1", HX_CODE_A, FALSE);
  event = wait_condition_event (f, from, HX_CODE_A, FALSE, FALSE);
  g_assert_cmpstr (event.seq, ==, "1");

  members = kiwoom_socket_dup_condition_members (f->socket, "1");
  g_assert_nonnull (members);
  g_assert_cmpuint (g_strv_length (members), ==, 2);
  g_assert_cmpstr (members[0], ==, HX_CODE_B);
  g_assert_cmpstr (members[1], ==, "035420");

  /* Starting it again answers from what the socket knows. */
  g_strfreev (snapshot);
  snapshot = start_condition (f, "1");
  g_assert_no_error (f->error);
  g_assert_cmpuint (g_strv_length (snapshot), ==, 2);

  kiwoom_socket_stop_condition (f->socket, "1");
  g_assert_null (kiwoom_socket_dup_condition_members (f->socket, "1"));
  hx_pump (200);
  from = f->conditions->len;
  force_condition (f, "1", "005380", TRUE);
  hx_pump (HX_QUIET_MS);
  g_assert_cmpuint (f->conditions->len, ==, from);

  /* An unknown condition is refused with the broker's reason. */
  g_strfreev (snapshot);
  snapshot = start_condition (f, "999");
  g_assert_null (snapshot);
  g_assert_error (f->error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_REJECTED);
  g_assert_null (kiwoom_socket_dup_condition_members (f->socket, "999"));
  g_assert_true (is_online (f));

  fixture_free (f);
}

static void
test_condition_limit (void)
{
  Fixture *f = fixture_new (NULL, NULL);
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) second = NULL;
  g_auto(GStrv) third = NULL;

  g_object_set (f->socket, "max-conditions", 2, NULL);
  start_online (f);

  first = start_condition (f, "0");
  g_assert_no_error (f->error);
  second = start_condition (f, "1");
  g_assert_no_error (f->error);
  third = start_condition (f, "2");
  g_assert_null (third);
  g_assert_error (f->error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_INVALID);
  g_assert_nonnull (strstr (f->error->message, "2"));

  /* Stopping one makes room. */
  kiwoom_socket_stop_condition (f->socket, "0");
  third = start_condition (f, "2");
  g_assert_no_error (f->error);
  g_assert_nonnull (third);

  fixture_free (f);
}

/* ---- account events ---------------------------------------------------------------- */

typedef struct {
  Fixture    *f;
  const char *ord_no;
  gboolean    filled;
} OrderSearch;

static gboolean
order_seen (gpointer data)
{
  OrderSearch *search = data;
  gboolean received = FALSE;
  gboolean filled = FALSE;

  for (guint i = 0; i < search->f->orders->len; i++)
    {
      HogaOrderEvent *event = &g_array_index (search->f->orders, HogaOrderEvent, i);

      if (strcmp (event->ord_no, search->ord_no) != 0)
        continue;
      received |= event->status == HOGA_ORDER_STATUS_RECEIVED;
      filled |= event->status == HOGA_ORDER_STATUS_FILLED && event->unfilled_qty == 0;
    }
  return received && filled && search->f->balances->len > 0;
}

static void
test_account_events (void)
{
  Fixture *f = fixture_new (NULL, NULL);
  g_autoptr(HxReply) reply = NULL;
  gint64 filled = 0;
  OrderSearch search = { f, NULL, FALSE };
  HogaBalanceEvent *balance = NULL;

  /* 00 and 04 need no REG: nothing is subscribed here. */
  start_online (f);
  reply = hx_tr (f->server, "kt10000", "/api/dostk/ordr",
                 "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"" HX_CODE_A "\",\"ord_qty\":\"3\","
                 "\"ord_uv\":\"\",\"trde_tp\":\"3\",\"cond_uv\":\"\"}");
  hx_assert_ok (reply);
  search.ord_no = hx_str (reply->object, "ord_no");

  if (!hx_iterate_until (order_seen, &search, WAIT_MS))
    hx_fail ("no 접수 + full 체결 ::order-event and ::balance-event for order %s "
             "(%u order events, %u balance events)", search.ord_no, f->orders->len,
             f->balances->len);

  for (guint i = 0; i < f->orders->len; i++)
    {
      HogaOrderEvent *event = &g_array_index (f->orders, HogaOrderEvent, i);

      if (strcmp (event->ord_no, search.ord_no) != 0)
        continue;
      g_assert_cmpstr (event->code, ==, HX_CODE_A);
      g_assert_cmpint (event->side, ==, HOGA_SIDE_BUY);
      g_assert_cmpint (event->kind, ==, HOGA_ORDER_KIND_NEW);
      g_assert_cmpint (event->order_qty, ==, 3);
      if (event->status == HOGA_ORDER_STATUS_FILLED)
        {
          g_assert_cmpint (event->fill_price, >, 0);
          filled += event->fill_qty;
        }
    }
  g_assert_cmpint (filled, ==, 3);

  for (guint i = 0; i < f->balances->len; i++)
    if (strcmp (g_array_index (f->balances, HogaBalanceEvent, i).code, HX_CODE_A) == 0)
      balance = &g_array_index (f->balances, HogaBalanceEvent, i);
  g_assert_nonnull (balance);
  g_assert_cmpint (balance->qty, ==, 3);
  g_assert_cmpint (balance->avg_price, >, 0);

  fixture_free (f);
}

/* ---- faults ------------------------------------------------------------------------ */

static gboolean
rearmed (gpointer data)
{
  Fixture *f = data;

  return f->n_rearmed > 0;
}

static void
test_reconnect_rearms (void)
{
  Fixture *f = fixture_new (NULL, NULL);
  g_auto(GStrv) snapshot = NULL;
  g_auto(GStrv) members = NULL;
  HxSymbolInfo info;
  KiwoomSocketStats s;
  guint from;

  hx_symbol_info (f->server, HX_CODE_A, &info);
  start_online (f);
  subscribe_one (f, HX_CODE_A);
  force_condition (f, "1", HX_CODE_B, TRUE);
  force_condition (f, "1", "005380", TRUE);
  snapshot = start_condition (f, "1");
  g_assert_no_error (f->error);
  g_assert_cmpuint (g_strv_length (snapshot), ==, 2);

  /* Membership changes while the connection is down reach no one: the test blocks the
   * main loop through these commands, so the socket cannot reconnect in between. */
  from = f->conditions->len;
  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"drop-ws\"}");
  force_condition (f, "1", "035420", TRUE);
  force_condition (f, "1", HX_CODE_B, FALSE);

  if (!hx_iterate_until (rearmed, f, WAIT_MS))
    hx_fail ("no ::rearmed within %d ms (state %s)", WAIT_MS,
             hoga_connection_state_to_string (kiwoom_socket_get_state (f->socket)));
  g_assert_cmpuint (f->n_rearmed, ==, 1);
  g_assert_true (saw_state (f, HOGA_CONNECTION_RECONNECTING));
  g_assert_true (is_online (f));

  /* The differences came as snapshot events, before ::rearmed. */
  wait_condition_event (f, from, "035420", TRUE, TRUE);
  wait_condition_event (f, from, HX_CODE_B, FALSE, TRUE);
  g_assert_cmpuint (f->conditions->len, ==, from + 2);
  members = kiwoom_socket_dup_condition_members (f->socket, "1");
  g_assert_cmpuint (g_strv_length (members), ==, 2);
  g_assert_cmpstr (members[0], ==, "005380");
  g_assert_cmpstr (members[1], ==, "035420");

  s = stats (f);
  g_assert_cmpuint (s.connects, ==, 2);
  g_assert_cmpuint (s.logins, ==, 2);
  /* One code group and the session group, on each of the two logins. */
  g_assert_cmpuint (s.reg_acked, ==, 2 * (SESSION_REGS + 1));
  g_assert_cmpint (status_int (f, "logged_in"), ==, 1);

  /* Registration and the condition are live on the new connection. */
  trade_and_wait_tick (f, HX_CODE_A, hx_ticks_from (info.base, 1), 1);
  from = f->conditions->len;
  force_condition (f, "1", "000270", TRUE);
  wait_condition_event (f, from, "000270", TRUE, FALSE);

  fixture_free (f);
}

/* ---- random disconnects ---------------------------------------------------------- */

typedef struct {
  Fixture    *f;
  GHashTable *expected;
  guint       rearms;
} Replay;

/* The members the engine would know from replaying every event the socket emitted. */
static GHashTable *
replay_members (Fixture *f)
{
  GHashTable *members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < f->conditions->len; i++)
    {
      const HogaConditionEvent *event = &g_array_index (f->conditions, HogaConditionEvent, i);

      if (!g_str_equal (event->seq, "1"))
        continue;
      if (event->inserted)
        g_hash_table_add (members, g_strdup (event->code));
      else
        g_hash_table_remove (members, event->code);
    }
  return members;
}

static gboolean
same_set (GHashTable *a,
          GHashTable *b)
{
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (!g_hash_table_contains (b, key))
        return FALSE;
    }
  return TRUE;
}

static gboolean
replay_settled (gpointer data)
{
  Replay *replay = data;
  g_autoptr(GHashTable) seen = NULL;
  g_auto(GStrv) members = NULL;
  g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);

  if (replay->f->n_rearmed < replay->rearms || !is_online (replay->f))
    return FALSE;

  seen = replay_members (replay->f);
  members = kiwoom_socket_dup_condition_members (replay->f->socket, "1");
  for (guint i = 0; members != NULL && members[i] != NULL; i++)
    g_hash_table_add (known, members[i]);
  return same_set (seen, replay->expected) && same_set (known, replay->expected);
}

static void
toggle_random_member (Fixture    *f,
                      GHashTable *expected)
{
  static const char * const pool[] = {
    HX_CODE_B, "005380", "035420", "000270", "068270", "051910",
  };
  const char *code = pool[g_test_rand_int_range (0, G_N_ELEMENTS (pool))];
  gboolean inserted = !g_hash_table_contains (expected, code);

  force_condition (f, "1", code, inserted);
  if (inserted)
    g_hash_table_add (expected, (gpointer) code);
  else
    g_hash_table_remove (expected, code);
}

/* Drops at random moments, with membership changes before, during and after each outage:
 * after every re-arm, replaying the events the socket emitted (realtime and snapshot
 * differences) gives exactly the exchange's members, and the registered code still ticks.
 * Reproduce a failure with the --seed that g_test printed. */
static void
test_random_disconnects (void)
{
  Fixture *f = fixture_new (NULL, NULL);
  g_autoptr(GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) snapshot = NULL;
  Replay replay = { f, expected, 0 };
  HxSymbolInfo info;

  hx_symbol_info (f->server, HX_CODE_A, &info);
  f->dead_sessions = TRUE;
  start_online (f);
  subscribe_one (f, HX_CODE_A);
  snapshot = start_condition (f, "1");
  g_assert_no_error (f->error);
  g_assert_cmpuint (g_strv_length (snapshot), ==, 0);

  for (guint round = 1; round <= 8; round++)
    {
      guint before = g_test_rand_int_range (0, 4);
      guint during = g_test_rand_int_range (0, 4);
      guint after = g_test_rand_int_range (0, 3);

      for (guint i = 0; i < before; i++)
        {
          toggle_random_member (f, expected);
          hx_pump (g_test_rand_int_range (0, 40));
        }
      hx_pump (g_test_rand_int_range (0, 100));

      hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"drop-ws\"}");
      for (guint i = 0; i < during; i++)
        toggle_random_member (f, expected);

      /* Somewhere in the reconnect, the login or the re-arm. */
      hx_pump (g_test_rand_int_range (0, 3 * BACKOFF_MIN_MS));
      for (guint i = 0; i < after; i++)
        toggle_random_member (f, expected);

      replay.rearms = round;
      if (!hx_iterate_until (replay_settled, &replay, 2 * WAIT_MS))
        hx_fail ("round %u: after the re-arm the members differ from the exchange's "
                 "(%u expected, %u rearms, state %s)", round, g_hash_table_size (expected),
                 f->n_rearmed, hoga_connection_state_to_string (kiwoom_socket_get_state (f->socket)));
      trade_and_wait_tick (f, HX_CODE_A, hx_ticks_from (info.base, 1 + (round % 3)), 1);
    }

  g_assert_cmpuint (stats (f).connects, ==, 9);
  fixture_free (f);
}

static gboolean
watchdog_fired (gpointer data)
{
  return stats (data).watchdog_timeouts > 0;
}

static void
watchdog_test (const char *fault)
{
  Fixture *f = fixture_new ("--ping-interval", "0.2", NULL);
  HxSymbolInfo info;
  guint connects;

  f->dead_sessions = TRUE;

  hx_symbol_info (f->server, HX_CODE_A, &info);
  start_online (f);
  subscribe_one (f, HX_CODE_A);
  hx_pump (2 * WATCHDOG_MS);
  g_assert_cmpuint (stats (f).watchdog_timeouts, ==, 0);

  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"%s\",\"on\":true}", fault);
  if (!hx_iterate_until (watchdog_fired, f, 3 * WATCHDOG_MS))
    hx_fail ("the watchdog did not fire within %d ms of %s", 3 * WATCHDOG_MS, fault);
  g_assert_true (saw_state (f, HOGA_CONNECTION_RECONNECTING));

  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"%s\",\"on\":false}", fault);
  if (!hx_iterate_until (rearmed, f, 3 * WATCHDOG_MS + WAIT_MS))
    hx_fail ("not re-armed after %s ended", fault);
  connects = stats (f).connects;
  g_assert_cmpuint (connects, >=, 2);

  /* Healthy again: no more reconnects, and the registration is back. */
  trade_and_wait_tick (f, HX_CODE_A, hx_ticks_from (info.base, 1), 1);
  hx_pump (2 * WATCHDOG_MS);
  g_assert_cmpuint (stats (f).connects, ==, connects);
  g_assert_true (is_online (f));
  g_assert_cmpint (status_int (f, "logged_in"), ==, 1);

  fixture_free (f);
}

static void
test_watchdog_stop_pings (void)
{
  watchdog_test ("stop-pings");
}

static void
test_watchdog_ws_silent (void)
{
  watchdog_test ("ws-silent");
}

typedef struct {
  Fixture *f;
  guint    login_timeouts;
} LoginTimeouts;

static gboolean
reached_login_timeouts (gpointer data)
{
  LoginTimeouts *want = data;

  return stats (want->f).login_timeouts >= want->login_timeouts;
}

/* A server that takes connections and drops what it reads (ws-silent) is tried again
 * after login-timeout-ms, well before the watchdog: when it is back, the session is back
 * within one short LOGIN wait. */
static void
test_login_unanswered_retried_quickly (void)
{
  Fixture *f = fixture_new ("--login-timeout", "60", NULL);
  LoginTimeouts want = { f, 3 };
  KiwoomSocketStats s;

  /* A watchdog out of reach: only the LOGIN timeout can bring the reconnects. */
  g_object_set (f->socket, "login-timeout-ms", 150, "watchdog-ms", 20 * WAIT_MS, NULL);
  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"ws-silent\",\"on\":true}");
  kiwoom_socket_start (f->socket);
  if (!hx_iterate_until (reached_login_timeouts, &want, WAIT_MS))
    hx_fail ("%u LOGIN timeouts within %d ms, not %u", stats (f).login_timeouts, WAIT_MS,
             want.login_timeouts);
  g_assert_true (saw_state (f, HOGA_CONNECTION_RECONNECTING));

  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"ws-silent\",\"on\":false}");
  wait_online (f);

  s = stats (f);
  g_assert_cmpuint (s.watchdog_timeouts, ==, 0);
  g_assert_cmpuint (s.connects, ==, s.login_timeouts + 1);
  g_assert_cmpuint (s.logins, ==, 1);
  g_assert_cmpuint (s.login_failures, ==, 0);
  g_assert_cmpuint (f->problems->len, ==, 0);
  g_assert_cmpint (status_int (f, "logged_in"), ==, 1);

  fixture_free (f);
}

/* A server only slow to answer LOGIN is not hammered: after ten quick tries the socket
 * waits the whole watchdog for an answer. */
static void
test_login_unanswered_patience (void)
{
  Fixture *f = fixture_new ("--login-timeout", "60", NULL);
  LoginTimeouts want = { f, 10 };
  guint connects;

  /* The eleventh LOGIN and the watchdog end at about the same time. */
  f->dead_sessions = TRUE;
  g_object_set (f->socket, "login-timeout-ms", 100, NULL);
  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"ws-silent\",\"on\":true}");
  kiwoom_socket_start (f->socket);
  if (!hx_iterate_until (reached_login_timeouts, &want, 2 * WAIT_MS))
    hx_fail ("%u LOGIN timeouts within %d ms, not %u", stats (f).login_timeouts,
             2 * WAIT_MS, want.login_timeouts);

  /* The eleventh LOGIN waits WATCHDOG_MS: at most that one connection in a time that
   * held four or more of the quick tries. */
  connects = stats (f).connects;
  hx_pump (WATCHDOG_MS / 2);
  g_assert_cmpuint (stats (f).connects, <=, connects + 1);
  g_assert_cmpuint (stats (f).login_timeouts, ==, 10);

  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"ws-silent\",\"on\":false}");
  wait_online (f);
  g_assert_cmpuint (stats (f).logins, ==, 1);
  g_assert_cmpuint (f->problems->len, ==, 0);

  fixture_free (f);
}

static void
test_kicked (void)
{
  Fixture *f = fixture_new (NULL, NULL);
  g_autoptr(HxWs) ws = NULL;
  GError *problem = NULL;

  start_online (f);

  /* Another program logs in with the same app key. */
  ws = hx_ws_connect (f->server, TRUE);
  hx_ws_login (ws, hx_token (f->server));
  if (!hx_iterate_until (is_offline, f, WAIT_MS))
    hx_fail ("still %s %d ms after another session logged in",
             hoga_connection_state_to_string (kiwoom_socket_get_state (f->socket)), WAIT_MS);
  g_assert_cmpuint (f->problems->len, ==, 1);
  problem = g_ptr_array_index (f->problems, 0);
  g_assert_error (problem, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_KICKED);
  g_assert_nonnull (strstr (problem->message, "동일한 App key"));

  /* No fight over the session: the other one stays logged in. */
  hx_pump (5 * BACKOFF_MAX_MS);
  g_assert_cmpuint (stats (f).connects, ==, 1);
  g_assert_cmpint (kiwoom_socket_get_state (f->socket), ==, HOGA_CONNECTION_OFFLINE);
  g_assert_cmpint (status_int (f, "logged_in"), ==, 1);
  g_assert_false (ws->closed);

  fixture_free (f);
}

static gboolean
connected_once (gpointer data)
{
  return stats (data).connects >= 1;
}

static gboolean
network_problem (gpointer data)
{
  return has_problem (data, HOGA_BROKER_ERROR_NETWORK);
}

static void
test_system_before_login_ack (void)
{
  Fixture *f = fixture_new ("--login-timeout", "0.3", NULL);
  GError *problem;

  /* A silent exchange drops what it receives: the LOGIN goes unanswered, and once the
   * exchange speaks again its reminder (SYSTEM R10004) comes before any LOGIN ack. */
  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"ws-silent\",\"on\":true}");
  kiwoom_socket_start (f->socket);
  if (!hx_iterate_until (connected_once, f, WAIT_MS))
    hx_fail ("no WebSocket connection within %d ms", WAIT_MS);
  /* Long enough for the LOGIN to reach the exchange while it is still silent. */
  hx_pump (100);
  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"ws-silent\",\"on\":false}");

  if (!hx_iterate_until (network_problem, f, WAIT_MS))
    hx_fail ("R10004 was not reported within %d ms", WAIT_MS);
  problem = g_ptr_array_index (f->problems, 0);
  g_assert_nonnull (strstr (problem->message, "R10004"));
  wait_online (f);

  g_assert_cmpuint (stats (f).connects, ==, 2);
  g_assert_cmpuint (stats (f).login_failures, ==, 0);
  g_assert_cmpuint (stats (f).watchdog_timeouts, ==, 0);
  g_assert_cmpint (status_int (f, "logged_in"), ==, 1);

  fixture_free (f);
}

static void
test_ping_before_login_ack (void)
{
  Fixture *f = fixture_new ("--login-timeout", "60", NULL);

  /* The LOGIN reaches a silent exchange and is dropped; PINGs follow once it speaks
   * again. They are answered, and the unanswered LOGIN (not the PINGs) decides that
   * the session is dead. */
  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"ws-silent\",\"on\":true}");
  kiwoom_socket_start (f->socket);
  if (!hx_iterate_until (connected_once, f, WAIT_MS))
    hx_fail ("no WebSocket connection within %d ms", WAIT_MS);
  hx_pump (100);
  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"ws-silent\",\"on\":false}");
  wait_online (f);

  g_assert_cmpuint (f->pings_when_online, >=, 2);
  g_assert_cmpuint (stats (f).connects, ==, 2);
  g_assert_cmpuint (stats (f).logins, ==, 1);
  g_assert_cmpuint (stats (f).login_failures, ==, 0);
  g_assert_cmpuint (f->problems->len, ==, 0);
  g_assert_cmpint (status_int (f, "logged_in"), ==, 1);

  fixture_free (f);
}

typedef struct {
  const char *kind;
  guint       malformed;
  guint       rejected;
  guint       unknown;
} MalformedCase;

static void
test_malformed (void)
{
  static const MalformedCase cases[] = {
    { "truncated", 1, 0, 0 },
    { "not-json", 1, 0, 0 },
    { "wrong-types", 0, 1, 0 },
    { "unknown-type", 0, 0, 1 },
    { "binary", 1, 0, 0 },
    { "empty-data", 0, 0, 0 },
    { "missing-values", 0, 1, 0 },
  };
  Fixture *f = fixture_new (NULL, NULL);
  HxSymbolInfo info;

  hx_symbol_info (f->server, HX_CODE_A, &info);
  start_online (f);
  subscribe_one (f, HX_CODE_A);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KiwoomSocketStats before = stats (f);
      KiwoomSocketStats after;
      guint ticks = f->ticks->len;

      g_test_message ("malformed kind %s", cases[i].kind);
      hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"malformed\",\"kind\":\"%s\"}",
                  cases[i].kind);
      /* The tick after it proves the frame was read and the session survived. */
      trade_and_wait_tick (f, HX_CODE_A, hx_ticks_from (info.base, (int) i % 3 + 1), 1);

      after = stats (f);
      g_assert_cmpuint (after.malformed - before.malformed, ==, cases[i].malformed);
      g_assert_cmpuint (after.rejected - before.rejected, ==, cases[i].rejected);
      g_assert_cmpuint (after.unknown - before.unknown, ==, cases[i].unknown);
      /* Nothing but the scripted trade became a tick. */
      g_assert_cmpuint (f->ticks->len, ==, ticks + 1);
      g_assert_cmpuint (after.connects, ==, 1);
      g_assert_true (is_online (f));
    }
  g_assert_cmpuint (f->problems->len, ==, 0);

  fixture_free (f);
}

static gboolean
session_arrived (gpointer data)
{
  Fixture *f = data;

  return f->sessions->len > 0;
}

/* 0s is market-wide: it arrives only because the socket registers item [""] for it. */
static void
test_session_event (void)
{
  Fixture *f = fixture_new (NULL, NULL);
  const HogaSessionEvent *event;

  start_online (f);
  hx_command (f->server, "{\"cmd\":\"session-event\",\"code\":\"3\"}");
  if (!hx_iterate_until (session_arrived, f, WAIT_MS))
    hx_fail ("no 0s session event within %d ms", WAIT_MS);

  event = &g_array_index (f->sessions, HogaSessionEvent, 0);
  g_assert_cmpstr (event->code, ==, "3");
  g_assert_cmpint (event->received_us, >, 0);
  g_assert_cmpuint (stats (f).reg_failed, ==, 0);

  fixture_free (f);
}

static gboolean
ticks_arrived (gpointer data)
{
  Fixture *f = data;

  return f->ticks->len > 0;
}

static void
test_huge_frame (void)
{
  Fixture *f = fixture_new (NULL, NULL);
  guint64 frames;

  start_online (f);
  frames = data_frames (f);
  g_assert_cmpuint (f->ticks->len, ==, 0);

  /* About 1 MiB of 0B entries in one frame, eight times libsoup's default limit. */
  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"malformed\",\"kind\":\"huge\"}");
  if (!hx_iterate_until (ticks_arrived, f, WAIT_MS))
    hx_fail ("the 1 MiB frame did not arrive within %d ms", WAIT_MS);

  g_assert_cmpuint (data_frames (f), ==, frames + 1);
  g_assert_cmpuint (f->ticks->len, >, 1000);
  g_assert_cmpstr (g_array_index (f->ticks, HogaTick, 0).code, ==, HX_CODE_A);
  g_assert_cmpstr (g_array_index (f->ticks, HogaTick, f->ticks->len - 1).code, ==, HX_CODE_A);
  g_assert_cmpuint (stats (f).connects, ==, 1);
  g_assert_cmpuint (stats (f).malformed, ==, 0);
  g_assert_true (is_online (f));

  fixture_free (f);
}

static void
test_token_refresh_on_login (void)
{
  Fixture *f = fixture_new (NULL, NULL);
  HxSymbolInfo info;
  KiwoomSocketStats s;
  guint issues;

  hx_symbol_info (f->server, HX_CODE_A, &info);
  start_online (f);
  subscribe_one (f, HX_CODE_A);
  issues = kiwoom_rest_get_n_token_issues (f->rest);

  /* The cached token is now refused: the reconnect's LOGIN fails once. */
  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"invalidate-tokens\"}");
  hx_command (f->server, "{\"cmd\":\"fault\",\"name\":\"drop-ws\"}");
  if (!hx_iterate_until (rearmed, f, WAIT_MS))
    hx_fail ("not back online with a fresh token");

  s = stats (f);
  g_assert_cmpuint (s.login_failures, ==, 1);
  g_assert_cmpuint (s.logins, ==, 2);
  g_assert_cmpuint (kiwoom_rest_get_n_token_issues (f->rest), ==, issues + 1);
  g_assert_false (has_problem (f, HOGA_BROKER_ERROR_AUTH));
  trade_and_wait_tick (f, HX_CODE_A, hx_ticks_from (info.base, 1), 1);

  fixture_free (f);
}

int
main (int   argc,
      char *argv[])
{
  hx_test_init (&argc, &argv);

  hx_test_add ("/broker/socket/login", test_login);
  hx_test_add ("/broker/socket/pings-keep-alive", test_pings_keep_alive);
  hx_test_add ("/broker/socket/not-connected", test_not_connected);
  hx_test_add ("/broker/socket/stop", test_stop);
  hx_test_add ("/broker/socket/real/tick", test_tick);
  hx_test_add ("/broker/socket/real/several-entries-per-frame", test_several_entries_per_frame);
  hx_test_add ("/broker/socket/real/account-events", test_account_events);
  hx_test_add ("/broker/socket/real/session-event", test_session_event);
  hx_test_add ("/broker/socket/reg/groups", test_reg_groups);
  hx_test_add ("/broker/socket/reg/refused", test_reg_refused);
  hx_test_add ("/broker/socket/condition/list", test_condition_list);
  hx_test_add ("/broker/socket/condition/realtime", test_condition_realtime);
  hx_test_add ("/broker/socket/condition/limit", test_condition_limit);
  hx_test_add ("/broker/socket/fault/reconnect-rearms", test_reconnect_rearms);
  hx_test_add ("/broker/socket/fault/random-disconnects", test_random_disconnects);
  hx_test_add ("/broker/socket/fault/watchdog-stop-pings", test_watchdog_stop_pings);
  hx_test_add ("/broker/socket/fault/watchdog-ws-silent", test_watchdog_ws_silent);
  hx_test_add ("/broker/socket/fault/login-unanswered-retried-quickly",
               test_login_unanswered_retried_quickly);
  hx_test_add ("/broker/socket/fault/login-unanswered-patience", test_login_unanswered_patience);
  hx_test_add ("/broker/socket/fault/kicked", test_kicked);
  hx_test_add ("/broker/socket/fault/ping-before-login-ack", test_ping_before_login_ack);
  hx_test_add ("/broker/socket/fault/system-before-login-ack", test_system_before_login_ack);
  hx_test_add ("/broker/socket/fault/malformed", test_malformed);
  hx_test_add ("/broker/socket/fault/huge-frame", test_huge_frame);
  hx_test_add ("/broker/socket/fault/token-refresh", test_token_refresh_on_login);

  return g_test_run ();
}
