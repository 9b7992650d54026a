/* hx-control.c — the loopback-only control endpoint used by tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests script exact price paths, condition events, order outcomes and faults through
 * POST {"cmd": …}; docs/hoga-exchange.md lists the commands. It lives beside the REST
 * server but is not part of the Kiwoom protocol.
 */
#define G_LOG_DOMAIN "hoga-exchange"

#include "config.h"

#include <json-glib/json-glib.h>

#include "hx-control.h"
#include "hx-rest.h"
#include "hx-ws.h"

#define MAX_PATH_PRICES 100000

typedef gboolean (*CommandFunc) (HxExchange   *exchange,
                                 JsonObject   *request,
                                 JsonBuilder  *reply,
                                 GError      **error);

typedef struct {
  const char  *name;
  CommandFunc  func;
} Command;

static gboolean
require_member (JsonObject        *request,
                const char        *name,
                JsonNodeType       type,
                GType              value_type,
                GError           **error)
{
  JsonNode *node = json_object_get_member (request, name);

  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "missing “%s”", name);
      return FALSE;
    }
  if (JSON_NODE_TYPE (node) != type
      || (type == JSON_NODE_VALUE && json_node_get_value_type (node) != value_type))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” has the wrong type", name);
      return FALSE;
    }
  return TRUE;
}

static const char *
get_string (JsonObject  *request,
            const char  *name,
            GError     **error)
{
  if (!require_member (request, name, JSON_NODE_VALUE, G_TYPE_STRING, error))
    return NULL;
  return json_object_get_string_member (request, name);
}

static gboolean
get_int (JsonObject  *request,
         const char  *name,
         gint64       fallback,
         gint64      *value,
         GError     **error)
{
  if (!json_object_has_member (request, name))
    {
      *value = fallback;
      return TRUE;
    }
  if (!require_member (request, name, JSON_NODE_VALUE, G_TYPE_INT64, error))
    return FALSE;
  *value = json_object_get_int_member (request, name);
  return TRUE;
}

static gboolean
get_bool (JsonObject  *request,
          const char  *name,
          gboolean    *value,
          GError     **error)
{
  if (!require_member (request, name, JSON_NODE_VALUE, G_TYPE_BOOLEAN, error))
    return FALSE;
  *value = json_object_get_boolean_member (request, name);
  return TRUE;
}

static HxSymbol *
get_symbol (HxExchange  *exchange,
            JsonObject  *request,
            GError     **error)
{
  const char *code = get_string (request, "code", error);
  HxSymbol *symbol;

  if (code == NULL)
    return NULL;
  symbol = hx_market_lookup (hx_exchange_get_market (exchange), code);
  if (symbol == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "unknown code “%s”", code);
  return symbol;
}

static void
add_int (JsonBuilder *reply,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (reply, name);
  json_builder_add_int_value (reply, value);
}

static void
add_string (JsonBuilder *reply,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (reply, name);
  json_builder_add_string_value (reply, value);
}

static gboolean
cmd_status (HxExchange   *exchange,
            JsonObject   *request,
            JsonBuilder  *reply,
            GError      **error)
{
  HxClock *clock = hx_exchange_get_clock (exchange);
  HxAccount *account = hx_exchange_get_account (exchange);
  g_autoptr(GDateTime) now = hx_clock_now (clock);
  g_autoptr(GPtrArray) orders = hx_account_list_orders (account);
  g_autoptr(GPtrArray) fills = hx_account_list_fills (account);
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d%H%M%S");
  gint64 commission = 0;
  gint64 tax = 0;

  for (guint i = 0; i < fills->len; i++)
    {
      const HxFill *fill = g_ptr_array_index (fills, i);

      commission += fill->commission;
      tax += fill->tax;
    }

  add_int (reply, "sessions", hx_ws_get_n_sessions (hx_exchange_get_ws (exchange)));
  add_int (reply, "logged_in", hx_ws_get_n_logged_in (hx_exchange_get_ws (exchange)));
  add_int (reply, "symbols", hx_market_get_n_symbols (hx_exchange_get_market (exchange)));
  add_int (reply, "orders", orders->len);
  add_int (reply, "fills", fills->len);
  add_int (reply, "cash", hx_account_get_cash (account));
  add_int (reply, "realized_pnl", hx_account_get_realized_pnl (account));
  add_int (reply, "commission", commission);
  add_int (reply, "tax", tax);
  add_string (reply, "clock", stamp);
  add_string (reply, "phase", hoga_krx_phase_to_string (hx_clock_get_phase (clock)));
  return TRUE;
}

static gboolean
cmd_market (HxExchange   *exchange,
            JsonObject   *request,
            JsonBuilder  *reply,
            GError      **error)
{
  HxMarket *market = hx_exchange_get_market (exchange);
  const HxOptions *options = hx_exchange_get_options (exchange);
  gboolean running;

  if (!get_bool (request, "running", &running, error))
    return FALSE;

  if (!running)
    hx_market_stop (market);
  else if (!hx_market_is_running (market))
    hx_market_start (market, options->trades_per_second > 0 ? options->trades_per_second : 50);
  return TRUE;
}

static gboolean
cmd_trade (HxExchange   *exchange,
           JsonObject   *request,
           JsonBuilder  *reply,
           GError      **error)
{
  HxSymbol *symbol = get_symbol (exchange, request, error);
  gint64 price;
  gint64 qty;

  if (symbol == NULL
      || !get_int (request, "price", 0, &price, error)
      || !get_int (request, "qty", 1, &qty, error))
    return FALSE;
  if (price <= 0 || qty == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "“price” must be positive and “qty” non-zero");
      return FALSE;
    }

  hx_market_trade (hx_exchange_get_market (exchange), symbol, price, qty);
  add_int (reply, "price", symbol->last);
  return TRUE;
}

static gboolean
cmd_path (HxExchange   *exchange,
          JsonObject   *request,
          JsonBuilder  *reply,
          GError      **error)
{
  HxSymbol *symbol = get_symbol (exchange, request, error);
  g_autoptr(GArray) prices = NULL;
  JsonArray *array;
  gint64 qty;
  gint64 interval_ms;

  if (symbol == NULL
      || !require_member (request, "prices", JSON_NODE_ARRAY, G_TYPE_INVALID, error)
      || !get_int (request, "qty", 1, &qty, error)
      || !get_int (request, "interval_ms", 10, &interval_ms, error))
    return FALSE;

  array = json_object_get_array_member (request, "prices");
  if (json_array_get_length (array) == 0 || json_array_get_length (array) > MAX_PATH_PRICES
      || qty == 0 || interval_ms < 0 || interval_ms > 60000)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "“prices” needs 1 to 100000 prices, “qty” non-zero, "
                           "“interval_ms” 0 to 60000");
      return FALSE;
    }

  prices = g_array_sized_new (FALSE, FALSE, sizeof (gint64), json_array_get_length (array));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      gint64 price;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
          || (price = json_node_get_int (node)) <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "prices[%u] is not a positive integer", i);
          return FALSE;
        }
      g_array_append_val (prices, price);
    }

  hx_market_play_path (hx_exchange_get_market (exchange), symbol,
                       (const gint64 *)(gpointer)prices->data, prices->len, qty, interval_ms);
  add_int (reply, "queued", prices->len);
  return TRUE;
}

static gboolean
cmd_scripted (HxExchange   *exchange,
              JsonObject   *request,
              JsonBuilder  *reply,
              GError      **error)
{
  HxSymbol *symbol = get_symbol (exchange, request, error);
  gboolean on;

  if (symbol == NULL || !get_bool (request, "on", &on, error))
    return FALSE;
  hx_market_set_scripted (hx_exchange_get_market (exchange), symbol, on);
  return TRUE;
}

static gboolean
cmd_condition (HxExchange   *exchange,
               JsonObject   *request,
               JsonBuilder  *reply,
               GError      **error)
{
  const char *seq = get_string (request, "seq", error);
  const char *code = seq != NULL ? get_string (request, "code", error) : NULL;
  const char *event = code != NULL ? get_string (request, "event", error) : NULL;

  if (event == NULL)
    return FALSE;
  if (g_strcmp0 (event, "I") != 0 && g_strcmp0 (event, "D") != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "“event” must be “I” or “D”");
      return FALSE;
    }
  return hx_conditions_force (hx_exchange_get_conditions (exchange), seq, code,
                              event[0] == 'I', error);
}

static gboolean
cmd_conditions_auto (HxExchange   *exchange,
                     JsonObject   *request,
                     JsonBuilder  *reply,
                     GError      **error)
{
  gboolean on;

  if (!get_bool (request, "on", &on, error))
    return FALSE;
  hx_conditions_set_automatic (hx_exchange_get_conditions (exchange), on);
  return TRUE;
}

static gboolean
parse_outcome (const char     *name,
               HxOrderOutcome *outcome)
{
  static const struct { const char *name; HxOrderOutcome outcome; } outcomes[] = {
    { "normal", HX_OUTCOME_NORMAL },
    { "fill", HX_OUTCOME_FILL },
    { "partial", HX_OUTCOME_PARTIAL },
    { "rest", HX_OUTCOME_REST },
    { "reject-event", HX_OUTCOME_REJECT_EVENT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      if (g_strcmp0 (name, outcomes[i].name) == 0)
        {
          *outcome = outcomes[i].outcome;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
cmd_order_outcome (HxExchange   *exchange,
                   JsonObject   *request,
                   JsonBuilder  *reply,
                   GError      **error)
{
  const char *name = get_string (request, "outcome", error);
  HxOrderOutcome outcome;
  gint64 count;
  gint64 qty;

  if (name == NULL
      || !get_int (request, "count", 1, &count, error)
      || !get_int (request, "qty", 0, &qty, error))
    return FALSE;
  if (!parse_outcome (name, &outcome))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "unknown outcome “%s” (normal, fill, partial, rest, reject-event)", name);
      return FALSE;
    }
  if (count < 1 || count > 10000 || qty < 0 || (outcome == HX_OUTCOME_PARTIAL && qty == 0))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "“count” must be 1 to 10000 and “qty” positive for partial");
      return FALSE;
    }

  hx_account_script_outcome (hx_exchange_get_account (exchange), outcome, qty, count);
  return TRUE;
}

static gboolean
cmd_fault (HxExchange   *exchange,
           JsonObject   *request,
           JsonBuilder  *reply,
           GError      **error)
{
  HxFaults *faults = hx_exchange_get_faults (exchange);
  HxWs *ws = hx_exchange_get_ws (exchange);
  const char *name = get_string (request, "name", error);
  gint64 value;

  if (name == NULL)
    return FALSE;

  if (g_str_equal (name, "drop-ws"))
    hx_ws_drop_all (ws);
  else if (g_str_equal (name, "kick"))
    hx_ws_kick_all (ws);
  else if (g_str_equal (name, "invalidate-tokens"))
    hx_auth_invalidate_all (hx_exchange_get_auth (exchange));
  else if (g_str_equal (name, "stop-pings"))
    return get_bool (request, "on", &faults->stop_pings, error);
  else if (g_str_equal (name, "ws-silent"))
    return get_bool (request, "on", &faults->ws_silent, error);
  else if (g_str_equal (name, "hold-ticks"))
    return get_bool (request, "on", &faults->hold_ticks, error);
  else if (g_str_equal (name, "string-return-codes"))
    return get_bool (request, "on", &faults->string_return_codes, error);
  else if (g_str_equal (name, "rest-hang"))
    {
      if (!get_bool (request, "on", &faults->rest_hang, error))
        return FALSE;
      if (!faults->rest_hang)
        hx_rest_release_hung (hx_exchange_get_rest (exchange));
    }
  else if (g_str_equal (name, "malformed"))
    {
      const char *kind = get_string (request, "kind", error);

      return kind != NULL && hx_ws_inject_malformed (ws, kind, error);
    }
  else if (g_str_equal (name, "rest-delay"))
    {
      if (!get_int (request, "ms", 0, &value, error))
        return FALSE;
      if (value < 0 || value > 600000)
        goto bad_value;
      faults->rest_delay_ms = value;
    }
  else if (g_str_equal (name, "reject-orders"))
    {
      if (!get_int (request, "count", 1, &value, error))
        return FALSE;
      if (value < 0 || value > 100000)
        goto bad_value;
      faults->reject_orders = value;
    }
  else if (g_str_equal (name, "rate-limit-status"))
    {
      if (!get_int (request, "status", 429, &value, error))
        return FALSE;
      if (value != 200 && value != 429)
        goto bad_value;
      faults->rate_limit_status = value;
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "unknown fault “%s”", name);
      return FALSE;
    }

  g_message ("fault %s applied", name);
  return TRUE;

bad_value:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "value out of range for fault “%s”", name);
  return FALSE;
}

static gboolean
cmd_session_event (HxExchange   *exchange,
                   JsonObject   *request,
                   JsonBuilder  *reply,
                   GError      **error)
{
  const char *code = get_string (request, "code", error);

  if (code == NULL)
    return FALSE;
  if (strlen (code) != 1 || !g_ascii_isalnum (code[0]))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "“code” is one letter or digit (FID 215)");
      return FALSE;
    }
  hx_ws_push_session_event (hx_exchange_get_ws (exchange), code);
  return TRUE;
}

static gboolean
cmd_flood (HxExchange   *exchange,
           JsonObject   *request,
           JsonBuilder  *reply,
           GError      **error)
{
  HxSymbol *symbol = get_symbol (exchange, request, error);
  gint64 count;

  if (symbol == NULL || !get_int (request, "count", 100000, &count, error))
    return FALSE;
  if (count < 1 || count > G_GINT64_CONSTANT (100000000))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "“count” must be 1 to 100000000");
      return FALSE;
    }
  hx_ws_flood (hx_exchange_get_ws (exchange), symbol->code, count);
  add_int (reply, "sessions", hx_ws_get_n_logged_in (hx_exchange_get_ws (exchange)));
  return TRUE;
}

static gboolean
cmd_set_cash (HxExchange   *exchange,
              JsonObject   *request,
              JsonBuilder  *reply,
              GError      **error)
{
  gint64 amount;

  if (!require_member (request, "amount", JSON_NODE_VALUE, G_TYPE_INT64, error)
      || !get_int (request, "amount", 0, &amount, error))
    return FALSE;
  if (amount < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "“amount” must not be negative");
      return FALSE;
    }
  hx_account_set_cash (hx_exchange_get_account (exchange), amount);
  return TRUE;
}

static const char *
order_kind_name (HxOrderKind kind)
{
  switch (kind)
    {
    case HX_ORDER_NEW:    return "new";
    case HX_ORDER_MODIFY: return "modify";
    case HX_ORDER_CANCEL: return "cancel";
    default:              g_assert_not_reached ();
    }
}

static const char *
order_state_name (HxOrderState state)
{
  switch (state)
    {
    case HX_ORDER_STATE_WORKING:   return "working";
    case HX_ORDER_STATE_PARTIAL:   return "partial";
    case HX_ORDER_STATE_FILLED:    return "filled";
    case HX_ORDER_STATE_CANCELLED: return "cancelled";
    case HX_ORDER_STATE_REJECTED:  return "rejected";
    case HX_ORDER_STATE_CONFIRMED: return "confirmed";
    default:                       g_assert_not_reached ();
    }
}

static gboolean
cmd_orders (HxExchange   *exchange,
            JsonObject   *request,
            JsonBuilder  *reply,
            GError      **error)
{
  g_autoptr(GPtrArray) orders = hx_account_list_orders (hx_exchange_get_account (exchange));

  json_builder_set_member_name (reply, "orders");
  json_builder_begin_array (reply);
  for (guint i = 0; i < orders->len; i++)
    {
      const HxOrder *order = g_ptr_array_index (orders, i);

      json_builder_begin_object (reply);
      add_string (reply, "ord_no", order->ord_no);
      add_string (reply, "orig_ord_no", order->orig_ord_no);
      add_string (reply, "root_ord_no", order->root_ord_no);
      add_string (reply, "kind", order_kind_name (order->kind));
      add_string (reply, "side", order->side == HX_SIDE_BUY ? "buy" : "sell");
      add_string (reply, "code", order->symbol->code);
      add_int (reply, "qty", order->qty);
      add_int (reply, "price", order->price);
      add_string (reply, "trde_tp", order->trde_tp);
      add_int (reply, "filled_qty", order->filled_qty);
      add_int (reply, "remaining_qty", order->remaining_qty);
      add_string (reply, "state", order_state_name (order->state));
      json_builder_end_object (reply);
    }
  json_builder_end_array (reply);
  return TRUE;
}

static gboolean
cmd_holdings (HxExchange   *exchange,
              JsonObject   *request,
              JsonBuilder  *reply,
              GError      **error)
{
  g_autoptr(GPtrArray) holdings = hx_account_list_holdings (hx_exchange_get_account (exchange));

  json_builder_set_member_name (reply, "holdings");
  json_builder_begin_array (reply);
  for (guint i = 0; i < holdings->len; i++)
    {
      const HxHolding *holding = g_ptr_array_index (holdings, i);

      json_builder_begin_object (reply);
      add_string (reply, "code", holding->symbol->code);
      add_int (reply, "qty", holding->qty);
      add_int (reply, "avg_price", holding->avg_price);
      json_builder_end_object (reply);
    }
  json_builder_end_array (reply);
  return TRUE;
}

static const Command commands[] = {
  { "status", cmd_status },
  { "market", cmd_market },
  { "trade", cmd_trade },
  { "path", cmd_path },
  { "scripted", cmd_scripted },
  { "condition", cmd_condition },
  { "conditions-auto", cmd_conditions_auto },
  { "order-outcome", cmd_order_outcome },
  { "fault", cmd_fault },
  { "session-event", cmd_session_event },
  { "flood", cmd_flood },
  { "set-cash", cmd_set_cash },
  { "orders", cmd_orders },
  { "holdings", cmd_holdings },
};

static gboolean
peer_is_loopback (SoupServerMessage *msg)
{
  GSocketAddress *address = soup_server_message_get_remote_address (msg);

  return G_IS_INET_SOCKET_ADDRESS (address)
         && g_inet_address_get_is_loopback (
              g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
}

static JsonObject *
parse_request (SoupServerMessage  *msg,
               GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "the body must be a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static gboolean
run_command (HxExchange   *exchange,
             JsonObject   *request,
             JsonBuilder  *reply,
             GError      **error)
{
  const char *name = get_string (request, "cmd", error);

  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (name, commands[i].name))
        return commands[i].func (exchange, request, reply, error);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "unknown cmd “%s”", name);
  return FALSE;
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         JsonBuilder       *reply)
{
  g_autoptr(JsonNode) root = json_builder_get_root (reply);
  g_autofree char *text = json_to_string (root, FALSE);
  gsize length = strlen (text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json;charset=UTF-8", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

static void
control_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  HxExchange *exchange = user_data;
  g_autoptr(JsonBuilder) reply = json_builder_new ();
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(GError) error = NULL;
  guint status = SOUP_STATUS_OK;
  gboolean ok = FALSE;

  json_builder_begin_object (reply);

  if (!peer_is_loopback (msg))
    {
      status = SOUP_STATUS_FORBIDDEN;
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           "the control endpoint serves loopback peers only");
    }
  else if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    {
      status = SOUP_STATUS_METHOD_NOT_ALLOWED;
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "use POST");
    }
  else if ((request = parse_request (msg, &error)) != NULL)
    ok = run_command (exchange, request, reply, &error);

  if (!ok && status == SOUP_STATUS_OK)
    status = SOUP_STATUS_BAD_REQUEST;

  json_builder_set_member_name (reply, "ok");
  json_builder_add_boolean_value (reply, ok);
  if (!ok)
    {
      add_string (reply, "error", error->message);
      g_message ("control: %s", error->message);
    }
  json_builder_end_object (reply);

  respond (msg, status, reply);
}

void
hx_control_register (HxExchange *exchange,
                     SoupServer *server)
{
  g_return_if_fail (HX_IS_EXCHANGE (exchange));
  g_return_if_fail (SOUP_IS_SERVER (server));

  soup_server_add_handler (server, HX_CONTROL_PATH, control_cb, exchange, NULL);
}
