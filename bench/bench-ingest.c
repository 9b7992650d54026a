/* bench-ingest.c — Hoga's tick ingest against json-glib and the seeds' Python stack
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three measurements, each against a baseline taken in the same run on the same input:
 *
 *  decode    the same captured 0B frames decoded by kiwoom_real_scan() and by a json-glib
 *            DOM decode that extracts the same fields (ns per frame, ratio);
 *  flood     hoga-exchange's flood mode received by Hoga's KiwoomSocket (receive, scan,
 *            dispatch to a ::tick handler) and by py-ingest.py, the seeds' asyncio +
 *            websockets + json stack doing the same extraction (frames/s, ratio);
 *  latency   a paced market (over 5,000 ticks/s: 5,700 prints/s over 3,000 symbols, 2,800
 *            of them registered, one entry per frame): the time from the frame's arrival at
 *            the socket (libsoup's ::message) to the ::tick handler, for every tick.
 *
 * Usage: bench-ingest [--frames N] [--latency-seconds S]
 * Needs HOGA_EXCHANGE (the program) and HOGA_PY_INGEST (bench/py-ingest.py).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kiwoom-real-scan.h"
#include "kiwoom-rest.h"
#include "kiwoom-socket.h"

typedef struct {
  GSubprocess *process;
  char        *rest_url;
  char        *ws_url;
  char        *control_url;
} Exchange;

static SoupSession *session;

/* ---- plumbing ------------------------------------------------------------------------ */

static JsonObject *
parse_object (const char *text,
              gssize      length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, length, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
post (const char *url,
      const char *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json;charset=UTF-8", request);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  if (reply == NULL)
    g_error ("POST %s: %s", url, error->message);
  return parse_object (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
}

static void
control (Exchange   *exchange,
         const char *body)
{
  g_autoptr(JsonObject) reply = post (exchange->control_url, body);

  if (reply == NULL || !json_object_get_boolean_member (reply, "ok"))
    g_error ("control %s refused", body);
}

static Exchange *
exchange_start (const char * const *extra)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(JsonObject) ready = NULL;
  g_autofree char *line = NULL;
  Exchange *exchange = g_new0 (Exchange, 1);
  const char *program = g_getenv ("HOGA_EXCHANGE");

  if (program == NULL)
    g_error ("set HOGA_EXCHANGE to the hoga-exchange program");
  g_ptr_array_add (argv, (gpointer)program);
  for (; *extra != NULL; extra++)
    g_ptr_array_add (argv, (gpointer)*extra);
  g_ptr_array_add (argv, NULL);

  exchange->process = g_subprocess_newv ((const char * const *)argv->pdata,
                                         G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (exchange->process == NULL)
    g_error ("cannot start %s: %s", program, error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (exchange->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (line == NULL || (ready = parse_object (line, -1)) == NULL)
    g_error ("hoga-exchange printed no ready line");
  exchange->rest_url = g_strdup (json_object_get_string_member (ready, "rest_url"));
  exchange->ws_url = g_strdup (json_object_get_string_member (ready, "ws_url"));
  exchange->control_url = g_strdup (json_object_get_string_member (ready, "control_url"));
  return exchange;
}

static void
exchange_stop (Exchange *exchange)
{
  g_subprocess_send_signal (exchange->process, SIGTERM);
  g_subprocess_wait (exchange->process, NULL, NULL);
  g_object_unref (exchange->process);
  g_free (exchange->rest_url);
  g_free (exchange->ws_url);
  g_free (exchange->control_url);
  g_free (exchange);
}

static char *
issue_token (Exchange   *exchange,
             const char *appkey)
{
  g_autofree char *url = g_strconcat (exchange->rest_url, "/oauth2/token", NULL);
  g_autofree char *body = g_strdup_printf ("{\"grant_type\":\"client_credentials\","
                                           "\"appkey\":\"%s\",\"secretkey\":\"bench\"}",
                                           appkey);
  g_autoptr(JsonObject) reply = post (url, body);

  if (reply == NULL || !json_object_has_member (reply, "token"))
    g_error ("no token");
  return g_strdup (json_object_get_string_member (reply, "token"));
}

typedef gboolean (*DoneFunc) (gpointer data);

static void
iterate_until (DoneFunc    done,
               gpointer    data,
               guint       seconds,
               const char *what)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *)a;
  gint64 y = *(const gint64 *)b;

  return (x > y) - (x < y);
}

/* ---- capture: raw 0B frames as the exchange sends them ------------------------------- */

typedef struct {
  SoupWebsocketConnection *ws;
  GPtrArray               *frames;   /* GBytes */
  guint                    wanted;
  gboolean                 logged_in;
} Capture;

static void
capture_message_cb (SoupWebsocketConnection *ws,
                    SoupWebsocketDataType    type,
                    GBytes                  *message,
                    Capture                 *capture)
{
  gsize size;
  const char *text = g_bytes_get_data (message, &size);

  if (!capture->logged_in)
    capture->logged_in = g_strstr_len (text, size, "\"LOGIN\"") != NULL;
  else if (g_strstr_len (text, size, "\"0B\"") != NULL && capture->frames->len < capture->wanted)
    g_ptr_array_add (capture->frames, g_bytes_ref (message));
}

static void
capture_connected_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Capture *capture = user_data;
  g_autoptr(GError) error = NULL;

  capture->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (capture->ws == NULL)
    g_error ("capture connect: %s", error->message);
  soup_websocket_connection_set_max_incoming_payload_size (capture->ws, 16 * 1024 * 1024);
  g_signal_connect (capture->ws, "message", G_CALLBACK (capture_message_cb), capture);
}

static gboolean
capture_connected (gpointer data)
{
  return ((Capture *)data)->ws != NULL;
}

static gboolean
capture_logged_in (gpointer data)
{
  return ((Capture *)data)->logged_in;
}

static gboolean
capture_full (gpointer data)
{
  Capture *capture = data;

  return capture->frames->len >= capture->wanted;
}

static GPtrArray *
capture_frames (Exchange *exchange,
                guint     count)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", exchange->ws_url);
  g_autofree char *token = issue_token (exchange, "bench-capture");
  g_autofree char *login = g_strdup_printf ("{\"trnm\":\"LOGIN\",\"token\":\"%s\"}", token);
  g_autofree char *flood = g_strdup_printf ("{\"cmd\":\"flood\",\"code\":\"005930\",\"count\":%u}",
                                            count);
  Capture capture = { NULL, g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref),
                      count, FALSE };

  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        capture_connected_cb, &capture);
  iterate_until (capture_connected, &capture, 10, "the capture connection");
  soup_websocket_connection_send_text (capture.ws, login);
  iterate_until (capture_logged_in, &capture, 10, "the capture LOGIN");
  control (exchange, flood);
  iterate_until (capture_full, &capture, 30, "captured frames");

  soup_websocket_connection_close (capture.ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&capture.ws);
  return capture.frames;
}

/* ---- decode: scanner vs json-glib DOM ------------------------------------------------ */

static void
count_entry_cb (const KiwoomRealEntry *entry,
                gpointer               user_data)
{
  gint64 *sink = user_data;

  *sink += entry->tick.price + entry->tick.volume;
}

static gint64
dom_int (JsonObject *values,
         const char *fid)
{
  JsonNode *node = json_object_get_member (values, fid);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return 0;
  return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
}

/* What a straightforward json-glib client does for each frame: build the DOM, walk it and
 * convert the same fields the scanner fills. */
static gint64
dom_decode (GBytes *frame)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *text = g_bytes_get_data (frame, &size);
  JsonArray *data;
  gint64 sink = 0;

  if (!json_parser_load_from_data (parser, text, size, NULL))
    return 0;
  data = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                       "data");
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *entry = json_array_get_object_element (data, i);
      JsonObject *values = json_object_get_object_member (entry, "values");
      HogaTick tick = { 0 };

      hoga_code_normalize (json_object_get_string_member (entry, "item"), -1, tick.code);
      tick.price = ABS (dom_int (values, "10"));
      tick.change = dom_int (values, "11");
      tick.volume = dom_int (values, "15");
      tick.cum_volume = dom_int (values, "13");
      tick.cum_value = dom_int (values, "14");
      tick.open = ABS (dom_int (values, "16"));
      tick.high = ABS (dom_int (values, "17"));
      tick.low = ABS (dom_int (values, "18"));
      tick.best_ask = ABS (dom_int (values, "27"));
      tick.best_bid = ABS (dom_int (values, "28"));
      tick.hhmmss = dom_int (values, "20");
      sink += tick.price + tick.volume;
    }
  return sink;
}

static double
time_decoder (GPtrArray *frames,
              gboolean   scanner,
              guint      rounds,
              gint64    *sink)
{
  gint64 best = G_MAXINT64;

  /* Best of several rounds: the least disturbed by the machine's other work. */
  for (guint round = 0; round < rounds; round++)
    {
      gint64 start = g_get_monotonic_time ();

      for (guint i = 0; i < frames->len; i++)
        {
          GBytes *frame = g_ptr_array_index (frames, i);
          gsize size;
          const char *text = g_bytes_get_data (frame, &size);
          KiwoomRealScanResult result;

          if (scanner)
            kiwoom_real_scan (text, size, 0, count_entry_cb, sink, &result);
          else
            *sink += dom_decode (frame);
        }
      best = MIN (best, g_get_monotonic_time () - start);
    }
  return (double)best * 1000.0 / frames->len;
}

/* ---- flood through KiwoomSocket ------------------------------------------------------ */

typedef struct {
  guint64 ticks;
  gint64  first_us;
  gint64  last_us;
  GArray *latencies;   /* gint64 µs, when collecting */
} Counter;

static void
tick_cb (KiwoomSocket   *socket,
         const HogaTick *tick,
         Counter        *counter)
{
  gint64 now = g_get_monotonic_time ();

  if (counter->ticks++ == 0)
    counter->first_us = now;
  counter->last_us = now;
  if (counter->latencies != NULL)
    {
      gint64 latency = now - tick->received_us;

      g_array_append_val (counter->latencies, latency);
    }
}

static gboolean
socket_online (gpointer data)
{
  return kiwoom_socket_get_state (data) == HOGA_CONNECTION_ONLINE;
}

static KiwoomSocket *
socket_new (Exchange   *exchange,
            KiwoomRest *rest)
{
  const char *types[] = { "0B", NULL };
  KiwoomSocket *socket = g_object_new (KIWOOM_TYPE_SOCKET,
                                       "ws-url", exchange->ws_url,
                                       "rest", rest,
                                       "types", types,
                                       NULL);

  kiwoom_socket_start (socket);
  iterate_until (socket_online, socket, 10, "the socket to come online");
  return socket;
}

typedef struct {
  Counter *counter;
  guint64  target;
} Target;

static gboolean
reached (gpointer data)
{
  Target *target = data;

  return target->counter->ticks >= target->target;
}

static double
flood_hoga (Exchange *exchange,
            guint     frames)
{
  g_autoptr(KiwoomRest) rest = kiwoom_rest_new (exchange->rest_url, "bench-hoga", "bench");
  g_autoptr(KiwoomSocket) socket = socket_new (exchange, rest);
  g_autofree char *flood = g_strdup_printf ("{\"cmd\":\"flood\",\"code\":\"005930\",\"count\":%u}",
                                            frames);
  Counter counter = { 0 };
  Target target = { &counter, frames };

  g_signal_connect (socket, "tick", G_CALLBACK (tick_cb), &counter);
  control (exchange, flood);
  iterate_until (reached, &target, 120, "the flood to arrive at Hoga's socket");
  kiwoom_socket_stop (socket);
  return (counter.ticks - 1) * (double)G_USEC_PER_SEC / MAX (counter.last_us - counter.first_us, 1);
}

static double
flood_python (Exchange *exchange,
              guint     frames)
{
  g_autofree char *token = issue_token (exchange, "bench-python");
  g_autofree char *count = g_strdup_printf ("%u", frames);
  g_autofree char *flood = g_strdup_printf ("{\"cmd\":\"flood\",\"code\":\"005930\",\"count\":%u}",
                                            frames);
  g_autoptr(GSubprocess) python = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ready = NULL;
  g_autofree char *result = NULL;
  g_autoptr(JsonObject) summary = NULL;
  const char *script = g_getenv ("HOGA_PY_INGEST");

  if (script == NULL)
    g_error ("set HOGA_PY_INGEST to bench/py-ingest.py");
  python = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "/usr/bin/python3", script,
                             exchange->ws_url, token, count, NULL);
  if (python == NULL)
    g_error ("cannot run the Python baseline: %s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (python));
  ready = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (g_strcmp0 (ready, "ready") != 0)
    g_error ("the Python baseline did not log in (is python3-websockets installed?)");

  control (exchange, flood);
  result = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (result == NULL || (summary = parse_object (result, -1)) == NULL)
    g_error ("the Python baseline printed no result");
  g_subprocess_wait (python, NULL, NULL);
  return json_object_get_double_member (summary, "ticks_per_s");
}

/* ---- latency at a paced rate --------------------------------------------------------- */

static gboolean
deadline_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *)data;
}

static void
measure_latency (guint    seconds,
                 GArray **latencies_out,
                 double  *rate_out)
{
  /* 2,800 of 3,000 symbols are registered, and the walk runs a little under its rate:
   * 5,700 prints/s give a little over 5,000 ticks/s. */
  const char *args[] = { "--trades-per-second", "5700", "--symbols", "3000",
                         "--entries-per-frame", "1", "--no-conditions",
                         "--ping-interval", "3600", "--seed", "7", NULL };
  Exchange *exchange = exchange_start (args);
  g_autoptr(KiwoomRest) rest = kiwoom_rest_new (exchange->rest_url, "bench-latency", "bench");
  g_autoptr(KiwoomSocket) socket = socket_new (exchange, rest);
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  Counter counter = { 0 };
  gint64 warmup;
  gint64 deadline;

  /* Generated symbols are "9NNNN0" after the ~100 real ones; 2,800 of them are surely
   * there, and registering a code the exchange does not list would fail its REG group. */
  for (guint n = 1; n <= 2800; n++)
    g_ptr_array_add (codes, g_strdup_printf ("9%04u0", n));
  g_ptr_array_add (codes, NULL);
  kiwoom_socket_subscribe (socket, (const char * const *)codes->pdata);
  g_signal_connect (socket, "tick", G_CALLBACK (tick_cb), &counter);

  warmup = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  iterate_until (deadline_passed, &warmup, 10, "the warm-up");

  counter.ticks = 0;
  counter.latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  iterate_until (deadline_passed, &deadline, seconds + 10, "the latency window");

  kiwoom_socket_stop (socket);
  *rate_out = counter.ticks / (double)seconds;
  *latencies_out = counter.latencies;
  g_clear_object (&socket);
  exchange_stop (exchange);
}

static gint64
percentile (GArray *sorted,
            double  p)
{
  guint index = MIN (sorted->len - 1, (guint)(p / 100.0 * sorted->len));

  return g_array_index (sorted, gint64, index);
}

int
main (int   argc,
      char *argv[])
{
  const char *flood_args[] = { "--trades-per-second", "0", "--no-conditions",
                               "--ping-interval", "3600", NULL };
  gint64 frames = 200000;
  int latency_seconds = 10;
  const GOptionEntry entries[] = {
    { "frames", 0, 0, G_OPTION_ARG_INT64, &frames, "Frames per flood", "N" },
    { "latency-seconds", 0, 0, G_OPTION_ARG_INT, &latency_seconds,
      "Length of the latency window", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) captured = NULL;
  g_autoptr(GArray) latencies = NULL;
  Exchange *exchange;
  gint64 sink = 0;
  double scan_ns, dom_ns, hoga_rate, python_rate, paced_rate;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || frames < 1000
      || latency_seconds < 1)
    {
      g_printerr ("bench-ingest: %s\n", error ? error->message : "bad arguments");
      return EXIT_FAILURE;
    }
  session = soup_session_new ();

  exchange = exchange_start (flood_args);

  captured = capture_frames (exchange, 5000);
  scan_ns = time_decoder (captured, TRUE, 20, &sink);
  dom_ns = time_decoder (captured, FALSE, 5, &sink);
  printf ("{\"bench\":\"decode\",\"frames\":%u,\"avg_bytes\":%.0f,\"scanner_ns\":%.0f,"
          "\"json_glib_ns\":%.0f,\"speedup\":%.1f}\n",
          captured->len, (double)g_bytes_get_size (g_ptr_array_index (captured, 0)),
          scan_ns, dom_ns, dom_ns / scan_ns);
  fflush (stdout);

  hoga_rate = flood_hoga (exchange, frames);
  python_rate = flood_python (exchange, frames);
  printf ("{\"bench\":\"flood\",\"frames\":%" G_GINT64_FORMAT ",\"hoga_per_s\":%.0f,"
          "\"python_per_s\":%.0f,\"ratio\":%.2f}\n",
          frames, hoga_rate, python_rate, hoga_rate / python_rate);
  fflush (stdout);
  exchange_stop (exchange);

  measure_latency (latency_seconds, &latencies, &paced_rate);
  g_array_sort (latencies, compare_gint64);
  printf ("{\"bench\":\"latency\",\"ticks\":%u,\"ticks_per_s\":%.0f,\"p50_us\":%" G_GINT64_FORMAT
          ",\"p99_us\":%" G_GINT64_FORMAT ",\"p999_us\":%" G_GINT64_FORMAT
          ",\"max_us\":%" G_GINT64_FORMAT "}\n",
          latencies->len, paced_rate, percentile (latencies, 50), percentile (latencies, 99),
          percentile (latencies, 99.9), g_array_index (latencies, gint64, latencies->len - 1));

  printf ("\n| measurement | Hoga | baseline (same run) | ratio |\n|---|---|---|---|\n");
  printf ("| 0B decode, ns/frame | %.0f (scanner) | %.0f (json-glib DOM) | %.1f× |\n",
          scan_ns, dom_ns, dom_ns / scan_ns);
  printf ("| flood end to end, frames/s | %.0f | %.0f (Python asyncio + websockets + json) "
          "| %.2f× |\n", hoga_rate, python_rate, hoga_rate / python_rate);
  printf ("| receive → dispatch at %.0f ticks/s | p50 %" G_GINT64_FORMAT " µs, p99 %"
          G_GINT64_FORMAT " µs, max %" G_GINT64_FORMAT " µs | | |\n",
          paced_rate, percentile (latencies, 50), percentile (latencies, 99),
          g_array_index (latencies, gint64, latencies->len - 1));
  printf ("(checksum %" G_GINT64_FORMAT ")\n", sink);

  g_clear_object (&session);
  return EXIT_SUCCESS;
}
