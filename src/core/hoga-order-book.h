/* hoga-order-book.h — every order of the session, its state machine and reconciliation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hoga-broker.h"
#include "hoga-journal.h"
#include "hoga-order.h"

G_BEGIN_DECLS

/* Now in µs since the epoch, on the clock the broker's order times follow. */
typedef gint64 (*HogaOrderBookClockFunc) (gpointer user_data);

#define HOGA_TYPE_ORDER_BOOK (hoga_order_book_get_type ())
G_DECLARE_FINAL_TYPE (HogaOrderBook, hoga_order_book, HOGA, ORDER_BOOK, GObject)

/* A GListModel of HogaOrder, oldest first; orders stay in it once terminal, so the orders
 * frame shows the whole session.
 *
 * DESIGN.md §1.2–3 and §4 "Orders": an order is journaled (PENDING) before its request
 * leaves; every later state is journaled before the HogaOrder shows it. An order whose
 * outcome is not known (UNKNOWN) is never sent again: hoga_order_book_reconcile_async()
 * asks the broker what became of it.
 *
 * Signals:
 *   ::order-updated (HogaOrder *order)  after a change of @order was journaled and shown
 *   ::fill (HogaOrder *order, gint64 qty, gint64 price)  after a new execution was
 *       journaled and added to @order; a fill seen twice (a 00 event and reconciliation,
 *       or a repeated event) is reported once
 *   ::costs (HogaOrder *order, gint64 amount)  after the broker's commission and tax for
 *       @order (FIDs 938/939 of its 00 events, ka10076's per-order figures; running totals,
 *       kept in the record's fee and tax) grew by @amount KRW and the new totals were
 *       journaled; figures seen again add nothing */

HogaOrderBook *hoga_order_book_new                  (HogaBroker          *broker,
                                                     HogaJournal         *journal);

/* Journals @request as PENDING, then sends it and follows it. Finishes with the order
 * (its state says how the request went: ACCEPTED, REJECTED or UNKNOWN), or with NULL and
 * an error when the intent could not be journaled: then nothing was sent. */
void           hoga_order_book_submit_async         (HogaOrderBook          *self,
                                                     const HogaOrderRequest *request,
                                                     const char             *reason,
                                                     GCancellable           *cancellable,
                                                     GAsyncReadyCallback     callback,
                                                     gpointer                user_data);
HogaOrder     *hoga_order_book_submit_finish        (HogaOrderBook          *self,
                                                     GAsyncResult           *result,
                                                     GError                **error);
/* Cancels @qty (0: all) of the unfilled part of @order (ACCEPTED or PARTIAL). The cancel
 * is an order of its own, journaled and followed like a submit; finish with
 * hoga_order_book_submit_finish(), which gives the cancel order. */
void           hoga_order_book_cancel_async         (HogaOrderBook          *self,
                                                     HogaOrder              *order,
                                                     gint64                  qty,
                                                     const char             *reason,
                                                     GCancellable           *cancellable,
                                                     GAsyncReadyCallback     callback,
                                                     gpointer                user_data);
/* Moves @qty (0: all) of the unfilled part of the limit order @order to @price (> 0). */
void           hoga_order_book_modify_async         (HogaOrderBook          *self,
                                                     HogaOrder              *order,
                                                     gint64                  qty,
                                                     gint64                  price,
                                                     const char             *reason,
                                                     GCancellable           *cancellable,
                                                     GAsyncReadyCallback     callback,
                                                     gpointer                user_data);

/* Restart: adds the non-terminal orders of @snapshot and their recorded fills. An order
 * journaled PENDING or SENT without an order number may or may not have reached the broker
 * (the crash came between the journal and the reply): it becomes UNKNOWN. Call once,
 * before any submit. */
void           hoga_order_book_load                 (HogaOrderBook          *self,
                                                     const HogaJournalSnapshot *snapshot);

/* One reconciliation cycle: reads the broker's working (ka10075) and filled (ka10076)
 * orders and resolves UNKNOWN orders from them. A broker order not known to the book that
 * matches an UNKNOWN one (code, side, kind, quantity, type and price, not timed before the
 * intent) is adopted with its order number and fills; one that stays unmatched in two
 * cycles at least the reconcile interval apart was not executed and becomes REJECTED. An
 * UNKNOWN cancel went through when its original no longer works. An UNKNOWN order is left
 * alone while an order with the same figures waits for its reply: the broker's row could be
 * that one's. The cycle also brings the fills of working orders up to the broker's figures,
 * and a working order missing from the broker's working list in two such cycles, not
 * filled in full, becomes CANCELLED (cancelled or rejected behind the book's back).
 * Nothing is ever sent. Finishes, once every resulting change is journaled and shown, with
 * the number of UNKNOWN orders left, or -1 and an error when the broker could not be asked
 * (that cycle does not count). */
void           hoga_order_book_reconcile_async      (HogaOrderBook          *self,
                                                     GCancellable           *cancellable,
                                                     GAsyncReadyCallback     callback,
                                                     gpointer                user_data);
int            hoga_order_book_reconcile_finish     (HogaOrderBook          *self,
                                                     GAsyncResult           *result,
                                                     GError                **error);
/* Seconds between the two cycles that must both miss an UNKNOWN order before it is
 * declared not executed (default 10). */
void           hoga_order_book_set_reconcile_interval (HogaOrderBook        *self,
                                                       guint                 seconds);
guint          hoga_order_book_get_n_unknown        (HogaOrderBook          *self);
/* The order with broker order number @ord_no, or NULL. */
HogaOrder     *hoga_order_book_lookup               (HogaOrderBook          *self,
                                                     const char             *ord_no);

void             hoga_order_book_set_clock        (HogaOrderBook          *self,
                                                   HogaOrderBookClockFunc  func,
                                                   gpointer                user_data);

G_END_DECLS
