/* hoga-quote.h — the live quote of one symbol, a row of the quote book
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hoga-broker.h"

G_BEGIN_DECLS

#define HOGA_TYPE_QUOTE (hoga_quote_get_type ())
G_DECLARE_FINAL_TYPE (HogaQuote, hoga_quote, HOGA, QUOTE, GObject)

/* Properties (all notify only when the value changes)
 *   "code" (string, construct-only)   normalised, "005930"
 *   "name" (string)
 *   "price", "change" (gint64 KRW)     last trade and its difference to the base price
 *   "change-bp" (gint64)               change in basis points of the base price
 *   "volume" (gint64)                  cumulative volume today
 *   "open", "high", "low" (gint64 KRW)
 *   "best-ask", "best-bid" (gint64 KRW)
 *   "base-price" (gint64 KRW)          기준가, the reference of the daily limits
 *   "updated-us" (gint64, read-only)   monotonic time of the last tick, 0 before the first */

HogaQuote  *hoga_quote_new               (const char          *code,
                                          const char          *name);
const char *hoga_quote_get_code          (HogaQuote           *self);
const char *hoga_quote_get_name          (HogaQuote           *self);
void        hoga_quote_set_name          (HogaQuote           *self,
                                          const char          *name);
gint64      hoga_quote_get_price         (HogaQuote           *self);
gint64      hoga_quote_get_change        (HogaQuote           *self);
gint64      hoga_quote_get_change_bp     (HogaQuote           *self);
gint64      hoga_quote_get_volume        (HogaQuote           *self);
gint64      hoga_quote_get_open          (HogaQuote           *self);
gint64      hoga_quote_get_high          (HogaQuote           *self);
gint64      hoga_quote_get_low           (HogaQuote           *self);
gint64      hoga_quote_get_best_ask      (HogaQuote           *self);
gint64      hoga_quote_get_best_bid      (HogaQuote           *self);
gint64      hoga_quote_get_base_price    (HogaQuote           *self);
gint64      hoga_quote_get_updated_us    (HogaQuote           *self);

void        hoga_quote_apply_tick        (HogaQuote           *self,
                                          const HogaTick      *tick);
void        hoga_quote_apply_stock_info  (HogaQuote           *self,
                                          const HogaStockInfo *info);

G_END_DECLS
