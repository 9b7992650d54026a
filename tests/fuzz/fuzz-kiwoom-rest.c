/* fuzz-kiwoom-rest.c — libFuzzer target: REST reply bytes → classification → TR decoder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is one reply: a first line "<api-id> <HTTP status>" (e.g. "kt00018 200"), then
 * the body. It goes the way a reply goes in the client: the body is read as a JSON object,
 * classified from the status, return_code and return_msg, and turned into the call's
 * error, or decoded by the TR's decoder (an unknown api-id runs every decoder; au10001 is
 * the token reply). Nothing may crash or leak, and every result must be consistent:
 *
 *  - the classification agrees with a reference written from the header's table, with
 *    its own reading of return_code and of the code bracketed in return_msg;
 *  - a call's error has the domain and code its kind maps to, and a readable message;
 *  - a decoder fails with a PROTOCOL error naming the TR and a field, or succeeds with
 *    valid text, normalised codes, quantities and prices ≥ 0, clock times, and rates
 *    equal to a reference reading of the text.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "fuzz-glib.h"
#include "kiwoom-rest-private.h"
#include "kiwoom-tr.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check (gboolean    ok,
       const char *what)
{
  if (!ok)
    g_error ("inconsistent REST decoding: %s", what);
}

/* ---- reference classification ---------------------------------------------------- */

/* return_code as the protocol reference describes it: a number, or a string of digits
 * (perhaps signed, padded with spaces) in some live replies; -1 when absent or unusable. */
static gint64
ref_return_code (JsonObject *body)
{
  JsonNode *node = body != NULL ? json_object_get_member (body, "return_code") : NULL;
  g_autofree char *text = NULL;
  const char *p;
  gboolean negative = FALSE;
  gint64 value = 0;

  if (node == NULL || json_node_get_node_type (node) != JSON_NODE_VALUE)
    return -1;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return -1;

  text = g_strstrip (g_strdup (json_node_get_string (node)));
  p = text;
  if (*p == '+' || *p == '-')
    negative = *p++ == '-';
  if (*p == '\0')
    return -1;
  for (; *p != '\0'; p++)
    {
      if (*p < '0' || *p > '9' || value > (G_MAXINT64 - (*p - '0')) / 10)
        return -1;
      value = value * 10 + (*p - '0');
    }
  return negative && value != 0 ? -1 : value;
}

static const char *
ref_string (JsonObject *body,
            const char *name)
{
  JsonNode *node = body != NULL ? json_object_get_member (body, name) : NULL;

  if (node == NULL || json_node_get_node_type (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The first "[nnn", "[nnnn" or "[nnnnn" (optionally "[CODE=nnnn") closed by ':', ']' or
 * ','. */
static gint64
ref_inner_code (const char *message)
{
  static GRegex *regex;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *digits = NULL;

  if (message == NULL)
    return -1;
  if (regex == NULL)
    regex = g_regex_new ("\\[(?:CODE=)?([0-9]{3,5})[:\\],]", G_REGEX_OPTIMIZE, 0, NULL);
  if (!g_regex_match (regex, message, 0, &match))
    return -1;
  digits = g_match_info_fetch (match, 1);
  return g_ascii_strtoll (digits, NULL, 10);
}

static gboolean
either (const gint64 codes[2],
        gboolean   (*test) (gint64))
{
  return test (codes[0]) || test (codes[1]);
}

static gboolean is_token (gint64 c)   { return c == 8005 || c == 8031 || c == 8103; }
static gboolean is_limit (gint64 c)   { return c == 1700; }
static gboolean is_invalid (gint64 c) { return (c >= 1500 && c <= 1599) || c == 1634 || c == 1687; }
static gboolean is_symbol (gint64 c)  { return c == 1901 || c == 1902; }
static gboolean is_auth (gint64 c)    { return c >= 8000 && c <= 8999; }

static KiwoomReplyKind
ref_kind (guint        status,
          const gint64 codes[2])
{
  if (status == 401 || either (codes, is_token))
    return KIWOOM_REPLY_TOKEN;
  if (either (codes, is_limit))
    return KIWOOM_REPLY_RATE_LIMIT;
  if (either (codes, is_invalid))
    return KIWOOM_REPLY_INVALID;
  if (either (codes, is_symbol))
    return KIWOOM_REPLY_UNKNOWN_SYMBOL;
  if (either (codes, is_auth))
    return KIWOOM_REPLY_AUTH;
  if (status == 429)
    return KIWOOM_REPLY_RATE_LIMIT;
  if (codes[0] < 0)
    return KIWOOM_REPLY_MALFORMED;
  if (codes[0] != 0)
    return KIWOOM_REPLY_REJECTED;
  if (status < 200 || status > 299)
    return KIWOOM_REPLY_MALFORMED;
  return KIWOOM_REPLY_OK;
}

static void
check_error (KiwoomReplyClass  reply,
             JsonObject       *body,
             KiwoomCallFlags   flags)
{
  g_autoptr(GError) error = kiwoom_rest_reply_error (reply, body, flags);
  int expected;

  switch (reply.kind)
    {
    case KIWOOM_REPLY_RATE_LIMIT:     expected = HOGA_BROKER_ERROR_RATE_LIMITED; break;
    case KIWOOM_REPLY_INVALID:        expected = HOGA_BROKER_ERROR_INVALID; break;
    case KIWOOM_REPLY_UNKNOWN_SYMBOL: expected = HOGA_BROKER_ERROR_UNKNOWN_SYMBOL; break;
    case KIWOOM_REPLY_TOKEN:
    case KIWOOM_REPLY_AUTH:           expected = HOGA_BROKER_ERROR_AUTH; break;
    case KIWOOM_REPLY_REJECTED:       expected = HOGA_BROKER_ERROR_REJECTED; break;
    case KIWOOM_REPLY_MALFORMED:
    case KIWOOM_REPLY_OK:
    default:
      expected = (flags & KIWOOM_CALL_ORDER) ? HOGA_BROKER_ERROR_OUTCOME_UNKNOWN
                                             : HOGA_BROKER_ERROR_PROTOCOL;
      break;
    }

  check (error != NULL, "no error for a failed reply");
  check (error->domain == HOGA_BROKER_ERROR, "error domain");
  check (error->code == expected, "error code for the reply kind");
  check (error->message != NULL && error->message[0] != '\0', "empty error message");
  check (g_utf8_validate (error->message, -1, NULL), "error message is not UTF-8");
}

static KiwoomReplyClass
classify (guint       status,
          JsonObject *body)
{
  KiwoomReplyClass reply = kiwoom_classify_reply (status, body);
  const char *message = ref_string (body, "return_msg");
  gint64 codes[2];

  codes[0] = ref_return_code (body);
  codes[1] = ref_inner_code (message);

  check (reply.return_code == codes[0], "return_code");
  check (reply.inner_code == codes[1], "bracketed code");
  check (reply.kind == ref_kind (status, codes), "reply kind");
  check (kiwoom_message_inner_code (message) == codes[1], "kiwoom_message_inner_code");
  if (body == NULL)
    check (reply.kind != KIWOOM_REPLY_OK, "a reply without a JSON object is OK");
  if (reply.kind == KIWOOM_REPLY_OK)
    check (reply.return_code == 0 && status >= 200 && status <= 299, "OK without 0 and 2xx");
  return reply;
}

/* ---- decoded values ---------------------------------------------------------------- */

static void
check_text (const char *text,
            gsize       size,
            const char *what)
{
  check (memchr (text, '\0', size) != NULL, what);
  check (g_utf8_validate (text, -1, NULL), what);
}

static void
check_code (const char *code)
{
  char again[HOGA_CODE_SIZE];

  check_text (code, HOGA_CODE_SIZE, "code is not text");
  check (hoga_code_normalize (code, -1, again) && strcmp (again, code) == 0,
         "code is not normalised");
}

static gboolean
valid_hhmmss (guint32 t)
{
  return t / 10000 < 24 && t / 100 % 100 < 60 && t % 100 < 60;
}

/* A rate as the protocol writes it ("-52.71", "+0.57", "46.25", "3"): hundredths of a
 * percent, more decimals cut off. FALSE for anything else or beyond gint32. */
static gboolean
ref_rate_bp (const char *text,
             gint32     *bp)
{
  const char *p = text;
  gboolean negative = FALSE;
  gint64 whole = 0;
  gint64 fraction = 0;
  guint decimals = 0;
  gint64 value;

  while (*p == ' ')
    p++;
  if (*p == '+' || *p == '-')
    negative = *p++ == '-';
  for (; *p >= '0' && *p <= '9'; p++)
    {
      whole = whole * 10 + (*p - '0');
      if (whole > G_MAXINT32)
        return FALSE;
    }
  if (*p == '.')
    {
      for (p++; *p >= '0' && *p <= '9'; p++, decimals++)
        if (decimals < 2)
          fraction += (*p - '0') * (decimals == 0 ? 10 : 1);
    }
  if (*p != '\0')
    return FALSE;
  value = whole * 100 + fraction;
  if (value > G_MAXINT32)
    return FALSE;
  *bp = (gint32) (negative ? -value : value);
  return TRUE;
}

/* A decoded rate: the decoder failed, or it read @field as the reference does. */
static void
check_rate (JsonObject *row,
            const char *field,
            gint32      decoded)
{
  const char *text = ref_string (row, field);
  gint32 expected = 0;

  if (text == NULL)
    check (decoded == 0, "rate of a missing field");
  else
    check (ref_rate_bp (text, &expected) && decoded == expected, "rate");
}

static void
check_failure (GError     *error,
               const char *tr)
{
  check (error != NULL, "failure without an error");
  check (error->domain == HOGA_BROKER_ERROR && error->code == HOGA_BROKER_ERROR_PROTOCOL,
         "decoder error is not PROTOCOL");
  check (g_str_has_prefix (error->message, tr), "decoder error does not name the TR");
  check (strstr (error->message, "“") != NULL, "decoder error does not name a field");
  check (g_utf8_validate (error->message, -1, NULL), "decoder error is not UTF-8");
}

static void
decode_receipt (JsonObject *body)
{
  g_autoptr(GError) error = NULL;
  HogaOrderReceipt receipt;

  if (!kiwoom_tr_parse_receipt (body, &receipt, &error))
    {
      check_failure (error, "order");
      return;
    }
  check (error == NULL, "success with an error");
  check_text (receipt.ord_no, sizeof receipt.ord_no, "ord_no is not text");
  check_text (receipt.root_ord_no, sizeof receipt.root_ord_no, "root_ord_no is not text");
  check_text (receipt.message, sizeof receipt.message, "message is not text");
  check (receipt.ord_no[0] != '\0' && receipt.root_ord_no[0] != '\0', "empty order number");
}

static void
decode_stock_info (JsonObject *body)
{
  g_autoptr(GError) error = NULL;
  HogaStockInfo info;

  if (!kiwoom_tr_parse_stock_info (body, &info, &error))
    {
      check_failure (error, "ka10001");
      return;
    }
  check (error == NULL, "success with an error");
  check_code (info.code);
  check_text (info.name, sizeof info.name, "name is not text");
  check (info.price >= 0 && info.base_price >= 0 && info.upper_limit >= 0
         && info.lower_limit >= 0 && info.open >= 0 && info.high >= 0 && info.low >= 0,
         "negative price");
  check (info.volume >= 0, "negative volume");
  check_rate (body, "flu_rt", info.change_bp);
}

static void
decode_balance (JsonObject *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaBalance) balance = kiwoom_tr_parse_balance (body, &error);
  JsonNode *list;

  if (balance == NULL)
    {
      check_failure (error, "kt00018");
      return;
    }
  check (error == NULL, "success with an error");
  check (balance->holdings != NULL, "no holdings array");

  list = json_object_get_member (body, "acnt_evlt_remn_indv_tot");
  check (balance->holdings->len == (list != NULL && JSON_NODE_HOLDS_ARRAY (list)
                                    ? json_array_get_length (json_node_get_array (list)) : 0),
         "holdings lost or invented");

  for (guint i = 0; i < balance->holdings->len; i++)
    {
      HogaHoldingInfo *h = &g_array_index (balance->holdings, HogaHoldingInfo, i);
      JsonObject *row = json_array_get_object_element (json_node_get_array (list), i);

      check_code (h->code);
      check_text (h->name, sizeof h->name, "name is not text");
      check (h->qty >= 0 && h->sellable_qty >= 0, "negative holding quantity");
      check (h->avg_price >= 0 && h->price >= 0, "negative price");
      check_rate (row, "prft_rt", h->profit_bp);
    }
}

static void
decode_deposit (JsonObject *body)
{
  g_autoptr(GError) error = NULL;
  HogaDeposit deposit;

  if (!kiwoom_tr_parse_deposit (body, &deposit, &error))
    check_failure (error, "kt00001");
  else
    check (error == NULL, "success with an error");
}

static void
decode_orders (JsonObject *body,
               gboolean    filled)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orders = kiwoom_tr_parse_orders (body, filled, &error);
  JsonNode *list;

  if (orders == NULL)
    {
      check_failure (error, filled ? "ka10076" : "ka10075");
      return;
    }
  check (error == NULL, "success with an error");

  list = json_object_get_member (body, filled ? "cntr" : "oso");
  check (orders->len == (list != NULL && JSON_NODE_HOLDS_ARRAY (list)
                         ? json_array_get_length (json_node_get_array (list)) : 0),
         "orders lost or invented");

  for (guint i = 0; i < orders->len; i++)
    {
      HogaOrderSnapshot *o = g_ptr_array_index (orders, i);

      check_text (o->ord_no, sizeof o->ord_no, "ord_no is not text");
      check_text (o->orig_ord_no, sizeof o->orig_ord_no, "orig_ord_no is not text");
      check_text (o->name, sizeof o->name, "name is not text");
      check_text (o->status_text, sizeof o->status_text, "ord_stt is not text");
      check_code (o->code);
      check (o->side == HOGA_SIDE_NONE || o->side == HOGA_SIDE_BUY || o->side == HOGA_SIDE_SELL,
             "side");
      check (o->order_qty >= 0 && o->unfilled_qty >= 0 && o->filled_qty >= 0,
             "negative order quantity");
      check (o->order_price >= 0 && o->fill_price >= 0, "negative price");
      check (valid_hhmmss (o->hhmmss), "order time is not a clock time");
    }
}

static void
decode_token (JsonObject *body)
{
  const char *expires_dt = ref_string (body, "expires_dt");
  gint64 before = g_get_monotonic_time ();
  gint64 refresh = kiwoom_rest_token_refresh_time (expires_dt);

  check (refresh == -1 || refresh > before, "token refreshed in the past");
  if (refresh != -1)
    check (expires_dt != NULL && strlen (expires_dt) == 14, "refresh time of a bad expires_dt");
}

/* ---- entry point --------------------------------------------------------------------- */

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  const char *newline = memchr (text, '\n', size);
  gsize head_len = newline != NULL ? (gsize) (newline - text) : size;
  g_autofree char *head = g_strndup (text, head_len);
  g_auto(GStrv) words = g_strsplit (head, " ", 3);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) body = NULL;
  const char *api_id = words[0] != NULL ? words[0] : "";
  KiwoomCallFlags flags;
  KiwoomReplyClass reply;
  guint status = 200;

  if (words[0] != NULL && words[1] != NULL)
    status = (guint) g_ascii_strtoull (words[1], NULL, 10) % 1000;
  flags = g_str_has_prefix (api_id, "kt1000") ? KIWOOM_CALL_ORDER : KIWOOM_CALL_NONE;

  bytes = g_bytes_new (newline != NULL ? newline + 1 : "",
                       newline != NULL ? size - head_len - 1 : 0);
  body = kiwoom_rest_parse_reply_body (bytes);
  reply = classify (status, body);

  if (reply.kind != KIWOOM_REPLY_OK)
    check_error (reply, body, flags);

  /* Decoders only ever see OK replies, but must hold up on any object. */
  if (body == NULL)
    return 0;

  if (g_str_equal (api_id, "ka10001"))
    decode_stock_info (body);
  else if (flags & KIWOOM_CALL_ORDER)
    decode_receipt (body);
  else if (g_str_equal (api_id, "kt00018"))
    decode_balance (body);
  else if (g_str_equal (api_id, "kt00001"))
    decode_deposit (body);
  else if (g_str_equal (api_id, "ka10075"))
    decode_orders (body, FALSE);
  else if (g_str_equal (api_id, "ka10076"))
    decode_orders (body, TRUE);
  else if (g_str_equal (api_id, "au10001"))
    decode_token (body);
  else
    {
      decode_stock_info (body);
      decode_receipt (body);
      decode_balance (body);
      decode_deposit (body);
      decode_orders (body, FALSE);
      decode_orders (body, TRUE);
      decode_token (body);
    }
  return 0;
}
