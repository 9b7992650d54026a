/* hoga-exit-rules.c — when to sell a tracked position: the exit rules as a pure function
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything the rules need comes in as arguments, so the same tick always gives the same
 * decision, in the engine, after a restart and in the tests. Integer arithmetic only: prices
 * are KRW, percentages basis points.
 *
 * Profit is truncated toward zero to whole basis points. Against whole-basis-point
 * thresholds that is exact: for a loss, truncation rounds up, and a ceiling is ≤ -S exactly
 * when the true value is; for a gain it rounds down, and a floor is ≥ T exactly when the
 * true value is. So a price exactly at a threshold fires, and the text shown never claims
 * more than the true profit.
 */
#define G_LOG_DOMAIN "hoga-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "hoga-exit-rules.h"
#include "hoga-krx.h"

#define BP_PER_UNIT 10000

static gboolean
trailing_enabled (const HogaExitSettings *settings)
{
  return settings->trailing_start_bp > 0;
}

static void
update_trailing (const HogaExitSettings *settings,
                 HogaExitState          *state,
                 gint64                  last,
                 gint64                  profit_bp)
{
  gint64 stop;

  /* The peak is kept whether or not the trailing stop is on, so switching it on mid-position
   * trails from the true high since the fill. */
  if (last > state->peak)
    state->peak = last;

  if (!trailing_enabled (settings))
    return;

  /* Once armed it stays armed: falling back below the start is what the stop is for. */
  if (!state->armed && profit_bp >= settings->trailing_start_bp)
    state->armed = TRUE;

  if (!state->armed)
    return;

  /* Never lower the stop: a wider drop set mid-position, or a stop restored from the
   * journal, must not give back protection already won. */
  stop = hoga_exit_rules_trailing_stop (state->peak, settings->trailing_drop_bp);
  if (stop > state->stop)
    state->stop = stop;
}

static HogaExitReason
first_rule_firing (const HogaExitSettings *settings,
                   const HogaExitDecision *decision,
                   gboolean                sell_condition)
{
  gboolean has_price = decision->last > 0;

  if (has_price && settings->stop_loss_bp > 0
      && decision->profit_bp <= -(gint64) settings->stop_loss_bp)
    return HOGA_EXIT_REASON_STOP_LOSS;

  if (has_price && trailing_enabled (settings) && decision->next.armed
      && decision->last <= decision->next.stop)
    return HOGA_EXIT_REASON_TRAILING_STOP;

  if (has_price && settings->take_profit_bp > 0
      && decision->profit_bp >= settings->take_profit_bp)
    return HOGA_EXIT_REASON_TAKE_PROFIT;

  if (sell_condition)
    return HOGA_EXIT_REASON_SELL_CONDITION;

  if (settings->end_of_day && decision->now_hhmmss >= settings->end_of_day_hhmmss)
    return HOGA_EXIT_REASON_END_OF_DAY;

  return HOGA_EXIT_REASON_NONE;
}

/* "-3.12" from -312 bp. */
static void
format_bp (gint64 bp,
           char   buf[32])
{
  guint64 magnitude = bp < 0 ? -(guint64) bp : (guint64) bp;

  g_snprintf (buf, 32, "%s%" G_GUINT64_FORMAT ".%02u",
              bp < 0 ? "-" : "",
              magnitude / 100, (guint) (magnitude % 100));
}

/* "48,550" from 48550: Korean prices are grouped by thousands like English ones. */
static void
format_won (gint64 won,
            char   buf[32])
{
  char digits[24];
  gsize n_digits;
  gsize out = 0;

  g_assert (won >= 0);

  n_digits = g_snprintf (digits, sizeof digits, "%" G_GINT64_FORMAT, won);
  for (gsize i = 0; i < n_digits; i++)
    {
      if (i > 0 && (n_digits - i) % 3 == 0)
        buf[out++] = ',';
      buf[out++] = digits[i];
    }
  buf[out] = '\0';
}

/* "15:20:00" from 152000. */
static void
format_hhmmss (guint32 hhmmss,
               char    buf[32])
{
  g_snprintf (buf, 32, "%02u:%02u:%02u",
              hhmmss / 10000, hhmmss / 100 % 100, hhmmss % 100);
}

/**
 * hoga_exit_rules_profit_bp:
 * @avg_cost: average cost per share, > 0
 * @price: the price to value the position at
 *
 * Returns: (price - avg_cost) / avg_cost in basis points, truncated toward zero.
 */
gint64
hoga_exit_rules_profit_bp (gint64 avg_cost,
                           gint64 price)
{
  g_return_val_if_fail (avg_cost > 0, 0);

  return (price - avg_cost) * BP_PER_UNIT / avg_cost;
}

/**
 * hoga_exit_rules_trailing_stop:
 * @peak: the highest traded price since the buy fill
 * @drop_bp: how far below the peak the stop sits, 0–9999 bp
 *
 * Floors @peak × (1 - @drop_bp) to whole won, then down to the KRX tick of the band that
 * price falls in (not the peak's band): 50,100 with a 3 % drop is 48,597, which lies in the
 * 50-won band, so 48,550. Flooring keeps the stop at or below the exact percentage.
 *
 * Returns: the stop price on the tick grid, or 0 when @peak is too small to have one.
 */
gint64
hoga_exit_rules_trailing_stop (gint64 peak,
                               gint32 drop_bp)
{
  gint64 raw;

  g_return_val_if_fail (peak >= 0, 0);
  g_return_val_if_fail (drop_bp >= 0 && drop_bp < BP_PER_UNIT, 0);

  raw = peak * (BP_PER_UNIT - drop_bp) / BP_PER_UNIT;
  return raw > 0 ? hoga_krx_round_down (raw) : 0;
}

/**
 * hoga_exit_rules_evaluate:
 * @settings: the exit settings in force
 * @state: the position's state before this tick
 * @last: the last traded price, or 0 when there is none fresh enough to act on (price
 *   rules are then skipped: the engine fails closed on stale data)
 * @sell_condition: a `02` I event for this symbol on the sell condition arrived
 * @now_hhmmss: the current time in Asia/Seoul
 * @decision: (out caller-allocates): the reason, its numbers and the next state
 *
 * Evaluates every exit rule of DESIGN.md §4 and picks the one with the highest priority.
 * Nothing fires before the buy fill: there is nothing to sell yet. The state is updated
 * even when a rule fires, so the peak and stop shown match the tick that sold.
 *
 * Returns: @decision->reason
 */
HogaExitReason
hoga_exit_rules_evaluate (const HogaExitSettings *settings,
                          const HogaExitState    *state,
                          gint64                  last,
                          gboolean                sell_condition,
                          guint32                 now_hhmmss,
                          HogaExitDecision       *decision)
{
  g_return_val_if_fail (settings != NULL, HOGA_EXIT_REASON_NONE);
  g_return_val_if_fail (state != NULL, HOGA_EXIT_REASON_NONE);
  g_return_val_if_fail (decision != NULL, HOGA_EXIT_REASON_NONE);

  *decision = (HogaExitDecision) {
    .reason = HOGA_EXIT_REASON_NONE,
    .now_hhmmss = now_hhmmss,
    .end_of_day_hhmmss = settings->end_of_day_hhmmss,
    .next = *state,
  };

  if (!state->entry_filled)
    return HOGA_EXIT_REASON_NONE;

  g_return_val_if_fail (state->avg_cost > 0, HOGA_EXIT_REASON_NONE);
  g_return_val_if_fail (settings->stop_loss_bp >= 0, HOGA_EXIT_REASON_NONE);
  g_return_val_if_fail (settings->take_profit_bp >= 0, HOGA_EXIT_REASON_NONE);
  g_return_val_if_fail (settings->trailing_drop_bp >= 0
                        && settings->trailing_drop_bp < BP_PER_UNIT, HOGA_EXIT_REASON_NONE);

  if (last > 0)
    {
      decision->last = last;
      decision->profit_bp = hoga_exit_rules_profit_bp (state->avg_cost, last);
      update_trailing (settings, &decision->next, last, decision->profit_bp);
    }

  decision->state_changed = decision->next.peak != state->peak
                            || decision->next.stop != state->stop
                            || decision->next.armed != state->armed;

  decision->reason = first_rule_firing (settings, decision, sell_condition);
  if (decision->reason == HOGA_EXIT_REASON_STOP_LOSS)
    decision->threshold_bp = -settings->stop_loss_bp;
  else if (decision->reason == HOGA_EXIT_REASON_TAKE_PROFIT)
    decision->threshold_bp = settings->take_profit_bp;

  return decision->reason;
}

/**
 * hoga_exit_reason_to_string:
 * @reason: an exit reason
 *
 * Returns: a stable, untranslated identifier for the journal and structured logs
 */
const char *
hoga_exit_reason_to_string (HogaExitReason reason)
{
  switch (reason)
    {
    case HOGA_EXIT_REASON_NONE:
      return "none";
    case HOGA_EXIT_REASON_STOP_LOSS:
      return "stop-loss";
    case HOGA_EXIT_REASON_TRAILING_STOP:
      return "trailing-stop";
    case HOGA_EXIT_REASON_TAKE_PROFIT:
      return "take-profit";
    case HOGA_EXIT_REASON_SELL_CONDITION:
      return "sell-condition";
    case HOGA_EXIT_REASON_END_OF_DAY:
      return "end-of-day";
    default:
      g_return_val_if_reached ("invalid");
    }
}

/**
 * hoga_exit_decision_describe:
 * @decision: a decision whose reason is not %HOGA_EXIT_REASON_NONE
 *
 * Formats the reason with its numbers for the tracking frame and the event log, e.g.
 * "stop-loss: -3.12 % ≤ -3.00 %". Kept out of hoga_exit_rules_evaluate() so the tick path
 * neither allocates nor translates; call it only when a rule fires.
 *
 * Returns: (transfer full): the translated text
 */
char *
hoga_exit_decision_describe (const HogaExitDecision *decision)
{
  char a[32];
  char b[32];
  char c[32];

  g_return_val_if_fail (decision != NULL, NULL);

  switch (decision->reason)
    {
    case HOGA_EXIT_REASON_STOP_LOSS:
      format_bp (decision->profit_bp, a);
      format_bp (decision->threshold_bp, b);
      /* Translators: profit and the stop-loss threshold, e.g. "-3.12" and "-3.00" */
      return g_strdup_printf (_("stop-loss: %s %% ≤ %s %%"), a, b);

    case HOGA_EXIT_REASON_TRAILING_STOP:
      format_won (decision->last, a);
      format_won (decision->next.stop, b);
      format_won (decision->next.peak, c);
      /* Translators: last price, trailing stop price, peak price, in won */
      return g_strdup_printf (_("trailing stop: %s ≤ %s (peak %s)"), a, b, c);

    case HOGA_EXIT_REASON_TAKE_PROFIT:
      format_bp (decision->profit_bp, a);
      format_bp (decision->threshold_bp, b);
      /* Translators: profit and the take-profit threshold, e.g. "5.20" and "5.00" */
      return g_strdup_printf (_("take-profit: %s %% ≥ %s %%"), a, b);

    case HOGA_EXIT_REASON_SELL_CONDITION:
      if (decision->last == 0)
        return g_strdup (_("sell condition: entered"));
      format_won (decision->last, a);
      format_bp (decision->profit_bp, b);
      /* Translators: last price in won and profit, e.g. "10,250" and "2.50" */
      return g_strdup_printf (_("sell condition: entered at %s (%s %%)"), a, b);

    case HOGA_EXIT_REASON_END_OF_DAY:
      format_hhmmss (decision->now_hhmmss, a);
      format_hhmmss (decision->end_of_day_hhmmss, b);
      /* Translators: the current time and the configured end-of-day time */
      return g_strdup_printf (_("end of day: %s ≥ %s"), a, b);

    case HOGA_EXIT_REASON_NONE:
    default:
      g_return_val_if_reached (NULL);
    }
}
