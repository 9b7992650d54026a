/* hx-test-fixture.c — run hoga-exchange as a real process and talk to it over loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "hx-test"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>

#include "hx-test-fixture.h"

/* One test subprocess may run this long before it is killed. */
#define HX_TEST_SUBPROCESS_TIMEOUT_S 60
#define HX_SEEN_MAX 4096

/* ---- failing ----------------------------------------------------------------------- */

/* Open WebSockets, dumped on failure when HX_TEST_DEBUG is set. */
static GPtrArray *live_ws;

static void
dump_live_ws (void)
{
  if (live_ws == NULL || g_getenv ("HX_TEST_DEBUG") == NULL)
    return;
  for (guint i = 0; i < live_ws->len; i++)
    {
      g_autofree char *seen = hx_ws_describe_seen (g_ptr_array_index (live_ws, i));
      g_printerr ("# WebSocket %u received %s\n", i, seen);
    }
}

void
hx_fail_at (const char *file,
            int         line,
            const char *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  dump_live_ws ();
  g_assertion_message (G_LOG_DOMAIN, file, line, "hx-test", message);
  /* g_assertion_message() returns only with non-fatal assertions, which we never set. */
  g_abort ();
}

/* ---- test registration ------------------------------------------------------------- */

static void
run_test_case (gconstpointer data)
{
  void (*func) (void) = (void (*) (void)) data;

  if (g_test_subprocess ())
    {
      func ();
      return;
    }

  g_test_trap_subprocess (NULL, HX_TEST_SUBPROCESS_TIMEOUT_S * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (!g_test_trap_has_passed ())
    g_test_fail_printf ("%s failed (assertion message on stderr above)",
                        g_test_get_path ());
}

void
hx_test_init (int    *argc,
              char ***argv)
{
  g_test_init (argc, argv, NULL);
  if (!g_get_charset (NULL))
    setlocale (LC_ALL, "C.UTF-8");
}

void
hx_test_add (const char  *path,
             void       (*func) (void))
{
  /* The function itself is the test data: GLib 2.74 never frees the data of the tests a
   * subprocess skips, which LeakSanitizer would report once per test in every subprocess. */
  g_test_add_data_func (path, (gconstpointer) func, run_test_case);
}

/* ---- main context ------------------------------------------------------------------ */

static gboolean
flag_timeout_cb (gpointer data)
{
  gboolean *flag = data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
hx_iterate_until (HxDoneFunc done,
                  gpointer   data,
                  guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  gboolean finished = FALSE;
  guint id;

  /* @done may consume what it finds: call it once per check, and never again after TRUE */
  if (done != NULL && done (data))
    return TRUE;

  id = g_timeout_add (timeout_ms, flag_timeout_cb, &timed_out);
  while (!timed_out && !finished)
    {
      g_main_context_iteration (NULL, TRUE);
      finished = done != NULL && done (data);
    }
  if (!timed_out)
    g_source_remove (id);

  return finished;
}

void
hx_pump (guint ms)
{
  hx_iterate_until (NULL, NULL, ms);
}

/* ---- JSON helpers ------------------------------------------------------------------ */

char *
hx_json_to_string (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("(null node)");
  return json_to_string (node, FALSE);
}

char *
hx_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = NULL;

  if (object == NULL)
    return g_strdup ("(no object)");
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static char *
truncated (const char *text,
           gsize       max)
{
  if (text == NULL)
    return g_strdup ("(null)");
  if (strlen (text) <= max)
    return g_strdup (text);
  return g_strdup_printf ("%.*s… (%zu bytes)", (int) max, text, strlen (text));
}

static char *
object_excerpt (JsonObject *object)
{
  g_autofree char *full = hx_object_to_string (object);

  return truncated (full, 1500);
}

const char *
hx_opt_str (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

const char *
hx_str_at (const char *file,
           int         line,
           JsonObject *object,
           const char *member)
{
  JsonNode *node;

  if (object == NULL)
    hx_fail_at (file, line, "no JSON object to read \"%s\" from", member);
  if (!json_object_has_member (object, member))
    {
      g_autofree char *text = object_excerpt (object);
      hx_fail_at (file, line, "member \"%s\" missing in %s", member, text);
    }
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *text = object_excerpt (object);
      hx_fail_at (file, line, "member \"%s\" is not a string in %s", member, text);
    }
  return json_node_get_string (node);
}

JsonArray *
hx_array_at (const char *file,
             int         line,
             JsonObject *object,
             const char *member)
{
  if (object == NULL)
    hx_fail_at (file, line, "no JSON object to read \"%s\" from", member);
  if (!json_object_has_member (object, member)
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, member)))
    {
      g_autofree char *text = object_excerpt (object);
      hx_fail_at (file, line, "member \"%s\" missing or not an array in %s", member, text);
    }
  return json_object_get_array_member (object, member);
}

JsonObject *
hx_object_at (const char *file,
              int         line,
              JsonObject *object,
              const char *member)
{
  if (object == NULL)
    hx_fail_at (file, line, "no JSON object to read \"%s\" from", member);
  if (!json_object_has_member (object, member)
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, member)))
    {
      g_autofree char *text = object_excerpt (object);
      hx_fail_at (file, line, "member \"%s\" missing or not an object in %s", member, text);
    }
  return json_object_get_object_member (object, member);
}

void
hx_assert_member_at (const char *file,
                     int         line,
                     JsonObject *object,
                     const char *member,
                     const char *expected)
{
  const char *got = hx_str_at (file, line, object, member);

  if (g_strcmp0 (got, expected) != 0)
    {
      g_autofree char *text = object_excerpt (object);
      hx_fail_at (file, line, "\"%s\" is \"%s\", expected \"%s\", in %s", member, got,
                  expected, text);
    }
}

gint64
hx_num_at (const char *file,
           int         line,
           const char *text)
{
  const char *p = text;
  gboolean negative = FALSE;
  gint64 value = 0;

  if (text == NULL)
    hx_fail_at (file, line, "expected a number string, got NULL");
  if (*p == '+' || *p == '-' || *p == ' ')
    {
      negative = *p == '-';
      p++;
    }
  if (*p == '\0')
    hx_fail_at (file, line, "expected a number string, got \"%s\"", text);
  for (; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        hx_fail_at (file, line, "expected an integer string, got \"%s\"", text);
      value = value * 10 + (*p - '0');
    }
  return negative ? -value : value;
}

void
hx_assert_padded_at (const char *file,
                     int         line,
                     const char *text,
                     guint       width,
                     const char *what)
{
  const char *p = text;

  if (text == NULL || strlen (text) != width)
    hx_fail_at (file, line, "%s: expected %u characters, got \"%s\"", what, width,
                text ? text : "(null)");
  if (*p == '-')
    p++;
  for (; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      hx_fail_at (file, line, "%s: expected zero-padded digits, got \"%s\"", what, text);
}

void
hx_assert_return_code_at (const char *file,
                          int         line,
                          JsonObject *object,
                          gint64      expected)
{
  JsonNode *node;
  g_autofree char *text = NULL;

  if (object == NULL)
    hx_fail_at (file, line, "expected return_code %" G_GINT64_FORMAT ", got no JSON object",
                expected);
  text = object_excerpt (object);
  if (!json_object_has_member (object, "return_code"))
    hx_fail_at (file, line, "return_code missing in %s", text);
  node = json_object_get_member (object, "return_code");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    hx_fail_at (file, line, "return_code is not a JSON integer in %s", text);
  if (json_node_get_int (node) != expected)
    hx_fail_at (file, line, "expected return_code %" G_GINT64_FORMAT ", got %s", expected, text);
}

void
hx_assert_ok_at (const char *file,
                 int         line,
                 HxReply    *reply)
{
  if (reply->status != 200 || reply->object == NULL)
    {
      g_autofree char *body = truncated (reply->text, 1500);
      hx_fail_at (file, line, "expected HTTP 200 with a JSON object, got %u: %s",
                  reply->status, body);
    }
  hx_assert_return_code_at (file, line, reply->object, 0);
}

void
hx_assert_error_at (const char *file,
                    int         line,
                    HxReply    *reply,
                    guint       http_status,
                    gint64      return_code,
                    const char *bracketed)
{
  g_autofree char *body = truncated (reply->text, 1500);
  g_autofree char *needle = NULL;
  const char *msg;

  if (reply->status != http_status)
    hx_fail_at (file, line, "expected HTTP %u, got %u: %s", http_status, reply->status, body);
  if (reply->object == NULL)
    hx_fail_at (file, line, "expected a JSON object body, got: %s", body);
  hx_assert_return_code_at (file, line, reply->object, return_code);
  msg = hx_str_at (file, line, reply->object, "return_msg");
  if (bracketed != NULL)
    {
      if (g_str_has_prefix (bracketed, "RC"))
        needle = g_strdup_printf ("[2000](%s:", bracketed);
      else
        needle = g_strdup_printf ("[%s:", bracketed);
      if (strstr (msg, needle) == NULL)
        hx_fail_at (file, line, "expected \"%s\" in return_msg, got: %s", needle, body);
    }
}

char *
hx_normalize_code (const char *code)
{
  char *result;
  char *underscore;

  if (code == NULL)
    return NULL;
  if (code[0] == 'A' && g_ascii_isdigit (code[1]))
    code++;
  result = g_strdup (code);
  underscore = strchr (result, '_');
  if (underscore != NULL)
    *underscore = '\0';
  return result;
}

/* ---- KRX arithmetic ---------------------------------------------------------------- */

gint64
hx_tick_size (gint64 price)
{
  if (price < 2000)
    return 1;
  if (price < 5000)
    return 5;
  if (price < 20000)
    return 10;
  if (price < 50000)
    return 50;
  if (price < 200000)
    return 100;
  if (price < 500000)
    return 500;
  return 1000;
}

gboolean
hx_on_grid (gint64 price)
{
  return price > 0 && price % hx_tick_size (price) == 0;
}

gint64
hx_ticks_from (gint64 price,
               int    n)
{
  gint64 p = price - price % hx_tick_size (price);

  for (; n > 0; n--)
    p += hx_tick_size (p);
  for (; n < 0; n++)
    p -= hx_tick_size (p - 1);
  return p;
}

char *
hx_kst_now_string (const char *format)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Seoul");
  g_autoptr(GDateTime) now = NULL;

  if (tz == NULL)
    tz = g_time_zone_new_offset (9 * 3600);
  now = g_date_time_new_now (tz);
  return g_date_time_format (now, format);
}

/* ---- the exchange process ---------------------------------------------------------- */

static void
child_setup (gpointer data)
{
  /* A test that dies (failed assertion, timeout) must not leave an exchange behind. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

typedef struct {
  gboolean done;
  char *line;
  GError *error;
} ReadLine;

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  ReadLine *state = data;

  state->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                           result, NULL, &state->error);
  state->done = TRUE;
}

static gboolean
read_line_done (gpointer data)
{
  return ((ReadLine *) data)->done;
}

HxServer *
hx_server_startv (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  ReadLine state = { 0 };
  const char *exe = g_getenv ("HOGA_EXCHANGE");
  HxServer *server;
  JsonObject *ready;

  if (exe == NULL || *exe == '\0')
    hx_fail ("HOGA_EXCHANGE is not set (run the tests through meson test)");

  g_ptr_array_add (argv, (gpointer) exe);
  g_ptr_array_add (argv, (gpointer) "--rest-port");
  g_ptr_array_add (argv, (gpointer) "0");
  g_ptr_array_add (argv, (gpointer) "--ws-port");
  g_ptr_array_add (argv, (gpointer) "0");
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  server = g_new0 (HxServer, 1);
  server->process = g_subprocess_launcher_spawnv (launcher,
                                                  (const char * const *) argv->pdata,
                                                  &error);
  if (server->process == NULL)
    hx_fail ("cannot start %s: %s", exe, error->message);

  server->stdout_data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  g_data_input_stream_read_line_async (server->stdout_data, G_PRIORITY_DEFAULT, NULL,
                                       read_line_cb, &state);
  if (!hx_iterate_until (read_line_done, &state, HX_WAIT_READY_MS))
    {
      g_subprocess_force_exit (server->process);
      hx_fail ("hoga-exchange printed no ready line within %d ms", HX_WAIT_READY_MS);
    }
  if (state.line == NULL)
    hx_fail ("hoga-exchange exited or closed stdout before its ready line%s%s",
             state.error ? ": " : "", state.error ? state.error->message : "");

  if (!json_parser_load_from_data (parser, state.line, -1, &error)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    hx_fail ("the ready line is not a JSON object: %s", state.line);
  ready = json_node_get_object (json_parser_get_root (parser));

  server->rest_url = g_strdup (hx_str (ready, "rest_url"));
  server->ws_url = g_strdup (hx_str (ready, "ws_url"));
  server->control_url = g_strdup (hx_str (ready, "control_url"));
  if (!g_str_has_prefix (server->rest_url, "http://127.0.0.1:")
      || !g_str_has_prefix (server->ws_url, "ws://127.0.0.1:")
      || !g_str_has_suffix (server->ws_url, "/api/dostk/websocket")
      || !g_str_has_prefix (server->control_url, server->rest_url))
    hx_fail ("unexpected URLs in the ready line: %s", state.line);
  if (!json_object_has_member (ready, "pid")
      || json_object_get_int_member (ready, "pid")
           != g_ascii_strtoll (g_subprocess_get_identifier (server->process), NULL, 10))
    hx_fail ("ready line pid does not match the process %s: %s",
             g_subprocess_get_identifier (server->process), state.line);

  server->session = soup_session_new_with_options ("timeout", 15,
                                                   "proxy-resolver", NULL,
                                                   NULL);
  g_free (state.line);
  return server;
}

HxServer *
hx_server_start (const char *first_arg,
                 ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return hx_server_startv ((const char * const *) args->pdata);
}

gboolean
hx_server_is_running (HxServer *server)
{
  const char *id = g_subprocess_get_identifier (server->process);

  return id != NULL;
}

typedef struct {
  gboolean done;
} WaitState;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  WaitState *state = data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  state->done = TRUE;
}

static gboolean
wait_done (gpointer data)
{
  return ((WaitState *) data)->done;
}

void
hx_server_stop (HxServer *server)
{
  WaitState state = { 0 };
  gboolean exited;

  if (server == NULL)
    return;

  g_clear_object (&server->session);
  if (g_subprocess_get_identifier (server->process) == NULL)
    hx_fail ("hoga-exchange was no longer running at teardown (status %d)",
             g_subprocess_get_status (server->process));

  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait_async (server->process, NULL, wait_cb, &state);
  if (!hx_iterate_until (wait_done, &state, 5000))
    {
      g_subprocess_force_exit (server->process);
      hx_fail ("hoga-exchange did not exit within 5 s of SIGTERM");
    }
  exited = g_subprocess_get_if_exited (server->process);
  if (!exited)
    hx_fail ("hoga-exchange did not exit cleanly on SIGTERM (killed by signal %d)",
             g_subprocess_get_if_signaled (server->process)
               ? g_subprocess_get_term_sig (server->process) : -1);
  if (g_subprocess_get_exit_status (server->process) != 0)
    hx_fail ("hoga-exchange exited with status %d on SIGTERM",
             g_subprocess_get_exit_status (server->process));

  /* stdout carries the ready line only; logs go to stderr */
  {
    g_autofree char *extra = g_data_input_stream_read_line_utf8 (server->stdout_data, NULL,
                                                                 NULL, NULL);
    if (extra != NULL)
      hx_fail ("hoga-exchange wrote more than its ready line on stdout: %s", extra);
  }

  g_clear_object (&server->stdout_data);
  g_clear_object (&server->process);
  g_free (server->rest_url);
  g_free (server->ws_url);
  g_free (server->control_url);
  g_free (server->token);
  g_free (server);
}

/* ---- REST -------------------------------------------------------------------------- */

void
hx_reply_free (HxReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->text);
  g_clear_pointer (&reply->root, json_node_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply);
}

HxReply *
hx_http (HxServer           *server,
         const char         *method,
         const char         *path,
         const char * const *headers,
         const char         *body,
         gssize              length)
{
  g_autofree char *uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  HxReply *reply;
  gint64 start;
  gsize size;
  const char *data;

  if (g_str_has_prefix (path, "http://"))
    uri = g_strdup (path);
  else
    uri = g_strconcat (server->rest_url, path, NULL);

  msg = soup_message_new (method, uri);
  if (msg == NULL)
    hx_fail ("cannot build a request for %s %s", method, uri);
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, length < 0 ? strlen (body) : (gsize) length);
      soup_message_set_request_body_from_bytes (msg, NULL, request);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  headers[i], headers[i + 1]);

  start = g_get_monotonic_time ();
  bytes = soup_session_send_and_read (server->session, msg, NULL, &error);
  if (bytes == NULL)
    hx_fail ("%s %s failed: %s", method, uri, error->message);

  reply = g_new0 (HxReply, 1);
  reply->elapsed_us = g_get_monotonic_time () - start;
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  data = g_bytes_get_data (bytes, &size);
  reply->text = g_strndup (data ? data : "", size);
  reply->length = size;
  if (size > 0 && json_parser_load_from_data (parser, reply->text, size, NULL))
    {
      reply->root = json_node_ref (json_parser_get_root (parser));
      if (JSON_NODE_HOLDS_OBJECT (reply->root))
        reply->object = json_node_get_object (reply->root);
    }
  return reply;
}

char *
hx_issue_token (HxServer   *server,
                const char *appkey)
{
  g_autofree char *body = g_strdup_printf ("{\"grant_type\":\"client_credentials\","
                                           "\"appkey\":\"%s\",\"secretkey\":\"%s\"}",
                                           appkey, HX_TEST_SECRETKEY);
  const char *headers[] = { "content-type", "application/json;charset=UTF-8", NULL };
  g_autoptr(HxReply) reply = hx_http (server, "POST", "/oauth2/token", headers, body, -1);
  const char *token;

  hx_assert_ok (reply);
  token = hx_str (reply->object, "token");
  if (*token == '\0')
    hx_fail ("au10001 returned an empty token: %s", reply->text);
  return g_strdup (token);
}

const char *
hx_token (HxServer *server)
{
  if (server->token == NULL)
    server->token = hx_issue_token (server, HX_TEST_APPKEY);
  return server->token;
}

HxReply *
hx_tr_full (HxServer   *server,
            const char *token,
            const char *api_id,
            const char *path,
            const char *body,
            const char *cont_yn,
            const char *next_key)
{
  g_autofree char *authorization = NULL;
  const char *headers[13];
  guint n = 0;

  authorization = g_strconcat ("Bearer ", token ? token : hx_token (server), NULL);
  headers[n++] = "content-type";
  headers[n++] = "application/json;charset=UTF-8";
  headers[n++] = "api-id";
  headers[n++] = api_id;
  headers[n++] = "authorization";
  headers[n++] = authorization;
  if (cont_yn != NULL)
    {
      headers[n++] = "cont-yn";
      headers[n++] = cont_yn;
    }
  if (next_key != NULL)
    {
      headers[n++] = "next-key";
      headers[n++] = next_key;
    }
  headers[n] = NULL;

  return hx_http (server, "POST", path, headers, body, -1);
}

HxReply *
hx_control_raw (HxServer   *server,
                const char *body)
{
  const char *headers[] = { "content-type", "application/json", NULL };

  return hx_http (server, "POST", server->control_url, headers, body, -1);
}

JsonObject *
hx_control (HxServer   *server,
            const char *format,
            ...)
{
  g_autofree char *body = NULL;
  g_autoptr(HxReply) reply = NULL;
  va_list args;
  JsonNode *ok;

  va_start (args, format);
  body = g_strdup_vprintf (format, args);
  va_end (args);

  reply = hx_control_raw (server, body);
  if (reply->status != 200 || reply->object == NULL)
    hx_fail ("control %s: HTTP %u %s", body, reply->status, reply->text);
  ok = json_object_get_member (reply->object, "ok");
  if (ok == NULL || !JSON_NODE_HOLDS_VALUE (ok)
      || json_node_get_value_type (ok) != G_TYPE_BOOLEAN || !json_node_get_boolean (ok))
    hx_fail ("control %s did not answer \"ok\":true: %s", body, reply->text);

  return json_object_ref (reply->object);
}

void
hx_command (HxServer   *server,
            const char *format,
            ...)
{
  g_autofree char *body = NULL;
  va_list args;

  va_start (args, format);
  body = g_strdup_vprintf (format, args);
  va_end (args);

  json_object_unref (hx_control (server, "%s", body));
}

gboolean
hx_symbol_exists (HxServer   *server,
                  const char *code)
{
  g_autofree char *body = g_strdup_printf ("{\"stk_cd\":\"%s\"}", code);
  g_autoptr(HxReply) reply = hx_tr (server, "ka10001", "/api/dostk/stkinfo", body);

  if (reply->object == NULL)
    hx_fail ("ka10001 %s: not JSON: %s", code, reply->text);
  return json_object_get_int_member (reply->object, "return_code") == 0;
}

void
hx_symbol_info (HxServer     *server,
                const char   *code,
                HxSymbolInfo *info)
{
  g_autofree char *body = g_strdup_printf ("{\"stk_cd\":\"%s\"}", code);
  g_autoptr(HxReply) reply = hx_tr (server, "ka10001", "/api/dostk/stkinfo", body);

  hx_assert_ok (reply);
  info->base = hx_abs (hx_str (reply->object, "base_pric"));
  info->upper = hx_abs (hx_str (reply->object, "upl_pric"));
  info->lower = hx_abs (hx_str (reply->object, "lst_pric"));
  info->current = hx_abs (hx_str (reply->object, "cur_prc"));
  if (info->base <= 0 || info->upper <= info->base || info->lower >= info->base)
    hx_fail ("implausible ka10001 prices for %s: %s", code, reply->text);
}

/* ---- WebSocket --------------------------------------------------------------------- */

void
hx_ws_message_free (HxWsMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->text);
  g_clear_pointer (&message->root, json_node_unref);
  g_free (message);
}

static JsonObject *
message_object (HxWsMessage *message)
{
  if (message->root == NULL || !JSON_NODE_HOLDS_OBJECT (message->root))
    return NULL;
  return json_node_get_object (message->root);
}

static void
ws_message_cb (SoupWebsocketConnection *conn,
               gint                     type,
               GBytes                  *bytes,
               gpointer                 data)
{
  HxWs *ws = data;
  HxWsMessage *message = g_new0 (HxWsMessage, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *raw = g_bytes_get_data (bytes, &size);
  JsonObject *object;

  message->serial = ws->next_serial++;
  message->binary = type == SOUP_WEBSOCKET_DATA_BINARY;
  message->text = g_strndup (raw ? raw : "", size);
  message->length = size;
  ws->last_frame_us = g_get_monotonic_time ();

  if (!message->binary && size > 0
      && json_parser_load_from_data (parser, message->text, size, NULL))
    message->root = json_node_ref (json_parser_get_root (parser));

  if (ws->seen->len < HX_SEEN_MAX)
    {
      g_autofree char *excerpt = truncated (message->text,
                                            g_getenv ("HX_TEST_DEBUG") ? 4000 : 300);
      g_ptr_array_add (ws->seen, g_strdup_printf ("%s%s", message->binary ? "[binary] " : "",
                                                  excerpt));
    }

  object = message_object (message);
  if (object != NULL && g_strcmp0 (hx_opt_str (object, "trnm"), "PING") == 0)
    {
      ws->n_pings++;
      ws->last_ping_us = ws->last_frame_us;
      if (ws->auto_pong)
        {
          /* Kiwoom expects the PING echoed back unchanged. */
          if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
            soup_websocket_connection_send_text (conn, message->text);
          hx_ws_message_free (message);
          return;
        }
    }

  g_queue_push_tail (&ws->queue, message);
}

static void
ws_closed_cb (SoupWebsocketConnection *conn,
              gpointer                 data)
{
  HxWs *ws = data;

  ws->closed = TRUE;
  ws->close_code = soup_websocket_connection_get_close_code (conn);
  if (ws->seen->len < HX_SEEN_MAX)
    g_ptr_array_add (ws->seen, g_strdup_printf ("[closed, code %u]", ws->close_code));
}

static void
ws_error_cb (SoupWebsocketConnection *conn,
             GError                  *error,
             gpointer                 data)
{
  HxWs *ws = data;

  if (ws->seen->len < HX_SEEN_MAX)
    g_ptr_array_add (ws->seen, g_strdup_printf ("[error: %s]", error->message));
}

typedef struct {
  gboolean done;
  SoupWebsocketConnection *conn;
  GError *error;
} ConnectState;

static void
ws_connect_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  ConnectState *state = data;

  state->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
                                                       &state->error);
  state->done = TRUE;
}

static gboolean
connect_done (gpointer data)
{
  return ((ConnectState *) data)->done;
}

HxWs *
hx_ws_connect (HxServer *server,
               gboolean  auto_pong)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", server->ws_url);
  ConnectState state = { 0 };
  HxWs *ws;

  ws = g_new0 (HxWs, 1);
  ws->server = server;
  ws->auto_pong = auto_pong;
  ws->seen = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&ws->queue);
  ws->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  if (live_ws == NULL)
    live_ws = g_ptr_array_new ();
  g_ptr_array_add (live_ws, ws);

  soup_session_websocket_connect_async (ws->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, ws_connect_cb, &state);
  if (!hx_iterate_until (connect_done, &state, HX_WAIT_MS))
    hx_fail ("WebSocket connect to %s did not finish within %d ms", server->ws_url,
             HX_WAIT_MS);
  if (state.conn == NULL)
    hx_fail ("WebSocket connect to %s failed: %s", server->ws_url, state.error->message);

  ws->conn = state.conn;
  soup_websocket_connection_set_max_incoming_payload_size (ws->conn, 64 * 1024 * 1024);
  soup_websocket_connection_set_keepalive_interval (ws->conn, 0);
  g_signal_connect (ws->conn, "message", G_CALLBACK (ws_message_cb), ws);
  g_signal_connect (ws->conn, "closed", G_CALLBACK (ws_closed_cb), ws);
  g_signal_connect (ws->conn, "error", G_CALLBACK (ws_error_cb), ws);
  return ws;
}

static gboolean
ws_closed_done (gpointer data)
{
  return ((HxWs *) data)->closed;
}

void
hx_ws_free (HxWs *ws)
{
  if (ws == NULL)
    return;
  g_ptr_array_remove (live_ws, ws);
  if (ws->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (ws->conn, ws);
      if (soup_websocket_connection_get_state (ws->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        {
          soup_websocket_connection_close (ws->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
          g_signal_connect (ws->conn, "closed", G_CALLBACK (ws_closed_cb), ws);
          hx_iterate_until (ws_closed_done, ws, 1000);
          g_signal_handlers_disconnect_by_data (ws->conn, ws);
        }
      g_clear_object (&ws->conn);
    }
  g_clear_object (&ws->session);
  g_queue_clear_full (&ws->queue, (GDestroyNotify) hx_ws_message_free);
  g_ptr_array_unref (ws->seen);
  g_free (ws);
}

void
hx_ws_send_text (HxWs       *ws,
                 const char *text)
{
  if (ws->closed
      || soup_websocket_connection_get_state (ws->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    {
      g_autofree char *seen = hx_ws_describe_seen (ws);
      hx_fail ("cannot send %s: the WebSocket is closed; received: %s", text, seen);
    }
  soup_websocket_connection_send_text (ws->conn, text);
}

void
hx_ws_send (HxWs       *ws,
            const char *format,
            ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  hx_ws_send_text (ws, text);
}

char *
hx_ws_describe_seen (HxWs *ws)
{
  GString *out = g_string_new (NULL);
  guint keep = g_getenv ("HX_TEST_DEBUG") != NULL ? 400 : 40;
  guint first = ws->seen->len > keep ? ws->seen->len - keep : 0;

  g_string_append_printf (out, "%u frame(s)%s", ws->seen->len,
                          first > 0 ? ", the last ones:" : ":");
  for (guint i = first; i < ws->seen->len; i++)
    g_string_append_printf (out, "\n    %s", (const char *) g_ptr_array_index (ws->seen, i));
  if (ws->seen->len == 0)
    g_string_append (out, " (nothing)");
  return g_string_free (out, FALSE);
}

void
hx_ws_clear (HxWs *ws)
{
  g_queue_clear_full (&ws->queue, (GDestroyNotify) hx_ws_message_free);
  g_queue_init (&ws->queue);
}

typedef struct {
  HxWs *ws;
  HxMatchFunc match;
  gpointer data;
  /* REAL entry search */
  const char *type;
  const char *item;
  JsonObject *found;
} Search;

static gboolean
find_object (gpointer data)
{
  Search *search = data;

  for (GList *l = search->ws->queue.head; l != NULL; l = l->next)
    {
      HxWsMessage *message = l->data;
      JsonObject *object = message_object (message);

      if (object != NULL && search->match (object, search->data))
        {
          search->found = json_object_ref (object);
          g_queue_delete_link (&search->ws->queue, l);
          hx_ws_message_free (message);
          return TRUE;
        }
    }
  return FALSE;
}

JsonObject *
hx_ws_poll (HxWs        *ws,
            HxMatchFunc  match,
            gpointer     data,
            guint        timeout_ms)
{
  Search search = { ws, match, data, NULL, NULL, NULL };

  hx_iterate_until (find_object, &search, timeout_ms);
  return search.found;
}

JsonObject *
hx_ws_wait_at (const char  *file,
               int          line,
               HxWs        *ws,
               HxMatchFunc  match,
               gpointer     data,
               guint        timeout_ms,
               const char  *what)
{
  JsonObject *found = hx_ws_poll (ws, match, data, timeout_ms);

  if (found == NULL)
    {
      g_autofree char *seen = hx_ws_describe_seen (ws);
      hx_fail_at (file, line, "no %s within %u ms%s; received %s", what, timeout_ms,
                  ws->closed ? " (the connection is closed)" : "", seen);
    }
  return found;
}

static gboolean
match_trnm (JsonObject *object,
            gpointer    data)
{
  return g_strcmp0 (hx_opt_str (object, "trnm"), data) == 0;
}

JsonObject *
hx_ws_wait_trnm_at (const char *file,
                    int         line,
                    HxWs       *ws,
                    const char *trnm,
                    guint       timeout_ms)
{
  g_autofree char *what = g_strdup_printf ("{\"trnm\":\"%s\"} message", trnm);

  return hx_ws_wait_at (file, line, ws, match_trnm, (gpointer) trnm, timeout_ms, what);
}

static gboolean
match_system (JsonObject *object,
              gpointer    data)
{
  return g_strcmp0 (hx_opt_str (object, "trnm"), "SYSTEM") == 0
         && g_strcmp0 (hx_opt_str (object, "code"), data) == 0;
}

JsonObject *
hx_ws_wait_system_at (const char *file,
                      int         line,
                      HxWs       *ws,
                      const char *code,
                      guint       timeout_ms)
{
  g_autofree char *what = g_strdup_printf ("SYSTEM %s message", code);

  return hx_ws_wait_at (file, line, ws, match_system, (gpointer) code, timeout_ms, what);
}

static gboolean
find_real_entry (gpointer data)
{
  Search *search = data;

  for (GList *l = search->ws->queue.head; l != NULL; l = l->next)
    {
      HxWsMessage *message = l->data;
      JsonObject *object = message_object (message);
      JsonArray *entries;

      if (object == NULL || g_strcmp0 (hx_opt_str (object, "trnm"), "REAL") != 0
          || !json_object_has_member (object, "data")
          || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "data")))
        continue;

      entries = json_object_get_array_member (object, "data");
      for (guint i = 0; i < json_array_get_length (entries); i++)
        {
          JsonNode *node = json_array_get_element (entries, i);
          JsonObject *entry;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          entry = json_node_get_object (node);
          if (g_strcmp0 (hx_opt_str (entry, "type"), search->type) != 0)
            continue;
          if (search->item != NULL)
            {
              g_autofree char *item = hx_normalize_code (hx_opt_str (entry, "item"));
              g_autofree char *wanted = hx_normalize_code (search->item);

              if (g_strcmp0 (item, wanted) != 0)
                continue;
            }
          if (search->match != NULL && !search->match (entry, search->data))
            continue;

          search->found = json_object_ref (entry);
          json_array_remove_element (entries, i);
          if (json_array_get_length (entries) == 0)
            {
              g_queue_delete_link (&search->ws->queue, l);
              hx_ws_message_free (message);
            }
          return TRUE;
        }
    }
  return FALSE;
}

JsonObject *
hx_ws_poll_real (HxWs        *ws,
                 const char  *type,
                 const char  *item,
                 HxMatchFunc  match,
                 gpointer     data,
                 guint        timeout_ms)
{
  Search search = { ws, match, data, type, item, NULL };

  hx_iterate_until (find_real_entry, &search, timeout_ms);
  return search.found;
}

JsonObject *
hx_ws_wait_real_at (const char  *file,
                    int          line,
                    HxWs        *ws,
                    const char  *type,
                    const char  *item,
                    HxMatchFunc  match,
                    gpointer     data,
                    guint        timeout_ms)
{
  JsonObject *found = hx_ws_poll_real (ws, type, item, match, data, timeout_ms);

  if (found == NULL)
    {
      g_autofree char *seen = hx_ws_describe_seen (ws);
      hx_fail_at (file, line, "no REAL %s entry%s%s%s within %u ms%s; received %s", type,
                  item ? " for item " : "", item ? item : "",
                  match ? " (matching the test's condition)" : "", timeout_ms,
                  ws->closed ? " (the connection is closed)" : "", seen);
    }
  return found;
}

static gboolean
match_order_values (JsonObject *entry,
                    gpointer    data)
{
  JsonObject *values;

  if (!json_object_has_member (entry, "values")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (entry, "values")))
    return FALSE;
  values = json_object_get_object_member (entry, "values");
  return g_strcmp0 (hx_opt_str (values, "9203"), data) == 0;
}

JsonObject *
hx_ws_next_order_event_at (const char *file,
                           int         line,
                           HxWs       *ws,
                           const char *ord_no,
                           guint       timeout_ms)
{
  g_autoptr(JsonObject) entry = NULL;

  entry = hx_ws_poll_real (ws, "00", NULL, match_order_values, (gpointer) ord_no, timeout_ms);
  if (entry == NULL)
    {
      g_autofree char *seen = hx_ws_describe_seen (ws);
      hx_fail_at (file, line, "no REAL 00 event for order %s within %u ms; received %s",
                  ord_no, timeout_ms, seen);
    }
  return json_object_ref (hx_object_at (file, line, entry, "values"));
}

void
hx_ws_wait_closed_at (const char *file,
                      int         line,
                      HxWs       *ws,
                      guint       timeout_ms)
{
  if (!hx_iterate_until (ws_closed_done, ws, timeout_ms))
    {
      g_autofree char *seen = hx_ws_describe_seen (ws);
      hx_fail_at (file, line, "the WebSocket was not closed within %u ms; received %s",
                  timeout_ms, seen);
    }
}

typedef struct {
  HxWs *ws;
  gboolean (*match) (HxWsMessage *m, gpointer d);
  gpointer data;
  HxWsMessage *found;
} RawSearch;

static gboolean
find_raw (gpointer data)
{
  RawSearch *search = data;

  for (GList *l = search->ws->queue.head; l != NULL; l = l->next)
    {
      HxWsMessage *message = l->data;

      if (search->match (message, search->data))
        {
          search->found = message;
          g_queue_delete_link (&search->ws->queue, l);
          return TRUE;
        }
    }
  return FALSE;
}

HxWsMessage *
hx_ws_poll_raw (HxWs      *ws,
                gboolean (*match) (HxWsMessage *m, gpointer d),
                gpointer   data,
                guint      timeout_ms)
{
  RawSearch search = { ws, match, data, NULL };

  hx_iterate_until (find_raw, &search, timeout_ms);
  return search.found;
}

static gboolean
match_login (JsonObject *object,
             gpointer    data)
{
  return g_strcmp0 (hx_opt_str (object, "trnm"), "LOGIN") == 0;
}

void
hx_ws_login (HxWs       *ws,
             const char *token)
{
  g_autoptr(JsonObject) ack = NULL;

  hx_ws_send (ws, "{\"trnm\":\"LOGIN\",\"token\":\"%s\"}",
              token ? token : hx_token (ws->server));
  ack = hx_ws_wait (ws, match_login, NULL, HX_WAIT_MS, "LOGIN ack");
  hx_assert_return_code (ack, 0);
}
