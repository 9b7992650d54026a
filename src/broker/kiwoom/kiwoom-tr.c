/* kiwoom-tr.c — request bodies and reply decoders of the Kiwoom TRs Hoga uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-kiwoom"

#include "config.h"

#include <string.h>

#include "kiwoom-rest.h"
#include "kiwoom-tr.h"

typedef struct {
  const char *tr;
  JsonObject *object;
  GError    **error;
  gboolean    failed;
} Reader;

static void
reader_fail (Reader     *reader,
             const char *field,
             const char *problem)
{
  if (reader->failed)
    return;
  reader->failed = TRUE;
  g_set_error (reader->error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_PROTOCOL,
               "%s reply: “%s” %s", reader->tr, field, problem);
}

/* A string member; absent or another type fails the reader unless @optional. */
static const char *
read_string (Reader     *reader,
             const char *field,
             gboolean    optional)
{
  JsonNode *node = json_object_get_member (reader->object, field);

  if (node == NULL && optional)
    return "";
  if (node == NULL)
    {
      reader_fail (reader, field, "is missing");
      return "";
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      reader_fail (reader, field, "is not a string");
      return "";
    }
  return json_node_get_string (node);
}

static gint64
read_signed (Reader     *reader,
             const char *field,
             gboolean    optional)
{
  const char *text = read_string (reader, field, optional);
  gint64 value;

  if (!kiwoom_parse_int (text, &value))
    {
      reader_fail (reader, field, "is not a number");
      return 0;
    }
  return value;
}

/* Quantities have no sign on the wire; a negative one is a broken reply, not a position
 * to sell the other way. */
static gint64
read_qty (Reader     *reader,
          const char *field,
          gboolean    optional)
{
  gint64 value = read_signed (reader, field, optional);

  if (value < 0)
    {
      reader_fail (reader, field, "is negative");
      return 0;
    }
  return value;
}

/* Prices carry the direction against the base price as a sign: the price is absolute. */
static gint64
read_price (Reader     *reader,
            const char *field,
            gboolean    optional)
{
  gint64 value = read_signed (reader, field, optional);

  return value < 0 ? -value : value;
}

/* "−5.14", "+0.57", "46.25" → hundredths of a percent; more decimals are truncated. */
static gint32
read_rate_bp (Reader     *reader,
              const char *field,
              gboolean    optional)
{
  const char *text = read_string (reader, field, optional);
  gboolean negative = FALSE;
  gint64 whole = 0;
  gint64 fraction = 0;
  guint decimals = 0;
  const char *p = text;

  while (*p == ' ')
    p++;
  if (*p == '+' || *p == '-')
    negative = *p++ == '-';
  /* Past G_MAXINT32 the value no longer matters: it is refused below. */
  for (; g_ascii_isdigit (*p); p++)
    if (whole <= G_MAXINT32)
      whole = whole * 10 + (*p - '0');
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      {
        if (decimals < 2)
          fraction = fraction * 10 + (*p - '0');
        decimals++;
      }
  if (decimals < 2)
    fraction *= decimals == 1 ? 10 : 100;
  if (*p != '\0' || whole * 100 + fraction > G_MAXINT32)
    {
      reader_fail (reader, field, "is not a rate");
      return 0;
    }
  return (gint32)((negative ? -1 : 1) * (whole * 100 + fraction));
}

static void
read_code (Reader     *reader,
           const char *field,
           char        out[HOGA_CODE_SIZE])
{
  const char *text = read_string (reader, field, FALSE);

  if (!reader->failed && !hoga_code_normalize (text, -1, out))
    reader_fail (reader, field, "is not a stock code");
}

static void
copy_text (char       *out,
           gsize       size,
           const char *text)
{
  gsize length = strlen (text);

  /* Cut at a UTF-8 character boundary so a long name stays valid text. */
  if (length >= size)
    {
      const char *end = g_utf8_find_prev_char (text, text + size);

      length = end != NULL ? (gsize)(end - text) : 0;
    }
  memcpy (out, text, length);
  out[length] = '\0';
}

static void
read_text (Reader     *reader,
           const char *field,
           char       *out,
           gsize       size,
           gboolean    optional)
{
  g_autofree char *text = g_strstrip (g_strdup (read_string (reader, field, optional)));

  copy_text (out, size, text);
}

static JsonArray *
read_list (Reader     *reader,
           const char *field)
{
  JsonNode *node = json_object_get_member (reader->object, field);

  /* An empty list may come as null or be left out. */
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      reader_fail (reader, field, "is not a list");
      return NULL;
    }
  return json_node_get_array (node);
}

/* ---------------------------------------------------------------------------------- */

const char *
kiwoom_tr_venue_code (HogaVenue venue)
{
  switch (venue)
    {
    case HOGA_VENUE_NXT: return "NXT";
    case HOGA_VENUE_SOR: return "SOR";
    case HOGA_VENUE_KRX:
    default:             return "KRX";
    }
}

static void
add_string (JsonObject *object,
            const char *name,
            const char *value)
{
  json_object_set_string_member (object, name, value);
}

static void
add_number (JsonObject *object,
            const char *name,
            gint64      value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  json_object_set_string_member (object, name, text);
}

JsonObject *
kiwoom_tr_order_body (const HogaOrderRequest  *request,
                      const char             **api_id)
{
  JsonObject *body;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (request->side == HOGA_SIDE_BUY || request->side == HOGA_SIDE_SELL,
                        NULL);

  if (api_id != NULL)
    *api_id = request->side == HOGA_SIDE_BUY ? "kt10000" : "kt10001";

  body = json_object_new ();
  add_string (body, "dmst_stex_tp", kiwoom_tr_venue_code (request->venue));
  add_string (body, "stk_cd", request->code);
  add_number (body, "ord_qty", request->qty);
  if (request->type == HOGA_ORDER_TYPE_MARKET)
    add_string (body, "ord_uv", "");
  else
    add_number (body, "ord_uv", request->price);
  add_string (body, "trde_tp", request->type == HOGA_ORDER_TYPE_MARKET ? "3" : "0");
  add_string (body, "cond_uv", "");
  return body;
}

JsonObject *
kiwoom_tr_modify_body (const char *orig_ord_no,
                       const char *code,
                       gint64      qty,
                       gint64      price,
                       HogaVenue   venue)
{
  JsonObject *body = json_object_new ();

  add_string (body, "dmst_stex_tp", kiwoom_tr_venue_code (venue));
  add_string (body, "orig_ord_no", orig_ord_no);
  add_string (body, "stk_cd", code);
  add_number (body, "mdfy_qty", qty);
  add_number (body, "mdfy_uv", price);
  add_string (body, "mdfy_cond_uv", "");
  return body;
}

JsonObject *
kiwoom_tr_cancel_body (const char *orig_ord_no,
                       const char *code,
                       gint64      qty,
                       HogaVenue   venue)
{
  JsonObject *body = json_object_new ();

  add_string (body, "dmst_stex_tp", kiwoom_tr_venue_code (venue));
  add_string (body, "orig_ord_no", orig_ord_no);
  add_string (body, "stk_cd", code);
  add_number (body, "cncl_qty", qty);
  return body;
}

gboolean
kiwoom_tr_parse_receipt (JsonObject        *reply,
                         HogaOrderReceipt  *receipt,
                         GError           **error)
{
  Reader reader = { "order", reply, error, FALSE };

  g_return_val_if_fail (reply != NULL && receipt != NULL, FALSE);

  memset (receipt, 0, sizeof *receipt);
  read_text (&reader, "ord_no", receipt->ord_no, sizeof receipt->ord_no, FALSE);
  read_text (&reader, "base_orig_ord_no", receipt->root_ord_no, sizeof receipt->root_ord_no,
             TRUE);
  read_text (&reader, "return_msg", receipt->message, sizeof receipt->message, TRUE);
  if (!reader.failed && receipt->ord_no[0] == '\0')
    reader_fail (&reader, "ord_no", "is empty");
  if (receipt->root_ord_no[0] == '\0')
    memcpy (receipt->root_ord_no, receipt->ord_no, sizeof receipt->ord_no);
  return !reader.failed;
}

gboolean
kiwoom_tr_parse_stock_info (JsonObject     *reply,
                            HogaStockInfo  *info,
                            GError        **error)
{
  Reader reader = { "ka10001", reply, error, FALSE };

  g_return_val_if_fail (reply != NULL && info != NULL, FALSE);

  memset (info, 0, sizeof *info);
  read_code (&reader, "stk_cd", info->code);
  read_text (&reader, "stk_nm", info->name, sizeof info->name, FALSE);
  info->price = read_price (&reader, "cur_prc", FALSE);
  info->base_price = read_price (&reader, "base_pric", FALSE);
  info->upper_limit = read_price (&reader, "upl_pric", FALSE);
  info->lower_limit = read_price (&reader, "lst_pric", FALSE);
  info->open = read_price (&reader, "open_pric", TRUE);
  info->high = read_price (&reader, "high_pric", TRUE);
  info->low = read_price (&reader, "low_pric", TRUE);
  info->change = read_signed (&reader, "pred_pre", TRUE);
  info->change_bp = read_rate_bp (&reader, "flu_rt", TRUE);
  info->volume = read_qty (&reader, "trde_qty", TRUE);
  return !reader.failed;
}

HogaBalance *
kiwoom_tr_parse_balance (JsonObject  *reply,
                         GError     **error)
{
  Reader reader = { "kt00018", reply, error, FALSE };
  g_autoptr(HogaBalance) balance = g_new0 (HogaBalance, 1);
  JsonArray *rows;

  g_return_val_if_fail (reply != NULL, NULL);

  balance->holdings = g_array_new (FALSE, TRUE, sizeof (HogaHoldingInfo));
  balance->total_purchase = read_signed (&reader, "tot_pur_amt", FALSE);
  balance->total_eval = read_signed (&reader, "tot_evlt_amt", FALSE);
  balance->total_pnl = read_signed (&reader, "tot_evlt_pl", FALSE);
  balance->estimated_assets = read_signed (&reader, "prsm_dpst_aset_amt", TRUE);
  rows = read_list (&reader, "acnt_evlt_remn_indv_tot");

  for (guint i = 0; rows != NULL && i < json_array_get_length (rows) && !reader.failed; i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      Reader row = { "kt00018", NULL, error, FALSE };
      HogaHoldingInfo holding = { 0 };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          reader_fail (&reader, "acnt_evlt_remn_indv_tot", "has a row that is not an object");
          break;
        }
      row.object = json_node_get_object (node);
      read_code (&row, "stk_cd", holding.code);
      read_text (&row, "stk_nm", holding.name, sizeof holding.name, FALSE);
      holding.qty = read_qty (&row, "rmnd_qty", FALSE);
      holding.sellable_qty = read_qty (&row, "trde_able_qty", FALSE);
      holding.avg_price = read_price (&row, "pur_pric", FALSE);
      holding.price = read_price (&row, "cur_prc", FALSE);
      holding.purchase_amount = read_signed (&row, "pur_amt", TRUE);
      holding.eval_amount = read_signed (&row, "evlt_amt", TRUE);
      holding.pnl = read_signed (&row, "evltv_prft", TRUE);
      holding.profit_bp = read_rate_bp (&row, "prft_rt", TRUE);
      reader.failed = row.failed;
      g_array_append_val (balance->holdings, holding);
    }

  if (reader.failed)
    return NULL;
  return g_steal_pointer (&balance);
}

gboolean
kiwoom_tr_parse_deposit (JsonObject   *reply,
                         HogaDeposit  *deposit,
                         GError      **error)
{
  Reader reader = { "kt00001", reply, error, FALSE };

  g_return_val_if_fail (reply != NULL && deposit != NULL, FALSE);

  memset (deposit, 0, sizeof *deposit);
  deposit->cash = read_signed (&reader, "entr", FALSE);
  deposit->orderable = read_signed (&reader, "ord_alow_amt", FALSE);
  deposit->withdrawable = read_signed (&reader, "pymn_alow_amt", TRUE);
  deposit->d2_cash = read_signed (&reader, "d2_entra", TRUE);
  return !reader.failed;
}

/* "+매수" "-매도" "+매수정정" "-매도정정" "매수취소" "매도취소" */
static void
order_kind_of (const char    *text,
               HogaSide      *side,
               HogaOrderKind *kind)
{
  *side = strstr (text, "매수") != NULL ? HOGA_SIDE_BUY
          : strstr (text, "매도") != NULL ? HOGA_SIDE_SELL : HOGA_SIDE_NONE;
  *kind = strstr (text, "취소") != NULL ? HOGA_ORDER_KIND_CANCEL
          : strstr (text, "정정") != NULL ? HOGA_ORDER_KIND_MODIFY : HOGA_ORDER_KIND_NEW;
}

static guint32
hhmmss_of (Reader     *reader,
           const char *field)
{
  gint64 value = read_signed (reader, field, TRUE);

  if (value < 0 || value > 235959 || value / 100 % 100 > 59 || value % 100 > 59)
    {
      reader_fail (reader, field, "is not a HHMMSS time");
      return 0;
    }
  return (guint32)value;
}

GPtrArray *
kiwoom_tr_parse_orders (JsonObject  *reply,
                        gboolean     filled,
                        GError     **error)
{
  const char *tr = filled ? "ka10076" : "ka10075";
  Reader reader = { tr, reply, error, FALSE };
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func (g_free);
  JsonArray *rows;

  g_return_val_if_fail (reply != NULL, NULL);

  rows = read_list (&reader, filled ? "cntr" : "oso");
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows) && !reader.failed; i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      Reader row = { tr, NULL, error, FALSE };
      HogaOrderSnapshot *order;
      const char *trade_type;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          reader_fail (&reader, filled ? "cntr" : "oso", "has a row that is not an object");
          break;
        }
      row.object = json_node_get_object (node);
      order = g_new0 (HogaOrderSnapshot, 1);
      g_ptr_array_add (orders, order);

      read_text (&row, "ord_no", order->ord_no, sizeof order->ord_no, FALSE);
      read_text (&row, "orig_ord_no", order->orig_ord_no, sizeof order->orig_ord_no, TRUE);
      read_code (&row, "stk_cd", order->code);
      read_text (&row, "stk_nm", order->name, sizeof order->name, TRUE);
      read_text (&row, "ord_stt", order->status_text, sizeof order->status_text, TRUE);
      order_kind_of (read_string (&row, "io_tp_nm", FALSE), &order->side, &order->kind);
      trade_type = read_string (&row, "trde_tp", TRUE);
      order->type = strstr (trade_type, "시장가") != NULL ? HOGA_ORDER_TYPE_MARKET
                                                          : HOGA_ORDER_TYPE_LIMIT;
      order->hhmmss = hhmmss_of (&row, filled ? "ord_tm" : "tm");
      order->order_qty = read_qty (&row, "ord_qty", FALSE);
      order->order_price = read_price (&row, "ord_pric", FALSE);
      order->unfilled_qty = read_qty (&row, "oso_qty", filled);
      order->filled_qty = read_qty (&row, "cntr_qty", !filled);
      order->fill_price = read_price (&row, "cntr_pric", !filled);
      order->fee = read_signed (&row, "tdy_trde_cmsn", TRUE);
      order->tax = read_signed (&row, "tdy_trde_tax", TRUE);
      reader.failed = row.failed;
    }

  if (reader.failed)
    return NULL;
  return g_steal_pointer (&orders);
}
