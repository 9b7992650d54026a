/* hoga-holding.h — one holding of the account, a row of the account frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The class is HogaHolding because hoga-broker.h already names the kt00018 row struct
 * HogaHoldingInfo; this object is built from that struct.
 */
#pragma once

#include "hoga-broker.h"

G_BEGIN_DECLS

#define HOGA_TYPE_HOLDING (hoga_holding_get_type ())
G_DECLARE_FINAL_TYPE (HogaHolding, hoga_holding, HOGA, HOLDING, GObject)

/* Properties (notify only on change)
 *   "code" (string, construct-only)
 *   "name" (string)
 *   "qty", "sellable-qty" (gint64, read-only)
 *   "avg-price", "price" (gint64 KRW, read-only)
 *   "purchase-amount", "eval-amount", "pnl" (gint64 KRW, read-only)
 *   "profit-bp" (gint64, read-only)  pnl in basis points of the purchase amount
 *   "tracked" (boolean)              the tracker protects it
 *   "external" (boolean)             bought outside Hoga (not in the journal)
 *
 * Valuation is derived, never taken from the broker: eval = price × qty and
 * pnl = eval − purchase, gross of fees and taxes, so a tick moves the row and the account
 * totals together and every update path gives the same figures. */

HogaHolding *hoga_holding_new                 (const char            *code,
                                               const char            *name);
const char  *hoga_holding_get_code            (HogaHolding           *self);
const char  *hoga_holding_get_name            (HogaHolding           *self);
void         hoga_holding_set_name            (HogaHolding           *self,
                                               const char            *name);
gint64       hoga_holding_get_qty             (HogaHolding           *self);
gint64       hoga_holding_get_sellable_qty    (HogaHolding           *self);
gint64       hoga_holding_get_avg_price       (HogaHolding           *self);
gint64       hoga_holding_get_price           (HogaHolding           *self);
gint64       hoga_holding_get_purchase_amount (HogaHolding           *self);
gint64       hoga_holding_get_eval_amount     (HogaHolding           *self);
gint64       hoga_holding_get_pnl             (HogaHolding           *self);
gint64       hoga_holding_get_profit_bp       (HogaHolding           *self);
gboolean     hoga_holding_get_tracked         (HogaHolding           *self);
void         hoga_holding_set_tracked         (HogaHolding           *self,
                                               gboolean               tracked);
gboolean     hoga_holding_get_external        (HogaHolding           *self);
void         hoga_holding_set_external        (HogaHolding           *self,
                                               gboolean               external);

void         hoga_holding_update              (HogaHolding           *self,
                                               const HogaHoldingInfo *holding);
void         hoga_holding_set_price           (HogaHolding           *self,
                                               gint64                 price);

G_END_DECLS
