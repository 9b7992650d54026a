/* hoga-risk-guard.c — pre-trade checks, the daily loss limit and the kill switch tiers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules, where DESIGN.md leaves a choice:
 *  - Kill switch tier 1 stops every buy, the user's own too: a kill switch that a manual
 *    order slips past is not one. Tier 2 stops every automated order; the user may still
 *    sell by hand. The kill switch's own flatten sells always pass.
 *  - The daily loss limit stops automated buys ("auto-buy stops"); the user may still act.
 *  - Exits are never held back by cash, position or buy-count limits, and a market sell
 *    needs no known price: protecting money must not wait for data.
 *  - A market buy reserves its cash at the upper daily limit, as Kiwoom does.
 */
#define G_LOG_DOMAIN "hoga-engine"

#include "config.h"

#include "hoga-krx.h"
#include "hoga-risk-guard.h"

gint64
hoga_risk_daily_pnl_bp (const HogaRiskState *state)
{
  g_return_val_if_fail (state != NULL, 0);

  if (state->start_equity <= 0)
    return 0;
  return (state->realized_pnl + state->unrealized_pnl) * 10000 / state->start_equity;
}

gboolean
hoga_risk_daily_loss_reached (const HogaRiskLimits *limits,
                              const HogaRiskState  *state)
{
  g_return_val_if_fail (limits != NULL && state != NULL, FALSE);

  return limits->daily_loss_limit_bp > 0 && state->start_equity > 0
         && hoga_risk_daily_pnl_bp (state) <= -(gint64)limits->daily_loss_limit_bp;
}

HogaKillTier
hoga_risk_daily_loss_tier (const HogaRiskLimits *limits,
                           const HogaRiskState  *state)
{
  if (!hoga_risk_daily_loss_reached (limits, state))
    return HOGA_KILL_NONE;
  return limits->flatten_on_daily_loss ? HOGA_KILL_FLATTEN : HOGA_KILL_STOP_BUYING;
}

HogaRiskVerdict
hoga_risk_may_buy (const HogaRiskLimits *limits,
                   const HogaRiskState  *state)
{
  g_return_val_if_fail (limits != NULL && state != NULL, HOGA_RISK_KILL_SWITCH);

  if (state->kill_tier >= HOGA_KILL_STOP_BUYING)
    return HOGA_RISK_KILL_SWITCH;
  if (hoga_risk_daily_loss_reached (limits, state))
    return HOGA_RISK_DAILY_LOSS;
  if (limits->max_positions > 0 && state->open_positions >= limits->max_positions)
    return HOGA_RISK_MAX_POSITIONS;
  if (limits->max_buys_per_day > 0 && state->buys_today >= limits->max_buys_per_day)
    return HOGA_RISK_MAX_BUYS;
  return HOGA_RISK_OK;
}

static HogaRiskVerdict
check_kill_switch (const HogaRiskState *state,
                   const HogaRiskOrder *order)
{
  if (order->origin == HOGA_ORDER_ORIGIN_FLATTEN)
    return order->side == HOGA_SIDE_SELL ? HOGA_RISK_OK : HOGA_RISK_KILL_SWITCH;
  if (order->side == HOGA_SIDE_BUY && state->kill_tier >= HOGA_KILL_STOP_BUYING)
    return HOGA_RISK_KILL_SWITCH;
  if (order->origin == HOGA_ORDER_ORIGIN_AUTOMATED && state->kill_tier >= HOGA_KILL_STOP_ALL)
    return HOGA_RISK_KILL_SWITCH;
  return HOGA_RISK_OK;
}

static HogaRiskVerdict
check_limit_price (const HogaRiskLimits *limits,
                   const HogaRiskOrder  *order)
{
  gint64 distance;

  if (!hoga_krx_is_on_grid (order->price))
    return HOGA_RISK_OUTSIDE_LIMITS;
  if (order->base_price > 0
      && (order->price > hoga_krx_upper_limit (order->base_price)
          || order->price < hoga_krx_lower_limit (order->base_price)))
    return HOGA_RISK_OUTSIDE_LIMITS;

  /* The kill switch's sells must get out whatever the price. */
  if (limits->price_band_bp <= 0 || order->origin == HOGA_ORDER_ORIGIN_FLATTEN)
    return HOGA_RISK_OK;
  if (order->last_price <= 0)
    return HOGA_RISK_NO_PRICE;

  distance = ABS (order->price - order->last_price);
  if (distance * 10000 > (gint64)limits->price_band_bp * order->last_price)
    return HOGA_RISK_PRICE_BAND;
  return HOGA_RISK_OK;
}

static HogaRiskVerdict
check_buy (const HogaRiskLimits *limits,
           const HogaRiskState  *state,
           const HogaRiskOrder  *order)
{
  gint64 unit_price;
  gint64 reserve_price;

  if (order->origin == HOGA_ORDER_ORIGIN_AUTOMATED && hoga_risk_daily_loss_reached (limits, state))
    return HOGA_RISK_DAILY_LOSS;

  if (order->type == HOGA_ORDER_TYPE_MARKET)
    {
      if (order->last_price <= 0)
        return HOGA_RISK_NO_PRICE;
      unit_price = order->last_price;
      reserve_price = order->base_price > 0 ? hoga_krx_upper_limit (order->base_price)
                                            : order->last_price;
    }
  else
    unit_price = reserve_price = order->price;

  /* Both products stay far inside gint64 for any real quantity and price. */
  if (limits->max_order_value > 0 && order->qty * unit_price > limits->max_order_value)
    return HOGA_RISK_MAX_ORDER_VALUE;
  if (order->qty * reserve_price > state->orderable_cash)
    return HOGA_RISK_NO_CASH;

  if (order->origin == HOGA_ORDER_ORIGIN_AUTOMATED)
    {
      if (limits->max_positions > 0 && state->open_positions >= limits->max_positions)
        return HOGA_RISK_MAX_POSITIONS;
      if (limits->max_buys_per_day > 0 && state->buys_today >= limits->max_buys_per_day)
        return HOGA_RISK_MAX_BUYS;
    }
  return HOGA_RISK_OK;
}

HogaRiskVerdict
hoga_risk_check_order (const HogaRiskLimits *limits,
                       const HogaRiskState  *state,
                       const HogaRiskOrder  *order)
{
  HogaRiskVerdict verdict;

  g_return_val_if_fail (limits != NULL && state != NULL && order != NULL,
                        HOGA_RISK_KILL_SWITCH);
  g_return_val_if_fail (order->side == HOGA_SIDE_BUY || order->side == HOGA_SIDE_SELL,
                        HOGA_RISK_BAD_QUANTITY);

  /* A quantity this large cannot be real, and would overflow the value checks. */
  if (order->qty <= 0 || order->qty > G_GINT64_CONSTANT (1000000000))
    return HOGA_RISK_BAD_QUANTITY;

  verdict = check_kill_switch (state, order);
  if (verdict != HOGA_RISK_OK)
    return verdict;

  if (order->type == HOGA_ORDER_TYPE_LIMIT)
    {
      verdict = check_limit_price (limits, order);
      if (verdict != HOGA_RISK_OK)
        return verdict;
    }

  if (order->side == HOGA_SIDE_BUY)
    return check_buy (limits, state, order);
  return HOGA_RISK_OK;
}

const char *
hoga_risk_verdict_to_string (HogaRiskVerdict verdict)
{
  switch (verdict)
    {
    case HOGA_RISK_OK:              return "ok";
    case HOGA_RISK_BAD_QUANTITY:    return "bad-quantity";
    case HOGA_RISK_KILL_SWITCH:     return "kill-switch";
    case HOGA_RISK_DAILY_LOSS:      return "daily-loss";
    case HOGA_RISK_NO_PRICE:        return "no-price";
    case HOGA_RISK_OUTSIDE_LIMITS:  return "outside-limits";
    case HOGA_RISK_PRICE_BAND:      return "price-band";
    case HOGA_RISK_MAX_ORDER_VALUE: return "max-order-value";
    case HOGA_RISK_NO_CASH:         return "no-cash";
    case HOGA_RISK_MAX_POSITIONS:   return "max-positions";
    case HOGA_RISK_MAX_BUYS:        return "max-buys";
    default:                        return "unknown";
    }
}

const char *
hoga_kill_tier_to_string (HogaKillTier tier)
{
  switch (tier)
    {
    case HOGA_KILL_NONE:        return "none";
    case HOGA_KILL_STOP_BUYING: return "stop-buying";
    case HOGA_KILL_STOP_ALL:    return "stop-all";
    case HOGA_KILL_FLATTEN:     return "flatten";
    default:                    return "unknown";
    }
}
