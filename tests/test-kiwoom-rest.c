/* test-kiwoom-rest.c — the Kiwoom REST client against hoga-exchange over loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hx-test-fixture.h"
#include "kiwoom-rest.h"

/* ---- pure helpers ------------------------------------------------------------------- */

typedef struct {
  guint            http;
  gint64           return_code;
  const char      *message;
  KiwoomReplyKind  kind;
  gint64           inner;
} ClassifyCase;

static void
test_classify_codes (void)
{
  static const ClassifyCase cases[] = {
    { 200, 0, "정상적으로 처리되었습니다", KIWOOM_REPLY_OK, -1 },
    { 200, 3, "인증에 실패했습니다[8005:Token이 유효하지 않습니다]", KIWOOM_REPLY_TOKEN, 8005 },
    { 200, 8005, "Token이 유효하지 않습니다", KIWOOM_REPLY_TOKEN, -1 },
    { 200, 805004, "토큰 인증에 실패했습니다 [CODE=8005, MESSAGE=Token이 유효하지 않습니다]",
      KIWOOM_REPLY_TOKEN, 8005 },
    { 401, -1, NULL, KIWOOM_REPLY_TOKEN, -1 },
    { 429, 5, "허용된 요청 개수를 초과하였습니다[1700:허용된 API 요청 개수를 초과하였습니다. 유량=5, API ID=ka10081]",
      KIWOOM_REPLY_RATE_LIMIT, 1700 },
    { 200, 5, "허용된 요청 개수를 초과하였습니다[1700:허용된 요청 개수를 초과하였습니다. API ID=kt00001]",
      KIWOOM_REPLY_RATE_LIMIT, 1700 },
    { 200, 1700, "", KIWOOM_REPLY_RATE_LIMIT, -1 },
    /* Looks like a rate limit, but retrying never helps. */
    { 200, 5, "허용된 요청 개수를 초과하였습니다[1634]", KIWOOM_REPLY_INVALID, 1634 },
    { 200, 2, "입력 값 오류입니다[1511:필수 입력 값에 값이 존재하지 않습니다. 요청 파라미터 : stk_cd]",
      KIWOOM_REPLY_INVALID, 1511 },
    { 200, 4, "종목 정보가 없습니다[1902:종목 정보가 존재하지 않습니다. 종목코드 : 999999]",
      KIWOOM_REPLY_UNKNOWN_SYMBOL, 1902 },
    { 200, 20, "[2000](RC4058:모의투자 장종료)", KIWOOM_REPLY_REJECTED, 2000 },
    { 200, 20, "[2000](RC4025:주문가능금액을 초과하였습니다)", KIWOOM_REPLY_REJECTED, 2000 },
    { 200, 3, "인증에 실패했습니다[8001:App Key 검증에 실패했습니다]", KIWOOM_REPLY_AUTH, 8001 },
    { 200, 3, "[8030:실전/모의 구분이 맞지 않습니다]", KIWOOM_REPLY_AUTH, 8030 },
    { 500, -1, NULL, KIWOOM_REPLY_MALFORMED, -1 },
    { 200, -1, "no code at all", KIWOOM_REPLY_MALFORMED, -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KiwoomReplyClass reply = kiwoom_classify_code (cases[i].http, cases[i].return_code,
                                                     cases[i].message);

      g_test_message ("case %u: %s", i, cases[i].message ? cases[i].message : "(null)");
      g_assert_cmpint (reply.kind, ==, cases[i].kind);
      g_assert_cmpint (reply.inner_code, ==, cases[i].inner);
      g_assert_cmpint (reply.return_code, ==, cases[i].return_code);
    }
}

static KiwoomReplyClass
classify_text (guint       http,
               const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return kiwoom_classify_reply (http, json_node_get_object (json_parser_get_root (parser)));
}

static void
test_classify_bodies (void)
{
  /* return_code as a string, as some live replies have it. */
  g_assert_cmpint (classify_text (200, "{\"return_code\":\"0\",\"return_msg\":\"\"}").kind, ==,
                   KIWOOM_REPLY_OK);
  g_assert_cmpint (classify_text (200, "{\"return_code\":\"1700\"}").kind, ==,
                   KIWOOM_REPLY_RATE_LIMIT);
  g_assert_cmpint (classify_text (200, "{\"return_code\":\" 8005 \"}").kind, ==,
                   KIWOOM_REPLY_TOKEN);
  /* Wrong types are not trusted as success. */
  g_assert_cmpint (classify_text (200, "{\"return_code\":true}").kind, ==,
                   KIWOOM_REPLY_MALFORMED);
  g_assert_cmpint (classify_text (200, "{\"return_code\":{}}").kind, ==,
                   KIWOOM_REPLY_MALFORMED);
  g_assert_cmpint (classify_text (200, "{\"return_code\":0,\"return_msg\":7}").kind, ==,
                   KIWOOM_REPLY_OK);
  g_assert_cmpint (kiwoom_classify_reply (200, NULL).kind, ==, KIWOOM_REPLY_MALFORMED);
  g_assert_cmpint (kiwoom_classify_reply (429, NULL).kind, ==, KIWOOM_REPLY_RATE_LIMIT);
}

typedef struct {
  const char *text;
  gboolean    ok;
  gint64      value;
} IntCase;

static void
test_parse_int (void)
{
  static const IntCase cases[] = {
    { "+74100", TRUE, 74100 },
    { "-160400", TRUE, -160400 },
    { "-00000000196888", TRUE, -196888 },
    { " 67300", TRUE, 67300 },
    { "000000059000", TRUE, 59000 },
    { "0", TRUE, 0 },
    { "", TRUE, 0 },
    { "+", FALSE, 0 },
    { "1.5", FALSE, 0 },
    { "12a", FALSE, 0 },
    { "99999999999999999999", FALSE, 0 },
    /* At and past the gint64 range: refused, never wrapped (found by fuzz-kiwoom-rest). */
    { "9223372036854775807", TRUE, G_MAXINT64 },
    { "9223372036854775808", FALSE, 0 },
    { "18446744073709551617", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 value = -1;

      g_assert_cmpint (kiwoom_parse_int (cases[i].text, &value), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_cmpint (value, ==, cases[i].value);
    }
}

/* ---- against hoga-exchange ------------------------------------------------------------ */

typedef struct {
  gboolean    done;
  JsonObject *object;
  GError     *error;
} Wait;

static gboolean
wait_done (gpointer data)
{
  return ((Wait *)data)->done;
}

static void
call_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->object = kiwoom_rest_call_finish (KIWOOM_REST (source), result, &wait->error);
  wait->done = TRUE;
}

static JsonObject *
call_sync (KiwoomRest       *rest,
           const char       *api_id,
           const char       *path,
           const char       *body,
           const char       *list_key,
           guint             max_pages,
           KiwoomCallFlags   flags,
           GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  Wait wait = { 0 };

  g_assert_true (json_parser_load_from_data (parser, body, -1, NULL));
  kiwoom_rest_call_async (rest, api_id, path, json_node_get_object (json_parser_get_root (parser)),
                          list_key, max_pages, flags, NULL, call_done_cb, &wait);
  g_assert_true (hx_iterate_until (wait_done, &wait, 30000));
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.object;
}

static KiwoomRest *
client_for (HxServer *server)
{
  return kiwoom_rest_new (server->rest_url, "test-appkey", "test-secretkey");
}

static void
test_token_and_stock_info (void)
{
  HxServer *server = hx_server_start ("--trades-per-second", "0", "--no-conditions", NULL);
  g_autoptr(KiwoomRest) rest = client_for (server);
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GError) error = NULL;

  info = call_sync (rest, "ka10001", "/api/dostk/stkinfo", "{\"stk_cd\":\"005930\"}", NULL, 0,
                    KIWOOM_CALL_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (info, "stk_cd"), ==, "005930");
  g_assert_cmpstr (json_object_get_string_member (info, "stk_nm"), ==, "삼성전자");
  g_assert_cmpuint (kiwoom_rest_get_n_token_issues (rest), ==, 1);

  /* The token is reused, not issued per request. */
  again = call_sync (rest, "ka10001", "/api/dostk/stkinfo", "{\"stk_cd\":\"000660\"}", NULL, 0,
                     KIWOOM_CALL_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (again, "stk_cd"), ==, "000660");
  g_assert_cmpuint (kiwoom_rest_get_n_token_issues (rest), ==, 1);
  g_assert_cmpuint (kiwoom_rest_get_n_requests (rest), ==, 2);

  hx_server_stop (server);
}

static void
test_paging_merges_every_page (void)
{
  HxServer *server = hx_server_start ("--trades-per-second", "0", "--no-conditions",
                                      "--page-size", "20", NULL);
  g_autoptr(KiwoomRest) rest = client_for (server);
  g_autoptr(JsonObject) chart = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *today = hx_kst_now_string ("%Y%m%d");
  g_autofree char *body = g_strdup_printf ("{\"stk_cd\":\"005930\",\"base_dt\":\"%s\","
                                           "\"upd_stkpc_tp\":\"1\"}", today);
  g_autoptr(GHashTable) dates = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *rows;
  const char *previous = NULL;

  chart = call_sync (rest, "ka10081", "/api/dostk/chart", body, "stk_dt_pole_chart_qry", 3,
                     KIWOOM_CALL_NONE, &error);
  g_assert_no_error (error);
  rows = json_object_get_array_member (chart, "stk_dt_pole_chart_qry");
  g_assert_cmpuint (json_array_get_length (rows), ==, 60);
  g_assert_cmpuint (kiwoom_rest_get_n_requests (rest), ==, 3);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *date = json_object_get_string_member (row, "dt");

      g_assert_false (g_hash_table_contains (dates, date));
      g_hash_table_add (dates, (gpointer)date);
      if (previous != NULL)
        g_assert_cmpstr (date, <, previous);
      previous = date;
    }

  hx_server_stop (server);
}

typedef struct {
  guint   pending;
  guint   failed;
} Burst;

static void
burst_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Burst *burst = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = kiwoom_rest_call_finish (KIWOOM_REST (source), result, &error);

  if (object == NULL)
    {
      g_test_message ("burst request failed: %s", error->message);
      burst->failed++;
    }
  burst->pending--;
}

static gboolean
burst_done (gpointer data)
{
  return ((Burst *)data)->pending == 0;
}

static void
run_burst (KiwoomRest *rest,
           guint       n,
           Burst      *burst)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, "{\"stk_cd\":\"005930\"}", -1, NULL));
  burst->pending = n;
  for (guint i = 0; i < n; i++)
    kiwoom_rest_call_async (rest, "ka10001", "/api/dostk/stkinfo",
                            json_node_get_object (json_parser_get_root (parser)), NULL, 0,
                            KIWOOM_CALL_NONE, NULL, burst_done_cb, burst);
  g_assert_true (hx_iterate_until (burst_done, burst, 60000));
}

static void
test_burst_stays_under_the_limit (void)
{
  HxServer *server = hx_server_start ("--trades-per-second", "0", "--no-conditions",
                                      "--rate-limit", "20", NULL);
  g_autoptr(KiwoomRest) rest = client_for (server);
  Burst burst = { 0 };
  gint64 start = g_get_monotonic_time ();

  kiwoom_rest_set_rate_limit (rest, 20);
  run_burst (rest, 50, &burst);

  g_assert_cmpuint (burst.failed, ==, 0);
  g_assert_cmpuint (kiwoom_rest_get_n_rate_limited (rest), ==, 0);
  g_assert_cmpuint (kiwoom_rest_get_n_requests (rest), ==, 50);
  /* The client paces itself at 90 % of 20/s with a burst of 18, starting empty: the
   * requests past a first burst need at least 32 / 18 s ≈ 1.78 s. A lower bound, so a
   * slow machine cannot fail it. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 17 * G_USEC_PER_SEC / 10);

  hx_server_stop (server);
}

/* A client that starts right after another on the same key used the server's bucket up
 * (a crash and restart) must not begin with a burst the server refuses (found by
 * bench/crash-campaign.py: 227 refusals in 300 restarts). */
static void
test_new_client_starts_paced (void)
{
  HxServer *server = hx_server_start ("--trades-per-second", "0", "--no-conditions",
                                      "--rate-limit", "5", NULL);
  g_autoptr(KiwoomRest) first = client_for (server);
  g_autoptr(KiwoomRest) second = client_for (server);
  Burst burst = { 0 };

  kiwoom_rest_set_rate_limit (first, 5);
  kiwoom_rest_set_rate_limit (second, 5);
  run_burst (first, 8, &burst);
  g_assert_cmpuint (kiwoom_rest_get_n_rate_limited (first), ==, 0);

  memset (&burst, 0, sizeof burst);
  run_burst (second, 8, &burst);
  g_assert_cmpuint (burst.failed, ==, 0);
  g_assert_cmpuint (kiwoom_rest_get_n_rate_limited (second), ==, 0);
  g_assert_cmpuint (kiwoom_rest_get_n_requests (second), ==, 8);

  hx_server_stop (server);
}

typedef struct {
  HxServer *server;
  gboolean  fast_again;
} SlowReplies;

static gboolean
replies_fast_again_cb (gpointer data)
{
  SlowReplies *slow = data;

  hx_command (slow->server, "{\"cmd\":\"fault\",\"name\":\"rest-delay\",\"ms\":0}");
  slow->fast_again = TRUE;
  return G_SOURCE_REMOVE;
}

/* Replies slow enough that every connection is busy: the requests paced meanwhile must not
 * leave together when replies are quick again, or the server refuses the burst (found by
 * bench/soak.py: libsoup queued them and sent them at once). */
static void
test_slow_replies_stay_under_the_limit (void)
{
  HxServer *server = hx_server_start ("--trades-per-second", "0", "--no-conditions",
                                      "--rate-limit", "5", NULL);
  g_autoptr(KiwoomRest) rest = client_for (server);
  SlowReplies slow = { server, FALSE };
  Burst burst = { 0 };

  kiwoom_rest_set_rate_limit (rest, 5);
  /* 7 connections busy 3 s each carry 2.3 requests a second, under the 4.5 paced. */
  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"rest-delay\",\"ms\":3000}");
  g_timeout_add (4500, replies_fast_again_cb, &slow);
  run_burst (rest, 30, &burst);

  g_assert_true (slow.fast_again);
  g_assert_cmpuint (burst.failed, ==, 0);
  g_assert_cmpuint (kiwoom_rest_get_n_rate_limited (rest), ==, 0);
  g_assert_cmpuint (kiwoom_rest_get_n_requests (rest), ==, 30);

  hx_server_stop (server);
}

static void
check_rate_limit_retried (const char *status)
{
  HxServer *server = hx_server_start ("--trades-per-second", "0", "--no-conditions",
                                      "--rate-limit", "5", "--rate-limit-status", status, NULL);
  g_autoptr(KiwoomRest) rest = client_for (server);
  Burst burst = { 0 };

  /* The client believes it may send 100/s; the server allows 5/s. */
  kiwoom_rest_set_rate_limit (rest, 100);
  run_burst (rest, 12, &burst);

  g_assert_cmpuint (burst.failed, ==, 0);
  g_assert_cmpuint (kiwoom_rest_get_n_rate_limited (rest), >, 0);
  g_assert_cmpuint (kiwoom_rest_get_n_requests (rest), ==,
                    12 + kiwoom_rest_get_n_rate_limited (rest));

  hx_server_stop (server);
}

static void
test_rate_limit_429_is_retried (void)
{
  check_rate_limit_retried ("429");
}

static void
test_rate_limit_200_is_retried (void)
{
  check_rate_limit_retried ("200");
}

static void
test_invalidated_token_is_reissued_once (void)
{
  HxServer *server = hx_server_start ("--trades-per-second", "0", "--no-conditions", NULL);
  g_autoptr(KiwoomRest) rest = client_for (server);
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(GError) error = NULL;

  first = call_sync (rest, "kt00001", "/api/dostk/acnt", "{\"qry_tp\":\"3\"}", NULL, 0,
                     KIWOOM_CALL_NONE, &error);
  g_assert_no_error (error);

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"invalidate-tokens\"}");

  second = call_sync (rest, "kt00001", "/api/dostk/acnt", "{\"qry_tp\":\"3\"}", NULL, 0,
                      KIWOOM_CALL_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (second, "entr"), ==,
                   json_object_get_string_member (first, "entr"));
  g_assert_cmpuint (kiwoom_rest_get_n_token_issues (rest), ==, 2);
  /* first call, the refused one, and its single retry */
  g_assert_cmpuint (kiwoom_rest_get_n_requests (rest), ==, 3);

  hx_server_stop (server);
}

static void
test_errors_are_classified (void)
{
  HxServer *server = hx_server_start ("--trades-per-second", "0", "--no-conditions", NULL);
  g_autoptr(KiwoomRest) rest = client_for (server);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  object = call_sync (rest, "ka10001", "/api/dostk/stkinfo", "{\"stk_cd\":\"999999\"}", NULL,
                      0, KIWOOM_CALL_NONE, &error);
  g_assert_null (object);
  g_assert_error (error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_UNKNOWN_SYMBOL);
  g_assert_nonnull (strstr (error->message, "1902"));
  g_clear_error (&error);

  object = call_sync (rest, "ka10001", "/api/dostk/stkinfo", "{}", NULL, 0, KIWOOM_CALL_NONE,
                      &error);
  g_assert_error (error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "1511"));
  g_clear_error (&error);

  /* 75,050 is off the 100-won grid of its band: the broker's own text reaches the user. */
  object = call_sync (rest, "kt10000", "/api/dostk/ordr",
                      "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"005930\",\"ord_qty\":\"1\","
                      "\"ord_uv\":\"75050\",\"trde_tp\":\"0\",\"cond_uv\":\"\"}",
                      NULL, 0, KIWOOM_CALL_ORDER, &error);
  g_assert_error (error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "RC4010"));

  hx_server_stop (server);
}

static guint
count_orders (HxServer *server)
{
  g_autoptr(JsonObject) reply = hx_control (server, "{\"cmd\":\"orders\"}");

  return json_array_get_length (json_object_get_array_member (reply, "orders"));
}

static void
test_hung_order_is_outcome_unknown_and_not_resent (void)
{
  HxServer *server = hx_server_start ("--trades-per-second", "0", "--no-conditions", NULL);
  g_autoptr(KiwoomRest) rest = client_for (server);
  g_autoptr(JsonObject) warmup = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  guint requests_before;

  /* Get the token first: the hang must catch the order itself. */
  warmup = call_sync (rest, "kt00001", "/api/dostk/acnt", "{\"qry_tp\":\"3\"}", NULL, 0,
                      KIWOOM_CALL_NONE, &error);
  g_assert_no_error (error);

  kiwoom_rest_set_timeout (rest, 1);
  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"rest-hang\",\"on\":true}");
  requests_before = kiwoom_rest_get_n_requests (rest);

  object = call_sync (rest, "kt10000", "/api/dostk/ordr",
                      "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"005930\",\"ord_qty\":\"1\","
                      "\"ord_uv\":\"\",\"trde_tp\":\"3\",\"cond_uv\":\"\"}",
                      NULL, 0, KIWOOM_CALL_ORDER, &error);
  g_assert_null (object);
  g_assert_error (error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_OUTCOME_UNKNOWN);
  g_assert_cmpuint (kiwoom_rest_get_n_requests (rest), ==, requests_before + 1);

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"rest-hang\",\"on\":false}");
  hx_pump (300);

  /* Whatever the exchange did with it, it saw the order exactly once. */
  g_assert_cmpuint (count_orders (server), <=, 1);
  g_assert_cmpuint (kiwoom_rest_get_n_requests (rest), ==, requests_before + 1);

  hx_server_stop (server);
}

static void
test_rejected_order_is_not_retried (void)
{
  HxServer *server = hx_server_start ("--trades-per-second", "0", "--no-conditions", NULL);
  g_autoptr(KiwoomRest) rest = client_for (server);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"reject-orders\",\"count\":1}");
  object = call_sync (rest, "kt10000", "/api/dostk/ordr",
                      "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"005930\",\"ord_qty\":\"1\","
                      "\"ord_uv\":\"\",\"trde_tp\":\"3\",\"cond_uv\":\"\"}",
                      NULL, 0, KIWOOM_CALL_ORDER, &error);
  g_assert_error (error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "RC4099"));
  g_assert_cmpuint (kiwoom_rest_get_n_requests (rest), ==, 1);
  g_assert_cmpuint (count_orders (server), ==, 0);

  hx_server_stop (server);
}

/* Some live servers send return_code as a string; every class must still be recognised. */
static void
test_string_return_codes (void)
{
  HxServer *server = hx_server_start ("--trades-per-second", "0", "--no-conditions",
                                      "--string-return-codes", "--rate-limit", "5",
                                      "--rate-limit-status", "200", NULL);
  g_autoptr(KiwoomRest) rest = client_for (server);
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(JsonObject) missing = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(GError) error = NULL;
  Burst burst = { 0 };

  info = call_sync (rest, "ka10001", "/api/dostk/stkinfo", "{\"stk_cd\":\"005930\"}", NULL, 0,
                    KIWOOM_CALL_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (info, "return_code"), ==, "0");

  missing = call_sync (rest, "ka10001", "/api/dostk/stkinfo", "{\"stk_cd\":\"999999\"}", NULL,
                       0, KIWOOM_CALL_NONE, &error);
  g_assert_error (error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_UNKNOWN_SYMBOL);
  g_clear_error (&error);

  /* 1700 as a string with HTTP 200: still a rate limit, still retried. */
  kiwoom_rest_set_rate_limit (rest, 100);
  run_burst (rest, 10, &burst);
  g_assert_cmpuint (burst.failed, ==, 0);
  g_assert_cmpuint (kiwoom_rest_get_n_rate_limited (rest), >, 0);

  /* 8005 as a string: the token is re-issued. */
  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"invalidate-tokens\"}");
  after = call_sync (rest, "kt00001", "/api/dostk/acnt", "{\"qry_tp\":\"3\"}", NULL, 0,
                     KIWOOM_CALL_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kiwoom_rest_get_n_token_issues (rest), ==, 2);

  hx_server_stop (server);
}

static void
test_unreachable_broker_is_network_error (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(KiwoomRest) rest = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* A port that was free a moment ago: nothing listens there now. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  rest = kiwoom_rest_new (url, "test-appkey", "test-secretkey");
  object = call_sync (rest, "ka10001", "/api/dostk/stkinfo", "{\"stk_cd\":\"005930\"}", NULL,
                      0, KIWOOM_CALL_ORDER, &error);
  g_assert_null (object);
  g_assert_error (error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_NETWORK);
}

typedef struct {
  gboolean  done;
  char     *token;
  GError   *error;
} TokenWait;

static void
token_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  TokenWait *wait = user_data;

  wait->token = kiwoom_rest_get_token_finish (KIWOOM_REST (source), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
token_wait_done (gpointer data)
{
  return ((TokenWait *) data)->done;
}

/* Closing the client while its token request is out (a connection test cancelled, the
 * engine stopped at login) fails the waiting callers at once, and the reply that comes
 * back afterwards finds nobody waiting. */
static void
test_dispose_during_token_request (void)
{
  HxServer *server = hx_server_start ("--trades-per-second", "0", "--no-conditions", NULL);
  KiwoomRest *rest = client_for (server);
  TokenWait wait = { 0 };

  hx_command (server, "{\"cmd\":\"fault\",\"name\":\"rest-delay\",\"ms\":300}");
  kiwoom_rest_get_token_async (rest, NULL, token_done_cb, &wait);
  g_object_run_dispose (G_OBJECT (rest));
  g_assert_true (hx_iterate_until (token_wait_done, &wait, 5000));
  g_assert_null (wait.token);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);

  /* The cancelled reply, and the last reference it held. */
  g_object_unref (rest);
  hx_pump (500);
  hx_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/broker/rest/classify-codes", test_classify_codes);
  g_test_add_func ("/broker/rest/classify-bodies", test_classify_bodies);
  g_test_add_func ("/broker/rest/parse-int", test_parse_int);
  g_test_add_func ("/broker/rest/token-and-stock-info", test_token_and_stock_info);
  g_test_add_func ("/broker/rest/dispose-during-token-request",
                   test_dispose_during_token_request);
  g_test_add_func ("/broker/rest/paging-merges-every-page", test_paging_merges_every_page);
  g_test_add_func ("/broker/rest/burst-stays-under-the-limit", test_burst_stays_under_the_limit);
  g_test_add_func ("/broker/rest/new-client-starts-paced", test_new_client_starts_paced);
  g_test_add_func ("/broker/rest/slow-replies-stay-under-the-limit",
                   test_slow_replies_stay_under_the_limit);
  g_test_add_func ("/broker/rest/rate-limit-429-is-retried", test_rate_limit_429_is_retried);
  g_test_add_func ("/broker/rest/rate-limit-200-is-retried", test_rate_limit_200_is_retried);
  g_test_add_func ("/broker/rest/invalidated-token-is-reissued-once",
                   test_invalidated_token_is_reissued_once);
  g_test_add_func ("/broker/rest/errors-are-classified", test_errors_are_classified);
  g_test_add_func ("/broker/rest/hung-order-is-outcome-unknown-and-not-resent",
                   test_hung_order_is_outcome_unknown_and_not_resent);
  g_test_add_func ("/broker/rest/rejected-order-is-not-retried",
                   test_rejected_order_is_not_retried);
  g_test_add_func ("/broker/rest/string-return-codes", test_string_return_codes);
  g_test_add_func ("/broker/rest/unreachable-broker-is-network-error",
                   test_unreachable_broker_is_network_error);

  return g_test_run ();
}
