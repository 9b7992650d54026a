/* test-exchange-rest.c — hoga-exchange REST: tokens, header and body errors, ka10001,
 * ka10081 paging, rate limits
 *
 * Written against kiwoom-protocol.md and docs/hoga-exchange.md, with raw libsoup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-exchange-rest"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "hx-test-fixture.h"

#define JSON_CT "application/json;charset=UTF-8"
#define KA10001_BODY "{\"stk_cd\":\"" HX_CODE_A "\"}"

static HxReply *
ka10001_with_headers (HxServer           *server,
                      const char * const *headers)
{
  return hx_http (server, "POST", "/api/dostk/stkinfo", headers, KA10001_BODY, -1);
}

/* ---- tokens ------------------------------------------------------------------------ */

static void
test_token (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  const char *headers[] = { "content-type", JSON_CT, NULL };
  g_autoptr(HxReply) reply = NULL;
  g_autofree char *now = hx_kst_now_string ("%Y%m%d%H%M%S");
  const char *expires_dt;

  /* No api-id, no authorization: the official helper sends neither. */
  reply = hx_http (server, "POST", "/oauth2/token", headers,
                   "{\"grant_type\":\"client_credentials\",\"appkey\":\"" HX_TEST_APPKEY
                   "\",\"secretkey\":\"" HX_TEST_SECRETKEY "\"}", -1);
  hx_assert_ok (reply);

  expires_dt = hx_str (reply->object, "expires_dt");
  hx_assert_padded (expires_dt, 14, "expires_dt");
  g_assert_cmpstr (expires_dt, >, now);
  /* default --token-lifetime is a day: expiry at least ~23 h ahead in KST */
  {
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Seoul");
    g_autoptr(GDateTime) later = NULL;
    g_autoptr(GDateTime) now_dt = NULL;
    g_autofree char *in_23h = NULL;

    if (tz == NULL)
      tz = g_time_zone_new_offset (9 * 3600);
    now_dt = g_date_time_new_now (tz);
    later = g_date_time_add_hours (now_dt, 23);
    in_23h = g_date_time_format (later, "%Y%m%d%H%M%S");
    g_assert_cmpstr (expires_dt, >, in_23h);
  }

  {
    g_autofree char *token_type = g_ascii_strdown (hx_str (reply->object, "token_type"), -1);
    g_assert_cmpstr (token_type, ==, "bearer");
  }
  g_assert_cmpuint (strlen (hx_str (reply->object, "token")), >, 0);
  hx_str (reply->object, "return_msg");

  /* The token works on a TR. */
  {
    g_autofree char *authorization = g_strconcat ("Bearer ", hx_str (reply->object, "token"),
                                                  NULL);
    const char *tr_headers[] = { "content-type", JSON_CT, "api-id", "ka10001",
                                 "authorization", authorization, NULL };
    g_autoptr(HxReply) tr = ka10001_with_headers (server, tr_headers);

    hx_assert_ok (tr);
  }

  hx_server_stop (server);
}

static void
test_token_lifetime (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--token-lifetime", "2", NULL);
  g_autofree char *token = hx_issue_token (server, HX_TEST_APPKEY);
  g_autoptr(HxReply) before = NULL;
  g_autoptr(HxReply) after = NULL;

  before = hx_tr_full (server, token, "ka10001", "/api/dostk/stkinfo", KA10001_BODY, NULL, NULL);
  hx_assert_ok (before);

  /* expires_dt says when: two seconds from now, in KST */
  {
    const char *headers[] = { "content-type", JSON_CT, NULL };
    g_autoptr(HxReply) issue = hx_http (server, "POST", "/oauth2/token", headers,
                                        "{\"grant_type\":\"client_credentials\",\"appkey\":\""
                                        "hx-test-lifetime\",\"secretkey\":\"s\"}", -1);
    g_autofree char *now = hx_kst_now_string ("%Y%m%d%H%M%S");
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Seoul");
    g_autoptr(GDateTime) now_dt = NULL;
    g_autoptr(GDateTime) soon_dt = NULL;
    g_autofree char *soon = NULL;

    if (tz == NULL)
      tz = g_time_zone_new_offset (9 * 3600);
    now_dt = g_date_time_new_now (tz);
    soon_dt = g_date_time_add_seconds (now_dt, 10);
    soon = g_date_time_format (soon_dt, "%Y%m%d%H%M%S");
    hx_assert_ok (issue);
    g_assert_cmpstr (hx_str (issue->object, "expires_dt"), >=, now);
    g_assert_cmpstr (hx_str (issue->object, "expires_dt"), <=, soon);
  }
  g_usleep (2600 * 1000);
  after = hx_tr_full (server, token, "ka10001", "/api/dostk/stkinfo", KA10001_BODY, NULL, NULL);
  hx_assert_error (after, 200, 3, "8005");

  hx_server_stop (server);
}

static void
test_revoke (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autofree char *token = hx_issue_token (server, HX_TEST_APPKEY);
  g_autofree char *body = g_strdup_printf ("{\"appkey\":\"%s\",\"secretkey\":\"%s\","
                                           "\"token\":\"%s\"}",
                                           HX_TEST_APPKEY, HX_TEST_SECRETKEY, token);
  const char *headers[] = { "content-type", JSON_CT, NULL };
  g_autoptr(HxReply) revoke = NULL;
  g_autoptr(HxReply) after = NULL;
  g_autoptr(HxReply) fresh = NULL;

  revoke = hx_http (server, "POST", "/oauth2/revoke", headers, body, -1);
  hx_assert_ok (revoke);
  hx_str (revoke->object, "return_msg");

  after = hx_tr_full (server, token, "ka10001", "/api/dostk/stkinfo", KA10001_BODY, NULL, NULL);
  hx_assert_error (after, 200, 3, "8005");

  /* a new token works again */
  fresh = hx_tr (server, "ka10001", "/api/dostk/stkinfo", KA10001_BODY);
  hx_assert_ok (fresh);

  hx_server_stop (server);
}

/* ---- header errors ----------------------------------------------------------------- */

static void
test_header_missing_api_id (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", hx_token (server), NULL);
  const char *headers[] = { "content-type", JSON_CT, "authorization", authorization, NULL };
  g_autoptr(HxReply) reply = ka10001_with_headers (server, headers);

  hx_assert_error (reply, 200, 2, "1501");
  hx_server_stop (server);
}

static void
test_header_unknown_api_id (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxReply) reply = hx_tr (server, "zz99999", "/api/dostk/stkinfo", KA10001_BODY);

  hx_assert_error (reply, 200, 2, "1505");
  hx_server_stop (server);
}

static void
test_header_wrong_path (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxReply) reply = NULL;
  g_autoptr(HxReply) reply2 = NULL;

  /* ka10001 is a stkinfo TR, not an order TR */
  reply = hx_tr (server, "ka10001", "/api/dostk/ordr", KA10001_BODY);
  hx_assert_error (reply, 200, 2, "1504");
  /* and an order TR on the account path */
  reply2 = hx_tr (server, "kt10000", "/api/dostk/acnt",
                  "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"" HX_CODE_A "\",\"ord_qty\":\"1\","
                  "\"ord_uv\":\"\",\"trde_tp\":\"3\",\"cond_uv\":\"\"}");
  hx_assert_error (reply2, 200, 2, "1504");
  hx_server_stop (server);
}

static void
test_header_missing_authorization (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  const char *headers[] = { "content-type", JSON_CT, "api-id", "ka10001", NULL };
  g_autoptr(HxReply) reply = ka10001_with_headers (server, headers);

  hx_assert_error (reply, 200, 2, "1513");
  hx_server_stop (server);
}

static gint64
bracketed_code (HxReply *reply)
{
  const char *msg = hx_str (reply->object, "return_msg");
  const char *open = strchr (msg, '[');

  if (open == NULL)
    hx_fail ("no bracketed code in return_msg: %s", reply->text);
  return g_ascii_strtoll (open + 1, NULL, 10);
}

static void
test_header_bad_authorization (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  const char *no_token[] = { "content-type", JSON_CT, "api-id", "ka10001",
                             "authorization", "Bearer", NULL };
  g_autofree char *without_scheme = g_strdup (hx_token (server));
  const char *bad_format[] = { "content-type", JSON_CT, "api-id", "ka10001",
                               "authorization", without_scheme, NULL };
  g_autoptr(HxReply) r1 = ka10001_with_headers (server, no_token);
  g_autoptr(HxReply) r2 = ka10001_with_headers (server, bad_format);
  gint64 code;

  /* "Bearer" with no token: 1516 (no token inside authorization) or 1514 (format) */
  hx_assert_error (r1, 200, 2, NULL);
  code = bracketed_code (r1);
  if (code != 1516 && code != 1514)
    hx_fail ("authorization \"Bearer\" without a token: expected [1516:] or [1514:], got %s",
             r1->text);

  /* a bare token without the Bearer scheme: an authorization format error (1514–1516) */
  hx_assert_error (r2, 200, 2, NULL);
  code = bracketed_code (r2);
  if (code < 1514 || code > 1516)
    hx_fail ("authorization without \"Bearer \": expected [1514:]…[1516:], got %s", r2->text);

  hx_server_stop (server);
}

static void
test_header_bad_token (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxReply) reply = hx_tr_full (server, "not-a-token", "ka10001",
                                         "/api/dostk/stkinfo", KA10001_BODY, NULL, NULL);

  hx_assert_error (reply, 200, 3, "8005");
  hx_server_stop (server);
}

/* ---- body errors ------------------------------------------------------------------- */

static void
test_body_malformed (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxReply) r1 = hx_tr (server, "ka10001", "/api/dostk/stkinfo", "{\"stk_cd\":");
  g_autoptr(HxReply) r2 = hx_tr (server, "ka10001", "/api/dostk/stkinfo", "[\"005930\"]");
  g_autoptr(HxReply) r3 = hx_tr (server, "ka10001", "/api/dostk/stkinfo", "");

  hx_assert_error (r1, 200, 2, "1517");
  /* valid JSON but not an object */
  hx_assert_error (r2, 200, 2, "1517");
  /* no body at all */
  hx_assert_error (r3, 200, 2, NULL);
  hx_server_stop (server);
}

static void
test_body_missing_field (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxReply) reply = hx_tr (server, "ka10001", "/api/dostk/stkinfo", "{}");
  g_autoptr(HxReply) order = NULL;

  hx_assert_error (reply, 200, 2, "1511");
  g_assert_nonnull (strstr (hx_str (reply->object, "return_msg"), "stk_cd"));

  /* an order without ord_qty names ord_qty */
  order = hx_tr (server, "kt10000", "/api/dostk/ordr",
                 "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"" HX_CODE_A "\","
                 "\"ord_uv\":\"\",\"trde_tp\":\"3\"}");
  hx_assert_error (order, 200, 2, "1511");
  g_assert_nonnull (strstr (hx_str (order->object, "return_msg"), "ord_qty"));
  hx_server_stop (server);
}

static void
test_body_number_for_string (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxReply) reply = hx_tr (server, "ka10001", "/api/dostk/stkinfo",
                                    "{\"stk_cd\":5930}");

  hx_assert_error (reply, 200, 2, "1517");
  hx_server_stop (server);
}

static void
test_body_too_large (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  GString *body = g_string_new ("{\"stk_cd\":\"005930\",\"pad\":\"");
  g_autoptr(HxReply) reply = NULL;
  g_autoptr(HxReply) after = NULL;

  while (body->len < 70 * 1024)
    g_string_append (body, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (body, "\"}");

  reply = hx_tr (server, "ka10001", "/api/dostk/stkinfo", body->str);
  hx_assert_error (reply, 413, 2, "1517");
  g_string_free (body, TRUE);

  after = hx_tr (server, "ka10001", "/api/dostk/stkinfo", KA10001_BODY);
  hx_assert_ok (after);
  hx_server_stop (server);
}

static void
test_unknown_path (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxReply) reply = hx_tr (server, "ka10001", "/api/dostk/nosuchpath", KA10001_BODY);

  hx_assert_error (reply, 404, 2, "1504");
  hx_server_stop (server);
}

static void
test_get_method (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", hx_token (server), NULL);
  const char *headers[] = { "api-id", "ka10001", "authorization", authorization, NULL };
  g_autoptr(HxReply) reply = hx_http (server, "GET", "/api/dostk/stkinfo", headers, NULL, 0);

  hx_assert_error (reply, 405, 2, "1512");
  hx_server_stop (server);
}

/* ---- ka10001 ----------------------------------------------------------------------- */

static void
assert_limits (gint64 base,
               gint64 upper,
               gint64 lower)
{
  /* ±30 % of the base, on the tick grid, less than one tick inside the exact bound */
  if (!hx_on_grid (upper) || !hx_on_grid (lower))
    hx_fail ("limits not on the tick grid: upper %" G_GINT64_FORMAT ", lower %" G_GINT64_FORMAT,
             upper, lower);
  if (upper * 10 > base * 13 || (base * 13 - upper * 10) >= hx_tick_size (upper) * 10)
    hx_fail ("upper limit %" G_GINT64_FORMAT " is not the +30 %% limit of %" G_GINT64_FORMAT,
             upper, base);
  if (lower * 10 < base * 7 || (lower * 10 - base * 7) >= hx_tick_size (lower) * 10)
    hx_fail ("lower limit %" G_GINT64_FORMAT " is not the -30 %% limit of %" G_GINT64_FORMAT,
             lower, base);
}

static void
assert_ka10001_direction (HxServer *server,
                          gint64    base,
                          gint64    price)
{
  g_autoptr(HxReply) reply = hx_tr (server, "ka10001", "/api/dostk/stkinfo", KA10001_BODY);
  const char *cur_prc;
  const char *pre_sig;
  gint64 pred_pre;

  hx_assert_ok (reply);
  cur_prc = hx_str (reply->object, "cur_prc");
  pre_sig = hx_str (reply->object, "pre_sig");
  pred_pre = hx_num (hx_str (reply->object, "pred_pre"));

  g_assert_cmpint (hx_abs (cur_prc), ==, price);
  g_assert_cmpint (pred_pre, ==, price - base);
  /* protocol §4.1: base_pric + pred_pre = cur_prc */
  g_assert_cmpint (hx_abs (hx_str (reply->object, "base_pric")) + pred_pre, ==, hx_abs (cur_prc));
  if (price > base)
    {
      g_assert_cmpint (cur_prc[0], ==, '+');
      g_assert_cmpstr (pre_sig, ==, "2");
      g_assert_cmpint (hx_str (reply->object, "flu_rt")[0], !=, '-');
    }
  else if (price < base)
    {
      g_assert_cmpint (cur_prc[0], ==, '-');
      g_assert_cmpstr (pre_sig, ==, "5");
      g_assert_cmpint (hx_str (reply->object, "flu_rt")[0], ==, '-');
    }
  else
    {
      g_assert_true (g_ascii_isdigit (cur_prc[0]) || cur_prc[0] == ' ');
      g_assert_cmpstr (pre_sig, ==, "3");
    }
}

static void
test_ka10001_fields (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxReply) reply = hx_tr (server, "ka10001", "/api/dostk/stkinfo", KA10001_BODY);
  const char *fields[] = { "stk_cd", "stk_nm", "setl_mm", "fav", "cap", "flo_stk", "crd_rt",
                           "oyr_hgst", "oyr_lwst", "mac", "mac_wght", "for_exh_rt",
                           "repl_pric", "per", "eps", "roe", "pbr", "ev", "bps", "sale_amt",
                           "bus_pro", "cup_nga", "250hgst", "250lwst", "open_pric",
                           "high_pric", "low_pric", "upl_pric", "lst_pric", "base_pric",
                           "exp_cntr_pric", "exp_cntr_qty", "250hgst_pric_dt",
                           "250hgst_pric_pre_rt", "250lwst_pric_dt", "250lwst_pric_pre_rt",
                           "cur_prc", "pre_sig", "pred_pre", "flu_rt", "trde_qty",
                           "trde_pre", "fav_unit", "dstr_stk", "dstr_rt", "return_msg", NULL };
  gint64 base;

  hx_assert_ok (reply);
  for (guint i = 0; fields[i] != NULL; i++)
    hx_str (reply->object, fields[i]);

  hx_assert_member (reply->object, "stk_cd", HX_CODE_A);
  g_assert_cmpuint (strlen (hx_str (reply->object, "stk_nm")), >, 0);
  base = hx_abs (hx_str (reply->object, "base_pric"));
  g_assert_true (hx_on_grid (base));
  assert_limits (base, hx_abs (hx_str (reply->object, "upl_pric")),
                 hx_abs (hx_str (reply->object, "lst_pric")));

  /* no trade yet (no random walk): the current price is the base, unchanged */
  assert_ka10001_direction (server, base, base);

  hx_server_stop (server);
}

static void
test_ka10001_direction (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  HxSymbolInfo info;
  gint64 up, down;

  hx_symbol_info (server, HX_CODE_A, &info);
  up = hx_ticks_from (info.base, 3);
  down = hx_ticks_from (info.base, -4);

  hx_command (server,
    "{\"cmd\":\"trade\",\"code\":\"%s\",\"price\":%" G_GINT64_FORMAT ",\"qty\":5}",
    HX_CODE_A, up);
  assert_ka10001_direction (server, info.base, up);

  hx_command (server,
    "{\"cmd\":\"trade\",\"code\":\"%s\",\"price\":%" G_GINT64_FORMAT ",\"qty\":-5}",
    HX_CODE_A, down);
  assert_ka10001_direction (server, info.base, down);

  hx_server_stop (server);
}

static void
test_ka10001_unknown_code (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxReply) reply = hx_tr (server, "ka10001", "/api/dostk/stkinfo",
                                    "{\"stk_cd\":\"999999\"}");

  hx_assert_error (reply, 200, 4, "1902");
  g_assert_nonnull (strstr (hx_str (reply->object, "return_msg"), "999999"));
  hx_server_stop (server);
}

static void
test_ka10001_code_forms (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxReply) plain = hx_tr (server, "ka10001", "/api/dostk/stkinfo", KA10001_BODY);
  g_autoptr(HxReply) sor = hx_tr (server, "ka10001", "/api/dostk/stkinfo",
                                  "{\"stk_cd\":\"" HX_CODE_A "_AL\"}");

  /* protocol §4.1: KRX, _NX and _AL code forms are valid inputs */
  hx_assert_ok (plain);
  hx_assert_ok (sor);
  hx_assert_member (sor->object, "stk_nm", hx_str (plain->object, "stk_nm"));
  hx_server_stop (server);
}

/* ---- ka10081 ----------------------------------------------------------------------- */

static void
test_ka10081_paging (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--page-size", "5", NULL);
  g_autofree char *today = hx_kst_now_string ("%Y%m%d");
  g_autofree char *body = g_strdup_printf ("{\"stk_cd\":\"%s\",\"base_dt\":\"%s\","
                                           "\"upd_stkpc_tp\":\"1\"}", HX_CODE_A, today);
  g_autoptr(GHashTable) dates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *previous = g_strdup (today);
  g_autofree char *next_key = NULL;
  guint pages = 0;

  for (; pages < 3; pages++)
    {
      g_autoptr(HxReply) reply = hx_tr_full (server, NULL, "ka10081", "/api/dostk/chart", body,
                                             pages > 0 ? "Y" : NULL, next_key);
      JsonArray *rows;
      const char *cont_yn;

      hx_assert_ok (reply);
      hx_assert_member (reply->object, "stk_cd", HX_CODE_A);
      rows = hx_array (reply->object, "stk_dt_pole_chart_qry");
      g_assert_cmpuint (json_array_get_length (rows), ==, 5);

      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          JsonObject *row = json_array_get_object_element (rows, i);
          const char *dt = hx_str (row, "dt");
          gint64 open = hx_abs (hx_str (row, "open_pric"));
          gint64 high = hx_abs (hx_str (row, "high_pric"));
          gint64 low = hx_abs (hx_str (row, "low_pric"));
          gint64 close = hx_abs (hx_str (row, "cur_prc"));

          hx_assert_padded (dt, 8, "dt");
          /* newest first, from base_dt backwards, never the same day twice */
          if (pages == 0 && i == 0)
            g_assert_cmpstr (dt, <=, previous);
          else
            g_assert_cmpstr (dt, <, previous);
          g_free (previous);
          previous = g_strdup (dt);
          if (!g_hash_table_add (dates, g_strdup (dt)))
            hx_fail ("date %s repeated across pages", dt);

          g_assert_cmpint (low, >, 0);
          g_assert_cmpint (high, >=, open);
          g_assert_cmpint (high, >=, close);
          g_assert_cmpint (low, <=, open);
          g_assert_cmpint (low, <=, close);
          g_assert_cmpint (hx_num (hx_str (row, "trde_qty")), >=, 0);
          hx_str (row, "trde_prica");
          hx_num (hx_str (row, "pred_pre"));
          hx_str (row, "pred_pre_sig");
        }

      cont_yn = soup_message_headers_get_one (reply->headers, "cont-yn");
      g_free (next_key);
      next_key = g_strdup (soup_message_headers_get_one (reply->headers, "next-key"));
      if (g_strcmp0 (cont_yn, "Y") != 0 || next_key == NULL || *next_key == '\0')
        hx_fail ("page %u: expected response headers cont-yn: Y and a next-key, got "
                 "cont-yn %s, next-key %s", pages + 1, cont_yn ? cont_yn : "(none)",
                 next_key ? next_key : "(none)");
      g_assert_cmpuint (strlen (next_key), <=, 50);
    }

  g_assert_cmpuint (g_hash_table_size (dates), ==, 15);
  hx_server_stop (server);
}

/* ---- rate limit -------------------------------------------------------------------- */

static void
burst (HxServer *server,
       guint     n,
       guint     expected_status,
       guint    *n_ok,
       guint    *n_limited)
{
  *n_ok = 0;
  *n_limited = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HxReply) reply = hx_tr (server, "ka10001", "/api/dostk/stkinfo", KA10001_BODY);

      if (reply->object != NULL && reply->status == 200
          && json_object_get_int_member (reply->object, "return_code") == 0)
        {
          (*n_ok)++;
          continue;
        }
      hx_assert_error (reply, expected_status, 5, "1700");
      g_assert_nonnull (strstr (hx_str (reply->object, "return_msg"), "ka10001"));
      (*n_limited)++;
    }
}

static void
test_rate_limit_429 (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--rate-limit", "2", NULL);
  guint n_ok, n_limited;
  g_autoptr(HxReply) later = NULL;

  hx_token (server);
  burst (server, 8, 429, &n_ok, &n_limited);
  /* burst 2, refilling at 2/s: a quick burst of 8 gets 2 (maybe 3) through */
  g_assert_cmpuint (n_ok, >=, 2);
  g_assert_cmpuint (n_ok, <=, 3);
  g_assert_cmpuint (n_limited, ==, 8 - n_ok);

  g_usleep (1100 * 1000);
  later = hx_tr (server, "ka10001", "/api/dostk/stkinfo", KA10001_BODY);
  hx_assert_ok (later);
  hx_server_stop (server);
}

static void
test_rate_limit_200 (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--rate-limit", "2",
                                      "--rate-limit-status", "200", NULL);
  guint n_ok, n_limited;

  hx_token (server);
  burst (server, 8, 200, &n_ok, &n_limited);
  g_assert_cmpuint (n_limited, >=, 5);
  hx_server_stop (server);
}

static void
test_rate_limit_per_api_id (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--rate-limit", "2", NULL);
  guint n_ok, n_limited;
  g_autoptr(HxReply) other = NULL;

  hx_token (server);
  burst (server, 6, 429, &n_ok, &n_limited);
  g_assert_cmpuint (n_limited, >=, 3);
  /* a different api-id has its own bucket */
  other = hx_tr (server, "kt00001", "/api/dostk/acnt", "{\"qry_tp\":\"3\"}");
  hx_assert_ok (other);
  hx_server_stop (server);
}

static void
test_rate_limited_order_not_executed (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--rate-limit", "2", NULL);
  g_autoptr(JsonObject) orders = NULL;
  HxSymbolInfo info;
  guint n_accepted = 0, n_limited = 0;
  gint64 price;

  hx_symbol_info (server, HX_CODE_A, &info);
  price = hx_ticks_from (info.base, -10);
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"%s\","
                                               "\"ord_qty\":\"1\",\"ord_uv\":\"%" G_GINT64_FORMAT
                                               "\",\"trde_tp\":\"0\",\"cond_uv\":\"\"}",
                                               HX_CODE_A, price);
      g_autoptr(HxReply) reply = hx_tr (server, "kt10000", "/api/dostk/ordr", body);

      if (reply->status == 200 && reply->object != NULL
          && json_object_get_int_member (reply->object, "return_code") == 0)
        n_accepted++;
      else
        {
          hx_assert_error (reply, 429, 5, "1700");
          n_limited++;
        }
    }
  g_assert_cmpuint (n_limited, >=, 3);

  orders = hx_control (server, "{\"cmd\":\"orders\"}");
  g_assert_cmpuint (json_array_get_length (hx_array (orders, "orders")), ==, n_accepted);
  hx_server_stop (server);
}

/* ---- control status ---------------------------------------------------------------- */

static void
test_status_and_cash (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--cash", "1234567", NULL);
  g_autoptr(JsonObject) status = hx_control (server, "{\"cmd\":\"status\"}");
  g_autoptr(HxReply) deposit = NULL;
  const char *members[] = { "sessions", "logged_in", "symbols", "orders", "fills", "cash",
                            "clock", "phase", NULL };
  g_autoptr(HxReply) bad = NULL;

  for (guint i = 0; members[i] != NULL; i++)
    if (!json_object_has_member (status, members[i]))
      {
        g_autofree char *text = hx_object_to_string (status);
        hx_fail ("status reply lacks \"%s\": %s", members[i], text);
      }
  g_assert_cmpint (json_object_get_int_member (status, "cash"), ==, 1234567);
  g_assert_cmpint (json_object_get_int_member (status, "symbols"), >, 0);
  g_assert_cmpint (json_object_get_int_member (status, "orders"), ==, 0);
  hx_assert_padded (hx_str (status, "clock"), 14, "status clock");

  deposit = hx_tr (server, "kt00001", "/api/dostk/acnt", "{\"qry_tp\":\"3\"}");
  hx_assert_ok (deposit);
  hx_assert_member (deposit->object, "entr", "000000001234567");

  /* an unknown control command: {"ok":false,"error":…} with HTTP 400 */
  bad = hx_control_raw (server, "{\"cmd\":\"no-such-command\"}");
  g_assert_cmpuint (bad->status, ==, 400);
  g_assert_nonnull (bad->object);
  g_assert_false (json_object_get_boolean_member (bad->object, "ok"));
  hx_str (bad->object, "error");

  hx_server_stop (server);
}

static void
test_rate_limit_per_app_key (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--rate-limit", "2", NULL);
  g_autofree char *other = hx_issue_token (server, "hx-test-other-appkey");
  g_autoptr(HxReply) reply = NULL;
  guint n_ok, n_limited;

  hx_token (server);
  burst (server, 6, 429, &n_ok, &n_limited);
  g_assert_cmpuint (n_limited, >=, 3);
  /* another app key has its own buckets */
  reply = hx_tr_full (server, other, "ka10001", "/api/dostk/stkinfo", KA10001_BODY, NULL, NULL);
  hx_assert_ok (reply);
  hx_server_stop (server);
}

static void
test_response_headers (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, NULL);
  g_autoptr(HxReply) reply = hx_tr (server, "ka10001", "/api/dostk/stkinfo", KA10001_BODY);

  hx_assert_ok (reply);
  /* protocol §3: responses carry api-id (and cont-yn / next-key) headers */
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "api-id"), ==, "ka10001");
  g_assert_nonnull (strstr (soup_message_headers_get_content_type (reply->headers, NULL)
                              ? soup_message_headers_get_content_type (reply->headers, NULL) : "",
                            "json"));
  hx_server_stop (server);
}

static void
test_option_symbols (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--symbols", "300", NULL);
  g_autoptr(JsonObject) status = hx_control (server, "{\"cmd\":\"status\"}");

  g_assert_cmpint (json_object_get_int_member (status, "symbols"), ==, 300);
  g_assert_true (hx_symbol_exists (server, HX_CODE_A));
  hx_server_stop (server);
}

static void
test_option_start_time (void)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--start-time", "2026-03-02 10:00:00",
                                      NULL);
  g_autoptr(JsonObject) status = hx_control (server, "{\"cmd\":\"status\"}");
  const char *clock = hx_str (status, "clock");

  /* simulated KST, a few seconds at most after the start */
  hx_assert_padded (clock, 14, "clock");
  g_assert_cmpstr (clock, >=, "20260302100000");
  g_assert_cmpstr (clock, <, "20260302100010");
  hx_server_stop (server);
}

static char *
chart_page (const char *seed)
{
  HxServer *server = hx_server_start (HX_SCRIPTED, "--seed", seed, "--page-size", "10", NULL);
  g_autoptr(HxReply) reply = hx_tr (server, "ka10081", "/api/dostk/chart",
                                    "{\"stk_cd\":\"" HX_CODE_A "\",\"base_dt\":\"20260227\","
                                    "\"upd_stkpc_tp\":\"1\"}");
  char *rows;

  hx_assert_ok (reply);
  rows = hx_json_to_string (json_object_get_member (reply->object, "stk_dt_pole_chart_qry"));
  hx_server_stop (server);
  return rows;
}

static void
test_option_seed (void)
{
  g_autofree char *first = chart_page ("11");
  g_autofree char *again = chart_page ("11");

  /* the same seed gives the same history */
  g_assert_cmpstr (first, ==, again);
}

static void
test_option_symbols_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hx-test-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(HxReply) unknown = NULL;
  g_autoptr(JsonObject) status = NULL;
  HxServer *server;
  HxSymbolInfo info;

  g_assert_no_error (error);
  path = g_build_filename (dir, "symbols.tsv", NULL);
  /* the format of data/exchange/symbols.tsv */
  g_file_set_contents (path,
                       "# test symbols\n"
                       "123450\t시험종목\t10000\tKOSDAQ\t1000\n"
                       "987650\t시험둘\t1995\tKOSPI\t500\n", -1, &error);
  g_assert_no_error (error);

  server = hx_server_start (HX_SCRIPTED, "--symbols-file", path, NULL);
  status = hx_control (server, "{\"cmd\":\"status\"}");
  g_assert_cmpint (json_object_get_int_member (status, "symbols"), ==, 2);

  hx_symbol_info (server, "123450", &info);
  g_assert_cmpint (info.base, ==, 10000);
  g_assert_cmpint (info.upper, ==, 13000);
  g_assert_cmpint (info.lower, ==, 7000);
  hx_symbol_info (server, "987650", &info);
  g_assert_cmpint (info.base, ==, 1995);
  assert_limits (info.base, info.upper, info.lower);

  unknown = hx_tr (server, "ka10001", "/api/dostk/stkinfo", KA10001_BODY);
  hx_assert_error (unknown, 200, 4, "1902");
  hx_server_stop (server);

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  hx_test_init (&argc, &argv);

  hx_test_add ("/exchange/rest/token", test_token);
  hx_test_add ("/exchange/rest/token-lifetime", test_token_lifetime);
  hx_test_add ("/exchange/rest/revoke", test_revoke);
  hx_test_add ("/exchange/rest/header/missing-api-id", test_header_missing_api_id);
  hx_test_add ("/exchange/rest/header/unknown-api-id", test_header_unknown_api_id);
  hx_test_add ("/exchange/rest/header/wrong-path", test_header_wrong_path);
  hx_test_add ("/exchange/rest/header/missing-authorization", test_header_missing_authorization);
  hx_test_add ("/exchange/rest/header/bad-authorization", test_header_bad_authorization);
  hx_test_add ("/exchange/rest/header/bad-token", test_header_bad_token);
  hx_test_add ("/exchange/rest/body/malformed-json", test_body_malformed);
  hx_test_add ("/exchange/rest/body/missing-field", test_body_missing_field);
  hx_test_add ("/exchange/rest/body/number-for-string", test_body_number_for_string);
  hx_test_add ("/exchange/rest/body/too-large", test_body_too_large);
  hx_test_add ("/exchange/rest/unknown-path", test_unknown_path);
  hx_test_add ("/exchange/rest/get-method", test_get_method);
  hx_test_add ("/exchange/rest/ka10001/fields", test_ka10001_fields);
  hx_test_add ("/exchange/rest/ka10001/direction-sign", test_ka10001_direction);
  hx_test_add ("/exchange/rest/ka10001/unknown-code", test_ka10001_unknown_code);
  hx_test_add ("/exchange/rest/ka10001/code-forms", test_ka10001_code_forms);
  hx_test_add ("/exchange/rest/ka10081/paging", test_ka10081_paging);
  hx_test_add ("/exchange/rest/rate-limit/429", test_rate_limit_429);
  hx_test_add ("/exchange/rest/rate-limit/status-200", test_rate_limit_200);
  hx_test_add ("/exchange/rest/rate-limit/per-api-id", test_rate_limit_per_api_id);
  hx_test_add ("/exchange/rest/rate-limit/not-executed", test_rate_limited_order_not_executed);
  hx_test_add ("/exchange/rest/rate-limit/per-app-key", test_rate_limit_per_app_key);
  hx_test_add ("/exchange/rest/response-headers", test_response_headers);
  hx_test_add ("/exchange/rest/options/symbols", test_option_symbols);
  hx_test_add ("/exchange/rest/options/start-time", test_option_start_time);
  hx_test_add ("/exchange/rest/options/seed", test_option_seed);
  hx_test_add ("/exchange/rest/options/symbols-file", test_option_symbols_file);
  hx_test_add ("/exchange/rest/control/status-and-cash", test_status_and_cash);

  return g_test_run ();
}
