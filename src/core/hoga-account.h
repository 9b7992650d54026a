/* hoga-account.h — cash and holdings: the account frame and the summary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hoga-broker.h"
#include "hoga-holding.h"

G_BEGIN_DECLS

#define HOGA_TYPE_ACCOUNT (hoga_account_get_type ())
G_DECLARE_FINAL_TYPE (HogaAccount, hoga_account, HOGA, ACCOUNT, GObject)

/* A GListModel of HogaHolding; a holding whose quantity reaches 0 leaves the list.
 *
 * Properties (gint64 KRW unless noted, read-only, notify only on change)
 *   "cash"              예수금, from kt00001
 *   "orderable"         주문가능금액, from kt00001
 *   "total-purchase"    sum of the holdings' purchase amounts
 *   "total-eval"        sum of the holdings' valuations
 *   "total-pnl"         total-eval − total-purchase
 *   "return-bp"         total-pnl in basis points of total-purchase, truncated toward zero
 *   "realized-today"    today's realized P&L of Hoga's own orders, net of their fees and
 *                       taxes: set by the engine from its journaled daily figure (the rows'
 *                       valuations and the totals above are gross) */

HogaAccount     *hoga_account_new                 (void);
gint64           hoga_account_get_cash            (HogaAccount            *self);
gint64           hoga_account_get_orderable       (HogaAccount            *self);
gint64           hoga_account_get_total_purchase  (HogaAccount            *self);
gint64           hoga_account_get_total_eval      (HogaAccount            *self);
gint64           hoga_account_get_total_pnl       (HogaAccount            *self);
gint64           hoga_account_get_return_bp       (HogaAccount            *self);
gint64           hoga_account_get_realized_today  (HogaAccount            *self);

HogaHolding *hoga_account_lookup              (HogaAccount            *self,
                                                   const char             *code);
void             hoga_account_replace_holdings    (HogaAccount            *self,
                                                   const HogaBalance      *balance);
void             hoga_account_apply_balance_event (HogaAccount            *self,
                                                   const HogaBalanceEvent *event);
gboolean         hoga_account_apply_tick          (HogaAccount            *self,
                                                   const HogaTick         *tick);
void             hoga_account_set_deposit         (HogaAccount            *self,
                                                   const HogaDeposit      *deposit);
void             hoga_account_set_realized_today  (HogaAccount            *self,
                                                   gint64                  realized);
void             hoga_account_reset_day           (HogaAccount            *self);

G_END_DECLS
