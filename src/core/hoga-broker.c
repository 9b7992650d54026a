/* hoga-broker.c — the broker port: event types and code normalisation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-broker"

#include "config.h"

#include <string.h>

#include "hoga-broker.h"

#define DEFINE_EVENT_BOXED(TypeName, type_name)                         \
  static TypeName *                                                     \
  type_name##_copy (const TypeName *event)                              \
  {                                                                     \
    return g_memdup2 (event, sizeof *event);                            \
  }                                                                     \
  G_DEFINE_BOXED_TYPE (TypeName, type_name, type_name##_copy, g_free)

DEFINE_EVENT_BOXED (HogaTick, hoga_tick)
DEFINE_EVENT_BOXED (HogaDepth, hoga_depth)
DEFINE_EVENT_BOXED (HogaConditionEvent, hoga_condition_event)
DEFINE_EVENT_BOXED (HogaOrderEvent, hoga_order_event)
DEFINE_EVENT_BOXED (HogaBalanceEvent, hoga_balance_event)
DEFINE_EVENT_BOXED (HogaSessionEvent, hoga_session_event)

gboolean
hoga_code_normalize (const char *code,
                     gssize      length,
                     char        out[HOGA_CODE_SIZE])
{
  const char *start;
  const char *end;
  const char *suffix;

  g_return_val_if_fail (out != NULL, FALSE);

  out[0] = '\0';
  if (code == NULL)
    return FALSE;
  if (length < 0)
    length = strlen (code);

  start = code;
  end = code + length;
  while (start < end && *start == ' ')
    start++;
  while (end > start && end[-1] == ' ')
    end--;

  /* Exchange suffixes: "005930_NX" (NXT), "005930_AL" (SOR). */
  suffix = memchr (start, '_', end - start);
  if (suffix != NULL)
    end = suffix;

  /* Account and condition outputs prefix KRX codes with "A": "A005930". */
  if (end - start == 7 && start[0] == 'A')
    start++;

  if (end - start < 1 || end - start > HOGA_CODE_SIZE - 1)
    return FALSE;
  for (const char *p = start; p < end; p++)
    {
      if (!g_ascii_isalnum (*p))
        return FALSE;
    }

  memcpy (out, start, end - start);
  out[end - start] = '\0';
  return TRUE;
}

G_DEFINE_QUARK (hoga-broker-error-quark, hoga_broker_error)

G_DEFINE_INTERFACE (HogaBroker, hoga_broker, G_TYPE_OBJECT)

void
hoga_balance_free (HogaBalance *balance)
{
  if (balance == NULL)
    return;
  g_clear_pointer (&balance->holdings, g_array_unref);
  g_free (balance);
}

static void
add_event_signal (GTypeInterface *iface,
                  const char     *name,
                  GType           event_type)
{
  /* Static scope: the struct lives on the adapter's stack; handlers must copy what they
   * keep. This keeps the tick path free of allocations. */
  g_signal_new (name,
                G_TYPE_FROM_INTERFACE (iface),
                G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL,
                G_TYPE_NONE, 1, event_type | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
hoga_broker_default_init (HogaBrokerInterface *iface)
{
  g_object_interface_install_property (iface,
    g_param_spec_int ("state", NULL, NULL,
                      HOGA_CONNECTION_OFFLINE, HOGA_CONNECTION_RECONNECTING,
                      HOGA_CONNECTION_OFFLINE,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  g_object_interface_install_property (iface,
    g_param_spec_int64 ("latency-us", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  add_event_signal ((GTypeInterface *)iface, "tick", HOGA_TYPE_TICK);
  add_event_signal ((GTypeInterface *)iface, "depth", HOGA_TYPE_DEPTH);
  add_event_signal ((GTypeInterface *)iface, "condition-event", HOGA_TYPE_CONDITION_EVENT);
  add_event_signal ((GTypeInterface *)iface, "order-event", HOGA_TYPE_ORDER_EVENT);
  add_event_signal ((GTypeInterface *)iface, "balance-event", HOGA_TYPE_BALANCE_EVENT);
  add_event_signal ((GTypeInterface *)iface, "session-event", HOGA_TYPE_SESSION_EVENT);

  g_signal_new ("rearmed",
                G_TYPE_FROM_INTERFACE (iface),
                G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL,
                G_TYPE_NONE, 0);
  g_signal_new ("problem",
                G_TYPE_FROM_INTERFACE (iface),
                G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL,
                G_TYPE_NONE, 1, G_TYPE_ERROR);
}

void
hoga_broker_start (HogaBroker *self)
{
  g_return_if_fail (HOGA_IS_BROKER (self));
  HOGA_BROKER_GET_IFACE (self)->start (self);
}

void
hoga_broker_stop (HogaBroker *self)
{
  g_return_if_fail (HOGA_IS_BROKER (self));
  HOGA_BROKER_GET_IFACE (self)->stop (self);
}

HogaConnectionState
hoga_broker_get_state (HogaBroker *self)
{
  g_return_val_if_fail (HOGA_IS_BROKER (self), HOGA_CONNECTION_OFFLINE);
  return HOGA_BROKER_GET_IFACE (self)->get_state (self);
}

void
hoga_broker_subscribe (HogaBroker         *self,
                       const char * const *codes)
{
  g_return_if_fail (HOGA_IS_BROKER (self));
  g_return_if_fail (codes != NULL);
  HOGA_BROKER_GET_IFACE (self)->subscribe (self, codes);
}

void
hoga_broker_unsubscribe (HogaBroker         *self,
                         const char * const *codes)
{
  g_return_if_fail (HOGA_IS_BROKER (self));
  g_return_if_fail (codes != NULL);
  HOGA_BROKER_GET_IFACE (self)->unsubscribe (self, codes);
}

void
hoga_broker_list_conditions_async (HogaBroker          *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (HOGA_IS_BROKER (self));
  HOGA_BROKER_GET_IFACE (self)->list_conditions_async (self, cancellable, callback, user_data);
}

GPtrArray *
hoga_broker_list_conditions_finish (HogaBroker    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (HOGA_IS_BROKER (self), NULL);
  return HOGA_BROKER_GET_IFACE (self)->list_conditions_finish (self, result, error);
}

void
hoga_broker_start_condition_async (HogaBroker          *self,
                                   const char          *seq,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (HOGA_IS_BROKER (self));
  g_return_if_fail (seq != NULL);
  HOGA_BROKER_GET_IFACE (self)->start_condition_async (self, seq, cancellable, callback,
                                                       user_data);
}

char **
hoga_broker_start_condition_finish (HogaBroker    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (HOGA_IS_BROKER (self), NULL);
  return HOGA_BROKER_GET_IFACE (self)->start_condition_finish (self, result, error);
}

void
hoga_broker_stop_condition (HogaBroker *self,
                            const char *seq)
{
  g_return_if_fail (HOGA_IS_BROKER (self));
  g_return_if_fail (seq != NULL);
  HOGA_BROKER_GET_IFACE (self)->stop_condition (self, seq);
}

void
hoga_broker_stock_info_async (HogaBroker          *self,
                              const char          *code,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (HOGA_IS_BROKER (self));
  g_return_if_fail (code != NULL);
  HOGA_BROKER_GET_IFACE (self)->stock_info_async (self, code, cancellable, callback, user_data);
}

HogaStockInfo *
hoga_broker_stock_info_finish (HogaBroker    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (HOGA_IS_BROKER (self), NULL);
  return HOGA_BROKER_GET_IFACE (self)->stock_info_finish (self, result, error);
}

void
hoga_broker_place_order_async (HogaBroker             *self,
                               const HogaOrderRequest *request,
                               GCancellable           *cancellable,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  g_return_if_fail (HOGA_IS_BROKER (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (request->qty > 0);
  HOGA_BROKER_GET_IFACE (self)->place_order_async (self, request, cancellable, callback,
                                                   user_data);
}

void
hoga_broker_modify_order_async (HogaBroker          *self,
                                const char          *orig_ord_no,
                                const char          *code,
                                gint64               qty,
                                gint64               price,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (HOGA_IS_BROKER (self));
  g_return_if_fail (orig_ord_no != NULL && code != NULL);
  HOGA_BROKER_GET_IFACE (self)->modify_order_async (self, orig_ord_no, code, qty, price,
                                                    cancellable, callback, user_data);
}

void
hoga_broker_cancel_order_async (HogaBroker          *self,
                                const char          *orig_ord_no,
                                const char          *code,
                                gint64               qty,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (HOGA_IS_BROKER (self));
  g_return_if_fail (orig_ord_no != NULL && code != NULL);
  HOGA_BROKER_GET_IFACE (self)->cancel_order_async (self, orig_ord_no, code, qty,
                                                    cancellable, callback, user_data);
}

HogaOrderReceipt *
hoga_broker_order_finish (HogaBroker    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (HOGA_IS_BROKER (self), NULL);
  return HOGA_BROKER_GET_IFACE (self)->order_finish (self, result, error);
}

void
hoga_broker_balance_async (HogaBroker          *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (HOGA_IS_BROKER (self));
  HOGA_BROKER_GET_IFACE (self)->balance_async (self, cancellable, callback, user_data);
}

HogaBalance *
hoga_broker_balance_finish (HogaBroker    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (HOGA_IS_BROKER (self), NULL);
  return HOGA_BROKER_GET_IFACE (self)->balance_finish (self, result, error);
}

void
hoga_broker_deposit_async (HogaBroker          *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (HOGA_IS_BROKER (self));
  HOGA_BROKER_GET_IFACE (self)->deposit_async (self, cancellable, callback, user_data);
}

HogaDeposit *
hoga_broker_deposit_finish (HogaBroker    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (HOGA_IS_BROKER (self), NULL);
  return HOGA_BROKER_GET_IFACE (self)->deposit_finish (self, result, error);
}

void
hoga_broker_orders_async (HogaBroker          *self,
                          gboolean             filled,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (HOGA_IS_BROKER (self));
  HOGA_BROKER_GET_IFACE (self)->orders_async (self, filled, cancellable, callback, user_data);
}

GPtrArray *
hoga_broker_orders_finish (HogaBroker    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (HOGA_IS_BROKER (self), NULL);
  return HOGA_BROKER_GET_IFACE (self)->orders_finish (self, result, error);
}

const char *
hoga_connection_state_to_string (HogaConnectionState state)
{
  switch (state)
    {
    case HOGA_CONNECTION_OFFLINE:      return "offline";
    case HOGA_CONNECTION_CONNECTING:   return "connecting";
    case HOGA_CONNECTION_ONLINE:       return "online";
    case HOGA_CONNECTION_RECONNECTING: return "reconnecting";
    default:                           return "unknown";
    }
}
