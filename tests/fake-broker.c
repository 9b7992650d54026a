/* fake-broker.c — a scriptable HogaBroker for tests of the engine's core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fake-broker"

#include "config.h"

#include <string.h>

#include "fake-broker.h"

typedef enum {
  STEP_RECEIPT,
  STEP_ERROR,
  STEP_HANG,
} StepKind;

typedef struct {
  StepKind          kind;
  HogaOrderReceipt  receipt;
  HogaBrokerError   code;
  char             *message;
} Step;

struct _FakeBroker
{
  GObject        parent_instance;

  GQueue         script;       /* Step* */
  GQueue         hung;         /* GTask* */
  GPtrArray     *calls;        /* FakeCall* */
  GArray        *rows[2];      /* HogaOrderSnapshot: [0] working, [1] filled */
  FakeOrderHook  hook;
  gpointer       hook_data;
};

static void fake_broker_iface_init (HogaBrokerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FakeBroker, fake_broker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HOGA_TYPE_BROKER, fake_broker_iface_init))

enum {
  PROP_0,
  PROP_STATE,
  PROP_LATENCY_US,
  N_PROPS
};

static void
step_free (Step *step)
{
  g_free (step->message);
  g_free (step);
}

static void
return_receipt (GTask      *task,
                const char *ord_no,
                const char *root_ord_no)
{
  HogaOrderReceipt *receipt = g_new0 (HogaOrderReceipt, 1);

  g_strlcpy (receipt->ord_no, ord_no, sizeof receipt->ord_no);
  g_strlcpy (receipt->root_ord_no, root_ord_no != NULL ? root_ord_no : ord_no,
             sizeof receipt->root_ord_no);
  g_strlcpy (receipt->message, "주문이 완료되었습니다", sizeof receipt->message);
  g_task_return_pointer (task, receipt, g_free);
}

static void
order_call (FakeBroker          *self,
            FakeCall            *call,
            gpointer             source_tag,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  Step *step;

  g_task_set_source_tag (task, source_tag);
  if (self->hook != NULL)
    self->hook (self, call, self->hook_data);
  g_ptr_array_add (self->calls, call);

  step = g_queue_pop_head (&self->script);
  if (step == NULL || step->kind == STEP_HANG)
    g_queue_push_tail (&self->hung, g_steal_pointer (&task));
  else if (step->kind == STEP_RECEIPT)
    return_receipt (task, step->receipt.ord_no, step->receipt.root_ord_no);
  else
    g_task_return_new_error (task, HOGA_BROKER_ERROR, step->code, "%s", step->message);
  if (step != NULL)
    step_free (step);
}

static void
fake_broker_start (HogaBroker *broker)
{
}

static void
fake_broker_stop (HogaBroker *broker)
{
}

static HogaConnectionState
fake_broker_get_state (HogaBroker *broker)
{
  return HOGA_CONNECTION_ONLINE;
}

static void
fake_broker_subscribe (HogaBroker         *broker,
                       const char * const *codes)
{
}

static void
report_offline (HogaBroker          *broker,
                gpointer             source_tag,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_task_report_new_error (broker, callback, user_data, source_tag, HOGA_BROKER_ERROR,
                           HOGA_BROKER_ERROR_NOT_CONNECTED, "the fake broker does not do this");
}

static void
fake_broker_list_conditions_async (HogaBroker          *broker,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  report_offline (broker, fake_broker_list_conditions_async, callback, user_data);
}

static void
fake_broker_start_condition_async (HogaBroker          *broker,
                                   const char          *seq,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  report_offline (broker, fake_broker_start_condition_async, callback, user_data);
}

static void
fake_broker_stop_condition (HogaBroker *broker,
                            const char *seq)
{
}

static void
fake_broker_stock_info_async (HogaBroker          *broker,
                              const char          *code,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  report_offline (broker, fake_broker_stock_info_async, callback, user_data);
}

static void
fake_broker_balance_async (HogaBroker          *broker,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  report_offline (broker, fake_broker_balance_async, callback, user_data);
}

static void
fake_broker_deposit_async (HogaBroker          *broker,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  report_offline (broker, fake_broker_deposit_async, callback, user_data);
}

/* One typed finish per result type: they all propagate the task's pointer. */
#define DEFINE_FINISH(name, Type)                                        \
  static Type                                                            \
  fake_broker_##name##_finish (HogaBroker    *broker,                    \
                               GAsyncResult  *result,                    \
                               GError       **error)                     \
  {                                                                      \
    g_return_val_if_fail (g_task_is_valid (result, broker), NULL);       \
    return g_task_propagate_pointer (G_TASK (result), error);            \
  }

DEFINE_FINISH (list_conditions, GPtrArray *)
DEFINE_FINISH (start_condition, char **)
DEFINE_FINISH (stock_info, HogaStockInfo *)
DEFINE_FINISH (order, HogaOrderReceipt *)
DEFINE_FINISH (balance, HogaBalance *)
DEFINE_FINISH (deposit, HogaDeposit *)
DEFINE_FINISH (orders, GPtrArray *)

static void
fake_broker_place_order_async (HogaBroker             *broker,
                               const HogaOrderRequest *request,
                               GCancellable           *cancellable,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  FakeCall *call = g_new0 (FakeCall, 1);

  call->kind = FAKE_CALL_PLACE;
  call->request = *request;
  order_call (FAKE_BROKER (broker), call, fake_broker_place_order_async, callback, user_data);
}

static void
fake_broker_modify_order_async (HogaBroker          *broker,
                                const char          *orig_ord_no,
                                const char          *code,
                                gint64               qty,
                                gint64               price,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  FakeCall *call = g_new0 (FakeCall, 1);

  call->kind = FAKE_CALL_MODIFY;
  g_strlcpy (call->orig_ord_no, orig_ord_no, sizeof call->orig_ord_no);
  g_strlcpy (call->code, code, sizeof call->code);
  call->qty = qty;
  call->price = price;
  order_call (FAKE_BROKER (broker), call, fake_broker_modify_order_async, callback, user_data);
}

static void
fake_broker_cancel_order_async (HogaBroker          *broker,
                                const char          *orig_ord_no,
                                const char          *code,
                                gint64               qty,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  FakeCall *call = g_new0 (FakeCall, 1);

  call->kind = FAKE_CALL_CANCEL;
  g_strlcpy (call->orig_ord_no, orig_ord_no, sizeof call->orig_ord_no);
  g_strlcpy (call->code, code, sizeof call->code);
  call->qty = qty;
  order_call (FAKE_BROKER (broker), call, fake_broker_cancel_order_async, callback, user_data);
}

static void
fake_broker_orders_async (HogaBroker          *broker,
                          gboolean             filled,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  FakeBroker *self = FAKE_BROKER (broker);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  GArray *source = self->rows[filled ? 1 : 0];
  FakeCall *call = g_new0 (FakeCall, 1);

  call->kind = FAKE_CALL_ORDERS;
  call->filled = filled;
  g_ptr_array_add (self->calls, call);

  for (guint i = 0; i < source->len; i++)
    g_ptr_array_add (rows, g_memdup2 (&g_array_index (source, HogaOrderSnapshot, i),
                                      sizeof (HogaOrderSnapshot)));
  g_task_set_source_tag (task, fake_broker_orders_async);
  g_task_return_pointer (task, rows, (GDestroyNotify)g_ptr_array_unref);
}

static void
fake_broker_iface_init (HogaBrokerInterface *iface)
{
  iface->start = fake_broker_start;
  iface->stop = fake_broker_stop;
  iface->get_state = fake_broker_get_state;
  iface->subscribe = fake_broker_subscribe;
  iface->unsubscribe = fake_broker_subscribe;
  iface->list_conditions_async = fake_broker_list_conditions_async;
  iface->list_conditions_finish = fake_broker_list_conditions_finish;
  iface->start_condition_async = fake_broker_start_condition_async;
  iface->start_condition_finish = fake_broker_start_condition_finish;
  iface->stop_condition = fake_broker_stop_condition;
  iface->stock_info_async = fake_broker_stock_info_async;
  iface->stock_info_finish = fake_broker_stock_info_finish;
  iface->place_order_async = fake_broker_place_order_async;
  iface->modify_order_async = fake_broker_modify_order_async;
  iface->cancel_order_async = fake_broker_cancel_order_async;
  iface->order_finish = fake_broker_order_finish;
  iface->balance_async = fake_broker_balance_async;
  iface->balance_finish = fake_broker_balance_finish;
  iface->deposit_async = fake_broker_deposit_async;
  iface->deposit_finish = fake_broker_deposit_finish;
  iface->orders_async = fake_broker_orders_async;
  iface->orders_finish = fake_broker_orders_finish;
}

static void
fake_broker_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, HOGA_CONNECTION_ONLINE);
      break;
    case PROP_LATENCY_US:
      g_value_set_int64 (value, 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fake_broker_finalize (GObject *object)
{
  FakeBroker *self = FAKE_BROKER (object);

  g_queue_clear_full (&self->script, (GDestroyNotify)step_free);
  g_queue_clear_full (&self->hung, g_object_unref);
  g_ptr_array_unref (self->calls);
  g_array_unref (self->rows[0]);
  g_array_unref (self->rows[1]);

  G_OBJECT_CLASS (fake_broker_parent_class)->finalize (object);
}

static void
fake_broker_class_init (FakeBrokerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fake_broker_finalize;
  object_class->get_property = fake_broker_get_property;

  g_object_class_override_property (object_class, PROP_STATE, "state");
  g_object_class_override_property (object_class, PROP_LATENCY_US, "latency-us");
}

static void
fake_broker_init (FakeBroker *self)
{
  g_queue_init (&self->script);
  g_queue_init (&self->hung);
  self->calls = g_ptr_array_new_with_free_func (g_free);
  self->rows[0] = g_array_new (FALSE, TRUE, sizeof (HogaOrderSnapshot));
  self->rows[1] = g_array_new (FALSE, TRUE, sizeof (HogaOrderSnapshot));
}

FakeBroker *
fake_broker_new (void)
{
  return g_object_new (FAKE_TYPE_BROKER, NULL);
}

void
fake_broker_push_receipt (FakeBroker *self,
                          const char *ord_no,
                          const char *root_ord_no)
{
  Step *step = g_new0 (Step, 1);

  step->kind = STEP_RECEIPT;
  g_strlcpy (step->receipt.ord_no, ord_no, sizeof step->receipt.ord_no);
  g_strlcpy (step->receipt.root_ord_no, root_ord_no != NULL ? root_ord_no : ord_no,
             sizeof step->receipt.root_ord_no);
  g_queue_push_tail (&self->script, step);
}

void
fake_broker_push_error (FakeBroker      *self,
                        HogaBrokerError  code,
                        const char      *message)
{
  Step *step = g_new0 (Step, 1);

  step->kind = STEP_ERROR;
  step->code = code;
  step->message = g_strdup (message);
  g_queue_push_tail (&self->script, step);
}

void
fake_broker_push_hang (FakeBroker *self)
{
  Step *step = g_new0 (Step, 1);

  step->kind = STEP_HANG;
  g_queue_push_tail (&self->script, step);
}

gboolean
fake_broker_complete_receipt (FakeBroker *self,
                              const char *ord_no,
                              const char *root_ord_no)
{
  g_autoptr(GTask) task = g_queue_pop_head (&self->hung);

  if (task == NULL)
    return FALSE;
  return_receipt (task, ord_no, root_ord_no);
  return TRUE;
}

gboolean
fake_broker_complete_error (FakeBroker      *self,
                            HogaBrokerError  code,
                            const char      *message)
{
  g_autoptr(GTask) task = g_queue_pop_head (&self->hung);

  if (task == NULL)
    return FALSE;
  g_task_return_new_error (task, HOGA_BROKER_ERROR, code, "%s", message);
  return TRUE;
}

guint
fake_broker_get_n_hung (FakeBroker *self)
{
  return g_queue_get_length (&self->hung);
}

void
fake_broker_set_orders (FakeBroker              *self,
                        gboolean                 filled,
                        const HogaOrderSnapshot *rows,
                        guint                    n_rows)
{
  GArray *array = self->rows[filled ? 1 : 0];

  g_array_set_size (array, 0);
  g_array_append_vals (array, rows, n_rows);
}

void
fake_broker_emit_order_event (FakeBroker           *self,
                              const HogaOrderEvent *event)
{
  g_signal_emit_by_name (self, "order-event", event);
}

void
fake_broker_set_order_hook (FakeBroker    *self,
                            FakeOrderHook  hook,
                            gpointer       user_data)
{
  self->hook = hook;
  self->hook_data = user_data;
}

GPtrArray *
fake_broker_get_calls (FakeBroker *self)
{
  return self->calls;
}

guint
fake_broker_count_calls (FakeBroker   *self,
                         FakeCallKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < self->calls->len; i++)
    {
      const FakeCall *call = g_ptr_array_index (self->calls, i);

      if (call->kind == kind)
        n++;
    }
  return n;
}
