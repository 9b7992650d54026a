/* test-risk-guard.c — pre-trade checks, daily loss limit, kill switch tiers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hoga-risk-guard.h"

static const HogaRiskLimits limits = {
  .max_order_value = 2000000,
  .price_band_bp = 300,               /* ±3 % of the last trade */
  .max_positions = 3,
  .max_buys_per_day = 5,
  .daily_loss_limit_bp = 200,         /* stop buying at −2 % */
  .flatten_on_daily_loss = FALSE,
};

static HogaRiskState
calm_state (void)
{
  return (HogaRiskState) {
    .orderable_cash = 10000000,
    .start_equity = 10000000,
    .open_positions = 0,
    .buys_today = 0,
    .kill_tier = HOGA_KILL_NONE,
  };
}

static HogaRiskOrder
buy (HogaOrderType type,
     gint64        qty,
     gint64        price)
{
  return (HogaRiskOrder) {
    .side = HOGA_SIDE_BUY, .type = type, .origin = HOGA_ORDER_ORIGIN_AUTOMATED,
    .qty = qty, .price = price, .last_price = 75000, .base_price = 75000,
  };
}

static HogaRiskOrder
sell (HogaOrderType   type,
      HogaOrderOrigin origin,
      gint64          qty,
      gint64          price)
{
  return (HogaRiskOrder) {
    .side = HOGA_SIDE_SELL, .type = type, .origin = origin,
    .qty = qty, .price = price, .last_price = 75000, .base_price = 75000,
  };
}

#define assert_verdict(state, order, expected) \
  g_assert_cmpstr (hoga_risk_verdict_to_string (hoga_risk_check_order (&limits, (state), (order))), \
                   ==, hoga_risk_verdict_to_string (expected))

static void
test_plain_orders_pass (void)
{
  HogaRiskState state = calm_state ();
  HogaRiskOrder market_buy = buy (HOGA_ORDER_TYPE_MARKET, 10, 0);
  HogaRiskOrder limit_buy = buy (HOGA_ORDER_TYPE_LIMIT, 10, 75100);
  HogaRiskOrder market_sell = sell (HOGA_ORDER_TYPE_MARKET, HOGA_ORDER_ORIGIN_AUTOMATED, 10, 0);

  assert_verdict (&state, &market_buy, HOGA_RISK_OK);
  assert_verdict (&state, &limit_buy, HOGA_RISK_OK);
  assert_verdict (&state, &market_sell, HOGA_RISK_OK);
}

static void
test_bad_quantity (void)
{
  HogaRiskState state = calm_state ();
  HogaRiskOrder zero = buy (HOGA_ORDER_TYPE_MARKET, 0, 0);
  HogaRiskOrder negative = sell (HOGA_ORDER_TYPE_MARKET, HOGA_ORDER_ORIGIN_MANUAL, -1, 0);
  HogaRiskOrder absurd = buy (HOGA_ORDER_TYPE_LIMIT, G_GINT64_CONSTANT (2000000000), 75000);

  assert_verdict (&state, &zero, HOGA_RISK_BAD_QUANTITY);
  assert_verdict (&state, &negative, HOGA_RISK_BAD_QUANTITY);
  assert_verdict (&state, &absurd, HOGA_RISK_BAD_QUANTITY);
}

static void
test_kill_switch_tiers (void)
{
  HogaRiskState state = calm_state ();
  HogaRiskOrder auto_buy = buy (HOGA_ORDER_TYPE_MARKET, 1, 0);
  HogaRiskOrder manual_buy = buy (HOGA_ORDER_TYPE_MARKET, 1, 0);
  HogaRiskOrder auto_sell = sell (HOGA_ORDER_TYPE_MARKET, HOGA_ORDER_ORIGIN_AUTOMATED, 1, 0);
  HogaRiskOrder manual_sell = sell (HOGA_ORDER_TYPE_MARKET, HOGA_ORDER_ORIGIN_MANUAL, 1, 0);
  HogaRiskOrder flatten_sell = sell (HOGA_ORDER_TYPE_MARKET, HOGA_ORDER_ORIGIN_FLATTEN, 1, 0);

  manual_buy.origin = HOGA_ORDER_ORIGIN_MANUAL;

  /* Tier 1: no buys at all; exits keep working. */
  state.kill_tier = HOGA_KILL_STOP_BUYING;
  assert_verdict (&state, &auto_buy, HOGA_RISK_KILL_SWITCH);
  assert_verdict (&state, &manual_buy, HOGA_RISK_KILL_SWITCH);
  assert_verdict (&state, &auto_sell, HOGA_RISK_OK);
  assert_verdict (&state, &manual_sell, HOGA_RISK_OK);
  g_assert_cmpint (hoga_risk_may_buy (&limits, &state), ==, HOGA_RISK_KILL_SWITCH);

  /* Tier 2: nothing automated; the user may still sell. */
  state.kill_tier = HOGA_KILL_STOP_ALL;
  assert_verdict (&state, &auto_sell, HOGA_RISK_KILL_SWITCH);
  assert_verdict (&state, &manual_sell, HOGA_RISK_OK);
  assert_verdict (&state, &flatten_sell, HOGA_RISK_OK);

  /* Tier 3: the flatten sells themselves pass, whatever else holds. */
  state.kill_tier = HOGA_KILL_FLATTEN;
  state.orderable_cash = 0;
  assert_verdict (&state, &flatten_sell, HOGA_RISK_OK);
  assert_verdict (&state, &auto_sell, HOGA_RISK_KILL_SWITCH);
  flatten_sell.side = HOGA_SIDE_BUY;
  assert_verdict (&state, &flatten_sell, HOGA_RISK_KILL_SWITCH);
}

static void
test_daily_loss_limit (void)
{
  HogaRiskState state = calm_state ();
  HogaRiskLimits flatten_limits = limits;
  HogaRiskOrder auto_buy = buy (HOGA_ORDER_TYPE_MARKET, 1, 0);
  HogaRiskOrder manual_buy = buy (HOGA_ORDER_TYPE_MARKET, 1, 0);
  HogaRiskOrder auto_sell = sell (HOGA_ORDER_TYPE_MARKET, HOGA_ORDER_ORIGIN_AUTOMATED, 1, 0);

  manual_buy.origin = HOGA_ORDER_ORIGIN_MANUAL;

  /* −1.99 %: realized and unrealized together, one won short of the limit. */
  state.realized_pnl = -150000;
  state.unrealized_pnl = -49999;
  g_assert_cmpint (hoga_risk_daily_pnl_bp (&state), ==, -199);
  g_assert_false (hoga_risk_daily_loss_reached (&limits, &state));
  assert_verdict (&state, &auto_buy, HOGA_RISK_OK);

  /* Exactly −2.00 % reaches it. */
  state.unrealized_pnl = -50000;
  g_assert_cmpint (hoga_risk_daily_pnl_bp (&state), ==, -200);
  g_assert_true (hoga_risk_daily_loss_reached (&limits, &state));
  assert_verdict (&state, &auto_buy, HOGA_RISK_DAILY_LOSS);
  assert_verdict (&state, &manual_buy, HOGA_RISK_OK);
  assert_verdict (&state, &auto_sell, HOGA_RISK_OK);
  g_assert_cmpint (hoga_risk_may_buy (&limits, &state), ==, HOGA_RISK_DAILY_LOSS);
  g_assert_cmpint (hoga_risk_daily_loss_tier (&limits, &state), ==, HOGA_KILL_STOP_BUYING);

  flatten_limits.flatten_on_daily_loss = TRUE;
  g_assert_cmpint (hoga_risk_daily_loss_tier (&flatten_limits, &state), ==, HOGA_KILL_FLATTEN);

  /* Unknown start equity: no ratio, so the limit cannot be said to be reached. */
  state.start_equity = 0;
  g_assert_cmpint (hoga_risk_daily_pnl_bp (&state), ==, 0);
  g_assert_false (hoga_risk_daily_loss_reached (&limits, &state));
}

static void
test_limit_price_grid_and_daily_limits (void)
{
  HogaRiskState state = calm_state ();
  HogaRiskOrder off_grid = buy (HOGA_ORDER_TYPE_LIMIT, 1, 75050);
  HogaRiskOrder above_upper = sell (HOGA_ORDER_TYPE_LIMIT, HOGA_ORDER_ORIGIN_FLATTEN, 1, 97600);
  HogaRiskOrder at_upper = sell (HOGA_ORDER_TYPE_LIMIT, HOGA_ORDER_ORIGIN_FLATTEN, 1, 97500);

  assert_verdict (&state, &off_grid, HOGA_RISK_OUTSIDE_LIMITS);
  /* 75,000 × 1.3 = 97,500 is the upper limit; even a flatten cannot price above it. */
  assert_verdict (&state, &above_upper, HOGA_RISK_OUTSIDE_LIMITS);
  assert_verdict (&state, &at_upper, HOGA_RISK_OK);
}

static void
test_price_band (void)
{
  HogaRiskState state = calm_state ();
  /* ±3 % of 75,000 is ±2,250: 77,200 is inside, 77,300 outside. */
  HogaRiskOrder inside = buy (HOGA_ORDER_TYPE_LIMIT, 1, 77200);
  HogaRiskOrder outside = buy (HOGA_ORDER_TYPE_LIMIT, 1, 77300);
  HogaRiskOrder low_sell = sell (HOGA_ORDER_TYPE_LIMIT, HOGA_ORDER_ORIGIN_AUTOMATED, 1, 72700);
  HogaRiskOrder flatten_low = sell (HOGA_ORDER_TYPE_LIMIT, HOGA_ORDER_ORIGIN_FLATTEN, 1, 72700);
  HogaRiskOrder no_last = buy (HOGA_ORDER_TYPE_LIMIT, 1, 75000);

  HogaRiskLimits two_percent = limits;
  /* ±2 % of 75,000 is ±1,500: the edge, 76,500, lies on the grid and is allowed. */
  HogaRiskOrder at_edge = buy (HOGA_ORDER_TYPE_LIMIT, 1, 76500);
  HogaRiskOrder past_edge = buy (HOGA_ORDER_TYPE_LIMIT, 1, 76600);

  two_percent.price_band_bp = 200;
  g_assert_cmpint (hoga_risk_check_order (&two_percent, &state, &at_edge), ==, HOGA_RISK_OK);
  g_assert_cmpint (hoga_risk_check_order (&two_percent, &state, &past_edge), ==,
                   HOGA_RISK_PRICE_BAND);

  no_last.last_price = 0;
  assert_verdict (&state, &inside, HOGA_RISK_OK);
  assert_verdict (&state, &outside, HOGA_RISK_PRICE_BAND);
  assert_verdict (&state, &low_sell, HOGA_RISK_PRICE_BAND);
  assert_verdict (&state, &flatten_low, HOGA_RISK_OK);
  assert_verdict (&state, &no_last, HOGA_RISK_NO_PRICE);
}

static void
test_value_and_cash (void)
{
  HogaRiskState state = calm_state ();
  /* 26 × 75,000 = 1,950,000 ≤ 2,000,000; 27 × 75,000 = 2,025,000 is over. */
  HogaRiskOrder within = buy (HOGA_ORDER_TYPE_MARKET, 26, 0);
  HogaRiskOrder over = buy (HOGA_ORDER_TYPE_MARKET, 27, 0);
  HogaRiskOrder market_no_price = buy (HOGA_ORDER_TYPE_MARKET, 1, 0);
  HogaRiskOrder market_sell_no_price = sell (HOGA_ORDER_TYPE_MARKET,
                                             HOGA_ORDER_ORIGIN_AUTOMATED, 1, 0);

  assert_verdict (&state, &within, HOGA_RISK_OK);
  assert_verdict (&state, &over, HOGA_RISK_MAX_ORDER_VALUE);

  /* A market buy reserves at the upper limit: 26 × 97,500 = 2,535,000. */
  state.orderable_cash = 2535000;
  assert_verdict (&state, &within, HOGA_RISK_OK);
  state.orderable_cash = 2534999;
  assert_verdict (&state, &within, HOGA_RISK_NO_CASH);

  /* Buying needs a price to be valued; an exit does not wait for one. */
  market_no_price.last_price = 0;
  market_sell_no_price.last_price = 0;
  assert_verdict (&state, &market_no_price, HOGA_RISK_NO_PRICE);
  assert_verdict (&state, &market_sell_no_price, HOGA_RISK_OK);
}

static void
test_positions_and_buy_count (void)
{
  HogaRiskState state = calm_state ();
  HogaRiskOrder auto_buy = buy (HOGA_ORDER_TYPE_MARKET, 1, 0);
  HogaRiskOrder manual_buy = buy (HOGA_ORDER_TYPE_MARKET, 1, 0);
  HogaRiskOrder auto_sell = sell (HOGA_ORDER_TYPE_MARKET, HOGA_ORDER_ORIGIN_AUTOMATED, 1, 0);

  manual_buy.origin = HOGA_ORDER_ORIGIN_MANUAL;

  state.open_positions = 2;
  assert_verdict (&state, &auto_buy, HOGA_RISK_OK);
  state.open_positions = 3;
  assert_verdict (&state, &auto_buy, HOGA_RISK_MAX_POSITIONS);
  assert_verdict (&state, &manual_buy, HOGA_RISK_OK);
  assert_verdict (&state, &auto_sell, HOGA_RISK_OK);
  g_assert_cmpint (hoga_risk_may_buy (&limits, &state), ==, HOGA_RISK_MAX_POSITIONS);

  state.open_positions = 0;
  state.buys_today = 5;
  assert_verdict (&state, &auto_buy, HOGA_RISK_MAX_BUYS);
  g_assert_cmpint (hoga_risk_may_buy (&limits, &state), ==, HOGA_RISK_MAX_BUYS);
  state.buys_today = 4;
  g_assert_cmpint (hoga_risk_may_buy (&limits, &state), ==, HOGA_RISK_OK);
}

static void
test_limits_off (void)
{
  HogaRiskLimits none = { 0 };
  HogaRiskState state = calm_state ();
  HogaRiskOrder far = buy (HOGA_ORDER_TYPE_LIMIT, 100, 90000);

  state.open_positions = 1000;
  state.buys_today = 1000;
  state.realized_pnl = -9000000;
  g_assert_cmpint (hoga_risk_check_order (&none, &state, &far), ==, HOGA_RISK_OK);
  g_assert_cmpint (hoga_risk_may_buy (&none, &state), ==, HOGA_RISK_OK);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/risk/plain-orders-pass", test_plain_orders_pass);
  g_test_add_func ("/engine/risk/bad-quantity", test_bad_quantity);
  g_test_add_func ("/engine/risk/kill-switch-tiers", test_kill_switch_tiers);
  g_test_add_func ("/engine/risk/daily-loss-limit", test_daily_loss_limit);
  g_test_add_func ("/engine/risk/limit-price-grid-and-daily-limits",
                   test_limit_price_grid_and_daily_limits);
  g_test_add_func ("/engine/risk/price-band", test_price_band);
  g_test_add_func ("/engine/risk/value-and-cash", test_value_and_cash);
  g_test_add_func ("/engine/risk/positions-and-buy-count", test_positions_and_buy_count);
  g_test_add_func ("/engine/risk/limits-off", test_limits_off);

  return g_test_run ();
}
