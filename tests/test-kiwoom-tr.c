/* test-kiwoom-tr.c — TR request bodies and reply decoders, on the protocol's samples
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kiwoom-tr.h"

static JsonObject *
parse (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static void
test_order_bodies (void)
{
  HogaOrderRequest market = { HOGA_SIDE_BUY, HOGA_ORDER_TYPE_MARKET, HOGA_VENUE_KRX, "005930", 3, 0 };
  HogaOrderRequest limit = { HOGA_SIDE_SELL, HOGA_ORDER_TYPE_LIMIT, HOGA_VENUE_KRX, "000660", 10, 201500 };
  g_autoptr(JsonObject) buy = NULL;
  g_autoptr(JsonObject) sell = NULL;
  g_autoptr(JsonObject) modify = NULL;
  g_autoptr(JsonObject) cancel = NULL;
  g_autofree char *buy_text = NULL;
  g_autofree char *sell_text = NULL;
  g_autofree char *modify_text = NULL;
  g_autofree char *cancel_text = NULL;
  const char *api_id = NULL;

  buy = kiwoom_tr_order_body (&market, &api_id);
  g_assert_cmpstr (api_id, ==, "kt10000");
  buy_text = to_string (buy);
  g_assert_cmpstr (buy_text, ==,
                   "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"005930\",\"ord_qty\":\"3\","
                   "\"ord_uv\":\"\",\"trde_tp\":\"3\",\"cond_uv\":\"\"}");

  sell = kiwoom_tr_order_body (&limit, &api_id);
  g_assert_cmpstr (api_id, ==, "kt10001");
  sell_text = to_string (sell);
  g_assert_cmpstr (sell_text, ==,
                   "{\"dmst_stex_tp\":\"KRX\",\"stk_cd\":\"000660\",\"ord_qty\":\"10\","
                   "\"ord_uv\":\"201500\",\"trde_tp\":\"0\",\"cond_uv\":\"\"}");

  modify = kiwoom_tr_modify_body ("0000139", "005930", 1, 199700, HOGA_VENUE_KRX);
  modify_text = to_string (modify);
  g_assert_cmpstr (modify_text, ==,
                   "{\"dmst_stex_tp\":\"KRX\",\"orig_ord_no\":\"0000139\",\"stk_cd\":\"005930\","
                   "\"mdfy_qty\":\"1\",\"mdfy_uv\":\"199700\",\"mdfy_cond_uv\":\"\"}");

  cancel = kiwoom_tr_cancel_body ("0000140", "005930", 0, HOGA_VENUE_KRX);
  cancel_text = to_string (cancel);
  g_assert_cmpstr (cancel_text, ==,
                   "{\"dmst_stex_tp\":\"KRX\",\"orig_ord_no\":\"0000140\",\"stk_cd\":\"005930\","
                   "\"cncl_qty\":\"0\"}");
}

static void
test_receipts (void)
{
  g_autoptr(JsonObject) sell = parse ("{\"ord_no\":\"0000138\",\"dmst_stex_tp\":\"KRX\","
                                      "\"return_code\":0,\"return_msg\":\"매도주문이 완료되었습니다.\"}");
  g_autoptr(JsonObject) cancel = parse ("{\"ord_no\":\"0000141\",\"base_orig_ord_no\":\"0000139\","
                                        "\"cncl_qty\":\"000000000001\",\"return_code\":0,"
                                        "\"return_msg\":\"매수취소 주문입력이 완료되었습니다\"}");
  g_autoptr(JsonObject) empty = parse ("{\"ord_no\":\"\",\"return_code\":0}");
  g_autoptr(JsonObject) number = parse ("{\"ord_no\":138,\"return_code\":0}");
  g_autoptr(GError) error = NULL;
  HogaOrderReceipt receipt;

  g_assert_true (kiwoom_tr_parse_receipt (sell, &receipt, &error));
  g_assert_cmpstr (receipt.ord_no, ==, "0000138");
  g_assert_cmpstr (receipt.root_ord_no, ==, "0000138");
  g_assert_cmpstr (receipt.message, ==, "매도주문이 완료되었습니다.");

  g_assert_true (kiwoom_tr_parse_receipt (cancel, &receipt, &error));
  g_assert_cmpstr (receipt.ord_no, ==, "0000141");
  g_assert_cmpstr (receipt.root_ord_no, ==, "0000139");

  g_assert_false (kiwoom_tr_parse_receipt (empty, &receipt, &error));
  g_assert_error (error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_false (kiwoom_tr_parse_receipt (number, &receipt, &error));
  g_assert_error (error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "ord_no"));
}

static void
test_stock_info_signs (void)
{
  g_autoptr(JsonObject) reply = parse (
    "{\"stk_cd\":\"005930\",\"stk_nm\":\"삼성전자\",\"cur_prc\":\"-160400\","
    "\"pred_pre\":\"-8700\",\"flu_rt\":\"-5.14\",\"base_pric\":\"169100\","
    "\"upl_pric\":\"+219500\",\"lst_pric\":\"-118400\",\"open_pric\":\"+169400\","
    "\"high_pric\":\"+169400\",\"low_pric\":\" 160000\",\"trde_qty\":\"123456\","
    "\"extra\":\"ignored\",\"return_code\":0,\"return_msg\":\"정상적으로 처리되었습니다\"}");
  g_autoptr(JsonObject) broken = parse ("{\"stk_cd\":\"005930\",\"stk_nm\":\"x\","
                                        "\"cur_prc\":\"12a\",\"base_pric\":\"1\","
                                        "\"upl_pric\":\"1\",\"lst_pric\":\"1\"}");
  g_autoptr(GError) error = NULL;
  HogaStockInfo info;

  g_assert_true (kiwoom_tr_parse_stock_info (reply, &info, &error));
  g_assert_cmpstr (info.code, ==, "005930");
  g_assert_cmpstr (info.name, ==, "삼성전자");
  g_assert_cmpint (info.price, ==, 160400);
  g_assert_cmpint (info.change, ==, -8700);
  g_assert_cmpint (info.change_bp, ==, -514);
  g_assert_cmpint (info.base_price, ==, 169100);
  g_assert_cmpint (info.upper_limit, ==, 219500);
  g_assert_cmpint (info.lower_limit, ==, 118400);
  g_assert_cmpint (info.low, ==, 160000);
  g_assert_cmpint (info.volume, ==, 123456);

  g_assert_false (kiwoom_tr_parse_stock_info (broken, &info, &error));
  g_assert_error (error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "cur_prc"));
}

static void
test_balance_padding_and_prefix (void)
{
  g_autoptr(JsonObject) reply = parse (
    "{\"tot_pur_amt\":\"000000000373000\",\"tot_evlt_amt\":\"000000000176112\","
    "\"tot_evlt_pl\":\"-00000000196888\",\"tot_prft_rt\":\"-52.71\","
    "\"prsm_dpst_aset_amt\":\"000000009933434\","
    "\"acnt_evlt_remn_indv_tot\":[{\"stk_cd\":\"A005930\",\"stk_nm\":\"삼성전자\","
    "\"evltv_prft\":\"-00000000196888\",\"prft_rt\":\"-52.71\","
    "\"pur_pric\":\"000000000124500\",\"pred_close_pric\":\"000000059000\","
    "\"rmnd_qty\":\"000000000000003\",\"trde_able_qty\":\"000000000000002\","
    "\"cur_prc\":\"000000059000\",\"pur_amt\":\"000000000373500\","
    "\"evlt_amt\":\"000000000177000\"}],\"return_code\":0,\"return_msg\":\"조회가 완료되었습니다\"}");
  g_autoptr(JsonObject) no_rows = parse ("{\"tot_pur_amt\":\"0\",\"tot_evlt_amt\":\"0\","
                                         "\"tot_evlt_pl\":\"0\",\"acnt_evlt_remn_indv_tot\":null}");
  g_autoptr(JsonObject) bad_row = parse ("{\"tot_pur_amt\":\"0\",\"tot_evlt_amt\":\"0\","
                                         "\"tot_evlt_pl\":\"0\",\"acnt_evlt_remn_indv_tot\":[7]}");
  g_autoptr(HogaBalance) balance = NULL;
  g_autoptr(HogaBalance) empty = NULL;
  g_autoptr(HogaBalance) broken = NULL;
  g_autoptr(GError) error = NULL;
  HogaHoldingInfo *holding;

  balance = kiwoom_tr_parse_balance (reply, &error);
  g_assert_no_error (error);
  g_assert_cmpint (balance->total_purchase, ==, 373000);
  g_assert_cmpint (balance->total_pnl, ==, -196888);
  g_assert_cmpint (balance->estimated_assets, ==, 9933434);
  g_assert_cmpuint (balance->holdings->len, ==, 1);
  holding = &g_array_index (balance->holdings, HogaHoldingInfo, 0);
  g_assert_cmpstr (holding->code, ==, "005930");
  g_assert_cmpint (holding->qty, ==, 3);
  g_assert_cmpint (holding->sellable_qty, ==, 2);
  g_assert_cmpint (holding->avg_price, ==, 124500);
  g_assert_cmpint (holding->price, ==, 59000);
  g_assert_cmpint (holding->pnl, ==, -196888);
  g_assert_cmpint (holding->profit_bp, ==, -5271);

  empty = kiwoom_tr_parse_balance (no_rows, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->holdings->len, ==, 0);

  broken = kiwoom_tr_parse_balance (bad_row, &error);
  g_assert_null (broken);
  g_assert_error (error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_PROTOCOL);
}

static void
test_deposit (void)
{
  g_autoptr(JsonObject) reply = parse ("{\"entr\":\"000000010000000\",\"ord_alow_amt\":"
                                       "\"000000009500000\",\"pymn_alow_amt\":\"000000009000000\","
                                       "\"d2_entra\":\"-00000000000084\",\"return_code\":0}");
  g_autoptr(GError) error = NULL;
  HogaDeposit deposit;

  g_assert_true (kiwoom_tr_parse_deposit (reply, &deposit, &error));
  g_assert_cmpint (deposit.cash, ==, 10000000);
  g_assert_cmpint (deposit.orderable, ==, 9500000);
  g_assert_cmpint (deposit.withdrawable, ==, 9000000);
  g_assert_cmpint (deposit.d2_cash, ==, -84);
}

static void
test_order_lists (void)
{
  g_autoptr(JsonObject) unfilled = parse (
    "{\"oso\":[{\"acnt_no\":\"1111111111\",\"ord_no\":\"0000069\",\"stk_cd\":\"005930\","
    "\"ord_stt\":\"접수\",\"stk_nm\":\"삼성전자\",\"ord_qty\":\"1\",\"ord_pric\":\"0\","
    "\"oso_qty\":\"1\",\"cntr_tot_amt\":\"0\",\"orig_ord_no\":\"0000000\","
    "\"io_tp_nm\":\"+매수\",\"trde_tp\":\"시장가\",\"tm\":\"154113\",\"cntr_no\":\"\","
    "\"cntr_pric\":\"\",\"cntr_qty\":\"\",\"cur_prc\":\"+74100\"}],"
    "\"return_code\":0,\"return_msg\":\" 조회가 완료되었습니다.\"}");
  g_autoptr(JsonObject) filled = parse (
    "{\"cntr\":[{\"ord_no\":\"0000037\",\"stk_nm\":\"삼성전자\",\"io_tp_nm\":\"-매도정정\","
    "\"ord_pric\":\"158200\",\"ord_qty\":\"1\",\"cntr_pric\":\"158200\",\"cntr_qty\":\"1\","
    "\"oso_qty\":\"0\",\"ord_stt\":\"체결\",\"trde_tp\":\"보통\",\"orig_ord_no\":\"0000036\","
    "\"ord_tm\":\"153815\",\"stk_cd\":\"005930\",\"tdy_trde_cmsn\":\"310\","
    "\"tdy_trde_tax\":\"284\"}],\"return_code\":0}");
  g_autoptr(JsonObject) none = parse ("{\"return_code\":0,\"return_msg\":\"\"}");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) fills = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  g_autoptr(GError) error = NULL;
  HogaOrderSnapshot *order;

  rows = kiwoom_tr_parse_orders (unfilled, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  order = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (order->ord_no, ==, "0000069");
  g_assert_cmpint (order->side, ==, HOGA_SIDE_BUY);
  g_assert_cmpint (order->kind, ==, HOGA_ORDER_KIND_NEW);
  g_assert_cmpint (order->type, ==, HOGA_ORDER_TYPE_MARKET);
  g_assert_cmpint (order->unfilled_qty, ==, 1);
  g_assert_cmpint (order->filled_qty, ==, 0);
  g_assert_cmpuint (order->hhmmss, ==, 154113);
  g_assert_cmpstr (order->status_text, ==, "접수");
  /* No costs reported: none yet. */
  g_assert_cmpint (order->fee, ==, 0);
  g_assert_cmpint (order->tax, ==, 0);

  fills = kiwoom_tr_parse_orders (filled, TRUE, &error);
  g_assert_no_error (error);
  order = g_ptr_array_index (fills, 0);
  g_assert_cmpint (order->side, ==, HOGA_SIDE_SELL);
  g_assert_cmpint (order->kind, ==, HOGA_ORDER_KIND_MODIFY);
  g_assert_cmpint (order->type, ==, HOGA_ORDER_TYPE_LIMIT);
  g_assert_cmpint (order->fill_price, ==, 158200);
  g_assert_cmpint (order->filled_qty, ==, 1);
  g_assert_cmpstr (order->orig_ord_no, ==, "0000036");
  g_assert_cmpuint (order->hhmmss, ==, 153815);
  g_assert_cmpint (order->fee, ==, 310);
  g_assert_cmpint (order->tax, ==, 284);

  empty = kiwoom_tr_parse_orders (none, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->len, ==, 0);
}

static void
test_long_names_are_cut_on_characters (void)
{
  g_autoptr(GString) json = g_string_new ("{\"stk_cd\":\"005930\",\"stk_nm\":\"");
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  HogaStockInfo info;

  for (guint i = 0; i < 40; i++)
    g_string_append (json, "삼");
  g_string_append (json, "\",\"cur_prc\":\"1\",\"base_pric\":\"1\",\"upl_pric\":\"1\","
                         "\"lst_pric\":\"1\"}");
  reply = parse (json->str);

  g_assert_true (kiwoom_tr_parse_stock_info (reply, &info, &error));
  g_assert_true (g_utf8_validate (info.name, -1, NULL));
  g_assert_cmpuint (strlen (info.name), <, HOGA_NAME_SIZE);
  g_assert_cmpuint (g_utf8_strlen (info.name, -1), ==, (HOGA_NAME_SIZE - 1) / 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/broker/tr/order-bodies", test_order_bodies);
  g_test_add_func ("/broker/tr/receipts", test_receipts);
  g_test_add_func ("/broker/tr/stock-info-signs", test_stock_info_signs);
  g_test_add_func ("/broker/tr/balance-padding-and-prefix", test_balance_padding_and_prefix);
  g_test_add_func ("/broker/tr/deposit", test_deposit);
  g_test_add_func ("/broker/tr/order-lists", test_order_lists);
  g_test_add_func ("/broker/tr/long-names-cut-on-characters",
                   test_long_names_are_cut_on_characters);

  return g_test_run ();
}
