/* hoga-entry-rules.c — whether and how to buy a symbol that entered the buy condition
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pure function over settings and a context the engine fills: no clock, no I/O, so every
 * skip reason can be tested on its own and logged exactly as decided.
 */
#define G_LOG_DOMAIN "hoga-engine"

#include "config.h"

#include "hoga-entry-rules.h"
#include "hoga-krx.h"

static gboolean
inside_window (const HogaEntrySettings *settings,
               guint32                  now_hhmmss)
{
  /* Half-open, so a window ending at 15:20:00 buys nothing in the closing auction. */
  return now_hhmmss >= settings->window_start_hhmmss
         && now_hhmmss < settings->window_end_hhmmss;
}

static gboolean
in_cooldown (const HogaEntrySettings *settings,
             const HogaEntryContext  *context)
{
  return context->cooldown_elapsed_s >= 0
         && context->cooldown_elapsed_s < (gint64) settings->cooldown_s;
}

static HogaEntryReason
first_failing_gate (const HogaEntrySettings *settings,
                    const HogaEntryContext  *context)
{
  /* Not a buy signal at all comes first, so a D event is never logged as a skipped buy. */
  if (!context->on_buy_condition)
    return HOGA_ENTRY_REASON_NOT_BUY_CONDITION;
  if (!context->inserted)
    return HOGA_ENTRY_REASON_NOT_INSERT;
  /* A reconnect's snapshot difference counts as a snapshot member too: when it entered is
   * unknown, and it may have run up long ago. */
  if (context->from_snapshot && !settings->buy_snapshot_members)
    return HOGA_ENTRY_REASON_SNAPSHOT_MEMBER;
  if (!settings->auto_buy)
    return HOGA_ENTRY_REASON_AUTO_BUY_OFF;
  if (!inside_window (settings, context->now_hhmmss))
    return HOGA_ENTRY_REASON_OUTSIDE_WINDOW;
  if (context->held)
    return HOGA_ENTRY_REASON_HELD;
  if (context->tracked)
    return HOGA_ENTRY_REASON_TRACKED;
  if (context->buy_pending)
    return HOGA_ENTRY_REASON_BUY_PENDING;
  if (context->bought_today && !settings->allow_reentry)
    return HOGA_ENTRY_REASON_BOUGHT_TODAY;
  if (in_cooldown (settings, context))
    return HOGA_ENTRY_REASON_COOLDOWN;
  if (context->tracked_count >= settings->max_positions)
    return HOGA_ENTRY_REASON_MAX_POSITIONS;
  if (context->registration_capacity == 0)
    return HOGA_ENTRY_REASON_NO_REGISTRATION_CAPACITY;
  if (!context->risk_approved)
    return HOGA_ENTRY_REASON_RISK_REJECTED;
  if (context->current_price <= 0)
    return HOGA_ENTRY_REASON_NO_PRICE;
  /* Without the base price the daily limits are unknown, and a limit order outside them
   * is rejected by the exchange. A market order needs no price of its own. */
  if (settings->order_type == HOGA_ORDER_TYPE_LIMIT && context->base_price <= 0)
    return HOGA_ENTRY_REASON_NO_BASE_PRICE;
  return HOGA_ENTRY_REASON_BUY;
}

/**
 * hoga_entry_rules_evaluate:
 * @settings: the entry settings in force
 * @context: the event and what the engine knows about the symbol
 * @decision: (out caller-allocates): BUY with the order, or the reason to skip
 *
 * Applies the entry rules of DESIGN.md §4. A market order is sized at the current price; a
 * limit order is priced at the current price ± N ticks on the KRX grid, clamped inside the
 * daily limits, and sized at that price. Quantity = floor(amount per stock / that price).
 *
 * The risk guard's verdict on buying at all comes in @context; the guard still checks the
 * returned order itself (cash, order value, price band) before it is journaled.
 *
 * Returns: %TRUE to buy
 */
gboolean
hoga_entry_rules_evaluate (const HogaEntrySettings *settings,
                           const HogaEntryContext  *context,
                           HogaEntryDecision       *decision)
{
  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (context != NULL, FALSE);
  g_return_val_if_fail (decision != NULL, FALSE);

  *decision = (HogaEntryDecision) {
    .reason = first_failing_gate (settings, context),
    .order_type = settings->order_type,
  };

  if (decision->reason != HOGA_ENTRY_REASON_BUY)
    return FALSE;

  if (settings->order_type == HOGA_ORDER_TYPE_LIMIT)
    {
      gint64 price = hoga_krx_add_ticks (context->current_price, settings->limit_offset_ticks);

      decision->price = hoga_krx_clamp_to_limits (price, context->base_price);
      decision->unit_price = decision->price;
    }
  else
    {
      decision->unit_price = context->current_price;
    }

  decision->qty = MAX (settings->amount_per_stock, 0) / decision->unit_price;
  if (decision->qty == 0)
    {
      decision->reason = HOGA_ENTRY_REASON_QUANTITY_ZERO;
      return FALSE;
    }

  return TRUE;
}

/**
 * hoga_entry_reason_to_string:
 * @reason: an entry reason
 *
 * Returns: a stable, untranslated identifier for the journal and structured logs
 */
const char *
hoga_entry_reason_to_string (HogaEntryReason reason)
{
  switch (reason)
    {
    case HOGA_ENTRY_REASON_BUY:
      return "buy";
    case HOGA_ENTRY_REASON_NOT_BUY_CONDITION:
      return "not-buy-condition";
    case HOGA_ENTRY_REASON_NOT_INSERT:
      return "not-insert";
    case HOGA_ENTRY_REASON_SNAPSHOT_MEMBER:
      return "snapshot-member";
    case HOGA_ENTRY_REASON_AUTO_BUY_OFF:
      return "auto-buy-off";
    case HOGA_ENTRY_REASON_OUTSIDE_WINDOW:
      return "outside-window";
    case HOGA_ENTRY_REASON_HELD:
      return "held";
    case HOGA_ENTRY_REASON_TRACKED:
      return "tracked";
    case HOGA_ENTRY_REASON_BUY_PENDING:
      return "buy-pending";
    case HOGA_ENTRY_REASON_BOUGHT_TODAY:
      return "bought-today";
    case HOGA_ENTRY_REASON_COOLDOWN:
      return "cooldown";
    case HOGA_ENTRY_REASON_MAX_POSITIONS:
      return "max-positions";
    case HOGA_ENTRY_REASON_NO_REGISTRATION_CAPACITY:
      return "no-registration-capacity";
    case HOGA_ENTRY_REASON_RISK_REJECTED:
      return "risk-rejected";
    case HOGA_ENTRY_REASON_NO_PRICE:
      return "no-price";
    case HOGA_ENTRY_REASON_NO_BASE_PRICE:
      return "no-base-price";
    case HOGA_ENTRY_REASON_QUANTITY_ZERO:
      return "quantity-zero";
    default:
      g_return_val_if_reached ("invalid");
    }
}
