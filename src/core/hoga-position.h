/* hoga-position.h — one tracked position, a row of the tracking frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hoga-broker.h"
#include "hoga-exit-rules.h"

G_BEGIN_DECLS

typedef enum {
  HOGA_POSITION_STATE_WAITING_FILL,  /* buy sent, not filled yet */
  HOGA_POSITION_STATE_TRACKING,      /* filled; exits are evaluated on every tick */
  HOGA_POSITION_STATE_SELLING,       /* a sell is working */
  HOGA_POSITION_STATE_CLOSED,        /* sold; "exit-reason" says why */
} HogaPositionState;

GType hoga_position_state_get_type (void) G_GNUC_CONST;
#define HOGA_TYPE_POSITION_STATE (hoga_position_state_get_type ())

#define HOGA_TYPE_POSITION (hoga_position_get_type ())
G_DECLARE_FINAL_TYPE (HogaPosition, hoga_position, HOGA, POSITION, GObject)

/* Properties (notify only on change)
 *   "code" (string, construct-only)
 *   "name" (string)
 *   "entered-at" (gint64, construct-only)  wall-clock µs (g_get_real_time()) of the entry
 *   "price", "avg-cost" (gint64 KRW, read-only)
 *   "qty" (gint64, read-only)
 *   "return-bp" (gint64, read-only)        hoga_exit_rules_profit_bp (avg-cost, price),
 *                                          0 until both are known
 *   "peak", "stop" (gint64 KRW, read-only), "armed" (boolean, read-only)
 *                                          mirrors of the exit rules' HogaExitState
 *   "state" (HogaPositionState)
 *   "exit-reason" (int, HogaExitReason)
 *   "external" (boolean)                   adopted, not bought by Hoga */

HogaPosition      *hoga_position_new              (const char          *code,
                                                   const char          *name,
                                                   gint64               entered_at_us);
const char        *hoga_position_get_code         (HogaPosition        *self);
const char        *hoga_position_get_name         (HogaPosition        *self);
void               hoga_position_set_name         (HogaPosition        *self,
                                                   const char          *name);
gint64             hoga_position_get_entered_at   (HogaPosition        *self);
gint64             hoga_position_get_price        (HogaPosition        *self);
void               hoga_position_set_price        (HogaPosition        *self,
                                                   gint64               price);
gint64             hoga_position_get_avg_cost     (HogaPosition        *self);
gint64             hoga_position_get_qty          (HogaPosition        *self);
void               hoga_position_set_fill         (HogaPosition        *self,
                                                   gint64               avg_cost,
                                                   gint64               qty);
gint64             hoga_position_get_return_bp    (HogaPosition        *self);
gint64             hoga_position_get_peak         (HogaPosition        *self);
gint64             hoga_position_get_stop         (HogaPosition        *self);
gboolean           hoga_position_get_armed        (HogaPosition        *self);
void               hoga_position_apply_exit_state (HogaPosition        *self,
                                                   const HogaExitState *state);
HogaPositionState  hoga_position_get_state        (HogaPosition        *self);
void               hoga_position_set_state        (HogaPosition        *self,
                                                   HogaPositionState    state);
HogaExitReason     hoga_position_get_exit_reason  (HogaPosition        *self);
void               hoga_position_set_exit_reason  (HogaPosition        *self,
                                                   HogaExitReason       reason);
gboolean           hoga_position_get_external     (HogaPosition        *self);
void               hoga_position_set_external     (HogaPosition        *self,
                                                   gboolean             external);

G_END_DECLS
