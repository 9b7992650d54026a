/* test-exchange-faults.c — hoga-exchange fault injection through /hx/control, and bad input
 * that must never kill the server
 *
 * Written against docs/hoga-exchange.md, with raw libsoup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-exchange-faults"

#include "config.h"

#include <string.h>

#include "hx-test-fixture.h"

#define KA10001_BODY "{\"stk_cd\":\"" HX_CODE_A "\"}"

static HxWs *
logged_in (HxServer *server)
{
  HxWs *ws = hx_ws_connect (server, TRUE);

  hx_ws_login (ws, NULL);
  return ws;
}

static void
assert_alive (HxServer *server)
{
  g_autoptr(JsonObject) status = hx_control (server, "{\"cmd\":\"status\"}");
  g_autoptr(HxReply) reply = hx_tr (server, "ka10001", "/api/dostk/stkinfo", KA10001_BODY);

  g_assert_cmpint (json_object_get_int_member (status, "symbols"), >, 0);
  hx_assert_ok (reply);
}

static void
fault_reply (HxServer   *server,
             const char *body,
             gboolean    expect_ok)
{
  g_autoptr(HxReply) reply = hx_control_raw (server, body);

  if (expect_ok && (reply->status != 200 || reply->object == NULL
                    || !json_object_get_boolean_member (reply->object, "ok")))
    hx_fail ("control %s: expected ok, got HTTP %u %s", body, reply->status, reply->text);
  if (!expect_ok)
    {
      if (reply->status != 400 || reply->object == NULL
          || !json_object_has_member (reply->object, "ok")
          || json_object_get_boolean_member (reply->object, "ok"))
        hx_fail ("control %s: expected {\"ok\":false} with HTTP 400, got HTTP %u %s", body,
                 reply->status, reply->text);
      hx_str (reply->object, "error");
    }
}

/* ---- WebSocket faults -------------------------------------------------------------- */

static gboolean
match_system (JsonObject *object,
              gpointer    data)
{
  return g_strcmp0 (hx_opt_str (object, "trnm"), "SYSTEM") == 0;
}

static void
test_drop_ws (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(JsonObject) status = NULL;

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"drop-ws\"}");
  hx_ws_wait_closed (ws, HX_WAIT_MS);
  /* no close frame: libsoup reports no peer close code */
  if (ws->close_code != 0)
    hx_fail ("drop-ws sent a close frame (code %u); expected an abrupt close",
             ws->close_code);
  if (hx_ws_poll (ws, match_system, NULL, 1) != NULL)
    hx_fail ("a SYSTEM or other frame preceded the drop: %s", hx_ws_describe_seen (ws));

  hx_pump (100);
  status = hx_control (server, "{\"cmd\":\"status\"}");
  g_assert_cmpint (json_object_get_int_member (status, "sessions"), ==, 0);

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_kick (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(JsonObject) system = NULL;

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"kick\"}");
  system = hx_ws_wait_system (ws, "R10001", HX_WAIT_MS);
  hx_str (system, "message");
  hx_ws_wait_closed (ws, HX_WAIT_MS);
  g_clear_pointer (&ws, hx_ws_free);

  /* the app key can log in again */
  ws = logged_in (server);
  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_stop_pings (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--ping-interval", "0.2",
                                      "--max-missed-pings", "2", NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  guint before;

  hx_pump (500);
  g_assert_cmpuint (ws->n_pings, >, 0);

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"stop-pings\",\"on\":true}");
  hx_pump (150);
  before = ws->n_pings;
  /* six intervals without a PING; unanswered PINGs cannot pile up, so no R10002 */
  hx_pump (1200);
  g_assert_cmpuint (ws->n_pings, ==, before);
  g_assert_false (ws->closed);

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"stop-pings\",\"on\":false}");
  hx_pump (1000);
  g_assert_cmpuint (ws->n_pings, >, before);
  g_assert_false (ws->closed);

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_stop_pings_flag (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--ping-interval", "0.2",
                                      "--fault-stop-pings", NULL);
  g_autoptr(HxWs) ws = logged_in (server);

  hx_pump (1000);
  g_assert_cmpuint (ws->n_pings, ==, 0);
  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_ws_silent (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--ping-interval", "0.2", NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  gint64 quiet_from;
  guint seen;

  hx_pump (500);
  g_assert_cmpuint (ws->n_pings, >, 0);

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"ws-silent\",\"on\":true}");
  hx_pump (150);
  quiet_from = g_get_monotonic_time ();
  seen = ws->seen->len;
  /* no PING, and no reply to a REG */
  hx_ws_send (ws, "{\"trnm\":\"REG\",\"grp_no\":\"1\",\"refresh\":\"1\","
              "\"data\":[{\"item\":[\"" HX_CODE_A "\"],\"type\":[\"0B\"]}]}");
  hx_pump (1200);
  if (ws->seen->len != seen || ws->last_frame_us > quiet_from)
    hx_fail ("frames arrived while ws-silent was on: %s", hx_ws_describe_seen (ws));

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"ws-silent\",\"on\":false}");
  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static gint64
fid (JsonObject *entry,
     const char *key)
{
  return hx_num (hx_str (hx_object (entry, "values"), key));
}

/* hold-ticks: trades push no 0B or 0D while it is on, and everything else still flows
 * (02, 00, 04, PING); off again, the next tick's running volume counts the trades made
 * meanwhile. */
static void
test_hold_ticks (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--ping-interval", "0.2", NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) condition = NULL;
  g_autoptr(JsonObject) order_event = NULL;
  g_autoptr(JsonObject) balance_event = NULL;
  g_autoptr(JsonObject) resumed = NULL;
  g_autoptr(HxReply) reply = NULL;
  HxSymbolInfo info;
  gint64 volume;
  guint pings;

  hx_symbol_info (server, HX_CODE_A, &info);
  hx_ws_send (ws, "{\"trnm\":\"REG\",\"grp_no\":\"1\",\"refresh\":\"1\","
              "\"data\":[{\"item\":[\"" HX_CODE_A "\"],\"type\":[\"0B\",\"0D\"]}]}");
  ack = hx_ws_wait_trnm (ws, "REG", HX_WAIT_MS);
  hx_assert_return_code (ack, 0);
  g_clear_pointer (&ack, json_object_unref);
  hx_ws_send (ws, "{\"trnm\":\"CNSRLST\"}");
  ack = hx_ws_wait_trnm (ws, "CNSRLST", HX_WAIT_MS);
  g_clear_pointer (&ack, json_object_unref);
  hx_ws_send (ws, "{\"trnm\":\"CNSRREQ\",\"seq\":\"0\",\"search_type\":\"1\","
              "\"stex_tp\":\"K\"}");
  ack = hx_ws_wait_trnm (ws, "CNSRREQ", HX_WAIT_MS);
  hx_assert_return_code (ack, 0);

  hx_command (server, "{\"cmd\":\"trade\",\"code\":\"" HX_CODE_A "\",\"price\":%"
              G_GINT64_FORMAT ",\"qty\":5}", info.base);
  first = hx_ws_wait_real (ws, "0B", HX_CODE_A, NULL, NULL, HX_WAIT_MS);
  volume = fid (first, "13");
  hx_ws_clear (ws);

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"hold-ticks\",\"on\":true}");
  pings = ws->n_pings;
  hx_command (server, "{\"cmd\":\"trade\",\"code\":\"" HX_CODE_A "\",\"price\":%"
              G_GINT64_FORMAT ",\"qty\":7}", hx_ticks_from (info.base, 1));
  hx_command (server, "{\"cmd\":\"condition\",\"seq\":\"0\",\"code\":\"" HX_CODE_B "\","
              "\"event\":\"I\"}");
  condition = hx_ws_wait_real (ws, "02", NULL, NULL, NULL, HX_WAIT_MS);
  g_assert_cmpstr (hx_str (hx_object (condition, "values"), "843"), ==, "I");
  hx_command (server, "{\"cmd\":\"order-outcome\",\"outcome\":\"fill\",\"count\":1}");
  reply = hx_tr (server, "kt10000", "/api/dostk/ordr",
                 "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"" HX_CODE_A "\",\"ord_qty\":\"1\","
                 "\"ord_uv\":\"\",\"trde_tp\":\"3\",\"cond_uv\":\"\"}");
  hx_assert_ok (reply);
  order_event = hx_ws_wait_real (ws, "00", HX_CODE_A, NULL, NULL, HX_WAIT_MS);
  balance_event = hx_ws_wait_real (ws, "04", HX_CODE_A, NULL, NULL, HX_WAIT_MS);
  if (hx_ws_poll_real (ws, "0B", NULL, NULL, NULL, HX_QUIET_MS) != NULL
      || hx_ws_poll_real (ws, "0D", NULL, NULL, NULL, 1) != NULL)
    hx_fail ("a tick arrived while hold-ticks was on: %s", hx_ws_describe_seen (ws));
  g_assert_cmpuint (ws->n_pings, >, pings);

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"hold-ticks\",\"on\":false}");
  hx_command (server, "{\"cmd\":\"trade\",\"code\":\"" HX_CODE_A "\",\"price\":%"
              G_GINT64_FORMAT ",\"qty\":2}", info.base);
  resumed = hx_ws_wait_real (ws, "0B", HX_CODE_A, NULL, NULL, HX_WAIT_MS);
  g_assert_cmpint (ABS (fid (resumed, "15")), ==, 2);
  g_assert_cmpint (fid (resumed, "13"), ==, volume + 7 + 2);

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_ws_silent_flag (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--ping-interval", "0.2",
                                      "--fault-ws-silent", NULL);
  g_autoptr(HxWs) ws = hx_ws_connect (server, TRUE);

  hx_ws_send (ws, "{\"trnm\":\"LOGIN\",\"token\":\"%s\"}", hx_token (server));
  hx_pump (1000);
  if (ws->seen->len != 0)
    hx_fail ("frames arrived from a silent server: %s", hx_ws_describe_seen (ws));
  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static gboolean
match_binary (HxWsMessage *m,
              gpointer     data)
{
  return m->binary;
}

static gboolean
match_not_json (HxWsMessage *m,
                gpointer     data)
{
  return !m->binary && m->root == NULL;
}

static gboolean
match_any (HxWsMessage *m,
           gpointer     data)
{
  return TRUE;
}

static void
test_malformed_kinds (void)
{
  /* The kinds hoga-exchange offers (src/exchange/hx-ws.h): docs/hoga-exchange.md names the
   * `malformed` fault and its `kind` but does not list them. */
  const char *kinds[] = { "truncated", "not-json", "wrong-types", "unknown-type", "huge",
                          "binary", "empty-data", "missing-values", NULL };
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);

  for (guint i = 0; kinds[i] != NULL; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"cmd\":\"fault\",\"name\":\"malformed\","
                                               "\"kind\":\"%s\"}", kinds[i]);
      HxWsMessage *m;

      hx_ws_clear (ws);
      fault_reply (server, body, TRUE);
      if (g_str_equal (kinds[i], "binary"))
        m = hx_ws_poll_raw (ws, match_binary, NULL, HX_WAIT_MS);
      else if (g_str_equal (kinds[i], "not-json") || g_str_equal (kinds[i], "truncated"))
        m = hx_ws_poll_raw (ws, match_not_json, NULL, HX_WAIT_MS);
      else
        m = hx_ws_poll_raw (ws, match_any, NULL, HX_WAIT_MS);
      if (m == NULL)
        hx_fail ("malformed %s: nothing arrived: %s", kinds[i], hx_ws_describe_seen (ws));
      if (g_str_equal (kinds[i], "huge") && m->length <= 128 * 1024)
        hx_fail ("malformed huge: only %zu bytes", m->length);
      hx_ws_message_free (m);
      if (ws->closed)
        hx_fail ("malformed %s closed the session: %s", kinds[i], hx_ws_describe_seen (ws));
    }

  /* an unknown kind is refused; the server keeps running and the session works */
  fault_reply (server, "{\"cmd\":\"fault\",\"name\":\"malformed\",\"kind\":\"no-such-kind\"}",
               FALSE);
  hx_ws_send (ws, "{\"trnm\":\"REG\",\"grp_no\":\"1\",\"refresh\":\"1\","
              "\"data\":[{\"item\":[\"" HX_CODE_A "\"],\"type\":[\"0B\"]}]}");
  {
    g_autoptr(JsonObject) ack = hx_ws_wait_trnm (ws, "REG", HX_WAIT_MS);
    hx_assert_return_code (ack, 0);
  }
  assert_alive (server);

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

/* ---- REST faults ------------------------------------------------------------------- */

static void
test_rest_delay (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxReply) slow = NULL;
  g_autoptr(HxReply) fast = NULL;

  hx_token (server);
  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"rest-delay\",\"ms\":400}");
  slow = hx_tr (server, "ka10001", "/api/dostk/stkinfo", KA10001_BODY);
  hx_assert_ok (slow);
  g_assert_cmpint (slow->elapsed_us, >=, 400 * 1000);

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"rest-delay\",\"ms\":0}");
  fast = hx_tr (server, "ka10001", "/api/dostk/stkinfo", KA10001_BODY);
  hx_assert_ok (fast);
  g_assert_cmpint (fast->elapsed_us, <, 400 * 1000);
  hx_server_stop (server);
}

static void
test_rest_delay_flag (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--fault-rest-delay-ms", "300", NULL);
  g_autoptr(HxReply) slow = NULL;

  hx_token (server);
  slow = hx_tr (server, "ka10001", "/api/dostk/stkinfo", KA10001_BODY);
  hx_assert_ok (slow);
  g_assert_cmpint (slow->elapsed_us, >=, 300 * 1000);
  hx_server_stop (server);
}

typedef struct {
  gboolean done;
  GBytes *bytes;
  GError *error;
} AsyncRequest;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  AsyncRequest *request = data;

  request->bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                      &request->error);
  request->done = TRUE;
}

static gboolean
request_done (gpointer data)
{
  return ((AsyncRequest *) data)->done;
}

static void
test_rest_hang (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL,
                                                                  NULL);
  g_autofree char *uri = g_strconcat (server->rest_url, "/api/dostk/stkinfo", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) body = g_bytes_new_static (KA10001_BODY, strlen (KA10001_BODY));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *authorization = g_strconcat ("Bearer ", hx_token (server), NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  AsyncRequest request = { 0 };
  JsonObject *object;

  soup_message_set_request_body_from_bytes (msg, "application/json;charset=UTF-8", body);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "api-id", "ka10001");
  soup_message_headers_replace (soup_message_get_request_headers (msg), "authorization",
                                authorization);

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"rest-hang\",\"on\":true}");
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, cancellable, send_cb,
                                    &request);
  if (hx_iterate_until (request_done, &request, 1200))
    hx_fail ("the request completed although rest-hang is on: %s",
             request.error ? request.error->message : "a reply");

  /* the control endpoint still answers, and releases the request */
  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"rest-hang\",\"on\":false}");
  if (!hx_iterate_until (request_done, &request, HX_WAIT_MS))
    {
      g_cancellable_cancel (cancellable);
      hx_iterate_until (request_done, &request, 1000);
      hx_fail ("the hung request did not complete after rest-hang off");
    }
  if (request.bytes == NULL)
    hx_fail ("the released request failed: %s", request.error->message);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (request.bytes, NULL),
                                             g_bytes_get_size (request.bytes), NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  hx_assert_return_code (object, 0);
  g_bytes_unref (request.bytes);

  assert_alive (server);
  hx_server_stop (server);
}

static char *
limit_order_body (gint64 price)
{
  return g_strdup_printf ("{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"%s\",\"ord_qty\":\"1\","
                          "\"ord_uv\":\"%" G_GINT64_FORMAT "\",\"trde_tp\":\"0\","
                          "\"cond_uv\":\"\"}", HX_CODE_A, price);
}

static void
test_reject_orders (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  HxSymbolInfo info;
  g_autofree char *body = NULL;
  g_autoptr(HxReply) rejected = NULL;
  g_autoptr(HxReply) accepted = NULL;

  hx_symbol_info (server, HX_CODE_A, &info);
  body = limit_order_body (hx_ticks_from (info.base, -10));
  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"reject-orders\",\"count\":1}");
  rejected = hx_tr (server, "kt10000", "/api/dostk/ordr", body);
  hx_assert_error (rejected, 200, 20, "RC4099");
  accepted = hx_tr (server, "kt10000", "/api/dostk/ordr", body);
  hx_assert_ok (accepted);
  hx_server_stop (server);
}

static void
test_reject_orders_flag (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--fault-reject-orders", "2", NULL);
  HxSymbolInfo info;
  g_autofree char *body = NULL;

  hx_symbol_info (server, HX_CODE_A, &info);
  body = limit_order_body (hx_ticks_from (info.base, -10));
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(HxReply) reply = hx_tr (server, "kt10000", "/api/dostk/ordr", body);

      if (i < 2)
        hx_assert_error (reply, 200, 20, "RC4099");
      else
        hx_assert_ok (reply);
    }
  hx_server_stop (server);
}

static void
test_invalidate_tokens (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autofree char *old_token = g_strdup (hx_token (server));
  g_autofree char *new_token = NULL;
  g_autoptr(HxReply) before = NULL;
  g_autoptr(HxReply) after = NULL;
  g_autoptr(HxReply) renewed = NULL;
  g_autoptr(HxWs) ws = NULL;
  g_autoptr(JsonObject) ack = NULL;

  before = hx_tr (server, "ka10001", "/api/dostk/stkinfo", KA10001_BODY);
  hx_assert_ok (before);
  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"invalidate-tokens\"}");

  after = hx_tr (server, "ka10001", "/api/dostk/stkinfo", KA10001_BODY);
  hx_assert_error (after, 200, 3, "8005");

  /* the old token cannot log in on the WebSocket either */
  ws = hx_ws_connect (server, TRUE);
  hx_ws_send (ws, "{\"trnm\":\"LOGIN\",\"token\":\"%s\"}", old_token);
  ack = hx_ws_wait_trnm (ws, "LOGIN", HX_WAIT_MS);
  hx_assert_return_code (ack, 805004);
  g_clear_pointer (&ws, hx_ws_free);

  new_token = hx_issue_token (server, HX_TEST_APPKEY);
  renewed = hx_tr_full (server, new_token, "ka10001", "/api/dostk/stkinfo", KA10001_BODY,
                        NULL, NULL);
  hx_assert_ok (renewed);
  ws = hx_ws_connect (server, TRUE);
  hx_ws_login (ws, new_token);

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
burst_expect (HxServer *server,
              guint     http_status)
{
  guint limited = 0;

  for (int i = 0; i < 6; i++)
    {
      g_autoptr(HxReply) reply = hx_tr (server, "ka10001", "/api/dostk/stkinfo", KA10001_BODY);

      if (reply->object != NULL && reply->status == 200
          && json_object_get_int_member (reply->object, "return_code") == 0)
        continue;
      hx_assert_error (reply, http_status, 5, "1700");
      limited++;
    }
  g_assert_cmpuint (limited, >=, 3);
}

static void
test_rate_limit_status (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--rate-limit", "1", NULL);

  hx_token (server);
  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"rate-limit-status\",\"status\":200}");
  burst_expect (server, 200);
  g_usleep (1100 * 1000);
  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"rate-limit-status\",\"status\":429}");
  burst_expect (server, 429);
  hx_server_stop (server);
}

static void
test_unknown_fault (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);

  fault_reply (server, "{\"cmd\":\"fault\",\"name\":\"no-such-fault\"}", FALSE);
  assert_alive (server);
  hx_server_stop (server);
}

/* ---- garbage never kills the server ------------------------------------------------ */

static void
rest_garbage (HxServer *server)
{
  g_autofree char *authorization = g_strconcat ("Bearer ", hx_token (server), NULL);
  g_autofree char *long_value = g_strnfill (8000, 'x');
  g_autofree char *long_auth = g_strconcat ("Bearer ", long_value, NULL);
  g_autofree char *nested = NULL;
  const char *bodies[] = {
    "\xff\xfe\x00\x01garbage", "{\"stk_cd\":\"\xff\xfe\"}", "{\"stk_cd\":1e999}",
    "{\"stk_cd\":null}", "{\"stk_cd\":[\"005930\"]}", "{\"stk_cd\":{\"a\":1}}",
    "{\"stk_cd\":\"\"}", "{\"stk_cd\":\"005930\",\"stk_cd\":\"000660\"}", "null", "0",
    "{\"stk_cd\":\"../../etc/passwd\"}", "{\"stk_cd\":\"%s%s%n\"}",
    NULL
  };
  const char *order_bodies[] = {
    "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"005930\",\"ord_qty\":\"-5\",\"ord_uv\":\"\",\"trde_tp\":\"3\"}",
    "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"005930\",\"ord_qty\":\"abc\",\"ord_uv\":\"\",\"trde_tp\":\"3\"}",
    "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"005930\",\"ord_qty\":\"99999999999999999999\",\"ord_uv\":\"\",\"trde_tp\":\"3\"}",
    "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"005930\",\"ord_qty\":\"1\",\"ord_uv\":\"1e5\",\"trde_tp\":\"0\"}",
    "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"005930\",\"ord_qty\":\"1\",\"ord_uv\":\"-100\",\"trde_tp\":\"0\"}",
    "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"005930\",\"ord_qty\":\"1\",\"ord_uv\":\"\",\"trde_tp\":\"99\"}",
    "{\"dmst_stex_tp\":\"XXX\",\"stk_cd\":\"005930\",\"ord_qty\":\"1\",\"ord_uv\":\"\",\"trde_tp\":\"3\"}",
    "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"999999\",\"ord_qty\":\"1\",\"ord_uv\":\"\",\"trde_tp\":\"3\"}",
    "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"005930\",\"ord_qty\":\"1\",\"ord_uv\":\"\",\"trde_tp\":\"0\"}",
    NULL
  };
  const char *methods[] = { "PUT", "DELETE", "PATCH", "OPTIONS", "GET", NULL };
  GString *deep = g_string_new (NULL);

  for (int i = 0; i < 30000; i++)
    g_string_append_c (deep, '[');
  nested = g_string_free (deep, FALSE);

  for (guint i = 0; bodies[i] != NULL; i++)
    {
      g_autoptr(HxReply) r = hx_tr (server, "ka10001", "/api/dostk/stkinfo", bodies[i]);
      g_assert_cmpuint (r->status, !=, 0);
    }
  {
    g_autoptr(HxReply) r = hx_tr (server, "ka10001", "/api/dostk/stkinfo", nested);
    g_assert_cmpuint (r->status, !=, 0);
  }
  for (guint i = 0; order_bodies[i] != NULL; i++)
    {
      g_autoptr(HxReply) r = hx_tr (server, "kt10000", "/api/dostk/ordr", order_bodies[i]);
      g_assert_cmpuint (r->status, !=, 0);
    }
  {
    const char *tr[][3] = {
      { "kt10002", "/api/dostk/ordr", "{\"dmst_stex_tp\":\"KRX\",\"orig_ord_no\":\"\",\"stk_cd\":\"005930\",\"mdfy_qty\":\"1\",\"mdfy_uv\":\"1\"}" },
      { "kt10003", "/api/dostk/ordr", "{\"dmst_stex_tp\":\"KRX\",\"orig_ord_no\":\"abc\",\"stk_cd\":\"005930\",\"cncl_qty\":\"-1\"}" },
      { "ka10081", "/api/dostk/chart", "{\"stk_cd\":\"005930\",\"base_dt\":\"garbage\",\"upd_stkpc_tp\":\"1\"}" },
      { "ka10081", "/api/dostk/chart", "{\"stk_cd\":\"005930\",\"base_dt\":\"20261399\",\"upd_stkpc_tp\":\"1\"}" },
      { "ka10081", "/api/dostk/chart", "{\"stk_cd\":\"005930\",\"base_dt\":\"00000101\",\"upd_stkpc_tp\":\"1\"}" },
      { "ka10075", "/api/dostk/acnt", "{\"all_stk_tp\":\"7\",\"trde_tp\":\"x\",\"stk_cd\":\"\",\"stex_tp\":\"9\"}" },
      { "ka10076", "/api/dostk/acnt", "{\"stk_cd\":\"\",\"qry_tp\":\"0\",\"sell_tp\":\"0\",\"ord_no\":\"zzzzzzz\",\"stex_tp\":\"0\"}" },
      { "kt00018", "/api/dostk/acnt", "{\"qry_tp\":\"9\",\"dmst_stex_tp\":\"\"}" },
      { "kt00001", "/api/dostk/acnt", "{}" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (tr); i++)
      {
        g_autoptr(HxReply) r = hx_tr (server, tr[i][0], tr[i][1], tr[i][2]);
        g_assert_cmpuint (r->status, !=, 0);
      }
  }
  {
    /* paging with a next-key the server never gave */
    g_autoptr(HxReply) r = hx_tr_full (server, NULL, "ka10081", "/api/dostk/chart",
                                       "{\"stk_cd\":\"005930\",\"base_dt\":\"20260101\","
                                       "\"upd_stkpc_tp\":\"1\"}", "Y", "%%garbage%%");
    g_assert_cmpuint (r->status, !=, 0);
  }
  for (guint i = 0; methods[i] != NULL; i++)
    {
      const char *headers[] = { "api-id", "ka10001", "authorization", authorization, NULL };
      g_autoptr(HxReply) r = hx_http (server, methods[i], "/api/dostk/stkinfo", headers,
                                      KA10001_BODY, -1);
      g_assert_cmpuint (r->status, !=, 0);
    }
  {
    const char *headers[] = { "api-id", long_value, "authorization", long_auth,
                              "content-type", "application/json", NULL };
    g_autoptr(HxReply) r = hx_http (server, "POST", "/api/dostk/stkinfo", headers,
                                    KA10001_BODY, -1);
    g_assert_cmpuint (r->status, !=, 0);
  }
  {
    const char *headers[] = { "content-type", "application/json", NULL };
    g_autoptr(HxReply) r1 = hx_http (server, "POST", "/oauth2/token", headers, "{}", -1);
    g_autoptr(HxReply) r2 = hx_http (server, "POST", "/oauth2/token", headers,
                                     "{\"grant_type\":5,\"appkey\":[],\"secretkey\":null}", -1);
    g_autoptr(HxReply) r3 = hx_http (server, "POST", "/oauth2/revoke", headers, "garbage", -1);
    g_autoptr(HxReply) r4 = hx_http (server, "POST", "/", headers, "{}", -1);
    g_autoptr(HxReply) r5 = hx_http (server, "POST", "/api/dostk/stkinfo/../../hx/control",
                                     headers, "{}", -1);
    hx_assert_error (r1, 200, 3, "8011");
    hx_assert_error (r2, 200, 2, "1517");
    hx_assert_error (r3, 200, 2, "1517");
    hx_assert_error (r4, 404, 2, "1504");
    /* A dot-dot path does not climb into the control endpoint. */
    hx_assert_error (r5, 404, 2, "1504");
  }
}

static void
control_garbage (HxServer *server)
{
  const char *refused[] = {
    "not json", "{}", "[]", "{\"cmd\":5}", "{\"cmd\":\"no-such-command\"}",
    "{\"cmd\":\"trade\",\"code\":\"999999\",\"price\":1000}",
    "{\"cmd\":\"condition\",\"seq\":\"0\",\"code\":\"005930\",\"event\":\"X\"}",
    "{\"cmd\":\"fault\"}", NULL
  };
  const char *survived[] = {
    "{\"cmd\":\"trade\",\"code\":\"005930\",\"price\":-5}",
    "{\"cmd\":\"trade\",\"code\":\"005930\"}",
    "{\"cmd\":\"path\",\"code\":\"005930\",\"prices\":\"x\"}",
    "{\"cmd\":\"path\",\"code\":\"005930\",\"prices\":[],\"interval_ms\":0}",
    "{\"cmd\":\"set-cash\",\"amount\":\"lots\"}",
    "{\"cmd\":\"order-outcome\",\"outcome\":\"weird\"}",
    "{\"cmd\":\"condition\",\"seq\":\"999\",\"code\":\"005930\",\"event\":\"I\"}",
    "{\"cmd\":\"flood\",\"code\":\"999999\",\"count\":-1}",
    "{\"cmd\":\"session-event\"}",
    "{\"cmd\":\"fault\",\"name\":\"rest-delay\",\"ms\":-1}",
    "{\"cmd\":\"fault\",\"name\":\"rest-delay\",\"ms\":0}",
    "{\"cmd\":\"fault\",\"name\":\"rate-limit-status\",\"status\":\"x\"}",
    "{\"cmd\":\"scripted\",\"code\":\"nope\",\"on\":true}",
    "{\"cmd\":\"market\",\"running\":\"yes\"}",
    "{\"cmd\":\"market\",\"running\":false}",
    NULL
  };

  for (guint i = 0; refused[i] != NULL; i++)
    fault_reply (server, refused[i], FALSE);
  for (guint i = 0; survived[i] != NULL; i++)
    {
      g_autoptr(HxReply) r = hx_control_raw (server, survived[i]);
      g_assert_cmpuint (r->status, !=, 0);
    }
}

static void
ws_garbage (HxServer *server)
{
  const char *messages[] = {
    "", "null", "{}", "{\"trnm\":5}", "{\"trnm\":null}", "{\"trnm\":\"REG\"}",
    "{\"trnm\":\"REG\",\"data\":[{\"item\":[1,2],\"type\":[null]}]}",
    "{\"trnm\":\"REG\",\"data\":[null,5,\"x\"]}",
    "{\"trnm\":\"REMOVE\"}", "{\"trnm\":\"CNSRCLR\"}", "{\"trnm\":\"CNSRREQ\",\"seq\":{}}",
    "{\"trnm\":\"CNSRLST\",\"data\":[[[[[]]]]]}",
    "{\"trnm\":\"CNSRREQ\",\"seq\":\"0\",\"search_type\":\"0\",\"stex_tp\":\"K\","
      "\"cont_yn\":\"Y\",\"next_key\":\"garbage\"}",
    "{\"trnm\":\"CNSRREQ\",\"seq\":\"0\",\"search_type\":\"7\"}",
    "{\"trnm\":\"LOGIN\",\"token\":5}", "{\"trnm\":\"LOGIN\"}",
    "{\"trnm\":\"PING\",\"seq\":[1,2,3]}",
    NULL
  };
  g_autoptr(HxWs) before_login = hx_ws_connect (server, TRUE);
  g_autoptr(HxWs) ws = logged_in (server);
  GString *many = g_string_new ("{\"trnm\":\"REG\",\"grp_no\":\"1\",\"refresh\":\"1\","
                                "\"data\":[{\"type\":[\"0B\"],\"item\":[");
  static const guint8 binary[] = { 0x00, 0xff, 0x7b, 0x22 };

  for (int i = 0; i < 5000; i++)
    g_string_append_printf (many, "%s\"%06d\"", i ? "," : "", i);
  g_string_append (many, "]}]}");

  for (guint i = 0; messages[i] != NULL; i++)
    {
      if (!before_login->closed)
        hx_ws_send_text (before_login, messages[i]);
      if (!ws->closed)
        hx_ws_send_text (ws, messages[i]);
    }
  if (!ws->closed)
    {
      hx_ws_send_text (ws, many->str);
      soup_websocket_connection_send_binary (ws->conn, binary, sizeof binary);
    }
  g_string_free (many, TRUE);
  hx_pump (500);

  g_clear_pointer (&before_login, hx_ws_free);
  g_clear_pointer (&ws, hx_ws_free);
}

static void
test_garbage_battery (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = NULL;
  g_autoptr(JsonObject) status = NULL;

  rest_garbage (server);
  control_garbage (server);
  ws_garbage (server);

  /* still serving: status, a TR, and a new WebSocket session */
  status = hx_control (server, "{\"cmd\":\"status\"}");
  assert_alive (server);
  ws = logged_in (server);
  hx_ws_send (ws, "{\"trnm\":\"REG\",\"grp_no\":\"1\",\"refresh\":\"1\","
              "\"data\":[{\"item\":[\"" HX_CODE_A "\"],\"type\":[\"0B\"]}]}");
  {
    g_autoptr(JsonObject) ack = hx_ws_wait_trnm (ws, "REG", HX_WAIT_MS);
    hx_assert_return_code (ack, 0);
  }
  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  hx_test_init (&argc, &argv);

  hx_test_add ("/exchange/faults/drop-ws", test_drop_ws);
  hx_test_add ("/exchange/faults/kick", test_kick);
  hx_test_add ("/exchange/faults/stop-pings", test_stop_pings);
  hx_test_add ("/exchange/faults/stop-pings-flag", test_stop_pings_flag);
  hx_test_add ("/exchange/faults/ws-silent", test_ws_silent);
  hx_test_add ("/exchange/faults/ws-silent-flag", test_ws_silent_flag);
  hx_test_add ("/exchange/faults/hold-ticks", test_hold_ticks);
  hx_test_add ("/exchange/faults/malformed", test_malformed_kinds);
  hx_test_add ("/exchange/faults/rest-delay", test_rest_delay);
  hx_test_add ("/exchange/faults/rest-delay-flag", test_rest_delay_flag);
  hx_test_add ("/exchange/faults/rest-hang", test_rest_hang);
  hx_test_add ("/exchange/faults/reject-orders", test_reject_orders);
  hx_test_add ("/exchange/faults/reject-orders-flag", test_reject_orders_flag);
  hx_test_add ("/exchange/faults/invalidate-tokens", test_invalidate_tokens);
  hx_test_add ("/exchange/faults/rate-limit-status", test_rate_limit_status);
  hx_test_add ("/exchange/faults/unknown-fault", test_unknown_fault);
  hx_test_add ("/exchange/faults/garbage-battery", test_garbage_battery);

  return g_test_run ();
}
