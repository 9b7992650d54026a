/* test-exchange-orders.c — hoga-exchange orders: kt10000–kt10003, 00/04 events, account TRs,
 * business rejections and scripted order outcomes
 *
 * Written against kiwoom-protocol.md and docs/hoga-exchange.md, with raw libsoup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-exchange-orders"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "hx-test-fixture.h"

#define CASH0          10000000
#define COMMISSION_PPM 150
#define TAX_PPM        1800

#define KA10075_ALL "{\"all_stk_tp\":\"0\",\"trde_tp\":\"0\",\"stk_cd\":\"\",\"stex_tp\":\"0\"}"
#define KA10076_ALL "{\"stk_cd\":\"\",\"qry_tp\":\"0\",\"sell_tp\":\"0\",\"ord_no\":\"\",\"stex_tp\":\"0\"}"

typedef struct {
  HxServer     *server;
  HxWs         *ws;
  HxSymbolInfo  info;
} Env;

static void
env_start (Env        *env,
           const char *first_extra,
           ...)
{
  const char *scripted[] = { HX_SCRIPTED };
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  for (guint i = 0; i < G_N_ELEMENTS (scripted); i++)
    g_ptr_array_add (args, (gpointer) scripted[i]);
  va_start (ap, first_extra);
  for (const char *arg = first_extra; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  env->server = hx_server_startv ((const char * const *) args->pdata);
  hx_symbol_info (env->server, HX_CODE_A, &env->info);
  env->ws = hx_ws_connect (env->server, TRUE);
  hx_ws_login (env->ws, NULL);
}

static void
env_stop (Env *env)
{
  hx_ws_free (env->ws);
  hx_server_stop (env->server);
}

static gint64
commission (gint64 amount)
{
  /* parts per million of the amount, floored to 10 KRW */
  return (amount * COMMISSION_PPM / 1000000) / 10 * 10;
}

static gint64
tax (gint64 amount)
{
  return amount * TAX_PPM / 1000000;
}

static char *
order_body (const char *code,
            gint64      qty,
            gint64      price,
            const char *trde_tp)
{
  g_autofree char *uv = price > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, price) : g_strdup ("");

  return g_strdup_printf ("{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"%s\",\"ord_qty\":\"%"
                          G_GINT64_FORMAT "\",\"ord_uv\":\"%s\",\"trde_tp\":\"%s\","
                          "\"cond_uv\":\"\"}", code, qty, uv, trde_tp);
}

static HxReply *
order (HxServer   *server,
       const char *api_id,
       const char *code,
       gint64      qty,
       gint64      price)
{
  g_autofree char *body = order_body (code, qty, price, price > 0 ? "0" : "3");

  return hx_tr (server, api_id, "/api/dostk/ordr", body);
}

/* Places an order, asserts it was accepted, returns its number. */
static char *
place (HxServer   *server,
       const char *api_id,
       const char *code,
       gint64      qty,
       gint64      price)
{
  g_autoptr(HxReply) reply = order (server, api_id, code, qty, price);
  const char *ord_no;

  hx_assert_ok (reply);
  ord_no = hx_str (reply->object, "ord_no");
  hx_assert_padded (ord_no, 7, "ord_no");
  g_assert_cmpstr (ord_no, !=, "0000000");
  hx_assert_member (reply->object, "dmst_stex_tp", "KRX");
  hx_str (reply->object, "return_msg");
  return g_strdup (ord_no);
}

static void
assert_code (const char *got,
             const char *code)
{
  g_autofree char *normalized = hx_normalize_code (got);

  g_assert_cmpstr (normalized, ==, code);
}

/* 접수 for a new buy/sell order. */
static void
expect_accepted (HxWs       *ws,
                 const char *ord_no,
                 const char *code,
                 gint64      qty,
                 gint64      price,
                 gboolean    buy)
{
  g_autoptr(JsonObject) v = hx_ws_next_order_event (ws, ord_no, HX_WAIT_MS);

  hx_assert_member (v, "913", "접수");
  assert_code (hx_str (v, "9001"), code);
  g_assert_cmpint (hx_num (hx_str (v, "900")), ==, qty);
  g_assert_cmpint (hx_abs (hx_str (v, "901")), ==, price);
  g_assert_cmpint (hx_num (hx_str (v, "902")), ==, qty);
  hx_assert_member (v, "904", "0000000");
  hx_assert_member (v, "905", buy ? "+매수" : "-매도");
  hx_assert_member (v, "906", price > 0 ? "보통" : "시장가");
  hx_assert_member (v, "907", buy ? "2" : "1");
  hx_assert_padded (hx_str (v, "908"), 6, "908 order time");
  /* nothing filled yet: 910/911 are empty (protocol §7.1) */
  hx_assert_member (v, "910", "");
  hx_assert_member (v, "911", "");
  hx_str (v, "9201");
  hx_str (v, "302");
}

typedef struct {
  gint64 amount;      /* Σ price × qty */
  gint64 qty;
  guint  n_fills;
  gint64 commission;  /* on the order's whole amount */
  gint64 commission_per_fill; /* Σ floored per fill: the contract leaves this open */
  gint64 fee;         /* 938 of the last 체결: the order's commission so far */
  gint64 tax;         /* 939 likewise */
} Fills;

/* Reads 체결 events for @ord_no until nothing remains. */
static void
expect_fills (HxWs       *ws,
              const char *ord_no,
              gint64      qty,
              gint64      limit_price,
              gboolean    buy,
              Fills      *fills)
{
  gint64 remaining = qty;

  memset (fills, 0, sizeof *fills);
  while (remaining > 0)
    {
      g_autoptr(JsonObject) v = hx_ws_next_order_event (ws, ord_no, HX_WAIT_MS);
      gint64 price, fill_qty;

      hx_assert_member (v, "913", "체결");
      price = hx_abs (hx_str (v, "910"));
      fill_qty = hx_num (hx_str (v, "911"));
      g_assert_true (hx_on_grid (price));
      g_assert_cmpint (fill_qty, >, 0);
      if (limit_price > 0 && buy)
        g_assert_cmpint (price, <=, limit_price);
      if (limit_price > 0 && !buy)
        g_assert_cmpint (price, >=, limit_price);

      remaining -= fill_qty;
      fills->amount += price * fill_qty;
      fills->qty += fill_qty;
      fills->n_fills++;
      fills->commission_per_fill += commission (price * fill_qty);
      g_assert_cmpint (hx_num (hx_str (v, "902")), ==, remaining);
      g_assert_cmpint (hx_num (hx_str (v, "903")), ==, fills->amount);
      hx_assert_member (v, "907", buy ? "2" : "1");
      /* 914/915: this fill's unit price and quantity, like 910/911 */
      g_assert_cmpint (hx_abs (hx_str (v, "914")), ==, price);
      g_assert_cmpint (hx_num (hx_str (v, "915")), ==, fill_qty);
      /* 938/939: running totals of the order, never going back */
      g_assert_cmpint (hx_num (hx_str (v, "938")), >=, fills->fee);
      g_assert_cmpint (hx_num (hx_str (v, "939")), >=, fills->tax);
      fills->fee = hx_num (hx_str (v, "938"));
      fills->tax = hx_num (hx_str (v, "939"));
    }
  g_assert_cmpint (remaining, ==, 0);
  fills->commission = commission (fills->amount);
}

static gint64
deposit (HxServer *server)
{
  g_autoptr(HxReply) reply = hx_tr (server, "kt00001", "/api/dostk/acnt", "{\"qry_tp\":\"3\"}");
  const char *entr;

  hx_assert_ok (reply);
  entr = hx_str (reply->object, "entr");
  hx_assert_padded (entr, 15, "kt00001 entr");
  hx_assert_padded (hx_str (reply->object, "ord_alow_amt"), 15, "kt00001 ord_alow_amt");
  hx_assert_padded (hx_str (reply->object, "d2_entra"), 15, "kt00001 d2_entra");
  return hx_num (entr);
}

/* The cash after trading: exact for one fill per order; with several fills the commission
 * may be floored per fill instead, which the contract leaves open. */
static void
assert_cash (HxServer *server,
             gint64    expected,
             gint64    expected_per_fill)
{
  gint64 entr = deposit (server);
  g_autoptr(JsonObject) status = hx_control (server, "{\"cmd\":\"status\"}");

  if (entr != expected && entr != expected_per_fill)
    hx_fail ("kt00001 entr %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT
             " (amount + commission floored to 10 KRW)", entr, expected);
  g_assert_cmpint (json_object_get_int_member (status, "cash"), ==, entr);
}

static JsonObject *
find_row (JsonArray  *rows,
          const char *member,
          const char *value)
{
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (g_strcmp0 (hx_opt_str (row, member), value) == 0)
        return row;
    }
  return NULL;
}

static JsonObject *
holding_row (JsonArray  *rows,
             const char *code)
{
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      g_autofree char *normalized = hx_normalize_code (hx_opt_str (row, "stk_cd"));

      if (g_strcmp0 (normalized, code) == 0)
        return row;
    }
  return NULL;
}

static HxReply *
unfilled (HxServer *server)
{
  HxReply *reply = hx_tr (server, "ka10075", "/api/dostk/acnt", KA10075_ALL);

  hx_assert_ok (reply);
  hx_array (reply->object, "oso");
  return reply;
}

static JsonObject *
unfilled_row (HxReply    *reply,
              const char *ord_no)
{
  return find_row (json_object_get_array_member (reply->object, "oso"), "ord_no", ord_no);
}

static void
market_buy (Env        *env,
            gint64      qty,
            char      **ord_no_out,
            Fills      *fills)
{
  g_autofree char *ord_no = place (env->server, "kt10000", HX_CODE_A, qty, 0);

  expect_accepted (env->ws, ord_no, HX_CODE_A, qty, 0, TRUE);
  expect_fills (env->ws, ord_no, qty, 0, TRUE, fills);
  if (ord_no_out)
    *ord_no_out = g_steal_pointer (&ord_no);
}

static gboolean
match_holding (JsonObject *entry,
               gpointer    data)
{
  JsonObject *values = json_object_get_object_member (entry, "values");
  const char *held = values ? hx_opt_str (values, "930") : NULL;

  /* compared as numbers: the contract does not say whether 930 is padded */
  return held != NULL && *held != '\0'
         && g_ascii_strtoll (held + (*held == '+' ? 1 : 0), NULL, 10)
              == g_ascii_strtoll (data, NULL, 10);
}

/* ---- the acceptance path ----------------------------------------------------------- */

static void
test_market_buy (void)
{
  Env env = { 0 };
  Fills fills;
  g_autoptr(HxReply) balance = NULL;
  g_autoptr(JsonObject) holding_event = NULL;
  JsonObject *row;
  const char *amounts[] = { "pur_pric", "rmnd_qty", "trde_able_qty", "pur_amt", "evlt_amt",
                            "evltv_prft", NULL };
  const char *totals[] = { "tot_pur_amt", "tot_evlt_amt", "tot_evlt_pl", "prsm_dpst_aset_amt",
                           NULL };

  env_start (&env, NULL, NULL);
  market_buy (&env, 10, NULL, &fills);
  g_assert_cmpint (fills.qty, ==, 10);

  /* 04: the holding, to every logged-in session */
  holding_event = hx_ws_wait_real (env.ws, "04", HX_CODE_A, match_holding, "10", HX_WAIT_MS);
  hx_assert_member (holding_event, "name", "현물잔고");
  {
    JsonObject *v = hx_object (holding_event, "values");
    hx_str (v, "931");
    g_assert_cmpint (hx_num (hx_str (v, "933")), ==, 10);
  }

  balance = hx_tr (env.server, "kt00018", "/api/dostk/acnt",
                   "{\"qry_tp\":\"1\",\"dmst_stex_tp\":\"KRX\"}");
  hx_assert_ok (balance);
  for (guint i = 0; totals[i] != NULL; i++)
    hx_assert_padded (hx_str (balance->object, totals[i]), 15, totals[i]);
  g_assert_cmpint (hx_num (hx_str (balance->object, "tot_pur_amt")), ==, fills.amount);

  row = holding_row (hx_array (balance->object, "acnt_evlt_remn_indv_tot"), HX_CODE_A);
  if (row == NULL)
    hx_fail ("kt00018 lists no holding of %s: %s", HX_CODE_A, balance->text);
  hx_assert_member (row, "stk_cd", "A" HX_CODE_A);
  for (guint i = 0; amounts[i] != NULL; i++)
    hx_assert_padded (hx_str (row, amounts[i]), 15, amounts[i]);
  hx_assert_padded (hx_str (row, "cur_prc"), 12, "cur_prc");
  hx_assert_padded (hx_str (row, "pred_close_pric"), 12, "pred_close_pric");
  g_assert_cmpint (hx_num (hx_str (row, "rmnd_qty")), ==, 10);
  g_assert_cmpint (hx_num (hx_str (row, "trde_able_qty")), ==, 10);
  g_assert_cmpint (hx_num (hx_str (row, "pur_amt")), ==, fills.amount);
  g_assert_cmpint (hx_num (hx_str (row, "pred_close_pric")), ==, env.info.base);
  g_assert_cmpuint (strlen (hx_str (row, "stk_nm")), >, 0);

  /* kt00001: cash reduced by the amount and the commission */
  assert_cash (env.server, CASH0 - fills.amount - fills.commission,
               CASH0 - fills.amount - fills.commission_per_fill);

  env_stop (&env);
}

static void
test_market_sell (void)
{
  Env env = { 0 };
  Fills buy, sell;
  g_autofree char *buy_no = NULL;
  g_autofree char *sell_no = NULL;
  g_autoptr(JsonObject) zero = NULL;
  g_autoptr(HxReply) filled = NULL;
  g_autoptr(HxReply) balance = NULL;
  JsonArray *rows;
  JsonObject *row0, *row1, *left;

  env_start (&env, NULL, NULL);
  market_buy (&env, 10, &buy_no, &buy);

  sell_no = place (env.server, "kt10001", HX_CODE_A, 10, 0);
  g_assert_cmpstr (sell_no, >, buy_no);
  expect_accepted (env.ws, sell_no, HX_CODE_A, 10, 0, FALSE);
  expect_fills (env.ws, sell_no, 10, 0, FALSE, &sell);

  /* 04 with nothing left */
  zero = hx_ws_wait_real (env.ws, "04", HX_CODE_A, match_holding, "0", HX_WAIT_MS);

  balance = hx_tr (env.server, "kt00018", "/api/dostk/acnt",
                   "{\"qry_tp\":\"1\",\"dmst_stex_tp\":\"KRX\"}");
  hx_assert_ok (balance);
  left = holding_row (hx_array (balance->object, "acnt_evlt_remn_indv_tot"), HX_CODE_A);
  if (left != NULL)
    g_assert_cmpint (hx_num (hx_str (left, "rmnd_qty")), ==, 0);

  assert_cash (env.server,
               CASH0 - buy.amount - buy.commission + sell.amount - sell.commission
                 - tax (sell.amount),
               CASH0 - buy.amount - buy.commission_per_fill + sell.amount
                 - sell.commission_per_fill - tax (sell.amount));

  /* ka10076: filled orders, newest first */
  filled = hx_tr (env.server, "ka10076", "/api/dostk/acnt", KA10076_ALL);
  hx_assert_ok (filled);
  rows = hx_array (filled->object, "cntr");
  g_assert_cmpuint (json_array_get_length (rows), >=, 2);
  row0 = json_array_get_object_element (rows, 0);
  row1 = json_array_get_object_element (rows, 1);
  hx_assert_member (row0, "ord_no", sell_no);
  hx_assert_member (row0, "io_tp_nm", "-매도");
  hx_assert_member (row0, "trde_tp", "시장가");
  hx_assert_member (row0, "ord_stt", "체결");
  g_assert_cmpint (hx_num (hx_str (row0, "cntr_qty")), ==, 10);
  g_assert_cmpint (hx_num (hx_str (row0, "oso_qty")), ==, 0);
  assert_code (hx_str (row0, "stk_cd"), HX_CODE_A);
  hx_assert_member (row1, "ord_no", buy_no);
  hx_assert_member (row1, "io_tp_nm", "+매수");
  g_assert_cmpint (hx_num (hx_str (row1, "cntr_qty")), ==, 10);

  env_stop (&env);
}

/* ---- resting limit orders, modify, cancel ------------------------------------------ */

static void
test_resting_limit_fill (void)
{
  Env env = { 0 };
  Fills fills;
  g_autofree char *ord_no = NULL;
  g_autoptr(HxReply) before = NULL;
  g_autoptr(HxReply) after = NULL;
  JsonObject *row;
  gint64 price;

  env_start (&env, NULL, NULL);
  price = hx_ticks_from (env.info.base, -10);
  ord_no = place (env.server, "kt10000", HX_CODE_A, 3, price);
  expect_accepted (env.ws, ord_no, HX_CODE_A, 3, price, TRUE);
  if (hx_ws_poll_real (env.ws, "00", NULL, NULL, NULL, HX_QUIET_MS) != NULL)
    hx_fail ("a limit buy ten ticks under the market was filled at once");

  before = unfilled (env.server);
  row = unfilled_row (before, ord_no);
  if (row == NULL)
    hx_fail ("ka10075 does not list the resting order %s: %s", ord_no, before->text);
  assert_code (hx_str (row, "stk_cd"), HX_CODE_A);
  g_assert_cmpint (hx_num (hx_str (row, "ord_qty")), ==, 3);
  g_assert_cmpint (hx_num (hx_str (row, "oso_qty")), ==, 3);
  g_assert_cmpint (hx_abs (hx_str (row, "ord_pric")), ==, price);
  hx_assert_member (row, "io_tp_nm", "+매수");
  hx_assert_member (row, "trde_tp", "보통");
  hx_assert_member (row, "ord_stt", "접수");
  hx_assert_member (row, "orig_ord_no", "0000000");
  hx_assert_padded (hx_str (row, "tm"), 6, "tm");

  /* a print through the limit price fills it */
  hx_command (env.server, "{\"cmd\":\"trade\",\"code\":\"%s\",\"price\":%" G_GINT64_FORMAT
              ",\"qty\":-1000}", HX_CODE_A, hx_ticks_from (price, -1));
  expect_fills (env.ws, ord_no, 3, price, TRUE, &fills);

  after = unfilled (env.server);
  if (unfilled_row (after, ord_no) != NULL)
    hx_fail ("ka10075 still lists the filled order %s: %s", ord_no, after->text);

  assert_cash (env.server, CASH0 - fills.amount - fills.commission,
               CASH0 - fills.amount - fills.commission_per_fill);
  env_stop (&env);
}

static void
test_modify_and_cancel (void)
{
  Env env = { 0 };
  g_autofree char *root = NULL;
  g_autofree char *modified = NULL;
  g_autofree char *cancel_no = NULL;
  g_autoptr(HxReply) reply = NULL;
  g_autoptr(HxReply) cancel = NULL;
  g_autoptr(HxReply) listing = NULL;
  g_autoptr(HxReply) listing2 = NULL;
  g_autoptr(JsonObject) v = NULL;
  JsonObject *row;
  gint64 price, price2;
  g_autofree char *body = NULL;
  g_autofree char *cancel_body = NULL;

  env_start (&env, NULL, NULL);
  price = hx_ticks_from (env.info.base, -10);
  price2 = hx_ticks_from (env.info.base, -12);
  root = place (env.server, "kt10000", HX_CODE_A, 2, price);
  expect_accepted (env.ws, root, HX_CODE_A, 2, price, TRUE);

  /* kt10002: new number, base_orig_ord_no = the root */
  body = g_strdup_printf ("{\"dmst_stex_tp\":\"KRX\",\"orig_ord_no\":\"%s\",\"stk_cd\":\"%s\","
                          "\"mdfy_qty\":\"2\",\"mdfy_uv\":\"%" G_GINT64_FORMAT "\","
                          "\"mdfy_cond_uv\":\"\"}", root, HX_CODE_A, price2);
  reply = hx_tr (env.server, "kt10002", "/api/dostk/ordr", body);
  hx_assert_ok (reply);
  modified = g_strdup (hx_str (reply->object, "ord_no"));
  hx_assert_padded (modified, 7, "ord_no");
  g_assert_cmpstr (modified, !=, root);
  hx_assert_member (reply->object, "base_orig_ord_no", root);
  hx_assert_padded (hx_str (reply->object, "mdfy_qty"), 12, "mdfy_qty");
  g_assert_cmpint (hx_num (hx_str (reply->object, "mdfy_qty")), ==, 2);

  /* 00 for the new number: 접수 then 확인, 904 = the original */
  v = hx_ws_next_order_event (env.ws, modified, HX_WAIT_MS);
  hx_assert_member (v, "913", "접수");
  hx_assert_member (v, "904", root);
  hx_assert_member (v, "905", "+매수정정");
  g_clear_pointer (&v, json_object_unref);
  v = hx_ws_next_order_event (env.ws, modified, HX_WAIT_MS);
  hx_assert_member (v, "913", "확인");
  hx_assert_member (v, "904", root);
  g_clear_pointer (&v, json_object_unref);
  /* the original reports 확인 with nothing left */
  v = hx_ws_next_order_event (env.ws, root, HX_WAIT_MS);
  hx_assert_member (v, "913", "확인");
  g_assert_cmpint (hx_num (hx_str (v, "902")), ==, 0);
  g_clear_pointer (&v, json_object_unref);

  listing = unfilled (env.server);
  if (unfilled_row (listing, root) != NULL)
    hx_fail ("ka10075 still lists the modified original %s: %s", root, listing->text);
  row = unfilled_row (listing, modified);
  if (row == NULL)
    hx_fail ("ka10075 does not list the modified order %s: %s", modified, listing->text);
  g_assert_cmpint (hx_abs (hx_str (row, "ord_pric")), ==, price2);
  g_assert_cmpint (hx_num (hx_str (row, "oso_qty")), ==, 2);
  hx_assert_member (row, "orig_ord_no", root);

  /* kt10003 with cncl_qty "0": cancel everything left */
  cancel_body = g_strdup_printf ("{\"dmst_stex_tp\":\"KRX\",\"orig_ord_no\":\"%s\","
                                 "\"stk_cd\":\"%s\",\"cncl_qty\":\"0\"}", modified, HX_CODE_A);
  cancel = hx_tr (env.server, "kt10003", "/api/dostk/ordr", cancel_body);
  hx_assert_ok (cancel);
  cancel_no = g_strdup (hx_str (cancel->object, "ord_no"));
  hx_assert_padded (cancel_no, 7, "ord_no");
  g_assert_cmpstr (cancel_no, !=, modified);
  g_assert_cmpstr (cancel_no, !=, root);
  hx_assert_member (cancel->object, "base_orig_ord_no", root);
  hx_assert_padded (hx_str (cancel->object, "cncl_qty"), 12, "cncl_qty");

  /* the cancel's own number: 접수 then 확인 (904 = an original of the chain) */
  v = hx_ws_next_order_event (env.ws, cancel_no, HX_WAIT_MS);
  hx_assert_member (v, "913", "접수");
  hx_assert_member (v, "905", "매수취소");
  if (g_strcmp0 (hx_str (v, "904"), modified) != 0 && g_strcmp0 (hx_str (v, "904"), root) != 0)
    hx_fail ("cancel 접수 904 is %s, expected %s (or the root %s)", hx_str (v, "904"),
             modified, root);
  g_clear_pointer (&v, json_object_unref);
  v = hx_ws_next_order_event (env.ws, cancel_no, HX_WAIT_MS);
  hx_assert_member (v, "913", "확인");
  g_clear_pointer (&v, json_object_unref);
  /* the cancelled order reports 취소 with 902 = 0 */
  v = hx_ws_next_order_event (env.ws, modified, HX_WAIT_MS);
  hx_assert_member (v, "913", "취소");
  g_assert_cmpint (hx_num (hx_str (v, "902")), ==, 0);

  listing2 = unfilled (env.server);
  if (unfilled_row (listing2, modified) != NULL || unfilled_row (listing2, root) != NULL
      || unfilled_row (listing2, cancel_no) != NULL)
    hx_fail ("ka10075 still lists part of the cancelled chain: %s", listing2->text);

  /* the reserved cash is back */
  assert_cash (env.server, CASH0, CASH0);
  env_stop (&env);
}

static void
test_modify_chain_root (void)
{
  Env env = { 0 };
  g_autofree char *root = NULL;
  g_autofree char *second = NULL;
  gint64 prices[3];

  env_start (&env, NULL, NULL);
  for (int i = 0; i < 3; i++)
    prices[i] = hx_ticks_from (env.info.base, -10 - i);
  root = place (env.server, "kt10000", HX_CODE_A, 1, prices[0]);
  second = g_strdup (root);
  for (int i = 1; i < 3; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"dmst_stex_tp\":\"KRX\",\"orig_ord_no\":"
                                               "\"%s\",\"stk_cd\":\"%s\",\"mdfy_qty\":\"1\","
                                               "\"mdfy_uv\":\"%" G_GINT64_FORMAT "\"}",
                                               second, HX_CODE_A, prices[i]);
      g_autoptr(HxReply) reply = hx_tr (env.server, "kt10002", "/api/dostk/ordr", body);

      hx_assert_ok (reply);
      /* base_orig_ord_no stays the root of the chain */
      hx_assert_member (reply->object, "base_orig_ord_no", root);
      g_free (second);
      second = g_strdup (hx_str (reply->object, "ord_no"));
    }

  /* control `orders` lists every order with its fields */
  {
    g_autoptr(JsonObject) reply = hx_control (env.server, "{\"cmd\":\"orders\"}");
    JsonArray *orders = hx_array (reply, "orders");
    const char *fields[] = { "ord_no", "orig_ord_no", "kind", "side", "code", "qty", "price",
                             "trde_tp", "filled_qty", "state", NULL };
    gboolean found = FALSE;

    g_assert_cmpuint (json_array_get_length (orders), ==, 3);
    for (guint i = 0; i < json_array_get_length (orders); i++)
      {
        JsonObject *o = json_array_get_object_element (orders, i);

        for (guint f = 0; fields[f] != NULL; f++)
          if (!json_object_has_member (o, fields[f]))
            hx_fail ("control orders entry lacks \"%s\": %s", fields[f],
                     hx_object_to_string (o));
        if (g_strcmp0 (hx_opt_str (o, "ord_no"), second) == 0)
          found = TRUE;
      }
    g_assert_true (found);
  }
  env_stop (&env);
}

/* ---- business rejections ----------------------------------------------------------- */

static void
assert_rejected (HxReply    *reply,
                 const char *rc)
{
  hx_assert_error (reply, 200, 20, rc);
}

static void
test_reject_no_cash (void)
{
  Env env = { 0 };
  g_autoptr(HxReply) reply = NULL;

  env_start (&env, NULL, NULL);
  hx_command (env.server, "{\"cmd\":\"set-cash\",\"amount\":1000}");
  reply = order (env.server, "kt10000", HX_CODE_A, 1, env.info.base);
  assert_rejected (reply, "RC4025");
  /* a rejected order produces no 00 event */
  if (hx_ws_poll_real (env.ws, "00", NULL, NULL, NULL, HX_QUIET_MS) != NULL)
    hx_fail ("a rejected order produced a 00 event: %s", hx_ws_describe_seen (env.ws));
  g_assert_cmpint (deposit (env.server), ==, 1000);
  env_stop (&env);
}

static void
test_reject_market_reserves_upper_limit (void)
{
  Env env = { 0 };
  g_autoptr(HxReply) reply = NULL;
  gint64 qty = 10;

  env_start (&env, NULL, NULL);
  /* enough for 10 at the base price, not for 10 at the upper limit */
  hx_command (env.server, "{\"cmd\":\"set-cash\",\"amount\":%" G_GINT64_FORMAT "}",
              env.info.upper * qty - 1);
  reply = order (env.server, "kt10000", HX_CODE_A, qty, 0);
  assert_rejected (reply, "RC4025");
  env_stop (&env);
}

static void
test_reject_not_held (void)
{
  Env env = { 0 };
  g_autoptr(HxReply) reply = NULL;

  env_start (&env, NULL, NULL);
  reply = order (env.server, "kt10001", HX_CODE_A, 1, env.info.base);
  assert_rejected (reply, "RC4032");
  env_stop (&env);
}

static void
test_reject_off_grid (void)
{
  Env env = { 0 };
  g_autoptr(HxReply) reply = NULL;
  gint64 price;

  env_start (&env, NULL, NULL);
  price = hx_ticks_from (env.info.base, -2) + 1;
  g_assert_false (hx_on_grid (price));
  reply = order (env.server, "kt10000", HX_CODE_A, 1, price);
  assert_rejected (reply, "RC4010");
  env_stop (&env);
}

static void
test_reject_outside_limits (void)
{
  Env env = { 0 };
  g_autoptr(HxReply) above = NULL;
  g_autoptr(HxReply) below = NULL;

  env_start (&env, NULL, NULL);
  above = order (env.server, "kt10000", HX_CODE_A, 1, hx_ticks_from (env.info.upper, 1));
  assert_rejected (above, "RC4011");
  below = order (env.server, "kt10000", HX_CODE_A, 1, hx_ticks_from (env.info.lower, -1));
  assert_rejected (below, "RC4011");
  env_stop (&env);
}

static void
test_reject_bad_quantity (void)
{
  Env env = { 0 };
  g_autoptr(HxReply) reply = NULL;

  env_start (&env, NULL, NULL);
  reply = order (env.server, "kt10000", HX_CODE_A, 0, env.info.base);
  assert_rejected (reply, "RC4012");
  env_stop (&env);
}

static void
test_reject_unknown_original (void)
{
  Env env = { 0 };
  g_autoptr(HxReply) modify = NULL;
  g_autoptr(HxReply) cancel = NULL;

  env_start (&env, NULL, NULL);
  modify = hx_tr (env.server, "kt10002", "/api/dostk/ordr",
                  "{\"dmst_stex_tp\":\"KRX\",\"orig_ord_no\":\"9999999\",\"stk_cd\":\""
                  HX_CODE_A "\",\"mdfy_qty\":\"1\",\"mdfy_uv\":\"1000\"}");
  assert_rejected (modify, "RC4040");
  cancel = hx_tr (env.server, "kt10003", "/api/dostk/ordr",
                  "{\"dmst_stex_tp\":\"KRX\",\"orig_ord_no\":\"9999999\",\"stk_cd\":\""
                  HX_CODE_A "\",\"cncl_qty\":\"0\"}");
  assert_rejected (cancel, "RC4040");
  env_stop (&env);
}

static void
test_cancel_finished_order (void)
{
  Env env = { 0 };
  Fills fills;
  g_autofree char *ord_no = NULL;
  g_autofree char *body = NULL;
  g_autoptr(HxReply) cancel = NULL;

  env_start (&env, NULL, NULL);
  market_buy (&env, 1, &ord_no, &fills);
  body = g_strdup_printf ("{\"dmst_stex_tp\":\"KRX\",\"orig_ord_no\":\"%s\",\"stk_cd\":\"%s\","
                          "\"cncl_qty\":\"0\"}", ord_no, HX_CODE_A);
  cancel = hx_tr (env.server, "kt10003", "/api/dostk/ordr", body);
  assert_rejected (cancel, "RC4040");
  env_stop (&env);
}

/* ---- scripted order outcomes ------------------------------------------------------- */

static void
test_outcome_partial (void)
{
  Env env = { 0 };
  g_autofree char *ord_no = NULL;
  g_autoptr(JsonObject) v = NULL;
  g_autoptr(HxReply) listing = NULL;
  JsonObject *row;
  gint64 price, fill_qty;

  env_start (&env, NULL, NULL);
  price = hx_ticks_from (env.info.base, -10);
  hx_command (env.server, "{\"cmd\":\"order-outcome\",\"outcome\":\"partial\",\"count\":1,"
              "\"qty\":4}");
  ord_no = place (env.server, "kt10000", HX_CODE_A, 10, price);
  expect_accepted (env.ws, ord_no, HX_CODE_A, 10, price, TRUE);

  v = hx_ws_next_order_event (env.ws, ord_no, HX_WAIT_MS);
  hx_assert_member (v, "913", "체결");
  fill_qty = hx_num (hx_str (v, "911"));
  g_assert_cmpint (fill_qty, ==, 4);
  g_assert_cmpint (hx_num (hx_str (v, "902")), ==, 6);
  g_assert_cmpint (hx_abs (hx_str (v, "910")), <=, price);

  /* no further fill; the rest stays in ka10075 */
  if (hx_ws_poll_real (env.ws, "00", NULL, NULL, NULL, HX_QUIET_MS) != NULL)
    hx_fail ("more 00 events after the partial fill: %s", hx_ws_describe_seen (env.ws));
  listing = unfilled (env.server);
  row = unfilled_row (listing, ord_no);
  if (row == NULL)
    hx_fail ("ka10075 does not list the partly filled order %s: %s", ord_no, listing->text);
  g_assert_cmpint (hx_num (hx_str (row, "oso_qty")), ==, 6);
  g_assert_cmpint (hx_num (hx_str (row, "ord_qty")), ==, 10);
  g_assert_cmpint (hx_num (hx_str (row, "cntr_qty")), ==, 4);

  env_stop (&env);
}

static void
test_outcome_reject_event (void)
{
  Env env = { 0 };
  g_autofree char *ord_no = NULL;
  g_autofree char *next_no = NULL;
  g_autoptr(JsonObject) v = NULL;
  g_autoptr(HxReply) listing = NULL;
  const char *reason;
  gint64 price;

  env_start (&env, NULL, NULL);
  price = hx_ticks_from (env.info.base, -10);
  hx_command (env.server, "{\"cmd\":\"order-outcome\",\"outcome\":\"reject-event\",\"count\":1}");
  /* accepted over REST, then rejected by an event */
  ord_no = place (env.server, "kt10000", HX_CODE_A, 1, price);
  expect_accepted (env.ws, ord_no, HX_CODE_A, 1, price, TRUE);
  v = hx_ws_next_order_event (env.ws, ord_no, HX_WAIT_MS);
  hx_assert_member (v, "913", "거부");
  reason = hx_str (v, "919");
  if (*reason == '\0' || g_strcmp0 (reason, "0") == 0)
    hx_fail ("거부 without a reason in 919: \"%s\"", reason);

  listing = unfilled (env.server);
  if (unfilled_row (listing, ord_no) != NULL)
    hx_fail ("ka10075 lists the rejected order %s: %s", ord_no, listing->text);

  /* count 1: the next order is normal again */
  next_no = place (env.server, "kt10000", HX_CODE_A, 1, price);
  expect_accepted (env.ws, next_no, HX_CODE_A, 1, price, TRUE);
  if (hx_ws_poll_real (env.ws, "00", NULL, NULL, NULL, HX_QUIET_MS) != NULL)
    hx_fail ("the order after the scripted rejection got more events: %s",
             hx_ws_describe_seen (env.ws));
  env_stop (&env);
}

static void
test_outcome_fill (void)
{
  Env env = { 0 };
  Fills fills;
  g_autofree char *ord_no = NULL;
  gint64 price;

  env_start (&env, NULL, NULL);
  price = hx_ticks_from (env.info.base, -10);
  hx_command (env.server, "{\"cmd\":\"order-outcome\",\"outcome\":\"fill\",\"count\":1}");
  /* a limit buy far under the market fills completely anyway */
  ord_no = place (env.server, "kt10000", HX_CODE_A, 5, price);
  expect_accepted (env.ws, ord_no, HX_CODE_A, 5, price, TRUE);
  expect_fills (env.ws, ord_no, 5, price, TRUE, &fills);
  env_stop (&env);
}

static void
test_outcome_rest (void)
{
  Env env = { 0 };
  g_autofree char *ord_no = NULL;
  g_autoptr(HxReply) listing = NULL;
  JsonObject *row;

  env_start (&env, NULL, NULL);
  hx_command (env.server, "{\"cmd\":\"order-outcome\",\"outcome\":\"rest\",\"count\":1}");
  /* a market buy that would fill at once rests instead */
  ord_no = place (env.server, "kt10000", HX_CODE_A, 2, 0);
  expect_accepted (env.ws, ord_no, HX_CODE_A, 2, 0, TRUE);
  if (hx_ws_poll_real (env.ws, "00", NULL, NULL, NULL, HX_QUIET_MS) != NULL)
    hx_fail ("the resting order got more events: %s", hx_ws_describe_seen (env.ws));
  listing = unfilled (env.server);
  row = unfilled_row (listing, ord_no);
  if (row == NULL)
    hx_fail ("ka10075 does not list the resting market order %s: %s", ord_no, listing->text);
  g_assert_cmpint (hx_num (hx_str (row, "oso_qty")), ==, 2);
  hx_assert_member (row, "trde_tp", "시장가");
  env_stop (&env);
}

static void
test_events_reach_every_session (void)
{
  Env env = { 0 };
  g_autoptr(HxWs) other = NULL;
  g_autofree char *other_token = NULL;
  g_autofree char *ord_no = NULL;
  g_autoptr(JsonObject) v = NULL;

  env_start (&env, NULL, NULL);
  /* a second session (another app key) registered for nothing */
  other = hx_ws_connect (env.server, TRUE);
  other_token = hx_issue_token (env.server, "hx-test-other-appkey");
  hx_ws_login (other, other_token);

  ord_no = place (env.server, "kt10000", HX_CODE_A, 1, hx_ticks_from (env.info.base, -10));
  expect_accepted (env.ws, ord_no, HX_CODE_A, 1, hx_ticks_from (env.info.base, -10), TRUE);
  v = hx_ws_next_order_event (other, ord_no, HX_WAIT_MS);
  hx_assert_member (v, "913", "접수");
  env_stop (&env);
}

/* ---- account TR lists and paging --------------------------------------------------- */

/* Every row of a list TR, following cont-yn / next-key; *n_pages counts the requests. */
static GPtrArray *
fetch_all (HxServer   *server,
           const char *api_id,
           const char *body,
           const char *list,
           guint      *n_pages)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *next_key = NULL;
  gboolean more = TRUE;

  *n_pages = 0;
  while (more)
    {
      g_autoptr(HxReply) reply = hx_tr_full (server, NULL, api_id, "/api/dostk/acnt", body,
                                             *n_pages > 0 ? "Y" : NULL, next_key);
      JsonArray *page;
      const char *cont_yn;

      hx_assert_ok (reply);
      page = hx_array (reply->object, list);
      for (guint i = 0; i < json_array_get_length (page); i++)
        g_ptr_array_add (rows, json_object_ref (json_array_get_object_element (page, i)));
      cont_yn = soup_message_headers_get_one (reply->headers, "cont-yn");
      g_free (next_key);
      next_key = g_strdup (soup_message_headers_get_one (reply->headers, "next-key"));
      more = g_strcmp0 (cont_yn, "Y") == 0;
      if (more && (next_key == NULL || *next_key == '\0'))
        hx_fail ("%s page %u: cont-yn Y without a next-key", api_id, *n_pages + 1);
      (*n_pages)++;
      if (*n_pages > 50)
        hx_fail ("%s: more than 50 pages", api_id);
    }
  return rows;
}

static gboolean
rows_have (GPtrArray  *rows,
           const char *member,
           const char *value)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (hx_opt_str (g_ptr_array_index (rows, i), member), value) == 0)
      return TRUE;
  return FALSE;
}

static void
test_ka10075_paging (void)
{
  Env env = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  char *ord_nos[5];
  guint n_pages;

  env_start (&env, "--page-size", "2", NULL);
  for (int i = 0; i < 5; i++)
    ord_nos[i] = place (env.server, "kt10000", HX_CODE_A, 1, hx_ticks_from (env.info.base, -10 - i));

  rows = fetch_all (env.server, "ka10075", KA10075_ALL, "oso", &n_pages);
  g_assert_cmpuint (n_pages, ==, 3);
  g_assert_cmpuint (rows->len, ==, 5);
  for (guint i = 0; i < rows->len; i++)
    if (!g_hash_table_add (seen, (gpointer) hx_str (g_ptr_array_index (rows, i), "ord_no")))
      hx_fail ("ka10075 repeats an order across pages");
  for (int i = 0; i < 5; i++)
    {
      g_assert_true (g_hash_table_contains (seen, ord_nos[i]));
      g_free (ord_nos[i]);
    }
  env_stop (&env);
}

static void
test_ka10075_filters (void)
{
  Env env = { 0 };
  Fills fills;
  HxSymbolInfo info_b;
  g_autofree char *buy_a = NULL;
  g_autofree char *buy_b = NULL;
  g_autofree char *sell_a = NULL;
  g_autoptr(HxReply) sells = NULL;
  g_autoptr(HxReply) buys = NULL;
  g_autoptr(HxReply) only_a = NULL;

  env_start (&env, NULL, NULL);
  hx_symbol_info (env.server, HX_CODE_B, &info_b);
  market_buy (&env, 2, NULL, &fills);
  buy_a = place (env.server, "kt10000", HX_CODE_A, 1, hx_ticks_from (env.info.base, -10));
  buy_b = place (env.server, "kt10000", HX_CODE_B, 1, hx_ticks_from (info_b.base, -10));
  sell_a = place (env.server, "kt10001", HX_CODE_A, 2, hx_ticks_from (env.info.base, 10));

  sells = hx_tr (env.server, "ka10075", "/api/dostk/acnt",
                 "{\"all_stk_tp\":\"0\",\"trde_tp\":\"1\",\"stk_cd\":\"\",\"stex_tp\":\"0\"}");
  hx_assert_ok (sells);
  g_assert_cmpuint (json_array_get_length (hx_array (sells->object, "oso")), ==, 1);
  g_assert_nonnull (unfilled_row (sells, sell_a));
  hx_assert_member (unfilled_row (sells, sell_a), "io_tp_nm", "-매도");

  buys = hx_tr (env.server, "ka10075", "/api/dostk/acnt",
                "{\"all_stk_tp\":\"0\",\"trde_tp\":\"2\",\"stk_cd\":\"\",\"stex_tp\":\"0\"}");
  hx_assert_ok (buys);
  g_assert_cmpuint (json_array_get_length (hx_array (buys->object, "oso")), ==, 2);
  g_assert_nonnull (unfilled_row (buys, buy_a));
  g_assert_nonnull (unfilled_row (buys, buy_b));

  only_a = hx_tr (env.server, "ka10075", "/api/dostk/acnt",
                  "{\"all_stk_tp\":\"1\",\"trde_tp\":\"0\",\"stk_cd\":\"" HX_CODE_A "\","
                  "\"stex_tp\":\"0\"}");
  hx_assert_ok (only_a);
  g_assert_cmpuint (json_array_get_length (hx_array (only_a->object, "oso")), ==, 2);
  g_assert_null (unfilled_row (only_a, buy_b));
  env_stop (&env);
}

static void
test_ka10076_cursor (void)
{
  Env env = { 0 };
  Fills fills;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *body = NULL;
  g_autoptr(HxReply) older = NULL;
  JsonArray *rows;

  env_start (&env, NULL, NULL);
  market_buy (&env, 1, &first, &fills);
  market_buy (&env, 1, &second, &fills);
  market_buy (&env, 1, &third, &fills);

  /* ord_no works as a cursor: fills older than that order */
  body = g_strdup_printf ("{\"stk_cd\":\"\",\"qry_tp\":\"0\",\"sell_tp\":\"0\","
                          "\"ord_no\":\"%s\",\"stex_tp\":\"0\"}", third);
  older = hx_tr (env.server, "ka10076", "/api/dostk/acnt", body);
  hx_assert_ok (older);
  rows = hx_array (older->object, "cntr");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  hx_assert_member (json_array_get_object_element (rows, 0), "ord_no", second);
  hx_assert_member (json_array_get_object_element (rows, 1), "ord_no", first);
  env_stop (&env);
}

static void
test_kt00018_paging (void)
{
  Env env = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  const char *codes[] = { HX_CODE_A, HX_CODE_B, "005380", NULL };
  guint n_pages;

  env_start (&env, "--page-size", "2", NULL);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_autofree char *ord_no = place (env.server, "kt10000", codes[i], 1, 0);
      Fills fills;

      expect_accepted (env.ws, ord_no, codes[i], 1, 0, TRUE);
      expect_fills (env.ws, ord_no, 1, 0, TRUE, &fills);
    }
  rows = fetch_all (env.server, "kt00018", "{\"qry_tp\":\"1\",\"dmst_stex_tp\":\"KRX\"}",
                    "acnt_evlt_remn_indv_tot", &n_pages);
  g_assert_cmpuint (n_pages, ==, 2);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_autofree char *a_code = g_strconcat ("A", codes[i], NULL);
      g_assert_true (rows_have (rows, "stk_cd", a_code));
    }
  env_stop (&env);
}

static void
test_holdings_control (void)
{
  Env env = { 0 };
  Fills fills;
  g_autoptr(JsonObject) reply = NULL;
  JsonArray *holdings;
  JsonObject *row = NULL;

  env_start (&env, NULL, NULL);
  market_buy (&env, 4, NULL, &fills);
  reply = hx_control (env.server, "{\"cmd\":\"holdings\"}");
  holdings = hx_array (reply, "holdings");
  for (guint i = 0; i < json_array_get_length (holdings); i++)
    {
      JsonObject *h = json_array_get_object_element (holdings, i);
      g_autofree char *code = hx_normalize_code (hx_opt_str (h, "code"));

      if (g_strcmp0 (code, HX_CODE_A) == 0)
        row = h;
    }
  if (row == NULL)
    hx_fail ("control holdings lacks %s: %s", HX_CODE_A, hx_object_to_string (reply));
  g_assert_cmpint (json_object_get_int_member (row, "qty"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (row, "avg_price"), ==, fills.amount / 4);
  env_stop (&env);
}

static void
test_reject_more_than_sellable (void)
{
  Env env = { 0 };
  Fills fills;
  g_autoptr(HxReply) too_many = NULL;
  g_autoptr(HxReply) reserved = NULL;
  g_autofree char *resting = NULL;

  env_start (&env, NULL, NULL);
  market_buy (&env, 2, NULL, &fills);
  too_many = order (env.server, "kt10001", HX_CODE_A, 3, 0);
  assert_rejected (too_many, "RC4032");
  /* a resting sell takes the quantity out of what is sellable */
  resting = place (env.server, "kt10001", HX_CODE_A, 2, hx_ticks_from (env.info.base, 10));
  reserved = order (env.server, "kt10001", HX_CODE_A, 1, 0);
  assert_rejected (reserved, "RC4032");
  env_stop (&env);
}

static void
test_reject_market_closed (void)
{
  Env env = { 0 };
  g_autoptr(HxReply) reply = NULL;

  /* a Saturday evening in KST under the real schedule */
  env_start (&env, "--clock", "krx", "--start-time", "2026-11-21 20:00:00", NULL);
  reply = order (env.server, "kt10000", HX_CODE_A, 1, env.info.base);
  assert_rejected (reply, "RC4058");
  env_stop (&env);
}

static void
test_commission_and_tax_options (void)
{
  Env env = { 0 };
  Fills buy, sell;
  gint64 buy_comm, sell_comm, sell_tax;
  g_autoptr(JsonObject) status = NULL;

  env_start (&env, "--commission-ppm", "1000", "--tax-ppm", "2000", NULL);
  market_buy (&env, 10, NULL, &buy);
  {
    g_autofree char *sell_no = place (env.server, "kt10001", HX_CODE_A, 10, 0);
    expect_accepted (env.ws, sell_no, HX_CODE_A, 10, 0, FALSE);
    expect_fills (env.ws, sell_no, 10, 0, FALSE, &sell);
  }
  /* 0.1 % floored to 10 KRW; 0.2 % tax on the sell floored to 1 KRW */
  buy_comm = (buy.amount * 1000 / 1000000) / 10 * 10;
  sell_comm = (sell.amount * 1000 / 1000000) / 10 * 10;
  sell_tax = sell.amount * 2000 / 1000000;
  g_assert_cmpint (deposit (env.server), ==,
                   CASH0 - buy.amount - buy_comm + sell.amount - sell_comm - sell_tax);

  /* The 00 events carry the same costs, per order */
  g_assert_cmpint (buy.fee, ==, buy_comm);
  g_assert_cmpint (buy.tax, ==, 0);
  g_assert_cmpint (sell.fee, ==, sell_comm);
  g_assert_cmpint (sell.tax, ==, sell_tax);

  /* status: the day's costs, and the round trip's P&L after them */
  status = hx_control (env.server, "{\"cmd\":\"status\"}");
  g_assert_cmpint (json_object_get_int_member (status, "commission"), ==, buy_comm + sell_comm);
  g_assert_cmpint (json_object_get_int_member (status, "tax"), ==, sell_tax);
  g_assert_cmpint (json_object_get_int_member (status, "realized_pnl"), ==,
                   sell.amount - buy.amount - buy_comm - sell_comm - sell_tax);
  env_stop (&env);
}

int
main (int   argc,
      char *argv[])
{
  hx_test_init (&argc, &argv);

  hx_test_add ("/exchange/orders/market-buy", test_market_buy);
  hx_test_add ("/exchange/orders/market-sell", test_market_sell);
  hx_test_add ("/exchange/orders/resting-limit-fill", test_resting_limit_fill);
  hx_test_add ("/exchange/orders/modify-and-cancel", test_modify_and_cancel);
  hx_test_add ("/exchange/orders/modify-chain-root", test_modify_chain_root);
  hx_test_add ("/exchange/orders/reject/no-cash", test_reject_no_cash);
  hx_test_add ("/exchange/orders/reject/market-reserves-upper-limit",
               test_reject_market_reserves_upper_limit);
  hx_test_add ("/exchange/orders/reject/not-held", test_reject_not_held);
  hx_test_add ("/exchange/orders/reject/off-grid", test_reject_off_grid);
  hx_test_add ("/exchange/orders/reject/outside-limits", test_reject_outside_limits);
  hx_test_add ("/exchange/orders/reject/bad-quantity", test_reject_bad_quantity);
  hx_test_add ("/exchange/orders/reject/unknown-original", test_reject_unknown_original);
  hx_test_add ("/exchange/orders/reject/cancel-finished", test_cancel_finished_order);
  hx_test_add ("/exchange/orders/outcome/partial", test_outcome_partial);
  hx_test_add ("/exchange/orders/outcome/reject-event", test_outcome_reject_event);
  hx_test_add ("/exchange/orders/outcome/fill", test_outcome_fill);
  hx_test_add ("/exchange/orders/outcome/rest", test_outcome_rest);
  hx_test_add ("/exchange/orders/events-reach-every-session", test_events_reach_every_session);
  hx_test_add ("/exchange/orders/holdings-control", test_holdings_control);
  hx_test_add ("/exchange/orders/commission-and-tax-options", test_commission_and_tax_options);
  hx_test_add ("/exchange/orders/list/ka10075-paging", test_ka10075_paging);
  hx_test_add ("/exchange/orders/list/ka10075-filters", test_ka10075_filters);
  hx_test_add ("/exchange/orders/list/ka10076-cursor", test_ka10076_cursor);
  hx_test_add ("/exchange/orders/list/kt00018-paging", test_kt00018_paging);
  hx_test_add ("/exchange/orders/reject/more-than-sellable", test_reject_more_than_sellable);
  hx_test_add ("/exchange/orders/reject/market-closed", test_reject_market_closed);

  return g_test_run ();
}
