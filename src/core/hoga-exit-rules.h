/* hoga-exit-rules.h — when to sell a tracked position: the exit rules as a pure function
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Declared in priority order: when several rules fire on one tick the first one wins. */
typedef enum {
  HOGA_EXIT_REASON_NONE,
  HOGA_EXIT_REASON_STOP_LOSS,
  HOGA_EXIT_REASON_TRAILING_STOP,
  HOGA_EXIT_REASON_TAKE_PROFIT,
  HOGA_EXIT_REASON_SELL_CONDITION,
  HOGA_EXIT_REASON_END_OF_DAY,
} HogaExitReason;

/* Percentages are basis points (1 % = 100 bp); a rule whose threshold is 0 is off. */
typedef struct {
  gint32   stop_loss_bp;        /* sell at profit ≤ -stop_loss_bp */
  gint32   trailing_start_bp;   /* arm the trailing stop at profit ≥ trailing_start_bp */
  gint32   trailing_drop_bp;    /* stop = peak × (1 - trailing_drop_bp), 0–9999 */
  gint32   take_profit_bp;      /* sell at profit ≥ take_profit_bp */
  gboolean end_of_day;
  guint32  end_of_day_hhmmss;   /* sell at or after this time (Asia/Seoul) */
} HogaExitSettings;

/* What the engine persists per position. The caller sets @avg_cost and @entry_filled when the
 * buy fill arrives (and seeds @peak with the fill price: its 0B tick may come first); the
 * evaluation maintains @peak, @stop and @armed. */
typedef struct {
  gint64   avg_cost;
  gboolean entry_filled;
  gint64   peak;                /* highest traded price since the buy fill, 0 before it */
  gint64   stop;                /* trailing stop on the tick grid, 0 until armed */
  gboolean armed;
} HogaExitState;

typedef struct {
  HogaExitReason reason;
  gint64         last;          /* the price evaluated, 0 when there was none */
  gint64         profit_bp;     /* at @last, truncated toward zero; 0 when there was none */
  gint32         threshold_bp;  /* the bound crossed: -stop_loss_bp or take_profit_bp */
  guint32        now_hhmmss;
  guint32        end_of_day_hhmmss;
  HogaExitState  next;          /* the state after this tick */
  gboolean       state_changed; /* @next differs in peak, stop or armed: persist it */
} HogaExitDecision;

HogaExitReason  hoga_exit_rules_evaluate     (const HogaExitSettings *settings,
                                              const HogaExitState    *state,
                                              gint64                  last,
                                              gboolean                sell_condition,
                                              guint32                 now_hhmmss,
                                              HogaExitDecision       *decision);

gint64          hoga_exit_rules_profit_bp    (gint64                  avg_cost,
                                              gint64                  price);
gint64          hoga_exit_rules_trailing_stop(gint64                  peak,
                                              gint32                  drop_bp);

const char     *hoga_exit_reason_to_string   (HogaExitReason          reason);
char           *hoga_exit_decision_describe  (const HogaExitDecision *decision);

G_END_DECLS
