/* test-kiwoom-broker.c — the whole Kiwoom adapter through the broker port, on hoga-exchange
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hx-test-fixture.h"
#include "kiwoom-broker.h"

typedef struct {
  HxServer     *server;
  HogaBroker   *broker;
  GArray       *ticks;        /* HogaTick */
  GArray       *conditions;   /* HogaConditionEvent */
  GArray       *orders;       /* HogaOrderEvent */
  GArray       *balances;     /* HogaBalanceEvent */
  gboolean      done;
  gpointer      result;
  GError       *error;
} Fixture;

static void
tick_cb (HogaBroker *broker,
         HogaTick   *tick,
         Fixture    *fixture)
{
  g_array_append_val (fixture->ticks, *tick);
}

static void
condition_cb (HogaBroker         *broker,
              HogaConditionEvent *event,
              Fixture            *fixture)
{
  g_array_append_val (fixture->conditions, *event);
}

static void
order_cb (HogaBroker     *broker,
          HogaOrderEvent *event,
          Fixture        *fixture)
{
  g_array_append_val (fixture->orders, *event);
}

static void
balance_cb (HogaBroker       *broker,
            HogaBalanceEvent *event,
            Fixture          *fixture)
{
  g_array_append_val (fixture->balances, *event);
}

static gboolean
is_online (gpointer data)
{
  return hoga_broker_get_state (((Fixture *)data)->broker) == HOGA_CONNECTION_ONLINE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = hx_server_start ("--trades-per-second", "0", "--no-conditions",
                                     "--ping-interval", "0.5", NULL);
  fixture->broker = HOGA_BROKER (kiwoom_broker_new (fixture->server->rest_url,
                                                    fixture->server->ws_url,
                                                    "broker-test-key", "broker-test-secret"));
  fixture->ticks = g_array_new (FALSE, TRUE, sizeof (HogaTick));
  fixture->conditions = g_array_new (FALSE, TRUE, sizeof (HogaConditionEvent));
  fixture->orders = g_array_new (FALSE, TRUE, sizeof (HogaOrderEvent));
  fixture->balances = g_array_new (FALSE, TRUE, sizeof (HogaBalanceEvent));

  g_signal_connect (fixture->broker, "tick", G_CALLBACK (tick_cb), fixture);
  g_signal_connect (fixture->broker, "condition-event", G_CALLBACK (condition_cb), fixture);
  g_signal_connect (fixture->broker, "order-event", G_CALLBACK (order_cb), fixture);
  g_signal_connect (fixture->broker, "balance-event", G_CALLBACK (balance_cb), fixture);

  hoga_broker_start (fixture->broker);
  g_assert_true (hx_iterate_until (is_online, fixture, 10000));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  hoga_broker_stop (fixture->broker);
  g_assert_cmpint (hoga_broker_get_state (fixture->broker), ==, HOGA_CONNECTION_OFFLINE);
  g_clear_object (&fixture->broker);
  g_clear_pointer (&fixture->ticks, g_array_unref);
  g_clear_pointer (&fixture->conditions, g_array_unref);
  g_clear_pointer (&fixture->orders, g_array_unref);
  g_clear_pointer (&fixture->balances, g_array_unref);
  hx_server_stop (fixture->server);
}

static gboolean
is_done (gpointer data)
{
  return ((Fixture *)data)->done;
}

/* Runs one async port call to completion; the finish function is picked by the tag. */
typedef gpointer (*FinishFunc) (HogaBroker *, GAsyncResult *, GError **);

typedef struct {
  Fixture    *fixture;
  FinishFunc  finish;
} Pending;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Pending *pending = user_data;

  pending->fixture->result = pending->finish (HOGA_BROKER (source), result,
                                              &pending->fixture->error);
  pending->fixture->done = TRUE;
}

static gpointer
wait_result (Fixture  *fixture,
             Pending  *pending)
{
  g_assert_true (hx_iterate_until (is_done, fixture, 15000));
  g_assert_no_error (fixture->error);
  fixture->done = FALSE;
  return g_steal_pointer (&fixture->result);
}

static gboolean
has_order_status (gpointer data)
{
  Fixture *fixture = data;

  for (guint i = 0; i < fixture->orders->len; i++)
    {
      if (g_array_index (fixture->orders, HogaOrderEvent, i).status == HOGA_ORDER_STATUS_FILLED
          && g_array_index (fixture->orders, HogaOrderEvent, i).unfilled_qty == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_balance (gpointer data)
{
  return ((Fixture *)data)->balances->len > 0;
}

static gboolean
has_tick (gpointer data)
{
  return ((Fixture *)data)->ticks->len > 0;
}

static gboolean
has_condition_event (gpointer data)
{
  return ((Fixture *)data)->conditions->len > 0;
}

static void
test_order_to_balance (Fixture       *fixture,
                       gconstpointer  data)
{
  HogaOrderRequest request = {
    HOGA_SIDE_BUY, HOGA_ORDER_TYPE_MARKET, HOGA_VENUE_KRX, "005930", 2, 0
  };
  Pending pending = { fixture, (FinishFunc)hoga_broker_stock_info_finish };
  g_autofree HogaStockInfo *info = NULL;
  g_autofree HogaOrderReceipt *receipt = NULL;
  g_autofree HogaDeposit *deposit = NULL;
  g_autoptr(HogaBalance) balance = NULL;
  g_autoptr(GPtrArray) filled = NULL;
  const HogaOrderEvent *first;
  const HogaHoldingInfo *holding = NULL;
  gboolean found = FALSE;

  hoga_broker_stock_info_async (fixture->broker, "005930", NULL, done_cb, &pending);
  info = wait_result (fixture, &pending);
  g_assert_cmpstr (info->name, ==, "삼성전자");
  g_assert_cmpint (info->upper_limit, >, info->base_price);

  pending.finish = (FinishFunc)hoga_broker_order_finish;
  hoga_broker_place_order_async (fixture->broker, &request, NULL, done_cb, &pending);
  receipt = wait_result (fixture, &pending);
  g_assert_cmpuint (strlen (receipt->ord_no), ==, 7);

  /* 접수 first, then fills until nothing is left, then the balance. */
  g_assert_true (hx_iterate_until (has_order_status, fixture, 10000));
  first = &g_array_index (fixture->orders, HogaOrderEvent, 0);
  g_assert_cmpint (first->status, ==, HOGA_ORDER_STATUS_RECEIVED);
  g_assert_cmpstr (first->ord_no, ==, receipt->ord_no);
  g_assert_cmpint (first->side, ==, HOGA_SIDE_BUY);
  g_assert_cmpint (first->order_qty, ==, 2);
  g_assert_true (hx_iterate_until (has_balance, fixture, 10000));
  g_assert_cmpstr (g_array_index (fixture->balances, HogaBalanceEvent,
                                  fixture->balances->len - 1).code, ==, "005930");
  g_assert_cmpint (g_array_index (fixture->balances, HogaBalanceEvent,
                                  fixture->balances->len - 1).qty, ==, 2);

  pending.finish = (FinishFunc)hoga_broker_balance_finish;
  hoga_broker_balance_async (fixture->broker, NULL, done_cb, &pending);
  balance = wait_result (fixture, &pending);
  for (guint i = 0; i < balance->holdings->len; i++)
    if (g_str_equal (g_array_index (balance->holdings, HogaHoldingInfo, i).code, "005930"))
      holding = &g_array_index (balance->holdings, HogaHoldingInfo, i);
  g_assert_nonnull (holding);
  g_assert_cmpint (holding->qty, ==, 2);
  g_assert_cmpint (holding->avg_price, >, 0);

  pending.finish = (FinishFunc)hoga_broker_deposit_finish;
  hoga_broker_deposit_async (fixture->broker, NULL, done_cb, &pending);
  deposit = wait_result (fixture, &pending);
  /* 10,000,000 KRW less two shares and their commission. */
  g_assert_cmpint (deposit->cash, <, 10000000 - 2 * holding->avg_price + 1);

  pending.finish = (FinishFunc)hoga_broker_orders_finish;
  hoga_broker_orders_async (fixture->broker, TRUE, NULL, done_cb, &pending);
  filled = wait_result (fixture, &pending);
  for (guint i = 0; i < filled->len; i++)
    {
      HogaOrderSnapshot *order = g_ptr_array_index (filled, i);

      if (g_str_equal (order->ord_no, receipt->ord_no))
        {
          found = TRUE;
          g_assert_cmpint (order->filled_qty, ==, 2);
          g_assert_cmpint (order->side, ==, HOGA_SIDE_BUY);
        }
    }
  g_assert_true (found);
}

static void
test_conditions_and_ticks (Fixture       *fixture,
                           gconstpointer  data)
{
  Pending pending = { fixture, (FinishFunc)hoga_broker_list_conditions_finish };
  g_autoptr(GPtrArray) conditions = NULL;
  g_auto(GStrv) snapshot = NULL;
  const char *codes[] = { "005930", NULL };
  const HogaConditionInfo *first;
  const HogaConditionEvent *event;
  const HogaTick *tick;

  hoga_broker_list_conditions_async (fixture->broker, NULL, done_cb, &pending);
  conditions = wait_result (fixture, &pending);
  g_assert_cmpuint (conditions->len, >=, 5);
  first = g_ptr_array_index (conditions, 0);
  g_assert_cmpstr (first->seq, ==, "0");
  g_assert_cmpuint (strlen (first->name), >, 0);

  pending.finish = (FinishFunc)hoga_broker_start_condition_finish;
  hoga_broker_start_condition_async (fixture->broker, "0", NULL, done_cb, &pending);
  snapshot = wait_result (fixture, &pending);
  g_assert_nonnull (snapshot);

  hx_command (fixture->server, "{\"cmd\":\"condition\",\"seq\":\"0\",\"code\":\"000660\","
                               "\"event\":\"I\"}");
  g_assert_true (hx_iterate_until (has_condition_event, fixture, 5000));
  event = &g_array_index (fixture->conditions, HogaConditionEvent, 0);
  g_assert_cmpstr (event->seq, ==, "0");
  g_assert_cmpstr (event->code, ==, "000660");
  g_assert_true (event->inserted);
  g_assert_false (event->from_snapshot);

  hoga_broker_subscribe (fixture->broker, codes);
  hx_pump (300);
  hx_command (fixture->server, "{\"cmd\":\"trade\",\"code\":\"005930\",\"price\":75100,"
                               "\"qty\":-7}");
  g_assert_true (hx_iterate_until (has_tick, fixture, 5000));
  tick = &g_array_index (fixture->ticks, HogaTick, 0);
  g_assert_cmpstr (tick->code, ==, "005930");
  g_assert_cmpint (tick->price, ==, 75100);
  g_assert_cmpint (tick->volume, ==, -7);
  g_assert_cmpint (tick->received_us, >, 0);

  hoga_broker_stop_condition (fixture->broker, "0");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/broker/kiwoom/order-to-balance", Fixture, NULL,
              fixture_set_up, test_order_to_balance, fixture_tear_down);
  g_test_add ("/broker/kiwoom/conditions-and-ticks", Fixture, NULL,
              fixture_set_up, test_conditions_and_ticks, fixture_tear_down);

  return g_test_run ();
}
