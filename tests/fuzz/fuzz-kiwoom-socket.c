/* fuzz-kiwoom-socket.c — libFuzzer target: KiwoomSocket driven by a sequence of frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a script, one step a line. A line that starts with '!' is something the
 * client or the network does:
 *
 *   !connect                a connection attempt succeeds (the socket is started first if
 *                           it is not running): LOGIN goes out
 *   !close                  the server closes the newest connection
 *   !expire                 the oldest request in flight times out
 *   !socket-start, !socket-stop
 *   !sub CODE…, !unsub CODE…
 *   !list                   kiwoom_socket_list_conditions_async()
 *   !cond-start SEQ, !cond-stop SEQ
 *   !binary BYTES           a binary frame
 *   !reenter N              handlers call back into the socket (bit mask, see Reenter)
 *   !group-size N, !max-conditions N
 *
 * Any other line is a text frame from the server: LOGIN, PING, REG, REMOVE, CNSR*, SYSTEM
 * and REAL frames, well-formed or not. The connection runs over a pipe nobody writes to
 * and a memory buffer, so no frame comes from anywhere but the script, and no timer fires
 * unless the script says so. After every step the socket must be consistent
 * (kiwoom_socket_assert_consistent() and its public view: counters, subscriptions); every
 * signal and async result must be well-formed; at the end, once stopped, every async call
 * has completed and nothing leaks.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib-unix.h>

#include "fuzz-glib.h"
#include "kiwoom-socket-private.h"

#define MAX_STEPS 256

/* What handlers do to the socket while it calls them. */
typedef enum {
  REENTER_STOP_ON_PROBLEM  = 1 << 0,
  REENTER_STOP_WHEN_ONLINE = 1 << 1,
  REENTER_START_ON_ERROR   = 1 << 2,  /* an async call that failed restarts the socket */
  REENTER_STOP_CONDITION   = 1 << 3,  /* a condition event stops its condition */
  REENTER_STOP_ON_REARMED  = 1 << 4,
} Reenter;

typedef struct {
  KiwoomRest        *rest;
  KiwoomSocket      *socket;
  GPtrArray         *conns;      /* SoupWebsocketConnection, every one made */
  GArray            *pipe_fds;   /* the write ends of their input pipes */
  GHashTable        *seqs;       /* every seq the script started */
  guint              reenter;
  guint              calls;      /* async calls not completed yet */
  int                state;
  KiwoomSocketStats  stats;
} Harness;

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check (gboolean    ok,
       const char *what)
{
  if (!ok)
    g_error ("inconsistent WebSocket session: %s", what);
}

static void
check_code (const char *code)
{
  char normalized[HOGA_CODE_SIZE];

  check (memchr (code, '\0', HOGA_CODE_SIZE) != NULL, "code is not NUL-terminated");
  check (hoga_code_normalize (code, -1, normalized) && g_str_equal (normalized, code),
         "code is not normalised");
}

static void
drain (void)
{
  guint n = 0;

  while (g_main_context_iteration (NULL, FALSE))
    check (++n < 10000, "the main context never goes idle");
}

/* ---- signals and async results -------------------------------------------------------- */

static void
state_cb (KiwoomSocket *socket,
          GParamSpec   *pspec,
          Harness      *h)
{
  int state = kiwoom_socket_get_state (socket);

  check (state != h->state, "state notified without a change");
  check (state >= HOGA_CONNECTION_OFFLINE && state <= HOGA_CONNECTION_RECONNECTING, "state");
  h->state = state;
  if ((h->reenter & REENTER_STOP_WHEN_ONLINE) && state == HOGA_CONNECTION_ONLINE)
    kiwoom_socket_stop (socket);
}

static void
problem_cb (KiwoomSocket *socket,
            GError       *error,
            Harness      *h)
{
  check (error != NULL && error->domain == HOGA_BROKER_ERROR, "problem domain");
  check (error->code == HOGA_BROKER_ERROR_KICKED || error->code == HOGA_BROKER_ERROR_AUTH
         || error->code == HOGA_BROKER_ERROR_REJECTED
         || error->code == HOGA_BROKER_ERROR_NETWORK
         || error->code == HOGA_BROKER_ERROR_OUTCOME_UNKNOWN, "problem code");
  check (g_utf8_validate (error->message, -1, NULL), "problem message is not UTF-8");
  if (h->reenter & REENTER_STOP_ON_PROBLEM)
    kiwoom_socket_stop (socket);
}

static void
condition_event_cb (KiwoomSocket       *socket,
                    HogaConditionEvent *event,
                    Harness            *h)
{
  check (memchr (event->seq, '\0', sizeof event->seq) != NULL && event->seq[0] != '\0',
         "condition event seq");
  check_code (event->code);
  if (h->reenter & REENTER_STOP_CONDITION)
    kiwoom_socket_stop_condition (socket, event->seq);
}

static void
tick_cb (KiwoomSocket *socket,
         HogaTick     *tick,
         Harness      *h)
{
  check_code (tick->code);
  check (tick->price >= 0, "tick price");
}

static void
depth_cb (KiwoomSocket *socket,
          HogaDepth    *depth,
          Harness      *h)
{
  check_code (depth->code);
}

static void
rearmed_cb (KiwoomSocket *socket,
            Harness      *h)
{
  check (kiwoom_socket_get_state (socket) == HOGA_CONNECTION_ONLINE, "re-armed offline");
  if (h->reenter & REENTER_STOP_ON_REARMED)
    kiwoom_socket_stop (socket);
}

static void
call_failed (Harness      *h,
             const GError *error)
{
  check (error != NULL, "an async call failed without an error");
  check (error->domain == HOGA_BROKER_ERROR
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED), "async error domain");
  check (g_utf8_validate (error->message, -1, NULL), "async error is not UTF-8");
  if (h->reenter & REENTER_START_ON_ERROR)
    kiwoom_socket_start (h->socket);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Harness *h = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) infos = kiwoom_socket_list_conditions_finish (KIWOOM_SOCKET (source),
                                                                      result, &error);

  h->calls--;
  if (infos == NULL)
    {
      call_failed (h, error);
      return;
    }
  check (error == NULL, "a result and an error");
  for (guint i = 0; i < infos->len; i++)
    {
      HogaConditionInfo *info = g_ptr_array_index (infos, i);

      check (memchr (info->seq, '\0', sizeof info->seq) != NULL
             && g_utf8_validate (info->seq, -1, NULL), "condition seq is not text");
      check (memchr (info->name, '\0', sizeof info->name) != NULL
             && g_utf8_validate (info->name, -1, NULL), "condition name is not text");
    }
}

static void
start_condition_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Harness *h = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) codes = kiwoom_socket_start_condition_finish (KIWOOM_SOCKET (source), result,
                                                              &error);

  h->calls--;
  if (codes == NULL)
    {
      call_failed (h, error);
      return;
    }
  check (error == NULL, "a result and an error");
  for (guint i = 0; codes[i] != NULL; i++)
    {
      check_code (codes[i]);
      for (guint j = 0; j < i; j++)
        check (!g_str_equal (codes[i], codes[j]), "a member twice in a snapshot");
    }
}

/* ---- steps ------------------------------------------------------------------------------ */

/* A connection over a pipe nobody writes to (so libsoup never reads a frame or an end of
 * stream) and a memory buffer that takes whatever the socket sends. */
static SoupWebsocketConnection *
new_connection (Harness *h)
{
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GOutputStream) output = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GUri) uri = g_uri_parse ("ws://127.0.0.1:1/api/dostk/websocket",
                                     G_URI_FLAGS_NONE, NULL);
  SoupWebsocketConnection *conn;
  int fds[2];

  if (!g_unix_open_pipe (fds, FD_CLOEXEC, NULL))
    g_error ("no pipe");
  input = g_unix_input_stream_new (fds[0], TRUE);
  g_array_append_val (h->pipe_fds, fds[1]);
  output = g_memory_output_stream_new_resizable ();
  stream = g_simple_io_stream_new (input, output);
  conn = soup_websocket_connection_new (stream, uri, SOUP_WEBSOCKET_CONNECTION_CLIENT,
                                        NULL, NULL, NULL);
  g_ptr_array_add (h->conns, conn);
  return conn;
}

static void
check_public_view (Harness *h)
{
  KiwoomSocketStats now;
  g_auto(GStrv) codes = kiwoom_socket_dup_subscriptions (h->socket);
  GHashTableIter iter;
  gpointer seq;

  kiwoom_socket_assert_consistent (h->socket);

  kiwoom_socket_get_stats (h->socket, &now);
  check (now.frames >= h->stats.frames && now.entries >= h->stats.entries
         && now.malformed >= h->stats.malformed && now.rejected >= h->stats.rejected
         && now.unknown >= h->stats.unknown && now.unexpected >= h->stats.unexpected
         && now.pings >= h->stats.pings && now.connects >= h->stats.connects
         && now.logins >= h->stats.logins && now.login_failures >= h->stats.login_failures
         && now.reg_sent >= h->stats.reg_sent && now.reg_acked >= h->stats.reg_acked
         && now.reg_failed >= h->stats.reg_failed && now.remove_sent >= h->stats.remove_sent,
         "a counter went down");
  check (now.reg_acked + now.reg_failed <= now.reg_sent, "more REG answers than REGs");
  check (now.logins + now.login_failures <= now.connects, "more LOGIN answers than LOGINs");
  check (now.pings + now.malformed + now.unexpected <= now.frames, "frames counted twice");
  h->stats = now;

  check ((int) kiwoom_socket_get_state (h->socket) == h->state, "state changed without a notify");
  check (kiwoom_socket_get_latency_us (h->socket) >= -1, "latency");
  for (guint i = 0; codes[i] != NULL; i++)
    {
      check_code (codes[i]);
      check (i == 0 || strcmp (codes[i - 1], codes[i]) < 0, "subscriptions not sorted");
    }

  g_hash_table_iter_init (&iter, h->seqs);
  while (g_hash_table_iter_next (&iter, &seq, NULL))
    {
      g_auto(GStrv) members = kiwoom_socket_dup_condition_members (h->socket, seq);

      for (guint i = 0; members != NULL && members[i] != NULL; i++)
        {
          check_code (members[i]);
          check (i == 0 || strcmp (members[i - 1], members[i]) < 0, "members not sorted");
        }
    }
}

static char **
split_args (const char *args)
{
  char **words = g_strsplit (args, " ", 16);

  /* The API takes valid UTF-8: the client's own codes and seqs are text. */
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (!g_utf8_validate (words[i], -1, NULL))
        {
          char *valid = g_utf8_make_valid (words[i], -1);

          g_free (words[i]);
          words[i] = valid;
        }
    }
  return words;
}

static void
run_step (Harness    *h,
          const char *line,
          gsize       length)
{
  g_autofree char *text = g_strndup (line, length);
  const char *args = "";
  char *space;

  if (length == 0 || line[0] != '!')
    {
      g_autoptr(GBytes) frame = g_bytes_new (line, length);
      guint64 frames = h->stats.frames;

      if (kiwoom_socket_receive_for_testing (h->socket, SOUP_WEBSOCKET_DATA_TEXT, frame))
        {
          KiwoomSocketStats now;

          kiwoom_socket_get_stats (h->socket, &now);
          check (now.frames == frames + 1, "a frame not counted");
        }
      return;
    }

  space = strchr (text, ' ');
  if (space != NULL)
    {
      *space = '\0';
      args = space + 1;
    }

  if (g_str_equal (text, "!connect"))
    {
      if (kiwoom_socket_get_state (h->socket) == HOGA_CONNECTION_OFFLINE)
        kiwoom_socket_start (h->socket);
      if (kiwoom_socket_get_state (h->socket) != HOGA_CONNECTION_OFFLINE)
        kiwoom_socket_attach_for_testing (h->socket, new_connection (h));
    }
  else if (g_str_equal (text, "!close"))
    {
      if (h->conns->len > 0)
        g_signal_emit_by_name (g_ptr_array_index (h->conns, h->conns->len - 1), "closed");
    }
  else if (g_str_equal (text, "!expire"))
    kiwoom_socket_expire_for_testing (h->socket);
  else if (g_str_equal (text, "!socket-start"))
    kiwoom_socket_start (h->socket);
  else if (g_str_equal (text, "!socket-stop"))
    kiwoom_socket_stop (h->socket);
  else if (g_str_equal (text, "!sub") || g_str_equal (text, "!unsub"))
    {
      g_auto(GStrv) codes = split_args (args);

      if (text[1] == 's')
        kiwoom_socket_subscribe (h->socket, (const char * const *) codes);
      else
        kiwoom_socket_unsubscribe (h->socket, (const char * const *) codes);
    }
  else if (g_str_equal (text, "!list"))
    {
      h->calls++;
      kiwoom_socket_list_conditions_async (h->socket, NULL, list_cb, h);
    }
  else if (g_str_equal (text, "!cond-start") || g_str_equal (text, "!cond-stop"))
    {
      g_auto(GStrv) seq = split_args (args);

      if (g_str_equal (text, "!cond-stop"))
        kiwoom_socket_stop_condition (h->socket, seq[0] != NULL ? seq[0] : "");
      else
        {
          h->calls++;
          g_hash_table_add (h->seqs, g_strdup (seq[0] != NULL ? seq[0] : ""));
          kiwoom_socket_start_condition_async (h->socket, seq[0] != NULL ? seq[0] : "", NULL,
                                               start_condition_cb, h);
        }
    }
  else if (g_str_equal (text, "!binary"))
    {
      g_autoptr(GBytes) frame = g_bytes_new (args, strlen (args));

      kiwoom_socket_receive_for_testing (h->socket, SOUP_WEBSOCKET_DATA_BINARY, frame);
    }
  else if (g_str_equal (text, "!reenter"))
    h->reenter = (guint) g_ascii_strtoull (args, NULL, 10);
  else if (g_str_equal (text, "!group-size"))
    g_object_set (h->socket, "group-size",
                  (guint) CLAMP (g_ascii_strtoull (args, NULL, 10), 1, 10000), NULL);
  else if (g_str_equal (text, "!max-conditions"))
    g_object_set (h->socket, "max-conditions",
                  (guint) CLAMP (g_ascii_strtoull (args, NULL, 10), 1, 1000), NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Harness h = { 0 };
  const char *p = (const char *) data;
  const char *end = p + size;

  /* An address that makes no request: a token is never issued, so every attempt the
   * socket makes on its own fails at once and waits an hour to retry. */
  h.rest = kiwoom_rest_new ("invalid:", "appkey", "secretkey");
  h.socket = g_object_new (KIWOOM_TYPE_SOCKET,
                           "ws-url", "ws://127.0.0.1:1/api/dostk/websocket",
                           "rest", h.rest,
                           "watchdog-ms", 3600000,
                           "login-timeout-ms", 3600000,
                           "backoff-min-ms", 3600000,
                           "backoff-max-ms", 3600000,
                           "group-size", 2,
                           "max-conditions", 3,
                           NULL);
  h.conns = g_ptr_array_new_with_free_func (g_object_unref);
  h.pipe_fds = g_array_new (FALSE, FALSE, sizeof (int));
  h.seqs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  h.state = HOGA_CONNECTION_OFFLINE;

  g_signal_connect (h.socket, "notify::state", G_CALLBACK (state_cb), &h);
  g_signal_connect (h.socket, "problem", G_CALLBACK (problem_cb), &h);
  g_signal_connect (h.socket, "condition-event", G_CALLBACK (condition_event_cb), &h);
  g_signal_connect (h.socket, "tick", G_CALLBACK (tick_cb), &h);
  g_signal_connect (h.socket, "depth", G_CALLBACK (depth_cb), &h);
  g_signal_connect (h.socket, "rearmed", G_CALLBACK (rearmed_cb), &h);

  for (guint step = 0; p < end && step < MAX_STEPS; step++)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *line_end = newline != NULL ? newline : end;

      run_step (&h, p, line_end - p);
      drain ();
      check_public_view (&h);
      p = newline != NULL ? newline + 1 : end;
    }

  /* Stopped, every call made is answered; then nothing may be left behind. */
  h.reenter = 0;
  kiwoom_socket_stop (h.socket);
  drain ();
  check_public_view (&h);
  check (h.calls == 0, "an async call never completed");

  g_object_unref (h.socket);
  g_object_unref (h.rest);
  drain ();
  g_ptr_array_unref (h.conns);
  drain ();
  for (guint i = 0; i < h.pipe_fds->len; i++)
    close (g_array_index (h.pipe_fds, int, i));
  g_array_unref (h.pipe_fds);
  g_hash_table_unref (h.seqs);
  return 0;
}
