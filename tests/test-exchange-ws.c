/* test-exchange-ws.c — hoga-exchange WebSocket: LOGIN, PING, SYSTEM codes, REG/REMOVE,
 * REAL 0B/0D/0s pushes
 *
 * Written against kiwoom-protocol.md and docs/hoga-exchange.md, with raw libsoup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-exchange-ws"

#include "config.h"

#include <string.h>

#include "hx-test-fixture.h"

static const char * const fids_0b[] = {
  "20", "10", "11", "12", "27", "28", "15", "13", "14", "16", "17", "18", "25", "26", "29",
  "30", "31", "32", "228", "311", "290", "691", "567", "568", "851", "1890", "1891", "1892",
  "1030", "1031", "1032", "1071", "1072", "1313", "1315", "1316", "1314", "1497", "1498",
  "620", "732", "852", "9081", NULL
};

static JsonObject *
reg (HxWs       *ws,
     const char *trnm,
     const char *refresh,
     const char *items,
     const char *types)
{
  g_autoptr(JsonObject) ack = NULL;

  if (refresh != NULL)
    hx_ws_send (ws, "{\"trnm\":\"%s\",\"grp_no\":\"1\",\"refresh\":\"%s\","
                "\"data\":[{\"item\":[%s],\"type\":[%s]}]}", trnm, refresh, items, types);
  else
    hx_ws_send (ws, "{\"trnm\":\"%s\",\"grp_no\":\"1\","
                "\"data\":[{\"item\":[%s],\"type\":[%s]}]}", trnm, items, types);
  ack = hx_ws_wait_trnm (ws, trnm, HX_WAIT_MS);
  return g_steal_pointer (&ack);
}

static void
reg_ok (HxWs       *ws,
        const char *trnm,
        const char *refresh,
        const char *items,
        const char *types)
{
  g_autoptr(JsonObject) ack = reg (ws, trnm, refresh, items, types);

  hx_assert_return_code (ack, 0);
  hx_assert_member (ack, "return_msg", "");
}

static void
trade (HxServer   *server,
       const char *code,
       gint64      price,
       gint64      qty)
{
  hx_command (server, "{\"cmd\":\"trade\",\"code\":\"%s\",\"price\":%" G_GINT64_FORMAT
              ",\"qty\":%" G_GINT64_FORMAT "}", code, price, qty);
}

static HxWs *
logged_in (HxServer *server)
{
  HxWs *ws = hx_ws_connect (server, TRUE);

  hx_ws_login (ws, NULL);
  return ws;
}

/* ---- LOGIN ------------------------------------------------------------------------- */

static void
test_login (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = hx_ws_connect (server, TRUE);
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) status = NULL;

  hx_ws_send (ws, "{\"trnm\":\"LOGIN\",\"token\":\"%s\"}", hx_token (server));
  ack = hx_ws_wait_trnm (ws, "LOGIN", HX_WAIT_MS);
  hx_assert_return_code (ack, 0);
  hx_assert_member (ack, "return_msg", "");
  hx_assert_member (ack, "sor_yn", "N");

  status = hx_control (server, "{\"cmd\":\"status\"}");
  g_assert_cmpint (json_object_get_int_member (status, "sessions"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (status, "logged_in"), ==, 1);

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_login_first (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = hx_ws_connect (server, TRUE);
  g_autoptr(JsonObject) r1 = NULL;
  g_autoptr(JsonObject) r2 = NULL;

  /* login-timeout is 10 s: an R10004 within a second answers the REG itself */
  hx_ws_send (ws, "{\"trnm\":\"REG\",\"grp_no\":\"1\",\"refresh\":\"1\","
              "\"data\":[{\"item\":[\"" HX_CODE_A "\"],\"type\":[\"0B\"]}]}");
  r1 = hx_ws_wait_system (ws, "R10004", 1000);
  hx_str (r1, "message");

  hx_ws_send (ws, "{\"trnm\":\"CNSRLST\"}");
  r2 = hx_ws_wait_system (ws, "R10004", 1000);

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_login_timeout (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--login-timeout", "0.3", NULL);
  g_autoptr(HxWs) ws = hx_ws_connect (server, TRUE);
  gint64 start = g_get_monotonic_time ();

  for (int i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) r = hx_ws_wait_system (ws, "R10004", 1500);
      hx_assert_member (r, "message", "접속허용요청이 들어오지 않았습니다");
    }
  /* three intervals, not at once */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 600 * 1000);
  /* closing after the third */
  hx_ws_wait_closed (ws, 1500);

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_login_bad_token (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = hx_ws_connect (server, TRUE);
  g_autoptr(JsonObject) ack = NULL;

  hx_ws_send (ws, "{\"trnm\":\"LOGIN\",\"token\":\"not-a-token\"}");
  ack = hx_ws_wait_trnm (ws, "LOGIN", HX_WAIT_MS);
  hx_assert_return_code (ack, 805004);
  g_assert_nonnull (strstr (hx_str (ack, "return_msg"), "CODE=8005"));
  hx_ws_wait_closed (ws, HX_WAIT_MS);

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_same_appkey_kicks (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) first = logged_in (server);
  g_autoptr(HxWs) second = hx_ws_connect (server, TRUE);
  g_autoptr(JsonObject) kicked = NULL;

  hx_ws_login (second, NULL);
  kicked = hx_ws_wait_system (first, "R10001", HX_WAIT_MS);
  hx_str (kicked, "message");
  hx_ws_wait_closed (first, HX_WAIT_MS);

  /* the newer session carries on */
  reg_ok (second, "REG", "1", "\"" HX_CODE_A "\"", "\"0B\"");
  g_assert_false (second->closed);

  g_clear_pointer (&first, hx_ws_free);
  g_clear_pointer (&second, hx_ws_free);
  hx_server_stop (server);
}

static void
test_other_appkey_coexists (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) first = logged_in (server);
  g_autoptr(HxWs) second = hx_ws_connect (server, TRUE);
  g_autofree char *token = hx_issue_token (server, "hx-test-second-appkey");

  hx_ws_login (second, token);
  hx_pump (HX_QUIET_MS);
  g_assert_false (first->closed);
  reg_ok (first, "REG", "1", "\"" HX_CODE_A "\"", "\"0B\"");

  g_clear_pointer (&first, hx_ws_free);
  g_clear_pointer (&second, hx_ws_free);
  hx_server_stop (server);
}

/* ---- PING -------------------------------------------------------------------------- */

static void
test_ping_before_login (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--ping-interval", "0.2", NULL);
  g_autoptr(HxWs) ws = hx_ws_connect (server, FALSE);
  g_autoptr(JsonObject) ping = NULL;

  ping = hx_ws_wait_trnm (ws, "PING", 1500);
  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_ping_echo_keeps_alive (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--ping-interval", "0.2",
                                      "--max-missed-pings", "2", NULL);
  g_autoptr(HxWs) ws = logged_in (server);

  /* ten intervals, five times max-missed-pings */
  hx_pump (2000);
  if (ws->closed)
    hx_fail ("the session closed although every PING was echoed: %s",
             hx_ws_describe_seen (ws));
  /* one PING every 0.2 s */
  g_assert_cmpuint (ws->n_pings, >=, 6);
  g_assert_cmpuint (ws->n_pings, <=, 14);
  reg_ok (ws, "REG", "1", "\"" HX_CODE_A "\"", "\"0B\"");

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_ping_fresh_answers (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--ping-interval", "0.2",
                                      "--max-missed-pings", "2", NULL);
  g_autoptr(HxWs) ws = hx_ws_connect (server, FALSE);
  gint64 end;

  hx_ws_login (ws, NULL);
  /* a client's own {"trnm":"PING"} answers the outstanding ones too */
  end = g_get_monotonic_time () + 2000 * 1000;
  while (g_get_monotonic_time () < end && !ws->closed)
    {
      hx_ws_send (ws, "{\"trnm\":\"PING\"}");
      hx_pump (100);
    }
  if (ws->closed)
    hx_fail ("the session closed although PINGs were sent: %s", hx_ws_describe_seen (ws));
  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_ping_missed (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--ping-interval", "0.2",
                                      "--max-missed-pings", "2", NULL);
  g_autoptr(HxWs) ws = hx_ws_connect (server, FALSE);
  g_autoptr(JsonObject) system = NULL;
  gint64 start;

  hx_ws_login (ws, NULL);
  start = g_get_monotonic_time ();
  system = hx_ws_wait_system (ws, "R10002", 2500);
  g_assert_nonnull (strstr (hx_str (system, "message"), "Heartbeat"));
  /* not before two PINGs went unanswered */
  g_assert_cmpuint (ws->n_pings, >=, 2);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  hx_ws_wait_closed (ws, HX_WAIT_MS);

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

/* ---- REG / REMOVE ------------------------------------------------------------------ */

static void
test_reg_remove_ack (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);

  reg_ok (ws, "REG", "1", "\"" HX_CODE_A "\",\"" HX_CODE_B "\"", "\"0B\",\"0D\"");
  reg_ok (ws, "REG", "1", "\"\"", "\"00\",\"04\"");
  reg_ok (ws, "REMOVE", NULL, "\"" HX_CODE_B "\"", "\"0B\",\"0D\"");
  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_reg_unknown_type (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(JsonObject) ack = reg (ws, "REG", "1", "\"" HX_CODE_A "\"", "\"ZZ\"");

  hx_assert_return_code (ack, 1);
  g_assert_cmpuint (strlen (hx_str (ack, "return_msg")), >, 0);
  /* codes are case-sensitive: 0b is not 0B */
  {
    g_autoptr(JsonObject) lower = reg (ws, "REG", "1", "\"" HX_CODE_A "\"", "\"0b\"");
    hx_assert_return_code (lower, 1);
  }
  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_reg_malformed (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(JsonObject) a1 = NULL;
  g_autoptr(JsonObject) a2 = NULL;

  hx_ws_send (ws, "{\"trnm\":\"REG\",\"grp_no\":\"1\",\"refresh\":\"1\",\"data\":\"005930\"}");
  a1 = hx_ws_wait_trnm (ws, "REG", HX_WAIT_MS);
  hx_assert_return_code (a1, 1);
  hx_ws_send (ws, "{\"trnm\":\"REG\",\"grp_no\":\"1\",\"refresh\":\"1\","
              "\"data\":[{\"item\":\"005930\",\"type\":[\"0B\"]}]}");
  a2 = hx_ws_wait_trnm (ws, "REG", HX_WAIT_MS);
  hx_assert_return_code (a2, 1);
  reg_ok (ws, "REG", "1", "\"" HX_CODE_A "\"", "\"0B\"");
  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_reg_too_many_items (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--max-reg-items", "1", NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(JsonObject) ack = NULL;

  reg_ok (ws, "REG", "1", "\"" HX_CODE_A "\"", "\"0B\"");
  ack = reg (ws, "REG", "1", "\"" HX_CODE_B "\"", "\"0B\"");
  hx_assert_return_code (ack, 1);
  g_assert_nonnull (strstr (hx_str (ack, "return_msg"), "등록 종목수 초과"));
  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

/* ---- REAL 0B / 0D ------------------------------------------------------------------ */

static void
assert_0b (JsonObject *entry,
           gint64      base,
           gint64      price,
           gint64      qty)
{
  JsonObject *v = hx_object (entry, "values");
  const char *p = hx_str (v, "10");
  g_autofree char *expected_price = g_strdup_printf ("%c%" G_GINT64_FORMAT,
                                                     price > base ? '+' : '-', price);
  g_autofree char *expected_qty = g_strdup_printf ("%c%" G_GINT64_FORMAT,
                                                   qty > 0 ? '+' : '-', ABS (qty));

  for (guint i = 0; fids_0b[i] != NULL; i++)
    hx_str (v, fids_0b[i]);
  hx_assert_member (entry, "item", HX_CODE_A);
  hx_assert_member (entry, "name", "주식체결");
  g_assert_false (json_object_has_member (entry, "return_code"));

  g_assert_cmpstr (p, ==, expected_price);
  hx_assert_member (v, "15", expected_qty);
  hx_assert_member (v, "25", price > base ? "2" : "5");
  g_assert_cmpint (hx_num (hx_str (v, "11")), ==, price - base);
  /* rates carry a sign or none (protocol §7.5): never '-' going up */
  if (price > base)
    g_assert_cmpint (hx_str (v, "12")[0], !=, '-');
  else
    g_assert_cmpint (hx_str (v, "12")[0], ==, '-');
  hx_assert_padded (hx_str (v, "20"), 6, "FID 20");
  g_assert_cmpint (hx_abs (hx_str (v, "27")), >=, hx_abs (hx_str (v, "28")));
  g_assert_true (hx_on_grid (hx_abs (hx_str (v, "27"))));
  g_assert_true (hx_on_grid (hx_abs (hx_str (v, "28"))));
  g_assert_cmpint (hx_abs (hx_str (v, "17")), >=, price);
  g_assert_cmpint (hx_abs (hx_str (v, "18")), <=, price);
  g_assert_cmpint (hx_abs (hx_str (v, "16")), >, 0);
}

static void
test_0b_after_trade (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = NULL;
  g_autoptr(JsonObject) up = NULL;
  g_autoptr(JsonObject) down = NULL;
  HxSymbolInfo info;
  gint64 p_up, p_down, volume;

  hx_symbol_info (server, HX_CODE_A, &info);
  ws = logged_in (server);
  reg_ok (ws, "REG", "1", "\"" HX_CODE_A "\"", "\"0B\"");

  p_up = hx_ticks_from (info.base, 3);
  trade (server, HX_CODE_A, p_up, 7);
  up = hx_ws_wait_real (ws, "0B", HX_CODE_A, NULL, NULL, HX_WAIT_MS);
  assert_0b (up, info.base, p_up, 7);
  volume = hx_num (hx_str (hx_object (up, "values"), "13"));
  g_assert_cmpint (volume, >=, 7);

  p_down = hx_ticks_from (info.base, -4);
  trade (server, HX_CODE_A, p_down, -5);
  down = hx_ws_wait_real (ws, "0B", HX_CODE_A, NULL, NULL, HX_WAIT_MS);
  assert_0b (down, info.base, p_down, -5);
  /* cumulative volume adds the tick's size */
  g_assert_cmpint (hx_num (hx_str (hx_object (down, "values"), "13")), ==, volume + 5);

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_0d_levels (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = NULL;
  g_autoptr(JsonObject) entry = NULL;
  HxSymbolInfo info;
  JsonObject *v;
  gint64 previous_ask = 0, previous_bid = G_MAXINT64;

  hx_symbol_info (server, HX_CODE_A, &info);
  ws = logged_in (server);
  reg_ok (ws, "REG", "1", "\"" HX_CODE_A "\"", "\"0D\"");
  trade (server, HX_CODE_A, hx_ticks_from (info.base, 2), 3);
  entry = hx_ws_wait_real (ws, "0D", HX_CODE_A, NULL, NULL, HX_WAIT_MS);
  v = hx_object (entry, "values");

  hx_assert_padded (hx_str (v, "21"), 6, "FID 21");
  for (int level = 0; level < 10; level++)
    {
      g_autofree char *ask_fid = g_strdup_printf ("%d", 41 + level);
      g_autofree char *bid_fid = g_strdup_printf ("%d", 51 + level);
      g_autofree char *ask_qty_fid = g_strdup_printf ("%d", 61 + level);
      g_autofree char *bid_qty_fid = g_strdup_printf ("%d", 71 + level);
      gint64 ask = hx_abs (hx_str (v, ask_fid));
      gint64 bid = hx_abs (hx_str (v, bid_fid));

      /* asks rise, bids fall, all on the grid and inside the limits */
      g_assert_cmpint (ask, >, previous_ask);
      g_assert_cmpint (bid, <, previous_bid);
      g_assert_true (hx_on_grid (ask));
      g_assert_true (hx_on_grid (bid));
      g_assert_cmpint (ask, <=, info.upper);
      g_assert_cmpint (bid, >=, info.lower);
      g_assert_cmpint (hx_num (hx_str (v, ask_qty_fid)), >=, 0);
      g_assert_cmpint (hx_num (hx_str (v, bid_qty_fid)), >=, 0);
      previous_ask = ask;
      previous_bid = bid;
    }
  g_assert_cmpint (hx_abs (hx_str (v, "41")), >, hx_abs (hx_str (v, "51")));
  hx_num (hx_str (v, "121"));
  hx_num (hx_str (v, "125"));

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_no_0b_after_remove (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = NULL;
  g_autoptr(JsonObject) first = NULL;
  HxSymbolInfo info;
  JsonObject *late;

  hx_symbol_info (server, HX_CODE_A, &info);
  ws = logged_in (server);
  reg_ok (ws, "REG", "1", "\"" HX_CODE_A "\"", "\"0B\",\"0D\"");
  trade (server, HX_CODE_A, hx_ticks_from (info.base, 1), 1);
  first = hx_ws_wait_real (ws, "0B", HX_CODE_A, NULL, NULL, HX_WAIT_MS);

  reg_ok (ws, "REMOVE", NULL, "\"" HX_CODE_A "\"", "\"0B\",\"0D\"");
  hx_pump (100);
  hx_ws_clear (ws);
  trade (server, HX_CODE_A, hx_ticks_from (info.base, 2), 1);
  late = hx_ws_poll_real (ws, "0B", HX_CODE_A, NULL, NULL, HX_QUIET_MS);
  if (late == NULL)
    late = hx_ws_poll_real (ws, "0D", HX_CODE_A, NULL, NULL, 1);
  if (late != NULL)
    hx_fail ("REAL data after REMOVE: %s", hx_ws_describe_seen (ws));

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_unregistered_symbol_silent (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = NULL;
  HxSymbolInfo info;

  hx_symbol_info (server, HX_CODE_B, &info);
  ws = logged_in (server);
  reg_ok (ws, "REG", "1", "\"" HX_CODE_A "\"", "\"0B\"");
  trade (server, HX_CODE_B, hx_ticks_from (info.base, 1), 1);
  if (hx_ws_poll_real (ws, "0B", NULL, NULL, NULL, HX_QUIET_MS) != NULL)
    hx_fail ("0B for a symbol that is not registered: %s", hx_ws_describe_seen (ws));
  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_refresh_zero (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = NULL;
  g_autoptr(JsonObject) b = NULL;
  g_autoptr(JsonObject) a = NULL;
  HxSymbolInfo info_a, info_b;

  hx_symbol_info (server, HX_CODE_A, &info_a);
  hx_symbol_info (server, HX_CODE_B, &info_b);
  ws = logged_in (server);

  reg_ok (ws, "REG", "1", "\"" HX_CODE_A "\"", "\"0B\"");
  /* refresh "0" drops the earlier registration */
  reg_ok (ws, "REG", "0", "\"" HX_CODE_B "\"", "\"0B\"");
  trade (server, HX_CODE_A, hx_ticks_from (info_a.base, 1), 1);
  trade (server, HX_CODE_B, hx_ticks_from (info_b.base, 1), 1);
  b = hx_ws_wait_real (ws, "0B", HX_CODE_B, NULL, NULL, HX_WAIT_MS);
  if (hx_ws_poll_real (ws, "0B", HX_CODE_A, NULL, NULL, HX_QUIET_MS) != NULL)
    hx_fail ("0B for %s after REG with refresh \"0\": %s", HX_CODE_A, hx_ws_describe_seen (ws));

  /* refresh "1" keeps it */
  reg_ok (ws, "REG", "1", "\"" HX_CODE_A "\"", "\"0B\"");
  trade (server, HX_CODE_A, hx_ticks_from (info_a.base, 2), 1);
  trade (server, HX_CODE_B, hx_ticks_from (info_b.base, 2), 1);
  a = hx_ws_wait_real (ws, "0B", HX_CODE_A, NULL, NULL, HX_WAIT_MS);
  g_clear_pointer (&b, json_object_unref);
  b = hx_ws_wait_real (ws, "0B", HX_CODE_B, NULL, NULL, HX_WAIT_MS);

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

typedef struct {
  guint frames;
  guint entries;
  guint max_per_frame;
  guint multi;
} FrameCount;

static void
count_frames (HxWs       *ws,
              FrameCount *count)
{
  memset (count, 0, sizeof *count);
  for (GList *l = ws->queue.head; l != NULL; l = l->next)
    {
      HxWsMessage *m = l->data;
      JsonObject *o;
      guint n;

      if (m->root == NULL || !JSON_NODE_HOLDS_OBJECT (m->root))
        continue;
      o = json_node_get_object (m->root);
      if (g_strcmp0 (hx_opt_str (o, "trnm"), "REAL") != 0)
        continue;
      n = json_array_get_length (hx_array (o, "data"));
      count->frames++;
      count->entries += n;
      count->max_per_frame = MAX (count->max_per_frame, n);
      if (n > 1)
        count->multi++;
    }
}

static gboolean
enough_entries (gpointer data)
{
  HxWs *ws = data;
  FrameCount count;

  count_frames (ws, &count);
  return count.entries >= 40;
}

static void
test_several_entries_per_frame (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--entries-per-frame", "4", NULL);
  g_autoptr(HxWs) ws = NULL;
  GString *prices = g_string_new (NULL);
  HxSymbolInfo info;
  FrameCount count;
  gint64 path[20];

  hx_symbol_info (server, HX_CODE_A, &info);
  ws = logged_in (server);
  reg_ok (ws, "REG", "1", "\"" HX_CODE_A "\"", "\"0B\",\"0D\"");

  for (int i = 0; i < 20; i++)
    {
      path[i] = hx_ticks_from (info.base, (i % 5) + 1);
      g_string_append_printf (prices, "%s%" G_GINT64_FORMAT, i ? "," : "", path[i]);
    }
  hx_command (server, "{\"cmd\":\"path\",\"code\":\"%s\",\"prices\":[%s],\"qty\":1,"
              "\"interval_ms\":1}", HX_CODE_A, prices->str);
  g_string_free (prices, TRUE);

  /* 20 trades: 20 × 0B + 20 × 0D */
  if (!hx_iterate_until (enough_entries, ws, HX_WAIT_MS))
    {
      count_frames (ws, &count);
      hx_fail ("only %u REAL entries for 20 scripted trades: %s", count.entries,
               hx_ws_describe_seen (ws));
    }
  count_frames (ws, &count);
  g_assert_cmpuint (count.entries, ==, 40);
  g_assert_cmpuint (count.multi, >, 0);
  g_assert_cmpuint (count.max_per_frame, <=, 4);

  /* the path is played in order */
  for (int i = 0; i < 20; i++)
    {
      g_autoptr(JsonObject) e = hx_ws_wait_real (ws, "0B", HX_CODE_A, NULL, NULL, 1);
      g_assert_cmpint (hx_abs (hx_str (hx_object (e, "values"), "10")), ==, path[i]);
    }

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_session_event_0s (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(HxWs) other = hx_ws_connect (server, TRUE);
  g_autofree char *token = hx_issue_token (server, "hx-test-second-appkey");
  g_autoptr(JsonObject) entry = NULL;

  hx_ws_login (other, token);
  reg_ok (ws, "REG", "1", "\"\"", "\"0s\"");
  hx_command (server, "{\"cmd\":\"session-event\",\"code\":\"3\"}");
  entry = hx_ws_wait_real (ws, "0s", NULL, NULL, NULL, HX_WAIT_MS);
  hx_assert_member (hx_object (entry, "values"), "215", "3");
  hx_str (hx_object (entry, "values"), "20");
  /* only to sessions registered for 0s */
  if (hx_ws_poll_real (other, "0s", NULL, NULL, NULL, HX_QUIET_MS) != NULL)
    hx_fail ("0s reached a session not registered for it");

  g_clear_pointer (&ws, hx_ws_free);
  g_clear_pointer (&other, hx_ws_free);
  hx_server_stop (server);
}

static gboolean
flood_done (gpointer data)
{
  HxWs *ws = data;
  FrameCount count;

  count_frames (ws, &count);
  return count.frames >= 200;
}

static void
test_flood (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(JsonObject) status = NULL;
  FrameCount count;

  hx_command (server, "{\"cmd\":\"flood\",\"code\":\"%s\",\"count\":200}", HX_CODE_A);
  if (!hx_iterate_until (flood_done, ws, 5000))
    hx_fail ("fewer than 200 REAL frames after flood count 200: %s", hx_ws_describe_seen (ws));
  /* exactly `count` frames */
  hx_pump (300);
  count_frames (ws, &count);
  g_assert_cmpuint (count.frames, ==, 200);
  status = hx_control (server, "{\"cmd\":\"status\"}");
  g_assert_cmpint (json_object_get_int_member (status, "logged_in"), ==, 1);

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

/* ---- bad client messages ----------------------------------------------------------- */

static void
test_malformed_message (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  const char *garbage[] = { "this is not json", "{\"trnm\":", "[1,2,3]", "\"LOGIN\"", NULL };

  for (guint i = 0; garbage[i] != NULL; i++)
    {
      g_autoptr(JsonObject) system = NULL;

      hx_ws_send_text (ws, garbage[i]);
      system = hx_ws_wait_system (ws, "R10010", HX_WAIT_MS);
      hx_str (system, "message");
    }
  /* the session is still open and working */
  g_assert_false (ws->closed);
  reg_ok (ws, "REG", "1", "\"" HX_CODE_A "\"", "\"0B\"");

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static gboolean
match_return_code_1 (JsonObject *object,
                     gpointer    data)
{
  return json_object_has_member (object, "return_code")
         && json_object_get_int_member (object, "return_code") == 1;
}

static void
test_unknown_trnm (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(JsonObject) reply = NULL;

  hx_ws_send (ws, "{\"trnm\":\"NOSUCH\"}");
  reply = hx_ws_wait (ws, match_return_code_1, NULL, HX_WAIT_MS,
                      "reply with return_code 1 to an unknown trnm");
  hx_assert_return_code (reply, 1);
  g_assert_false (ws->closed);
  reg_ok (ws, "REG", "1", "\"" HX_CODE_A "\"", "\"0B\"");

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_oversized_message (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  GString *big = g_string_new ("{\"trnm\":\"REG\",\"pad\":\"");
  g_autoptr(JsonObject) status = NULL;

  while (big->len < 130 * 1024)
    g_string_append (big, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (big, "\"}");
  hx_ws_send_text (ws, big->str);
  g_string_free (big, TRUE);

  hx_ws_wait_closed (ws, HX_WAIT_MS);
  /* docs/hoga-exchange.md: "close the connection with 1009" */
  if (ws->close_code != SOUP_WEBSOCKET_CLOSE_TOO_BIG)
    hx_fail ("an incoming message over 128 KiB closed the connection with close code %u, "
             "expected a close frame with 1009 (0 = no close frame was sent)", ws->close_code);

  status = hx_control (server, "{\"cmd\":\"status\"}");
  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

/* ---- the market and the session clock --------------------------------------------- */

static void
test_phase_change_0s (void)
{
  /* a Monday, two seconds before the 09:00 open, on the real KST schedule */
  HxServer *server = hx_server_start (HX_SCRIPTED, "--clock", "krx",
                                      "--start-time", "2026-11-23 08:59:58", NULL);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(JsonObject) entry = NULL;
  JsonObject *v;

  reg_ok (ws, "REG", "1", "\"\"", "\"0s\"");
  entry = hx_ws_wait_real (ws, "0s", NULL, NULL, NULL, 5000);
  v = hx_object (entry, "values");
  g_assert_cmpuint (strlen (hx_str (v, "215")), >, 0);
  hx_assert_padded (hx_str (v, "20"), 6, "FID 20");
  hx_str (v, "214");

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

static void
test_market_running_and_scripted (void)
{
  const char *args[] = { "--trades-per-second", "2000", "--no-conditions", "--seed", "7",
                         "--rate-limit", "1000", NULL };
  HxServer *server = hx_server_startv (args);
  g_autoptr(HxWs) ws = logged_in (server);
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;

  reg_ok (ws, "REG", "1", "\"" HX_CODE_A "\",\"" HX_CODE_B "\"", "\"0B\"");
  /* the random walk reaches registered symbols */
  a = hx_ws_wait_real (ws, "0B", HX_CODE_A, NULL, NULL, HX_WAIT_MS);

  /* stopped: nothing */
  hx_command (server, "{\"cmd\":\"market\",\"running\":false}");
  hx_pump (200);
  hx_ws_clear (ws);
  if (hx_ws_poll_real (ws, "0B", NULL, NULL, NULL, HX_QUIET_MS) != NULL)
    hx_fail ("0B while the market is stopped: %s", hx_ws_describe_seen (ws));

  /* running again, with one symbol scripted: only the other one moves */
  hx_command (server, "{\"cmd\":\"scripted\",\"code\":\"%s\",\"on\":true}", HX_CODE_A);
  hx_command (server, "{\"cmd\":\"market\",\"running\":true}");
  b = hx_ws_wait_real (ws, "0B", HX_CODE_B, NULL, NULL, HX_WAIT_MS);
  hx_pump (HX_QUIET_MS);
  if (hx_ws_poll_real (ws, "0B", HX_CODE_A, NULL, NULL, 1) != NULL)
    hx_fail ("0B for a scripted symbol from the random walk: %s", hx_ws_describe_seen (ws));

  g_clear_pointer (&ws, hx_ws_free);
  hx_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  hx_test_init (&argc, &argv);

  hx_test_add ("/exchange/ws/login", test_login);
  hx_test_add ("/exchange/ws/login-first", test_login_first);
  hx_test_add ("/exchange/ws/login-timeout", test_login_timeout);
  hx_test_add ("/exchange/ws/login-bad-token", test_login_bad_token);
  hx_test_add ("/exchange/ws/same-appkey-kicks", test_same_appkey_kicks);
  hx_test_add ("/exchange/ws/other-appkey-coexists", test_other_appkey_coexists);
  hx_test_add ("/exchange/ws/ping/before-login", test_ping_before_login);
  hx_test_add ("/exchange/ws/ping/echo-keeps-alive", test_ping_echo_keeps_alive);
  hx_test_add ("/exchange/ws/ping/fresh-ping-answers", test_ping_fresh_answers);
  hx_test_add ("/exchange/ws/ping/missed", test_ping_missed);
  hx_test_add ("/exchange/ws/reg/ack", test_reg_remove_ack);
  hx_test_add ("/exchange/ws/reg/unknown-type", test_reg_unknown_type);
  hx_test_add ("/exchange/ws/reg/malformed", test_reg_malformed);
  hx_test_add ("/exchange/ws/reg/too-many-items", test_reg_too_many_items);
  hx_test_add ("/exchange/ws/reg/refresh-zero", test_refresh_zero);
  hx_test_add ("/exchange/ws/real/0b-after-trade", test_0b_after_trade);
  hx_test_add ("/exchange/ws/real/0d-levels", test_0d_levels);
  hx_test_add ("/exchange/ws/real/no-0b-after-remove", test_no_0b_after_remove);
  hx_test_add ("/exchange/ws/real/unregistered-symbol-silent", test_unregistered_symbol_silent);
  hx_test_add ("/exchange/ws/real/several-entries-per-frame", test_several_entries_per_frame);
  hx_test_add ("/exchange/ws/real/0s-session-event", test_session_event_0s);
  hx_test_add ("/exchange/ws/real/flood", test_flood);
  hx_test_add ("/exchange/ws/real/0s-on-phase-change", test_phase_change_0s);
  hx_test_add ("/exchange/ws/market/running-and-scripted", test_market_running_and_scripted);
  hx_test_add ("/exchange/ws/malformed-message", test_malformed_message);
  hx_test_add ("/exchange/ws/unknown-trnm", test_unknown_trnm);
  hx_test_add ("/exchange/ws/oversized-message", test_oversized_message);

  return g_test_run ();
}
