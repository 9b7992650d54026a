/* hx-rest.c — the REST server: /oauth2 and the /api/dostk TRs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Field names, zero padding and signs follow kiwoom-protocol.md §4 and §7 exactly; errors
 * follow the observed wire form (docs/hoga-exchange.md): HTTP 200, a small category as
 * return_code and the documented four-digit code bracketed in return_msg. A request is
 * checked in one fixed order (path, method, api-id, authorization, token, rate limit,
 * body, fields) and only the first problem found is reported, so tests can aim at one.
 *
 * Faults: a delayed or hung request is executed at once and only its reply is held,
 * because that is the hard case for a client: the order exists although the reply is
 * late or never comes.
 */
#define G_LOG_DOMAIN "hoga-exchange"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "hoga-krx.h"
#include "hx-rest.h"

#define MSG_OK          "정상적으로 처리되었습니다"
#define MSG_QUERY_DONE  " 조회가 완료되었습니다."   /* the leading space is Kiwoom's */

#define CATEGORY_OTHER     1
#define CATEGORY_INPUT     2
#define CATEGORY_AUTH      3
#define CATEGORY_SYMBOL    4
#define CATEGORY_RATE      5
#define CATEGORY_BUSINESS 20

/* The simulator has one account, bound to every app key as Kiwoom binds one to a key. */

/* Longest next-key accepted (the protocol's header limit). */
#define MAX_NEXT_KEY_LEN 50

typedef struct _Call Call;
typedef gboolean (*TrFunc) (Call    *call,
                            GError **error);

typedef struct {
  const char *api_id;
  const char *path;
  TrFunc      func;          /* NULL for the /oauth2 pair, handled before api-id checks */
  gboolean    paged;         /* cont-yn / next-key paging */
} Tr;

struct _Call {
  HxRest      *self;
  JsonObject  *body;
  const char  *cursor;       /* the request's next-key, NULL for the first page */
  JsonBuilder *builder;      /* the reply object, open */
  const char  *return_msg;
  char        *next_key;     /* set when another page follows */
};

typedef struct {
  guint       status;
  const char *api_id;        /* for the api-id response header */
  char       *next_key;      /* NULL: cont-yn N */
  int         return_code;
  gboolean    string_code;   /* return_code as "0", as some live replies have it */
  char       *body;
} Reply;

/* A reply held back by the rest-delay or rest-hang fault (the message is paused). */
typedef struct {
  HxRest            *self;
  SoupServerMessage *msg;
  guint              timeout_id;    /* 0 while hung */
  gulong             disconnected_id;
} Held;

typedef struct {
  double tokens;
  gint64 last_us;
} Bucket;

struct _HxRest
{
  GObject     parent_instance;

  HxExchange *exchange;      /* borrowed: it owns us */
  SoupServer *server;
  guint16     port;
  GHashTable *buckets;       /* "appkey\napi-id" → Bucket */
  GPtrArray  *held;          /* Held */
};

G_DEFINE_FINAL_TYPE (HxRest, hx_rest, G_TYPE_OBJECT)

static gboolean tr_ka10001 (Call *call, GError **error);
static gboolean tr_kt10000 (Call *call, GError **error);
static gboolean tr_kt10001 (Call *call, GError **error);
static gboolean tr_kt10002 (Call *call, GError **error);
static gboolean tr_kt10003 (Call *call, GError **error);
static gboolean tr_kt00018 (Call *call, GError **error);
static gboolean tr_kt00001 (Call *call, GError **error);
static gboolean tr_ka10075 (Call *call, GError **error);
static gboolean tr_ka10076 (Call *call, GError **error);
static gboolean tr_ka10081 (Call *call, GError **error);

#define PATH_TOKEN   "/oauth2/token"
#define PATH_REVOKE  "/oauth2/revoke"
#define PATH_STKINFO "/api/dostk/stkinfo"
#define PATH_ORDR    "/api/dostk/ordr"
#define PATH_ACNT    "/api/dostk/acnt"
#define PATH_CHART   "/api/dostk/chart"

static const Tr trs[] = {
  { "au10001", PATH_TOKEN,   NULL,       FALSE },
  { "au10002", PATH_REVOKE,  NULL,       FALSE },
  { "ka10001", PATH_STKINFO, tr_ka10001, FALSE },
  { "kt10000", PATH_ORDR,    tr_kt10000, FALSE },
  { "kt10001", PATH_ORDR,    tr_kt10001, FALSE },
  { "kt10002", PATH_ORDR,    tr_kt10002, FALSE },
  { "kt10003", PATH_ORDR,    tr_kt10003, FALSE },
  { "kt00018", PATH_ACNT,    tr_kt00018, TRUE },
  { "kt00001", PATH_ACNT,    tr_kt00001, FALSE },
  { "ka10075", PATH_ACNT,    tr_ka10075, TRUE },
  { "ka10076", PATH_ACNT,    tr_ka10076, TRUE },
  { "ka10081", PATH_CHART,   tr_ka10081, TRUE },
};

static const char * const paths[] = {
  PATH_TOKEN, PATH_REVOKE, PATH_STKINFO, PATH_ORDR, PATH_ACNT, PATH_CHART,
};

/* Request-side trde_tp codes Kiwoom defines besides 0 (보통) and 3 (시장가). */
static const char * const other_order_types[] = {
  "5", "6", "7", "10", "13", "16", "20", "23", "26", "28", "29", "30", "31", "61", "62", "81",
  NULL,
};

/* Formatting */

static char *
format_int (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

/* Account TRs: fixed width, a negative keeps the width with a leading '-'. */
static char *
format_padded (gint64 value,
               int    width)
{
  return g_strdup_printf ("%0*" G_GINT64_FORMAT, width, value);
}

/* A price with its direction against @base: '+' above, '-' below, none when equal. */
static char *
format_direction (gint64 price,
                  gint64 base)
{
  if (price == 0 || price == base)
    return format_int (price);
  return g_strdup_printf ("%c%" G_GINT64_FORMAT, price > base ? '+' : '-', price);
}

/* A signed difference: "+600", "-600", "0". */
static char *
format_delta (gint64 delta)
{
  if (delta > 0)
    return g_strdup_printf ("+%" G_GINT64_FORMAT, delta);
  return format_int (delta);
}

/* @num / @den in percent with two decimals, rounded half away from zero in integers so
 * that -5.14 is exact. */
static char *
format_rate (gint64   num,
             gint64   den,
             gboolean plus_sign)
{
  gint64 hundredths;
  const char *sign = "";

  if (den == 0)
    return g_strdup ("0.00");

  hundredths = (ABS (num) * 20000 + ABS (den)) / (2 * ABS (den));
  if (hundredths != 0)
    {
      if ((num < 0) != (den < 0))
        sign = "-";
      else if (plus_sign)
        sign = "+";
    }
  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02" G_GINT64_FORMAT,
                          sign, hundredths / 100, hundredths % 100);
}

/* 전일대비기호: 1 상한, 2 상승, 3 보합, 4 하한, 5 하락. */
static const char *
format_change_sign (gint64 price,
                    gint64 base,
                    gint64 upper_limit,
                    gint64 lower_limit)
{
  if (base <= 0 || price == base)
    return "3";
  if (price > base)
    return price >= upper_limit ? "1" : "2";
  return price <= lower_limit ? "4" : "5";
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_take (JsonBuilder *builder,
          const char  *name,
          char        *value)
{
  add_string (builder, name, value);
  g_free (value);
}

/* Header values echoed into a reply: valid UTF-8 and short, whatever the client sent. */
static char *
sanitize (const char *text)
{
  if (text == NULL)
    return g_strdup ("");
  return g_utf8_make_valid (text, MIN (strlen (text), 64));
}

/* Errors */

static int
error_category (int          code,
                const char **prefix)
{
  if (code == HX_ERROR_BUSINESS)
    {
      *prefix = NULL;
      return CATEGORY_BUSINESS;
    }
  if (code == 1700)
    {
      *prefix = "허용된 요청 개수를 초과하였습니다";
      return CATEGORY_RATE;
    }
  if (code == 1901 || code == 1902)
    {
      *prefix = "종목 정보가 없습니다";
      return CATEGORY_SYMBOL;
    }
  if (code >= 1500 && code < 1700)
    {
      *prefix = "입력 값 오류입니다";
      return CATEGORY_INPUT;
    }
  if (code >= 8000 && code < 9000)
    {
      *prefix = "인증에 실패했습니다";
      return CATEGORY_AUTH;
    }
  *prefix = "잘못된 요청입니다";
  return CATEGORY_OTHER;
}

static void
set_required_error (GError     **error,
                    const char  *name)
{
  g_set_error (error, HX_ERROR, 1511,
               "필수 입력 값에 값이 존재하지 않습니다. 요청 파라미터 : %s", name);
}

static void
set_format_error (GError     **error,
                  const char  *name)
{
  g_set_error (error, HX_ERROR, 1517,
               "입력 값 형식이 올바르지 않습니다. 요청 파라미터 : %s", name);
}

static void
set_business_error (GError     **error,
                    const char  *rc_message)
{
  g_set_error_literal (error, HX_ERROR, HX_ERROR_BUSINESS, rc_message);
}

/* Replies */

static void
reply_finish (Reply       *reply,
              JsonBuilder *builder,
              int          return_code,
              const char  *return_msg)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_set_member_name (builder, "return_code");
  if (reply->string_code)
    {
      g_autofree char *text = g_strdup_printf ("%d", return_code);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_int_value (builder, return_code);
  add_string (builder, "return_msg", return_msg);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  reply->return_code = return_code;
  g_clear_pointer (&reply->body, g_free);
  reply->body = json_to_string (root, FALSE);
}

static void
reply_error (Reply        *reply,
             guint         status,
             const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *message = NULL;
  const char *prefix;
  int category;
  /* Anything but an HX_ERROR is a bug somewhere: report it as Kiwoom's 1999. */
  int code = error->domain == HX_ERROR ? error->code : 1999;

  category = error_category (code, &prefix);
  if (prefix == NULL)
    message = g_strdup_printf ("[2000](%s)", error->message);
  else if (code == 1999 && error->domain != HX_ERROR)
    message = g_strdup_printf ("%s[1999:예기치 못한 에러가 발생했습니다. 실패사유=%s]",
                               prefix, error->message);
  else
    message = g_strdup_printf ("%s[%d:%s]", prefix, code, error->message);

  reply->status = status;
  g_clear_pointer (&reply->next_key, g_free);
  json_builder_begin_object (builder);
  reply_finish (reply, builder, category, message);
}

/* Request bodies */

static JsonObject *
parse_body (HxRest             *self,
            SoupServerMessage  *msg,
            guint              *status,
            GError            **error)
{
  const HxOptions *options = hx_exchange_get_options (self->exchange);
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = g_bytes_get_size (bytes);
  JsonNode *root;

  if (options->max_body_size > 0 && size > options->max_body_size)
    {
      *status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
      g_set_error (error, HX_ERROR, 1517,
                   "입력 값 형식이 올바르지 않습니다. 실패사유 : 요청 본문이 %" G_GSIZE_FORMAT "바이트를 넘습니다",
                   options->max_body_size);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), size, NULL)
      || (root = json_parser_get_root (parser)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, HX_ERROR, 1517,
                           "입력 값 형식이 올바르지 않습니다. 실패사유 : 요청 본문이 JSON 객체가 아닙니다");
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/* Every request value is a string: a missing, null or empty required one is 1511, any
 * other JSON type 1517. An absent optional value reads as "". */
static gboolean
body_string (JsonObject   *body,
             const char   *name,
             gboolean      required,
             const char  **value,
             GError      **error)
{
  JsonNode *node = json_object_get_member (body, name);

  *value = "";
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          set_required_error (error, name);
          return FALSE;
        }
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      set_format_error (error, name);
      return FALSE;
    }

  *value = json_node_get_string (node);
  if (required && **value == '\0')
    {
      set_required_error (error, name);
      return FALSE;
    }
  return TRUE;
}

/* A string that must be one of @allowed (NULL-terminated). */
static gboolean
body_enum (JsonObject         *body,
           const char         *name,
           const char * const *allowed,
           const char        **value,
           GError            **error)
{
  if (!body_string (body, name, TRUE, value, error))
    return FALSE;
  if (!g_strv_contains (allowed, *value))
    {
      set_format_error (error, name);
      return FALSE;
    }
  return TRUE;
}

/* A decimal count or price: 1–12 digits (the protocol's field length). */
static gboolean
parse_digits (const char  *name,
              const char  *text,
              gint64      *value,
              GError     **error)
{
  gsize len = strlen (text);

  if (len == 0 || len > 12)
    {
      set_format_error (error, name);
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        {
          set_format_error (error, name);
          return FALSE;
        }
    }
  *value = g_ascii_strtoll (text, NULL, 10);
  return TRUE;
}

static gboolean
body_digits (JsonObject  *body,
             const char  *name,
             gint64      *value,
             GError     **error)
{
  const char *text;

  return body_string (body, name, TRUE, &text, error)
         && parse_digits (name, text, value, error);
}

/* Order numbers are 7-digit strings; a shorter one is padded as Kiwoom pads it. */
static gboolean
body_order_number (JsonObject  *body,
                   const char  *name,
                   char         ord_no[HX_ORD_NO_LEN + 1],
                   GError     **error)
{
  gint64 value;

  if (!body_digits (body, name, &value, error))
    return FALSE;
  if (value > 9999999)
    {
      set_format_error (error, name);
      return FALSE;
    }
  g_snprintf (ord_no, HX_ORD_NO_LEN + 1, "%07" G_GINT64_FORMAT, value);
  return TRUE;
}

static HxSymbol *
lookup_symbol (Call        *call,
               const char  *code,
               GError     **error)
{
  HxMarket *market = hx_exchange_get_market (call->self->exchange);
  HxSymbol *symbol = hx_market_lookup (market, code);

  if (symbol == NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (code, MIN (strlen (code), 20));

      g_set_error (error, HX_ERROR, 1902,
                   "종목 정보가 존재하지 않습니다. 종목코드 : %s", shown);
    }
  return symbol;
}

/* Paging. A next-key names the first row of the next page (an order number, a code, a
 * date) rather than an offset, so rows that come or go between two requests neither
 * repeat nor break the walk, and a key is checked against the form its TR hands out.
 * Returns the end of the page that starts at @start. */
static guint
call_page_end (Call  *call,
               guint  start,
               guint  n_rows)
{
  const HxOptions *options = hx_exchange_get_options (call->self->exchange);

  return MIN (n_rows, start + MAX (options->page_size, 1));
}

static gboolean
cursor_is_digits (const char *cursor,
                  gsize       len)
{
  if (strlen (cursor) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (cursor[i]))
        return FALSE;
    }
  return TRUE;
}

/* ka10075 / ka10076 rows run newest first: the page starts at the cursor's order. */
static gboolean
order_page_start (Call       *call,
                  GPtrArray  *rows,
                  guint      *start,
                  GError    **error)
{
  *start = 0;
  if (call->cursor == NULL)
    return TRUE;
  if (!cursor_is_digits (call->cursor, HX_ORD_NO_LEN))
    {
      set_format_error (error, "next-key");
      return FALSE;
    }
  while (*start < rows->len
         && strcmp (((const HxOrder *)g_ptr_array_index (rows, *start))->ord_no, call->cursor) > 0)
    (*start)++;
  return TRUE;
}

static void
order_page_next (Call      *call,
                 GPtrArray *rows,
                 guint      end)
{
  if (end < rows->len)
    call->next_key = g_strdup (((const HxOrder *)g_ptr_array_index (rows, end))->ord_no);
}

/* Order TRs */

static const char *
side_name (HxSide side)
{
  return side == HX_SIDE_BUY ? "매수" : "매도";
}

/* The simulator is a mock server: KRX only. NXT orders get the mock's RC9000 (observed
 * live, return_code 20); SOR orders are routed to KRX, which is all a mock SOR can do.
 * Of the order types only 0 (보통) and 3 (시장가) are simulated; the other documented
 * codes get RC9000 as well rather than being executed as something they are not. */
static gboolean
check_order_common (Call         *call,
                    const char  **stex,
                    GError      **error)
{
  static const char * const stex_values[] = { "KRX", "NXT", "SOR", NULL };

  return body_enum (call->body, "dmst_stex_tp", stex_values, stex, error);
}

static gboolean
check_order_faults (Call        *call,
                    const char  *stex,
                    GError     **error)
{
  HxFaults *faults = hx_exchange_get_faults (call->self->exchange);

  if (g_str_equal (stex, "NXT"))
    {
      set_business_error (error, "RC9000:모의투자에서는 해당업무가 제공되지 않습니다");
      return FALSE;
    }
  if (faults->reject_orders > 0)
    {
      faults->reject_orders--;
      set_business_error (error, "RC4099:주문이 거부되었습니다");
      return FALSE;
    }
  return TRUE;
}

static gboolean
tr_place (Call     *call,
          HxSide    side,
          GError  **error)
{
  HxAccount *account = hx_exchange_get_account (call->self->exchange);
  const HxOrder *order;
  const char *stex, *stk_cd, *trde_tp, *ord_uv, *cond_uv;
  gint64 qty, price = 0;

  if (!check_order_common (call, &stex, error)
      || !body_string (call->body, "stk_cd", TRUE, &stk_cd, error)
      || !body_digits (call->body, "ord_qty", &qty, error)
      || !body_string (call->body, "ord_uv", FALSE, &ord_uv, error)
      || !body_string (call->body, "trde_tp", TRUE, &trde_tp, error)
      /* Type-checked only: stop prices belong to trde_tp 28, which is not simulated. */
      || !body_string (call->body, "cond_uv", FALSE, &cond_uv, error))
    return FALSE;

  if (g_str_equal (trde_tp, "0"))
    {
      if (*ord_uv == '\0')
        {
          set_required_error (error, "ord_uv");
          return FALSE;
        }
      if (!parse_digits ("ord_uv", ord_uv, &price, error))
        return FALSE;
    }
  else if (!g_str_equal (trde_tp, "3"))
    {
      if (!g_strv_contains (other_order_types, trde_tp))
        {
          set_format_error (error, "trde_tp");
          return FALSE;
        }
      set_business_error (error, "RC9000:모의투자에서는 해당업무가 제공되지 않습니다");
      return FALSE;
    }

  if (!check_order_faults (call, stex, error))
    return FALSE;

  order = hx_account_place (account, side, stk_cd, qty, price, trde_tp, "KRX", error);
  if (order == NULL)
    return FALSE;

  add_string (call->builder, "ord_no", order->ord_no);
  add_string (call->builder, "dmst_stex_tp", stex);
  call->return_msg = side == HX_SIDE_BUY ? "매수주문이 완료되었습니다." : "매도주문이 완료되었습니다.";
  return TRUE;
}

static gboolean
tr_kt10000 (Call    *call,
            GError **error)
{
  return tr_place (call, HX_SIDE_BUY, error);
}

static gboolean
tr_kt10001 (Call    *call,
            GError **error)
{
  return tr_place (call, HX_SIDE_SELL, error);
}

static gboolean
tr_kt10002 (Call    *call,
            GError **error)
{
  HxAccount *account = hx_exchange_get_account (call->self->exchange);
  char orig_ord_no[HX_ORD_NO_LEN + 1];
  const HxOrder *order;
  const char *stex, *stk_cd, *cond_uv;
  gint64 qty, price;

  if (!check_order_common (call, &stex, error)
      || !body_order_number (call->body, "orig_ord_no", orig_ord_no, error)
      || !body_string (call->body, "stk_cd", TRUE, &stk_cd, error)
      || !body_digits (call->body, "mdfy_qty", &qty, error)
      || !body_digits (call->body, "mdfy_uv", &price, error)
      || !body_string (call->body, "mdfy_cond_uv", FALSE, &cond_uv, error)
      || !check_order_faults (call, stex, error))
    return FALSE;

  order = hx_account_modify (account, orig_ord_no, stk_cd, qty, price, error);
  if (order == NULL)
    return FALSE;

  add_string (call->builder, "ord_no", order->ord_no);
  add_string (call->builder, "base_orig_ord_no", order->root_ord_no);
  add_take (call->builder, "mdfy_qty", format_padded (order->qty, 12));
  add_string (call->builder, "dmst_stex_tp", stex);
  call->return_msg = order->side == HX_SIDE_BUY ? "매수정정 주문입력이 완료되었습니다"
                                                : "매도정정 주문입력이 완료되었습니다";
  return TRUE;
}

static gboolean
tr_kt10003 (Call    *call,
            GError **error)
{
  HxAccount *account = hx_exchange_get_account (call->self->exchange);
  char orig_ord_no[HX_ORD_NO_LEN + 1];
  const HxOrder *order;
  const char *stex, *stk_cd;
  gint64 qty;

  if (!check_order_common (call, &stex, error)
      || !body_order_number (call->body, "orig_ord_no", orig_ord_no, error)
      || !body_string (call->body, "stk_cd", TRUE, &stk_cd, error)
      || !body_digits (call->body, "cncl_qty", &qty, error)
      || !check_order_faults (call, stex, error))
    return FALSE;

  order = hx_account_cancel (account, orig_ord_no, stk_cd, qty, error);
  if (order == NULL)
    return FALSE;

  add_string (call->builder, "ord_no", order->ord_no);
  add_string (call->builder, "base_orig_ord_no", order->root_ord_no);
  add_take (call->builder, "cncl_qty", format_padded (order->qty, 12));
  call->return_msg = order->side == HX_SIDE_BUY ? "매수취소 주문입력이 완료되었습니다"
                                                : "매도취소 주문입력이 완료되었습니다";
  return TRUE;
}

/* Market TRs */

static gboolean
tr_ka10001 (Call    *call,
            GError **error)
{
  HxMarket *market = hx_exchange_get_market (call->self->exchange);
  HxClock *clock = hx_exchange_get_clock (call->self->exchange);
  JsonBuilder *b = call->builder;
  g_autoptr(GArray) bars = NULL;
  const char *stk_cd;
  HxSymbol *symbol;
  char today[9];
  gint64 base, current, high250, low250;
  gint64 year_high, year_low;
  const char *high250_dt = "", *low250_dt = "";

  if (!body_string (call->body, "stk_cd", TRUE, &stk_cd, error)
      || (symbol = lookup_symbol (call, stk_cd, error)) == NULL)
    return FALSE;

  base = symbol->base_price;
  current = hx_symbol_current_price (symbol);

  /* 250-day and this year's extremes from the same history ka10081 serves, plus today. */
  hx_clock_format_date (clock, today);
  bars = hx_market_daily_bars (market, symbol, today, 250);
  high250 = year_high = MAX (symbol->high, current);
  low250 = year_low = symbol->low > 0 ? MIN (symbol->low, current) : current;
  for (guint i = 0; i < bars->len; i++)
    {
      const HxDailyBar *bar = &g_array_index (bars, HxDailyBar, i);

      if (bar->high > high250)
        {
          high250 = bar->high;
          high250_dt = bar->date;
        }
      if (bar->low > 0 && bar->low < low250)
        {
          low250 = bar->low;
          low250_dt = bar->date;
        }
      if (strncmp (bar->date, today, 4) == 0)
        {
          year_high = MAX (year_high, bar->high);
          if (bar->low > 0)
            year_low = MIN (year_low, bar->low);
        }
    }

  add_string (b, "stk_cd", stk_cd);
  add_string (b, "stk_nm", symbol->name);
  add_string (b, "setl_mm", "12");
  add_string (b, "fav", "100");
  add_string (b, "cap", "");
  add_string (b, "flo_stk", "");
  add_string (b, "crd_rt", "");
  add_take (b, "oyr_hgst", format_direction (year_high, base));
  add_take (b, "oyr_lwst", format_direction (year_low, base));
  add_string (b, "mac", "");
  add_string (b, "mac_wght", "");
  add_string (b, "for_exh_rt", "0.00");
  add_string (b, "repl_pric", "");
  add_string (b, "per", "");
  add_string (b, "eps", "");
  add_string (b, "roe", "");
  add_string (b, "pbr", "");
  add_string (b, "ev", "");
  add_string (b, "bps", "");
  add_string (b, "sale_amt", "");
  add_string (b, "bus_pro", "");
  add_string (b, "cup_nga", "");
  add_take (b, "250hgst", format_direction (high250, base));
  add_take (b, "250lwst", format_direction (low250, base));
  add_take (b, "open_pric", format_direction (symbol->open, base));
  add_take (b, "high_pric", format_direction (symbol->high, base));
  add_take (b, "low_pric", format_direction (symbol->low, base));
  add_take (b, "upl_pric", format_direction (symbol->upper_limit, base));
  add_take (b, "lst_pric", format_direction (symbol->lower_limit, base));
  add_take (b, "base_pric", format_int (base));
  add_string (b, "exp_cntr_pric", "0");
  add_string (b, "exp_cntr_qty", "0");
  add_string (b, "250hgst_pric_dt", *high250_dt != '\0' ? high250_dt : today);
  add_take (b, "250hgst_pric_pre_rt", format_rate (current - high250, high250, TRUE));
  add_string (b, "250lwst_pric_dt", *low250_dt != '\0' ? low250_dt : today);
  add_take (b, "250lwst_pric_pre_rt", format_rate (current - low250, low250, TRUE));
  add_take (b, "cur_prc", format_direction (current, base));
  add_string (b, "pre_sig", format_change_sign (current, base,
                                                symbol->upper_limit, symbol->lower_limit));
  add_take (b, "pred_pre", format_delta (current - base));
  add_take (b, "flu_rt", format_rate (current - base, base, TRUE));
  add_take (b, "trde_qty", format_int (symbol->cum_volume));
  /* 거래대비: today's volume as a percentage of yesterday's. */
  add_take (b, "trde_pre", format_rate (symbol->cum_volume, symbol->prev_volume, FALSE));
  add_string (b, "fav_unit", "원");
  add_string (b, "dstr_stk", "");
  add_string (b, "dstr_rt", "");

  call->return_msg = MSG_OK;
  return TRUE;
}

static gboolean
valid_yyyymmdd (const char *text)
{
  guint year, month, day;

  if (strlen (text) != 8)
    return FALSE;
  for (guint i = 0; i < 8; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
    }
  year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  month = (text[4] - '0') * 10 + (text[5] - '0');
  day = (text[6] - '0') * 10 + (text[7] - '0');
  return g_date_valid_dmy (day, month, year);
}

static gboolean
tr_ka10081 (Call    *call,
            GError **error)
{
  static const char * const adjusted_values[] = { "0", "1", NULL };
  HxMarket *market = hx_exchange_get_market (call->self->exchange);
  const HxOptions *options = hx_exchange_get_options (call->self->exchange);
  JsonBuilder *b = call->builder;
  g_autoptr(GArray) bars = NULL;
  const char *stk_cd, *base_dt, *adjusted;
  HxSymbol *symbol;
  guint end;

  if (!body_string (call->body, "stk_cd", TRUE, &stk_cd, error)
      || !body_string (call->body, "base_dt", TRUE, &base_dt, error)
      || !body_enum (call->body, "upd_stkpc_tp", adjusted_values, &adjusted, error))
    return FALSE;
  if (!valid_yyyymmdd (base_dt))
    {
      set_format_error (error, "base_dt");
      return FALSE;
    }
  if ((symbol = lookup_symbol (call, stk_cd, error)) == NULL)
    return FALSE;

  /* The next-key is the date the next page starts at, no later than base_dt. */
  if (call->cursor != NULL)
    {
      if (!valid_yyyymmdd (call->cursor) || strcmp (call->cursor, base_dt) > 0)
        {
          set_format_error (error, "next-key");
          return FALSE;
        }
      base_dt = call->cursor;
    }

  /* One row beyond the page gives the oldest row its previous close, and the next key. */
  bars = hx_market_daily_bars (market, symbol, base_dt, MAX (options->page_size, 1) + 1);
  end = call_page_end (call, 0, bars->len);
  if (end < bars->len)
    call->next_key = g_strdup (g_array_index (bars, HxDailyBar, end).date);

  add_string (b, "stk_cd", stk_cd);
  json_builder_set_member_name (b, "stk_dt_pole_chart_qry");
  json_builder_begin_array (b);
  for (guint i = 0; i < end; i++)
    {
      const HxDailyBar *bar = &g_array_index (bars, HxDailyBar, i);
      gint64 prev_close = i + 1 < bars->len ? g_array_index (bars, HxDailyBar, i + 1).close
                                            : bar->open;

      json_builder_begin_object (b);
      add_take (b, "cur_prc", format_int (bar->close));
      add_take (b, "trde_qty", format_int (bar->volume));
      add_take (b, "trde_prica", format_int (bar->value_million));
      add_string (b, "dt", bar->date);
      add_take (b, "open_pric", format_int (bar->open));
      add_take (b, "high_pric", format_int (bar->high));
      add_take (b, "low_pric", format_int (bar->low));
      add_take (b, "pred_pre", format_delta (bar->close - prev_close));
      add_string (b, "pred_pre_sig",
                  format_change_sign (bar->close, prev_close,
                                      prev_close > 0 ? hoga_krx_upper_limit (prev_close) : 0,
                                      prev_close > 0 ? hoga_krx_lower_limit (prev_close) : 0));
      /* 거래회전율 needs the listed share count, which the simulator does not model. */
      add_string (b, "trde_tern_rt", "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  call->return_msg = MSG_OK;
  return TRUE;
}

/* Account TRs */

typedef struct {
  const HxHolding *holding;
  gint64           current;
  gint64           evlt_amt;
  gint64           sell_cmsn;
  gint64           tax;
  gint64           profit;
} Valuation;

static gboolean
tr_kt00018 (Call    *call,
            GError **error)
{
  static const char * const qry_values[] = { "1", "2", NULL };
  static const char * const stex_values[] = { "KRX", "NXT", NULL };
  HxAccount *account = hx_exchange_get_account (call->self->exchange);
  JsonBuilder *b = call->builder;
  g_autoptr(GPtrArray) holdings = NULL;
  g_autoptr(GArray) rows = NULL;
  const char *qry_tp, *stex;
  gint64 tot_pur = 0, tot_evlt = 0, tot_pl = 0;
  guint start = 0, end;

  if (!body_enum (call->body, "qry_tp", qry_values, &qry_tp, error)
      || !body_enum (call->body, "dmst_stex_tp", stex_values, &stex, error))
    return FALSE;

  rows = g_array_new (FALSE, TRUE, sizeof (Valuation));
  holdings = hx_account_list_holdings (account);
  /* Everything is held on KRX: an NXT balance query lists nothing. */
  for (guint i = 0; g_str_equal (stex, "KRX") && i < holdings->len; i++)
    {
      const HxHolding *holding = g_ptr_array_index (holdings, i);
      Valuation v = { holding };

      if (holding->qty <= 0)
        continue;

      /* 평가손익 = 평가금액 − 매입금액 − 매입수수료 − 평가수수료 − 세금 (the spec sample
       * adds up this way). */
      v.current = hx_symbol_current_price (holding->symbol);
      v.evlt_amt = v.current * holding->qty;
      v.sell_cmsn = hx_account_compute_commission (account, v.evlt_amt);
      v.tax = hx_account_compute_tax (account, v.evlt_amt);
      v.profit = v.evlt_amt - holding->purchase_amount - holding->purchase_commission
                 - v.sell_cmsn - v.tax;
      g_array_append_val (rows, v);

      tot_pur += holding->purchase_amount;
      tot_evlt += v.evlt_amt;
      tot_pl += v.profit;
    }

  /* Holdings run in code order; the next-key is the code the next page starts at. */
  if (call->cursor != NULL)
    {
      gboolean valid = strlen (call->cursor) == HX_CODE_LEN;

      for (guint i = 0; valid && i < HX_CODE_LEN; i++)
        valid = g_ascii_isalnum (call->cursor[i]);
      if (!valid)
        {
          set_format_error (error, "next-key");
          return FALSE;
        }
      while (start < rows->len
             && strcmp (g_array_index (rows, Valuation, start).holding->symbol->code,
                        call->cursor) < 0)
        start++;
    }
  end = call_page_end (call, start, rows->len);
  if (end < rows->len)
    call->next_key = g_strdup (g_array_index (rows, Valuation, end).holding->symbol->code);

  add_take (b, "tot_pur_amt", format_padded (tot_pur, 15));
  add_take (b, "tot_evlt_amt", format_padded (tot_evlt, 15));
  add_take (b, "tot_evlt_pl", format_padded (tot_pl, 15));
  add_take (b, "tot_prft_rt", format_rate (tot_pl, tot_pur, FALSE));
  add_take (b, "prsm_dpst_aset_amt",
            format_padded (hx_account_get_cash (account) + tot_evlt, 15));
  add_take (b, "tot_loan_amt", format_padded (0, 15));
  add_take (b, "tot_crd_loan_amt", format_padded (0, 15));
  add_take (b, "tot_crd_ls_amt", format_padded (0, 15));

  json_builder_set_member_name (b, "acnt_evlt_remn_indv_tot");
  json_builder_begin_array (b);
  for (guint i = start; i < end; i++)
    {
      const Valuation *v = &g_array_index (rows, Valuation, i);
      const HxHolding *h = v->holding;

      json_builder_begin_object (b);
      add_take (b, "stk_cd", g_strconcat ("A", h->symbol->code, NULL));
      add_string (b, "stk_nm", h->symbol->name);
      add_take (b, "evltv_prft", format_padded (v->profit, 15));
      add_take (b, "prft_rt", format_rate (v->profit, h->purchase_amount, FALSE));
      add_take (b, "pur_pric", format_padded (h->avg_price, 15));
      add_take (b, "pred_close_pric", format_padded (h->symbol->base_price, 12));
      add_take (b, "rmnd_qty", format_padded (h->qty, 15));
      add_take (b, "trde_able_qty", format_padded (h->sellable_qty, 15));
      add_take (b, "cur_prc", format_padded (v->current, 12));
      add_take (b, "pred_buyq", format_padded (0, 15));
      add_take (b, "pred_sellq", format_padded (0, 15));
      add_take (b, "tdy_buyq", format_padded (h->today_buy_qty, 15));
      add_take (b, "tdy_sellq", format_padded (h->today_sell_qty, 15));
      add_take (b, "pur_amt", format_padded (h->purchase_amount, 15));
      add_take (b, "pur_cmsn", format_padded (h->purchase_commission, 15));
      add_take (b, "evlt_amt", format_padded (v->evlt_amt, 15));
      add_take (b, "sell_cmsn", format_padded (v->sell_cmsn, 15));
      add_take (b, "tax", format_padded (v->tax, 15));
      add_take (b, "sum_cmsn", format_padded (h->purchase_commission + v->sell_cmsn, 15));
      /* 보유비중 by purchase amount, as the spec sample's figures work out. */
      add_take (b, "poss_rt", format_rate (h->purchase_amount, tot_pur, FALSE));
      add_string (b, "crd_tp", "00");
      add_string (b, "crd_tp_nm", "");
      add_string (b, "crd_loan_dt", "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  call->return_msg = "조회가 완료되었습니다";
  return TRUE;
}

static gboolean
tr_kt00001 (Call    *call,
            GError **error)
{
  static const char * const qry_values[] = { "2", "3", NULL };
  /* kt00001's scalars in the spec's order; those the simulator has no notion of are 0. */
  static const char * const fields[] = {
    "entr", "profa_ch", "bncr_profa_ch", "nxdy_bncr_sell_exct", "fc_stk_krw_repl_set_amt",
    "crd_grnta_ch", "crd_grnt_ch", "add_grnt_ch", "etc_profa", "uncl_stk_amt", "shrts_prica",
    "crd_set_grnta", "chck_ina_amt", "etc_chck_ina_amt", "crd_grnt_ruse", "knx_asset_evltv",
    "elwdpst_evlta", "crd_ls_rght_frcs_amt", "lvlh_join_amt", "lvlh_trns_alowa", "repl_amt",
    "remn_repl_evlta", "trst_remn_repl_evlta", "bncr_remn_repl_evlta", "profa_repl",
    "crd_grnta_repl", "crd_grnt_repl", "add_grnt_repl", "rght_repl_amt", "pymn_alow_amt",
    "wrap_pymn_alow_amt", "ord_alow_amt", "bncr_buy_alowa", "20stk_ord_alow_amt",
    "30stk_ord_alow_amt", "40stk_ord_alow_amt", "100stk_ord_alow_amt", "ch_uncla",
    "ch_uncla_dlfe", "ch_uncla_tot", "crd_int_npay", "int_npay_amt_dlfe", "int_npay_amt_tot",
    "etc_loana", "etc_loana_dlfe", "etc_loan_tot", "nrpy_loan", "loan_sum", "ls_sum",
    "crd_grnt_rt", "mdstrm_usfe", "min_ord_alow_yn", "loan_remn_evlt_amt", "dpst_grntl_remn",
    "sell_grntl_remn", "d1_entra", "d1_slby_exct_amt", "d1_buy_exct_amt", "d1_out_rep_mor",
    "d1_sel_exct_amt", "d1_pymn_alow_amt", "d2_entra", "d2_slby_exct_amt", "d2_buy_exct_amt",
    "d2_out_rep_mor", "d2_sel_exct_amt", "d2_pymn_alow_amt", "50stk_ord_alow_amt",
    "60stk_ord_alow_amt",
  };
  static const char * const orderable_fields[] = {
    "pymn_alow_amt", "ord_alow_amt", "bncr_buy_alowa", "20stk_ord_alow_amt",
    "30stk_ord_alow_amt", "40stk_ord_alow_amt", "100stk_ord_alow_amt", "d1_pymn_alow_amt",
    "d2_pymn_alow_amt", "50stk_ord_alow_amt", "60stk_ord_alow_amt", NULL,
  };
  static const char * const cash_fields[] = { "entr", "d1_entra", "d2_entra", NULL };
  HxAccount *account = hx_exchange_get_account (call->self->exchange);
  JsonBuilder *b = call->builder;
  const char *qry_tp;
  gint64 cash, orderable;

  if (!body_enum (call->body, "qry_tp", qry_values, &qry_tp, error))
    return FALSE;

  /* Trades settle at once in the simulator, so D+1 and D+2 equal today. */
  cash = hx_account_get_cash (account);
  orderable = hx_account_get_orderable (account);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      gint64 value = 0;

      if (g_str_equal (fields[i], "crd_grnt_rt"))
        {
          add_string (b, fields[i], "0.00");
          continue;
        }
      if (g_strv_contains (cash_fields, fields[i]))
        value = cash;
      else if (g_strv_contains (orderable_fields, fields[i]))
        value = orderable;
      else if (g_str_equal (fields[i], "profa_ch"))
        value = MAX (cash - orderable, 0);   /* cash reserved by working buy orders */
      add_take (b, fields[i], format_padded (value, 15));
    }
  json_builder_set_member_name (b, "stk_entr_prst");
  json_builder_begin_array (b);
  json_builder_end_array (b);

  call->return_msg = "조회가 완료되었습니다.";
  return TRUE;
}

static const char *
order_type_name (const HxOrder *order)
{
  return g_str_equal (order->trde_tp, "3") ? "시장가" : "보통";
}

static char *
order_side_name (const HxOrder *order)
{
  return g_strdup_printf ("%c%s%s", order->side == HX_SIDE_BUY ? '+' : '-',
                          side_name (order->side),
                          order->kind == HX_ORDER_MODIFY ? "정정" : "");
}

static gint64
order_average_fill (const HxOrder *order)
{
  return order->filled_qty > 0 ? order->filled_amount / order->filled_qty : 0;
}

static gboolean
side_matches (const HxOrder *order,
              const char    *side_filter)
{
  return g_str_equal (side_filter, "0")
         || (g_str_equal (side_filter, "1") && order->side == HX_SIDE_SELL)
         || (g_str_equal (side_filter, "2") && order->side == HX_SIDE_BUY);
}

static gboolean
code_matches (const HxOrder *order,
              HxSymbol      *symbol)
{
  return symbol == NULL || order->symbol == symbol;
}

static gboolean
tr_ka10075 (Call    *call,
            GError **error)
{
  static const char * const all_values[] = { "0", "1", NULL };
  static const char * const side_values[] = { "0", "1", "2", NULL };
  static const char * const stex_values[] = { "0", "1", "2", NULL };
  HxAccount *account = hx_exchange_get_account (call->self->exchange);
  JsonBuilder *b = call->builder;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GPtrArray) fills = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GHashTable) last_fill = g_hash_table_new (g_str_hash, g_str_equal);
  const char *all_stk_tp, *trde_tp, *stk_cd, *stex_tp;
  HxSymbol *symbol = NULL;
  guint start, end;

  if (!body_enum (call->body, "all_stk_tp", all_values, &all_stk_tp, error)
      || !body_enum (call->body, "trde_tp", side_values, &trde_tp, error)
      || !body_string (call->body, "stk_cd", g_str_equal (all_stk_tp, "1"), &stk_cd, error)
      || !body_enum (call->body, "stex_tp", stex_values, &stex_tp, error))
    return FALSE;
  if (g_str_equal (all_stk_tp, "1") && (symbol = lookup_symbol (call, stk_cd, error)) == NULL)
    return FALSE;

  /* Newest first; nothing rests on NXT. */
  orders = hx_account_list_orders (account);
  for (guint i = orders->len; i > 0 && !g_str_equal (stex_tp, "2"); i--)
    {
      const HxOrder *order = g_ptr_array_index (orders, i - 1);

      if ((order->state == HX_ORDER_STATE_WORKING || order->state == HX_ORDER_STATE_PARTIAL)
          && order->kind != HX_ORDER_CANCEL
          && side_matches (order, trde_tp) && code_matches (order, symbol))
        g_ptr_array_add (rows, (gpointer)order);
    }

  if (!order_page_start (call, rows, &start, error))
    return FALSE;
  end = call_page_end (call, start, rows->len);
  order_page_next (call, rows, end);

  /* Fills come newest first: the first one seen per order is its latest. */
  fills = hx_account_list_fills (account);
  for (guint i = 0; i < fills->len; i++)
    {
      const HxFill *fill = g_ptr_array_index (fills, i);

      if (!g_hash_table_contains (last_fill, fill->ord_no))
        g_hash_table_insert (last_fill, (gpointer)fill->ord_no, (gpointer)fill);
    }

  json_builder_set_member_name (b, "oso");
  json_builder_begin_array (b);
  for (guint i = start; i < end; i++)
    {
      const HxOrder *order = g_ptr_array_index (rows, i);
      const HxFill *fill = g_hash_table_lookup (last_fill, order->ord_no);
      const HxSymbol *sym = order->symbol;
      gint64 base = sym->base_price;

      json_builder_begin_object (b);
      add_string (b, "acnt_no", HX_ACCOUNT_NO);
      add_string (b, "ord_no", order->ord_no);
      add_string (b, "mang_empno", "");
      add_string (b, "stk_cd", sym->code);
      add_string (b, "tsk_tp", "");
      add_string (b, "ord_stt", order->state == HX_ORDER_STATE_PARTIAL ? "체결" : "접수");
      add_string (b, "stk_nm", sym->name);
      add_take (b, "ord_qty", format_int (order->qty));
      add_take (b, "ord_pric", format_int (order->price));
      add_take (b, "oso_qty", format_int (order->remaining_qty));
      add_take (b, "cntr_tot_amt", format_int (order->filled_amount));
      add_string (b, "orig_ord_no", order->orig_ord_no);
      add_take (b, "io_tp_nm", order_side_name (order));
      add_string (b, "trde_tp", order_type_name (order));
      add_string (b, "tm", order->time);
      add_string (b, "cntr_no", fill != NULL ? fill->fill_no : "");
      add_take (b, "cntr_pric", format_int (order_average_fill (order)));
      add_take (b, "cntr_qty", format_int (order->filled_qty));
      add_take (b, "cur_prc", format_direction (hx_symbol_current_price (sym), base));
      add_take (b, "sel_bid", format_direction (sym->best_ask, base));
      add_take (b, "buy_bid", format_direction (sym->best_bid, base));
      add_take (b, "unit_cntr_pric", fill != NULL ? format_int (fill->price) : g_strdup (""));
      add_take (b, "unit_cntr_qty", fill != NULL ? format_int (fill->qty) : g_strdup (""));
      add_take (b, "tdy_trde_cmsn", format_int (order->commission));
      add_take (b, "tdy_trde_tax", format_int (order->tax));
      add_string (b, "ind_invsr", "");
      add_string (b, "stex_tp", "1");
      add_string (b, "stex_tp_txt", "KRX");
      add_string (b, "sor_yn", "N");
      add_string (b, "stop_pric", "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  call->return_msg = MSG_QUERY_DONE;
  return TRUE;
}

static gboolean
tr_ka10076 (Call    *call,
            GError **error)
{
  static const char * const qry_values[] = { "0", "1", NULL };
  static const char * const side_values[] = { "0", "1", "2", NULL };
  static const char * const stex_values[] = { "0", "1", "2", NULL };
  HxAccount *account = hx_exchange_get_account (call->self->exchange);
  JsonBuilder *b = call->builder;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  const char *qry_tp, *sell_tp, *stk_cd, *ord_no, *stex_tp;
  HxSymbol *symbol = NULL;
  gint64 before = G_MAXINT64;
  guint start, end;

  if (!body_string (call->body, "stk_cd", FALSE, &stk_cd, error)
      || !body_enum (call->body, "qry_tp", qry_values, &qry_tp, error)
      || !body_enum (call->body, "sell_tp", side_values, &sell_tp, error)
      || !body_string (call->body, "ord_no", FALSE, &ord_no, error)
      || !body_enum (call->body, "stex_tp", stex_values, &stex_tp, error))
    return FALSE;
  if (g_str_equal (qry_tp, "1"))
    {
      if (*stk_cd == '\0')
        {
          set_required_error (error, "stk_cd");
          return FALSE;
        }
      if ((symbol = lookup_symbol (call, stk_cd, error)) == NULL)
        return FALSE;
    }
  /* ord_no is a cursor: only orders older than it. */
  if (*ord_no != '\0' && !parse_digits ("ord_no", ord_no, &before, error))
    return FALSE;

  orders = hx_account_list_orders (account);
  for (guint i = orders->len; i > 0 && !g_str_equal (stex_tp, "2"); i--)
    {
      const HxOrder *order = g_ptr_array_index (orders, i - 1);

      if (order->filled_qty > 0
          && g_ascii_strtoll (order->ord_no, NULL, 10) < before
          && side_matches (order, sell_tp) && code_matches (order, symbol))
        g_ptr_array_add (rows, (gpointer)order);
    }

  if (!order_page_start (call, rows, &start, error))
    return FALSE;
  end = call_page_end (call, start, rows->len);
  order_page_next (call, rows, end);

  json_builder_set_member_name (b, "cntr");
  json_builder_begin_array (b);
  for (guint i = start; i < end; i++)
    {
      const HxOrder *order = g_ptr_array_index (rows, i);

      json_builder_begin_object (b);
      add_string (b, "ord_no", order->ord_no);
      add_string (b, "stk_nm", order->symbol->name);
      add_take (b, "io_tp_nm", order_side_name (order));
      add_take (b, "ord_pric", format_int (order->price));
      add_take (b, "ord_qty", format_int (order->qty));
      add_take (b, "cntr_pric", format_int (order_average_fill (order)));
      add_take (b, "cntr_qty", format_int (order->filled_qty));
      add_take (b, "oso_qty", format_int (order->remaining_qty));
      add_take (b, "tdy_trde_cmsn", format_int (order->commission));
      add_take (b, "tdy_trde_tax", format_int (order->tax));
      add_string (b, "ord_stt", "체결");
      add_string (b, "trde_tp", order_type_name (order));
      add_string (b, "orig_ord_no", order->orig_ord_no);
      add_string (b, "ord_tm", order->time);
      add_string (b, "stk_cd", order->symbol->code);
      add_string (b, "stex_tp", "1");
      add_string (b, "stex_tp_txt", "KRX");
      add_string (b, "sor_yn", "N");
      add_string (b, "stop_pric", "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  call->return_msg = MSG_QUERY_DONE;
  return TRUE;
}

/* Token endpoints (au10001 / au10002) */

static gboolean
handle_token (HxRest      *self,
              JsonObject  *body,
              Reply       *reply,
              GError     **error)
{
  HxAuth *auth = hx_exchange_get_auth (self->exchange);
  g_autoptr(JsonBuilder) builder = NULL;
  const char *grant_type, *appkey, *secretkey, *token;
  char expires_dt[15];

  if (!json_object_has_member (body, "grant_type"))
    {
      g_set_error_literal (error, HX_ERROR, 8011,
                           "Access Token을 발급하는데 실패했습니다. 입력값에 grant_type이 들어오지 않았습니다");
      return FALSE;
    }
  if (!body_string (body, "grant_type", FALSE, &grant_type, error)
      || !body_string (body, "appkey", FALSE, &appkey, error)
      || !body_string (body, "secretkey", FALSE, &secretkey, error))
    return FALSE;
  if (!g_str_equal (grant_type, "client_credentials"))
    {
      g_set_error_literal (error, HX_ERROR, 8012,
                           "Access Token을 발급하는데 실패했습니다. grant_type의 값이 맞지 않습니다");
      return FALSE;
    }

  token = hx_auth_issue (auth, appkey, secretkey, expires_dt, error);
  if (token == NULL)
    return FALSE;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_string (builder, "expires_dt", expires_dt);
  add_string (builder, "token_type", "bearer");
  add_string (builder, "token", token);
  reply_finish (reply, builder, 0, MSG_OK);
  return TRUE;
}

static gboolean
handle_revoke (HxRest      *self,
               JsonObject  *body,
               Reply       *reply,
               GError     **error)
{
  HxAuth *auth = hx_exchange_get_auth (self->exchange);
  g_autoptr(JsonBuilder) builder = NULL;
  const char *appkey, *secretkey, *token;

  if (!body_string (body, "appkey", FALSE, &appkey, error)
      || !body_string (body, "secretkey", FALSE, &secretkey, error)
      || !body_string (body, "token", FALSE, &token, error)
      || !hx_auth_revoke (auth, appkey, secretkey, token, error))
    return FALSE;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  reply_finish (reply, builder, 0, MSG_OK);
  return TRUE;
}

/* Dispatch */

static const Tr *
lookup_tr (const char *api_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (trs); i++)
    {
      if (g_str_equal (trs[i].api_id, api_id))
        return &trs[i];
    }
  return NULL;
}

static gboolean
known_path (const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      if (g_str_equal (paths[i], path))
        return TRUE;
    }
  return FALSE;
}

/* "Bearer <token>", the scheme matched without case as HTTP does. */
static gboolean
parse_authorization (const char   *header,
                     const char  **token,
                     GError      **error)
{
  if (header == NULL || *header == '\0')
    {
      g_set_error_literal (error, HX_ERROR, 1513,
                           "Http Header에 authorization 필드가 설정되어 있어야 합니다");
      return FALSE;
    }
  if (g_ascii_strncasecmp (header, "Bearer", 6) != 0
      || (header[6] != '\0' && header[6] != ' '))
    {
      g_set_error_literal (error, HX_ERROR, 1514,
                           "입력으로 들어온 Http Header의 authorization 필드 형식이 맞지 않습니다");
      return FALSE;
    }

  *token = header + 6;
  while (**token == ' ')
    (*token)++;
  if (**token == '\0')
    {
      g_set_error_literal (error, HX_ERROR, 1516,
                           "Http Header의 authorization 필드 내 Token이 정의되어 있지 않습니다");
      return FALSE;
    }
  return TRUE;
}

/* The per-app-key, per-api-id token bucket: rate_limit per second, burst of the same. */
static gboolean
take_rate_token (HxRest      *self,
                 const char  *appkey,
                 const char  *api_id,
                 GError     **error)
{
  const HxOptions *options = hx_exchange_get_options (self->exchange);
  double rate = options->rate_limit;
  double burst = MAX (rate, 1.0);
  g_autofree char *key = NULL;
  gint64 now = g_get_monotonic_time ();
  Bucket *bucket;

  if (rate <= 0.0)
    return TRUE;

  key = g_strconcat (appkey, "\n", api_id, NULL);
  bucket = g_hash_table_lookup (self->buckets, key);
  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = burst;
      bucket->last_us = now;
      g_hash_table_insert (self->buckets, g_steal_pointer (&key), bucket);
    }

  bucket->tokens = MIN (burst, bucket->tokens + (now - bucket->last_us) * rate / G_USEC_PER_SEC);
  bucket->last_us = now;
  if (bucket->tokens < 1.0)
    {
      g_set_error (error, HX_ERROR, 1700,
                   "허용된 API 요청 개수를 초과하였습니다. 유량=%g, API ID=%s", rate, api_id);
      return FALSE;
    }
  bucket->tokens -= 1.0;
  return TRUE;
}

/* cont-yn Y asks for the page named by next-key; the TR checks the key's form. */
static gboolean
parse_paging (SoupMessageHeaders  *headers,
              const char         **cursor,
              GError             **error)
{
  const char *cont_yn = soup_message_headers_get_one (headers, "cont-yn");
  const char *next_key = soup_message_headers_get_one (headers, "next-key");

  *cursor = NULL;
  if (cont_yn == NULL || *cont_yn == '\0' || g_str_equal (cont_yn, "N"))
    return TRUE;
  if (!g_str_equal (cont_yn, "Y"))
    {
      set_format_error (error, "cont-yn");
      return FALSE;
    }
  if (next_key == NULL || *next_key == '\0' || strlen (next_key) > MAX_NEXT_KEY_LEN)
    {
      set_format_error (error, "next-key");
      return FALSE;
    }
  *cursor = next_key;
  return TRUE;
}

static gboolean
process_tr (HxRest             *self,
            SoupServerMessage  *msg,
            const char         *path,
            Reply              *reply,
            guint              *status,
            GError            **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *api_id = soup_message_headers_get_one (headers, "api-id");
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  const char *token, *appkey;
  const Tr *tr;
  Call call = { self };

  if (api_id == NULL || *api_id == '\0')
    {
      g_set_error_literal (error, HX_ERROR, 1501, "API ID가 Null이거나 값이 없습니다");
      return FALSE;
    }
  if ((tr = lookup_tr (api_id)) == NULL)
    {
      g_autofree char *shown = sanitize (api_id);

      g_set_error (error, HX_ERROR, 1505, "해당 API ID는 존재하지 않습니다. API ID=%s", shown);
      return FALSE;
    }
  if (!g_str_equal (tr->path, path))
    {
      g_set_error (error, HX_ERROR, 1504,
                   "해당 URI에서는 지원하는 API ID가 아닙니다. API ID=%s, URI=%s",
                   tr->api_id, path);
      return FALSE;
    }
  reply->api_id = tr->api_id;

  if (!parse_authorization (soup_message_headers_get_one (headers, "authorization"),
                            &token, error))
    return FALSE;
  appkey = hx_auth_lookup (hx_exchange_get_auth (self->exchange), token);
  if (appkey == NULL)
    {
      g_set_error_literal (error, HX_ERROR, 8005, "Token이 유효하지 않습니다");
      return FALSE;
    }

  if (!take_rate_token (self, appkey, tr->api_id, error))
    {
      *status = hx_exchange_get_faults (self->exchange)->rate_limit_status;
      return FALSE;
    }

  if ((body = parse_body (self, msg, status, error)) == NULL)
    return FALSE;
  if (tr->paged && !parse_paging (headers, &call.cursor, error))
    return FALSE;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  call.body = body;
  call.builder = builder;
  if (!tr->func (&call, error))
    {
      g_free (call.next_key);
      return FALSE;
    }

  reply->next_key = call.next_key;
  reply_finish (reply, builder, 0, call.return_msg);
  return TRUE;
}

static void
process (HxRest            *self,
         SoupServerMessage *msg,
         const char        *path,
         Reply             *reply)
{
  g_autoptr(GError) error = NULL;
  const char *method = soup_server_message_get_method (msg);
  guint status = SOUP_STATUS_OK;
  gboolean ok;

  reply->status = SOUP_STATUS_OK;

  if (!known_path (path))
    {
      g_autofree char *shown = sanitize (soup_message_headers_get_one (
        soup_server_message_get_request_headers (msg), "api-id"));
      g_autofree char *shown_path = sanitize (path);

      g_set_error (&error, HX_ERROR, 1504,
                   "해당 URI에서는 지원하는 API ID가 아닙니다. API ID=%s, URI=%s",
                   shown, shown_path);
      reply_error (reply, SOUP_STATUS_NOT_FOUND, error);
      return;
    }
  if (g_strcmp0 (method, SOUP_METHOD_POST) != 0)
    {
      g_set_error (&error, HX_ERROR, 1512,
                   "Http header에 값이 설정되지 않았거나 읽을 수 없습니다. 지원하지 않는 메서드입니다 : %s",
                   method);
      reply_error (reply, SOUP_STATUS_METHOD_NOT_ALLOWED, error);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", SOUP_METHOD_POST);
      return;
    }

  if (g_str_equal (path, PATH_TOKEN) || g_str_equal (path, PATH_REVOKE))
    {
      g_autoptr(JsonObject) body = NULL;
      gboolean issue = g_str_equal (path, PATH_TOKEN);

      reply->api_id = issue ? "au10001" : "au10002";
      body = parse_body (self, msg, &status, &error);
      ok = body != NULL
           && (issue ? handle_token (self, body, reply, &error)
                     : handle_revoke (self, body, reply, &error));
    }
  else
    {
      ok = process_tr (self, msg, path, reply, &status, &error);
    }

  if (!ok)
    reply_error (reply, status, error);
}

/* Delivery and the delay / hang faults */

static void
held_free (gpointer data)
{
  Held *held = data;

  g_clear_handle_id (&held->timeout_id, g_source_remove);
  g_clear_signal_handler (&held->disconnected_id, held->msg);
  g_object_unref (held->msg);
  g_free (held);
}

static void
held_disconnected_cb (SoupServerMessage *msg,
                      Held              *held)
{
  /* The client gave up: there is nobody left to unpause for. */
  g_ptr_array_remove (held->self->held, held);
}

static gboolean
held_timeout_cb (gpointer user_data)
{
  Held *held = user_data;
  HxRest *self = held->self;

  held->timeout_id = 0;

  /* rest-hang switched on during the delay: keep holding. */
  if (hx_exchange_get_faults (self->exchange)->rest_hang)
    return G_SOURCE_REMOVE;

  g_clear_signal_handler (&held->disconnected_id, held->msg);
  soup_server_message_unpause (held->msg);
  g_ptr_array_remove (self->held, held);
  return G_SOURCE_REMOVE;
}

static void
hold_reply (HxRest            *self,
            SoupServerMessage *msg,
            guint              delay_ms,
            gboolean           hang)
{
  Held *held = g_new0 (Held, 1);

  held->self = self;
  held->msg = g_object_ref (msg);
  soup_server_message_pause (msg);
  held->disconnected_id = g_signal_connect (msg, "disconnected",
                                            G_CALLBACK (held_disconnected_cb), held);
  if (!hang)
    held->timeout_id = g_timeout_add (delay_ms, held_timeout_cb, held);
  g_ptr_array_add (self->held, held);
}

static void
log_request (SoupServerMessage *msg,
             const char        *path,
             const Reply       *reply)
{
  g_autofree char *api_id = sanitize (soup_message_headers_get_one (
    soup_server_message_get_request_headers (msg), "api-id"));
  g_autofree char *shown_path = sanitize (path);

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "HX_PATH", shown_path,
                    "HX_API_ID", api_id,
                    "MESSAGE", "%s %s api-id=%s → %u return_code=%d",
                    soup_server_message_get_method (msg), shown_path,
                    *api_id != '\0' ? api_id : "-", reply->status, reply->return_code);
}

static void
hx_rest_handle_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  HxRest *self = user_data;
  HxFaults *faults = hx_exchange_get_faults (self->exchange);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Reply reply = { .string_code = faults->string_return_codes };
  gsize body_len;

  process (self, msg, path, &reply);
  log_request (msg, path, &reply);

  if (reply.api_id != NULL)
    soup_message_headers_replace (headers, "api-id", reply.api_id);
  soup_message_headers_replace (headers, "cont-yn", reply.next_key != NULL ? "Y" : "N");
  soup_message_headers_replace (headers, "next-key", reply.next_key != NULL ? reply.next_key : "");
  /* libsoup 3.2 has no reason phrase for 429. */
  soup_server_message_set_status (msg, reply.status,
                                  reply.status == 429 ? "Too Many Requests" : NULL);
  body_len = strlen (reply.body);
  soup_server_message_set_response (msg, "application/json;charset=UTF-8", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&reply.body), body_len);
  g_free (reply.next_key);

  if (faults->rest_hang || faults->rest_delay_ms > 0)
    hold_reply (self, msg, faults->rest_delay_ms, faults->rest_hang);
}

static void
hx_rest_dispose (GObject *object)
{
  HxRest *self = (HxRest *)object;

  g_clear_pointer (&self->held, g_ptr_array_unref);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->buckets, g_hash_table_unref);

  G_OBJECT_CLASS (hx_rest_parent_class)->dispose (object);
}

static void
hx_rest_class_init (HxRestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hx_rest_dispose;
}

static void
hx_rest_init (HxRest *self)
{
  self->server = soup_server_new ("server-header", "hoga-exchange ", NULL);
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->held = g_ptr_array_new_with_free_func (held_free);
  soup_server_add_handler (self->server, NULL, hx_rest_handle_cb, self, NULL);
}

HxRest *
hx_rest_new (HxExchange *exchange)
{
  HxRest *self;

  g_return_val_if_fail (HX_IS_EXCHANGE (exchange), NULL);

  self = g_object_new (HX_TYPE_REST, NULL);
  self->exchange = exchange;
  return self;
}

gboolean
hx_rest_listen (HxRest   *self,
                guint16   port,
                GError  **error)
{
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  g_return_val_if_fail (HX_IS_REST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);
  if (!soup_server_listen (self->server, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  g_message ("REST server listening on 127.0.0.1:%u", self->port);
  return TRUE;
}

char *
hx_rest_get_url (HxRest *self)
{
  g_return_val_if_fail (HX_IS_REST (self), NULL);

  return g_strdup_printf ("http://127.0.0.1:%u", self->port);
}

SoupServer *
hx_rest_get_server (HxRest *self)
{
  g_return_val_if_fail (HX_IS_REST (self), NULL);

  return self->server;
}

void
hx_rest_release_hung (HxRest *self)
{
  g_autoptr(GPtrArray) hung = NULL;

  g_return_if_fail (HX_IS_REST (self));

  /* Taken out first: unpausing may run handlers that touch self->held. */
  hung = g_ptr_array_new_with_free_func (held_free);
  for (guint i = 0; i < self->held->len;)
    {
      Held *held = g_ptr_array_index (self->held, i);

      if (held->timeout_id == 0)
        g_ptr_array_add (hung, g_ptr_array_steal_index (self->held, i));
      else
        i++;
    }

  for (guint i = 0; i < hung->len; i++)
    soup_server_message_unpause (((Held *)g_ptr_array_index (hung, i))->msg);

  if (hung->len > 0)
    g_message ("Released %u hung REST replies", hung->len);
}
