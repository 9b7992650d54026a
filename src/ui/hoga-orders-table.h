/* hoga-orders-table.h — the orders frame: today's orders and their states
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HOGA_TYPE_ORDERS_TABLE (hoga_orders_table_get_type ())
G_DECLARE_FINAL_TYPE (HogaOrdersTable, hoga_orders_table, HOGA, ORDERS_TABLE, GtkWidget)

/* Properties
 *   "model" (GListModel of HogaOrder, e.g. the engine's HogaOrderBook)
 *   "column-state" (string)  the column layout, in the form of the GSettings key
 *                            window-state/orders-columns; "" for the default
 *
 * Its context menu activates order.cancel with the order's id (int64) while the order is
 * working: an ancestor provides it. */

GtkWidget  *hoga_orders_table_new              (void);
GListModel *hoga_orders_table_get_model        (HogaOrdersTable *self);
void        hoga_orders_table_set_model        (HogaOrdersTable *self,
                                                GListModel      *model);
const char *hoga_orders_table_get_column_state (HogaOrdersTable *self);
void        hoga_orders_table_set_column_state (HogaOrdersTable *self,
                                                const char      *column_state);
char       *hoga_orders_table_to_csv           (HogaOrdersTable *self);

G_END_DECLS
