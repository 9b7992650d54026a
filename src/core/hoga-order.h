/* hoga-order.h — one order of the book, a row of the orders frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hoga-broker.h"
#include "hoga-journal.h"

G_BEGIN_DECLS

#define HOGA_TYPE_ORDER (hoga_order_get_type ())
G_DECLARE_FINAL_TYPE (HogaOrder, hoga_order, HOGA, ORDER, GObject)

/* Properties (all read-only; notify only on change). A HogaOrder shows the order as the
 * journal holds it: HogaOrderBook changes it only after the journal has committed the
 * change, so what the frame shows is never ahead of what a restart would find.
 *   "id" (gint64)                    the journal's id
 *   "created-at" (gint64)            µs since the Unix epoch
 *   "ord-no", "orig-ord-no", "root-ord-no" (string, "" until known)
 *   "code", "name" (string)
 *   "side" (int, HogaSide), "order-type" (int, HogaOrderType), "kind" (int, HogaOrderKind)
 *   "qty", "price" (gint64; price 0 for market and for a cancel)
 *   "filled-qty", "avg-fill-price" (gint64)
 *   "state" (int, HogaOrderState)
 *   "reason" (string)                why it was placed, e.g. an exit reason id
 *   "error" (string)                 the broker's text, or why it was not sent; "" if none
 *
 * A modify or cancel is an order of its own (kind MODIFY or CANCEL) whose "orig-ord-no" is
 * the order it acts on. A cancel that the broker carried out (확인) is FILLED: the request
 * is done; the order it cancelled becomes CANCELLED. */

HogaOrder           *hoga_order_new                (const HogaOrderRecord *record);
const HogaOrderRecord *hoga_order_get_record       (HogaOrder             *self);
/* Replaces the record (the id must not change) and notifies what changed. */
void                 hoga_order_set_record         (HogaOrder             *self,
                                                    const HogaOrderRecord *record);

gint64               hoga_order_get_id             (HogaOrder             *self);
gint64               hoga_order_get_created_at     (HogaOrder             *self);
const char          *hoga_order_get_ord_no         (HogaOrder             *self);
const char          *hoga_order_get_orig_ord_no    (HogaOrder             *self);
const char          *hoga_order_get_root_ord_no    (HogaOrder             *self);
const char          *hoga_order_get_code           (HogaOrder             *self);
const char          *hoga_order_get_name           (HogaOrder             *self);
void                 hoga_order_set_name           (HogaOrder             *self,
                                                    const char            *name);
HogaSide             hoga_order_get_side           (HogaOrder             *self);
HogaOrderType        hoga_order_get_order_type     (HogaOrder             *self);
HogaOrderKind        hoga_order_get_kind           (HogaOrder             *self);
gint64               hoga_order_get_qty            (HogaOrder             *self);
gint64               hoga_order_get_price          (HogaOrder             *self);
gint64               hoga_order_get_filled_qty     (HogaOrder             *self);
gint64               hoga_order_get_avg_fill_price (HogaOrder             *self);
HogaOrderState       hoga_order_get_state          (HogaOrder             *self);
const char          *hoga_order_get_reason         (HogaOrder             *self);
const char          *hoga_order_get_error          (HogaOrder             *self);

/* The kind a record stands for: no orig_ord_no → NEW; with one, price 0 → CANCEL (a cancel
 * has no price), else MODIFY. */
HogaOrderKind        hoga_order_record_get_kind    (const HogaOrderRecord *record);

G_END_DECLS
