/* kiwoom-broker.c — HogaBroker for Kiwoom Securities: REST + WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A thin adapter: the REST client does tokens, rate limits and errors, the socket does
 * the session and realtime events, kiwoom-tr translates TR bodies and replies. This file
 * only maps the port's calls onto them and re-emits the socket's events as the port's.
 */
#define G_LOG_DOMAIN "hoga-kiwoom"

#include "config.h"

#include "kiwoom-broker.h"
#include "kiwoom-tr.h"

struct _KiwoomBroker
{
  GObject       parent_instance;

  KiwoomRest   *rest;
  KiwoomSocket *socket;
  HogaVenue     venue;
};

static void hoga_broker_iface_init (HogaBrokerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KiwoomBroker, kiwoom_broker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HOGA_TYPE_BROKER, hoga_broker_iface_init))

enum {
  PROP_0,
  PROP_STATE,
  PROP_LATENCY_US,
  N_PROPS
};

/* The port's signal ids, looked up once so forwarding a tick costs one emission. */
enum {
  TICK,
  DEPTH,
  CONDITION_EVENT,
  ORDER_EVENT,
  BALANCE_EVENT,
  SESSION_EVENT,
  REARMED,
  PROBLEM,
  N_PORT_SIGNALS
};

static const char * const port_signal_names[N_PORT_SIGNALS] = {
  "tick", "depth", "condition-event", "order-event", "balance-event", "session-event",
  "rearmed", "problem",
};
static guint port_signals[N_PORT_SIGNALS];

typedef enum {
  OP_STOCK_INFO,
  OP_ORDER,
  OP_BALANCE,
  OP_DEPOSIT,
  OP_UNFILLED,
  OP_FILLED,
} Op;

/* ---------------------------------------------------------------------------------- */
/* Forwarding                                                                           */

/* Connected swapped: the broker comes first, the event second. */
#define DEFINE_FORWARDER(name, SIGNAL, Type)                            \
  static void                                                           \
  forward_##name##_cb (KiwoomBroker *self,                              \
                       Type         *event)                             \
  {                                                                     \
    g_signal_emit (self, port_signals[SIGNAL], 0, event);               \
  }

DEFINE_FORWARDER (tick, TICK, HogaTick)
DEFINE_FORWARDER (depth, DEPTH, HogaDepth)
DEFINE_FORWARDER (condition_event, CONDITION_EVENT, HogaConditionEvent)
DEFINE_FORWARDER (order_event, ORDER_EVENT, HogaOrderEvent)
DEFINE_FORWARDER (balance_event, BALANCE_EVENT, HogaBalanceEvent)
DEFINE_FORWARDER (session_event, SESSION_EVENT, HogaSessionEvent)
DEFINE_FORWARDER (problem, PROBLEM, GError)

static void
forward_rearmed_cb (KiwoomBroker *self)
{
  g_signal_emit (self, port_signals[REARMED], 0);
}

static void
socket_notify_cb (KiwoomBroker *self,
                  GParamSpec   *pspec)
{
  if (g_str_equal (pspec->name, "state"))
    g_object_notify (G_OBJECT (self), "state");
  else if (g_str_equal (pspec->name, "latency-us"))
    g_object_notify (G_OBJECT (self), "latency-us");
}

/* ---------------------------------------------------------------------------------- */
/* REST operations                                                                      */

static void
rest_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  Op op = GPOINTER_TO_UINT (g_task_get_task_data (task));

  reply = kiwoom_rest_call_finish (KIWOOM_REST (source), result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  switch (op)
    {
    case OP_STOCK_INFO:
      {
        g_autofree HogaStockInfo *info = g_new0 (HogaStockInfo, 1);

        if (kiwoom_tr_parse_stock_info (reply, info, &error))
          g_task_return_pointer (task, g_steal_pointer (&info), g_free);
      }
      break;

    case OP_ORDER:
      {
        g_autofree HogaOrderReceipt *receipt = g_new0 (HogaOrderReceipt, 1);

        /* The order was accepted even if its receipt is unreadable: that is an unknown
         * outcome for the order book, never a failure it could retry. */
        if (kiwoom_tr_parse_receipt (reply, receipt, &error))
          g_task_return_pointer (task, g_steal_pointer (&receipt), g_free);
        else
          error->code = HOGA_BROKER_ERROR_OUTCOME_UNKNOWN;
      }
      break;

    case OP_BALANCE:
      {
        HogaBalance *balance = kiwoom_tr_parse_balance (reply, &error);

        if (balance != NULL)
          g_task_return_pointer (task, balance, (GDestroyNotify)hoga_balance_free);
      }
      break;

    case OP_DEPOSIT:
      {
        g_autofree HogaDeposit *deposit = g_new0 (HogaDeposit, 1);

        if (kiwoom_tr_parse_deposit (reply, deposit, &error))
          g_task_return_pointer (task, g_steal_pointer (&deposit), g_free);
      }
      break;

    case OP_UNFILLED:
    case OP_FILLED:
      {
        GPtrArray *orders = kiwoom_tr_parse_orders (reply, op == OP_FILLED, &error);

        if (orders != NULL)
          g_task_return_pointer (task, orders, (GDestroyNotify)g_ptr_array_unref);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
call (KiwoomBroker        *self,
      Op                   op,
      gpointer             source_tag,
      const char          *api_id,
      const char          *path,
      JsonObject          *body,
      const char          *list_key,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, GUINT_TO_POINTER (op), NULL);
  kiwoom_rest_call_async (self->rest, api_id, path, body, list_key, 0,
                          op == OP_ORDER ? KIWOOM_CALL_ORDER : KIWOOM_CALL_NONE,
                          cancellable, rest_done_cb, task);
}

static JsonObject *
object_of (const char *first_name,
           ...)
{
  JsonObject *object = json_object_new ();
  const char *name = first_name;
  va_list args;

  va_start (args, first_name);
  for (; name != NULL; name = va_arg (args, const char *))
    json_object_set_string_member (object, name, va_arg (args, const char *));
  va_end (args);
  return object;
}

static gpointer
finish_pointer (KiwoomBroker  *self,
                GAsyncResult  *result,
                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
kiwoom_broker_stock_info_async (HogaBroker          *broker,
                                const char          *code,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonObject) body = object_of ("stk_cd", code, NULL);

  call (KIWOOM_BROKER (broker), OP_STOCK_INFO, kiwoom_broker_stock_info_async, "ka10001",
        KIWOOM_PATH_STKINFO, body, NULL, cancellable, callback, user_data);
}

static HogaStockInfo *
kiwoom_broker_stock_info_finish (HogaBroker    *broker,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_pointer (KIWOOM_BROKER (broker), result, error);
}

static void
kiwoom_broker_place_order_async (HogaBroker             *broker,
                                 const HogaOrderRequest *request,
                                 GCancellable           *cancellable,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  KiwoomBroker *self = KIWOOM_BROKER (broker);
  g_autoptr(JsonObject) body = NULL;
  HogaOrderRequest routed = *request;
  const char *api_id = NULL;

  if (routed.venue == HOGA_VENUE_KRX)
    routed.venue = self->venue;
  body = kiwoom_tr_order_body (&routed, &api_id);
  call (self, OP_ORDER, kiwoom_broker_place_order_async, api_id, KIWOOM_PATH_ORDER, body,
        NULL, cancellable, callback, user_data);
}

static void
kiwoom_broker_modify_order_async (HogaBroker          *broker,
                                  const char          *orig_ord_no,
                                  const char          *code,
                                  gint64               qty,
                                  gint64               price,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  KiwoomBroker *self = KIWOOM_BROKER (broker);
  g_autoptr(JsonObject) body = kiwoom_tr_modify_body (orig_ord_no, code, qty, price,
                                                      self->venue);

  call (self, OP_ORDER, kiwoom_broker_modify_order_async, "kt10002", KIWOOM_PATH_ORDER, body,
        NULL, cancellable, callback, user_data);
}

static void
kiwoom_broker_cancel_order_async (HogaBroker          *broker,
                                  const char          *orig_ord_no,
                                  const char          *code,
                                  gint64               qty,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  KiwoomBroker *self = KIWOOM_BROKER (broker);
  g_autoptr(JsonObject) body = kiwoom_tr_cancel_body (orig_ord_no, code, qty, self->venue);

  call (self, OP_ORDER, kiwoom_broker_cancel_order_async, "kt10003", KIWOOM_PATH_ORDER, body,
        NULL, cancellable, callback, user_data);
}

static HogaOrderReceipt *
kiwoom_broker_order_finish (HogaBroker    *broker,
                            GAsyncResult  *result,
                            GError       **error)
{
  return finish_pointer (KIWOOM_BROKER (broker), result, error);
}

static void
kiwoom_broker_balance_async (HogaBroker          *broker,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonObject) body = object_of ("qry_tp", "1", "dmst_stex_tp", "KRX", NULL);

  call (KIWOOM_BROKER (broker), OP_BALANCE, kiwoom_broker_balance_async, "kt00018",
        KIWOOM_PATH_ACCOUNT, body, "acnt_evlt_remn_indv_tot", cancellable, callback, user_data);
}

static HogaBalance *
kiwoom_broker_balance_finish (HogaBroker    *broker,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_pointer (KIWOOM_BROKER (broker), result, error);
}

static void
kiwoom_broker_deposit_async (HogaBroker          *broker,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonObject) body = object_of ("qry_tp", "3", NULL);

  call (KIWOOM_BROKER (broker), OP_DEPOSIT, kiwoom_broker_deposit_async, "kt00001",
        KIWOOM_PATH_ACCOUNT, body, NULL, cancellable, callback, user_data);
}

static HogaDeposit *
kiwoom_broker_deposit_finish (HogaBroker    *broker,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_pointer (KIWOOM_BROKER (broker), result, error);
}

static void
kiwoom_broker_orders_async (HogaBroker          *broker,
                            gboolean             filled,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(JsonObject) body = NULL;

  if (filled)
    {
      body = object_of ("stk_cd", "", "qry_tp", "0", "sell_tp", "0", "ord_no", "",
                        "stex_tp", "0", NULL);
      call (KIWOOM_BROKER (broker), OP_FILLED, kiwoom_broker_orders_async, "ka10076",
            KIWOOM_PATH_ACCOUNT, body, "cntr", cancellable, callback, user_data);
    }
  else
    {
      body = object_of ("all_stk_tp", "0", "trde_tp", "0", "stk_cd", "", "stex_tp", "0",
                        NULL);
      call (KIWOOM_BROKER (broker), OP_UNFILLED, kiwoom_broker_orders_async, "ka10075",
            KIWOOM_PATH_ACCOUNT, body, "oso", cancellable, callback, user_data);
    }
}

static GPtrArray *
kiwoom_broker_orders_finish (HogaBroker    *broker,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_pointer (KIWOOM_BROKER (broker), result, error);
}

/* ---------------------------------------------------------------------------------- */
/* Session and realtime (the socket)                                                    */

static void
kiwoom_broker_start (HogaBroker *broker)
{
  kiwoom_socket_start (KIWOOM_BROKER (broker)->socket);
}

static void
kiwoom_broker_stop (HogaBroker *broker)
{
  kiwoom_socket_stop (KIWOOM_BROKER (broker)->socket);
}

static HogaConnectionState
kiwoom_broker_get_state (HogaBroker *broker)
{
  return kiwoom_socket_get_state (KIWOOM_BROKER (broker)->socket);
}

static void
kiwoom_broker_subscribe (HogaBroker         *broker,
                         const char * const *codes)
{
  kiwoom_socket_subscribe (KIWOOM_BROKER (broker)->socket, codes);
}

static void
kiwoom_broker_unsubscribe (HogaBroker         *broker,
                           const char * const *codes)
{
  kiwoom_socket_unsubscribe (KIWOOM_BROKER (broker)->socket, codes);
}

static void
socket_task_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gpointer value;

  if (g_task_get_source_tag (task) == hoga_broker_list_conditions_async)
    {
      value = kiwoom_socket_list_conditions_finish (KIWOOM_SOCKET (source), result, &error);
      if (value != NULL)
        g_task_return_pointer (task, value, (GDestroyNotify)g_ptr_array_unref);
    }
  else
    {
      value = kiwoom_socket_start_condition_finish (KIWOOM_SOCKET (source), result, &error);
      if (value != NULL)
        g_task_return_pointer (task, value, (GDestroyNotify)g_strfreev);
    }

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
kiwoom_broker_list_conditions_async (HogaBroker          *broker,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task = g_task_new (broker, cancellable, callback, user_data);

  g_task_set_source_tag (task, hoga_broker_list_conditions_async);
  kiwoom_socket_list_conditions_async (KIWOOM_BROKER (broker)->socket, cancellable,
                                       socket_task_done_cb, task);
}

static GPtrArray *
kiwoom_broker_list_conditions_finish (HogaBroker    *broker,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_pointer (KIWOOM_BROKER (broker), result, error);
}

static void
kiwoom_broker_start_condition_async (HogaBroker          *broker,
                                     const char          *seq,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task = g_task_new (broker, cancellable, callback, user_data);

  g_task_set_source_tag (task, hoga_broker_start_condition_async);
  kiwoom_socket_start_condition_async (KIWOOM_BROKER (broker)->socket, seq, cancellable,
                                       socket_task_done_cb, task);
}

static char **
kiwoom_broker_start_condition_finish (HogaBroker    *broker,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return finish_pointer (KIWOOM_BROKER (broker), result, error);
}

static void
kiwoom_broker_stop_condition (HogaBroker *broker,
                              const char *seq)
{
  kiwoom_socket_stop_condition (KIWOOM_BROKER (broker)->socket, seq);
}

/* ---------------------------------------------------------------------------------- */
/* Object                                                                               */

static void
hoga_broker_iface_init (HogaBrokerInterface *iface)
{
  iface->start = kiwoom_broker_start;
  iface->stop = kiwoom_broker_stop;
  iface->get_state = kiwoom_broker_get_state;
  iface->subscribe = kiwoom_broker_subscribe;
  iface->unsubscribe = kiwoom_broker_unsubscribe;
  iface->list_conditions_async = kiwoom_broker_list_conditions_async;
  iface->list_conditions_finish = kiwoom_broker_list_conditions_finish;
  iface->start_condition_async = kiwoom_broker_start_condition_async;
  iface->start_condition_finish = kiwoom_broker_start_condition_finish;
  iface->stop_condition = kiwoom_broker_stop_condition;
  iface->stock_info_async = kiwoom_broker_stock_info_async;
  iface->stock_info_finish = kiwoom_broker_stock_info_finish;
  iface->place_order_async = kiwoom_broker_place_order_async;
  iface->modify_order_async = kiwoom_broker_modify_order_async;
  iface->cancel_order_async = kiwoom_broker_cancel_order_async;
  iface->order_finish = kiwoom_broker_order_finish;
  iface->balance_async = kiwoom_broker_balance_async;
  iface->balance_finish = kiwoom_broker_balance_finish;
  iface->deposit_async = kiwoom_broker_deposit_async;
  iface->deposit_finish = kiwoom_broker_deposit_finish;
  iface->orders_async = kiwoom_broker_orders_async;
  iface->orders_finish = kiwoom_broker_orders_finish;
}

static void
kiwoom_broker_dispose (GObject *object)
{
  KiwoomBroker *self = (KiwoomBroker *)object;

  if (self->socket != NULL)
    kiwoom_socket_stop (self->socket);
  g_clear_object (&self->socket);
  g_clear_object (&self->rest);

  G_OBJECT_CLASS (kiwoom_broker_parent_class)->dispose (object);
}

static void
kiwoom_broker_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KiwoomBroker *self = KIWOOM_BROKER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, kiwoom_socket_get_state (self->socket));
      break;

    case PROP_LATENCY_US:
      g_value_set_int64 (value, kiwoom_socket_get_latency_us (self->socket));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiwoom_broker_class_init (KiwoomBrokerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiwoom_broker_dispose;
  object_class->get_property = kiwoom_broker_get_property;

  g_object_class_override_property (object_class, PROP_STATE, "state");
  g_object_class_override_property (object_class, PROP_LATENCY_US, "latency-us");

  for (guint i = 0; i < N_PORT_SIGNALS; i++)
    port_signals[i] = g_signal_lookup (port_signal_names[i], HOGA_TYPE_BROKER);
}

static void
kiwoom_broker_init (KiwoomBroker *self)
{
  self->venue = HOGA_VENUE_KRX;
}

KiwoomBroker *
kiwoom_broker_new (const char *rest_url,
                   const char *ws_url,
                   const char *appkey,
                   const char *secretkey)
{
  KiwoomBroker *self;

  g_return_val_if_fail (rest_url != NULL && ws_url != NULL, NULL);
  g_return_val_if_fail (appkey != NULL && secretkey != NULL, NULL);

  self = g_object_new (KIWOOM_TYPE_BROKER, NULL);
  self->rest = kiwoom_rest_new (rest_url, appkey, secretkey);
  self->socket = kiwoom_socket_new (ws_url, self->rest);

  g_signal_connect_swapped (self->socket, "tick", G_CALLBACK (forward_tick_cb), self);
  g_signal_connect_swapped (self->socket, "depth", G_CALLBACK (forward_depth_cb), self);
  g_signal_connect_swapped (self->socket, "condition-event",
                            G_CALLBACK (forward_condition_event_cb), self);
  g_signal_connect_swapped (self->socket, "order-event",
                            G_CALLBACK (forward_order_event_cb), self);
  g_signal_connect_swapped (self->socket, "balance-event",
                            G_CALLBACK (forward_balance_event_cb), self);
  g_signal_connect_swapped (self->socket, "session-event",
                            G_CALLBACK (forward_session_event_cb), self);
  g_signal_connect_swapped (self->socket, "rearmed", G_CALLBACK (forward_rearmed_cb), self);
  g_signal_connect_swapped (self->socket, "problem", G_CALLBACK (forward_problem_cb), self);
  g_signal_connect_swapped (self->socket, "notify", G_CALLBACK (socket_notify_cb), self);

  return self;
}

KiwoomRest *
kiwoom_broker_get_rest (KiwoomBroker *self)
{
  g_return_val_if_fail (KIWOOM_IS_BROKER (self), NULL);
  return self->rest;
}

KiwoomSocket *
kiwoom_broker_get_socket (KiwoomBroker *self)
{
  g_return_val_if_fail (KIWOOM_IS_BROKER (self), NULL);
  return self->socket;
}

void
kiwoom_broker_set_venue (KiwoomBroker *self,
                         HogaVenue     venue)
{
  g_return_if_fail (KIWOOM_IS_BROKER (self));
  self->venue = venue;
}
