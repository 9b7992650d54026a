/* bench-flood.c — how many 0B frames per second hoga-exchange's flood mode delivers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Spawns hoga-exchange ($HOGA_EXCHANGE), logs one WebSocket session in, asks the control
 * endpoint for a flood of N frames and counts what arrives with a plain libsoup client
 * that does nothing else per frame. Prints one JSON line per run and a summary. The
 * baseline, measured in the same run, is raw loopback TCP moving the same number of bytes
 * between two plain sockets: the flood's bytes/s as a fraction of it shows how much of the
 * transport's ceiling the exchange's framing and formatting leave.
 *
 * Usage: bench-flood [--frames N] [--runs R]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

typedef struct {
  GSubprocess             *exchange;
  SoupSession             *session;
  SoupWebsocketConnection *ws;
  char                    *rest_url;
  char                    *ws_url;
  char                    *control_url;
  guint64                  target;
  guint64                  received;
  guint64                  bytes;
  gint64                   first_us;
  gint64                   last_us;
  gboolean                 logged_in;
} Bench;

static JsonObject *
parse_object (const char *text,
              gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, length, NULL))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
post_json (Bench      *bench,
           const char *url,
           const char *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

  soup_message_set_request_body_from_bytes (msg, "application/json;charset=UTF-8", request);
  reply = soup_session_send_and_read (bench->session, msg, NULL, &error);
  if (reply == NULL)
    g_error ("POST %s: %s", url, error->message);
  return parse_object (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
}

static void
start_exchange (Bench *bench)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(JsonObject) ready = NULL;
  const char *path = g_getenv ("HOGA_EXCHANGE");

  if (path == NULL)
    g_error ("set HOGA_EXCHANGE to the hoga-exchange program");

  bench->exchange = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, path,
                                      "--trades-per-second", "0", "--no-conditions",
                                      "--ping-interval", "3600", NULL);
  if (bench->exchange == NULL)
    g_error ("cannot start %s: %s", path, error->message);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bench->exchange));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (line == NULL || (ready = parse_object (line, strlen (line))) == NULL)
    g_error ("hoga-exchange printed no ready line");

  bench->rest_url = g_strdup (json_object_get_string_member (ready, "rest_url"));
  bench->ws_url = g_strdup (json_object_get_string_member (ready, "ws_url"));
  bench->control_url = g_strdup (json_object_get_string_member (ready, "control_url"));
}

static char *
issue_token (Bench *bench)
{
  g_autofree char *url = g_strconcat (bench->rest_url, "/oauth2/token", NULL);
  g_autoptr(JsonObject) reply = post_json (bench, url,
    "{\"grant_type\":\"client_credentials\",\"appkey\":\"bench-app\",\"secretkey\":\"bench-secret\"}");

  if (reply == NULL || !json_object_has_member (reply, "token"))
    g_error ("no token from the exchange");
  return g_strdup (json_object_get_string_member (reply, "token"));
}

static void
message_cb (SoupWebsocketConnection *ws,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            gpointer                 user_data)
{
  Bench *bench = user_data;
  gsize size;
  const char *data = g_bytes_get_data (message, &size);

  if (!bench->logged_in)
    {
      if (size > 0 && g_strstr_len (data, size, "\"LOGIN\"") != NULL)
        bench->logged_in = TRUE;
      return;
    }

  /* Count only REAL frames: anything else (PING) is not part of the flood. */
  if (g_strstr_len (data, MIN (size, 64), "REAL") == NULL
      && g_strstr_len (data, size, "\"REAL\"") == NULL)
    return;

  if (bench->received == 0)
    bench->first_us = g_get_monotonic_time ();
  bench->received++;
  bench->bytes += size;
  bench->last_us = g_get_monotonic_time ();
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;

  bench->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (bench->ws == NULL)
    g_error ("WebSocket connect: %s", error->message);
  soup_websocket_connection_set_max_incoming_payload_size (bench->ws, 4 * 1024 * 1024);
  g_signal_connect (bench->ws, "message", G_CALLBACK (message_cb), bench);
}

static void
connect_and_login (Bench      *bench,
                   const char *token)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", bench->ws_url);
  g_autofree char *login = g_strdup_printf ("{\"trnm\":\"LOGIN\",\"token\":\"%s\"}", token);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  soup_session_websocket_connect_async (bench->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, connected_cb, bench);
  while (bench->ws == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  soup_websocket_connection_send_text (bench->ws, login);
  while (!bench->logged_in && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!bench->logged_in)
    g_error ("LOGIN was not acknowledged");
}

static double
run_flood (Bench   *bench,
           guint64  frames)
{
  g_autofree char *body = g_strdup_printf ("{\"cmd\":\"flood\",\"code\":\"005930\",\"count\":%"
                                           G_GUINT64_FORMAT "}", frames);
  g_autoptr(JsonObject) reply = NULL;
  gint64 deadline;

  bench->received = 0;
  bench->bytes = 0;
  reply = post_json (bench, bench->control_url, body);
  if (reply == NULL || !json_object_get_boolean_member (reply, "ok"))
    g_error ("flood command refused");

  deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (bench->received < frames && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (bench->received < frames)
    g_error ("only %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " frames arrived",
             bench->received, frames);

  return (double)(frames - 1) * G_USEC_PER_SEC / MAX (bench->last_us - bench->first_us, 1);
}

typedef struct {
  GSocket *socket;
  guint64  bytes;
} Writer;

static gpointer
write_bytes_thread (gpointer user_data)
{
  Writer *writer = user_data;
  char chunk[64 * 1024];
  guint64 left = writer->bytes;

  memset (chunk, 'x', sizeof chunk);
  while (left > 0)
    {
      gssize n = g_socket_send (writer->socket, chunk, MIN (left, sizeof chunk), NULL, NULL);

      if (n <= 0)
        break;
      left -= n;
    }
  return NULL;
}

/* Raw loopback TCP throughput in bytes/s for @bytes, writer and reader in two threads. */
static double
measure_loopback (guint64 bytes)
{
  g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) client = NULL;
  g_autoptr(GSocket) server = NULL;
  Writer writer = { 0 };
  GThread *thread;
  char buffer[64 * 1024];
  guint64 got = 0;
  gint64 start;

  if (!g_socket_bind (listener, any, TRUE, NULL) || !g_socket_listen (listener, NULL))
    g_error ("cannot listen on loopback");
  bound = g_socket_get_local_address (listener, NULL);
  client = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         NULL);
  if (!g_socket_connect (client, bound, NULL, NULL))
    g_error ("cannot connect on loopback");
  server = g_socket_accept (listener, NULL, NULL);

  writer.socket = server;
  writer.bytes = bytes;
  start = g_get_monotonic_time ();
  thread = g_thread_new ("loopback-writer", write_bytes_thread, &writer);
  while (got < bytes)
    {
      gssize n = g_socket_receive (client, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        break;
      got += n;
    }
  g_thread_join (thread);
  return (double)got * G_USEC_PER_SEC / MAX (g_get_monotonic_time () - start, 1);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { 0 };
  g_autofree char *token = NULL;
  g_autoptr(GArray) rates = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) baselines = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 frames = 500000;
  int runs = 5;
  const GOptionEntry entries[] = {
    { "frames", 0, 0, G_OPTION_ARG_INT64, &frames, "Frames per flood", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Floods to measure", "R" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  double median;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || frames < 2 || runs < 1)
    {
      g_printerr ("bench-flood: %s\n", error ? error->message : "bad --frames or --runs");
      return EXIT_FAILURE;
    }

  bench.session = soup_session_new ();
  start_exchange (&bench);
  token = issue_token (&bench);
  connect_and_login (&bench, token);

  /* One short warm-up flood, not counted. */
  run_flood (&bench, MIN (frames, 10000));

  for (int i = 0; i < runs; i++)
    {
      double rate = run_flood (&bench, frames);
      double flood_bytes_per_s = rate * bench.bytes / frames;
      double loopback = measure_loopback (bench.bytes);

      g_array_append_val (rates, rate);
      g_array_append_val (baselines, loopback);
      printf ("{\"bench\":\"flood\",\"run\":%d,\"frames\":%" G_GINT64_FORMAT
              ",\"frames_per_s\":%.0f,\"mb_per_s\":%.1f,\"avg_frame_bytes\":%.0f"
              ",\"loopback_mb_per_s\":%.1f,\"fraction_of_loopback\":%.3f}\n",
              i + 1, frames, rate, flood_bytes_per_s / 1e6, (double)bench.bytes / frames,
              loopback / 1e6, flood_bytes_per_s / loopback);
      fflush (stdout);
    }

  g_array_sort (rates, compare_doubles);
  g_array_sort (baselines, compare_doubles);
  median = g_array_index (rates, double, rates->len / 2);
  printf ("flood: median %.0f 0B frames/s over %d runs of %" G_GINT64_FORMAT " frames "
          "(min %.0f, max %.0f); raw loopback TCP median %.0f MB/s in the same run\n",
          median, runs, frames,
          g_array_index (rates, double, 0), g_array_index (rates, double, rates->len - 1),
          g_array_index (baselines, double, baselines->len / 2) / 1e6);

  soup_websocket_connection_close (bench.ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_subprocess_send_signal (bench.exchange, SIGTERM);
  g_subprocess_wait (bench.exchange, NULL, NULL);

  g_clear_object (&bench.ws);
  g_clear_object (&bench.session);
  g_clear_object (&bench.exchange);
  g_free (bench.rest_url);
  g_free (bench.ws_url);
  g_free (bench.control_url);
  return EXIT_SUCCESS;
}
