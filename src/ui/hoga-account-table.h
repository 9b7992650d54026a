/* hoga-account-table.h — the account frame: the holdings of the account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HOGA_TYPE_ACCOUNT_TABLE (hoga_account_table_get_type ())
G_DECLARE_FINAL_TYPE (HogaAccountTable, hoga_account_table, HOGA, ACCOUNT_TABLE, GtkWidget)

/* Properties
 *   "model" (GListModel of HogaHolding, e.g. the engine's HogaAccount)
 *   "column-state" (string)  the column layout, in the form of the GSettings key
 *                            window-state/account-columns; "" for the default
 *
 * Its context menu activates trade.sell-now, trade.adopt and trade.stop-tracking with the
 * holding's code: an ancestor provides them. */

GtkWidget  *hoga_account_table_new              (void);
GListModel *hoga_account_table_get_model        (HogaAccountTable *self);
void        hoga_account_table_set_model        (HogaAccountTable *self,
                                                 GListModel       *model);
const char *hoga_account_table_get_column_state (HogaAccountTable *self);
void        hoga_account_table_set_column_state (HogaAccountTable *self,
                                                 const char       *column_state);
char       *hoga_account_table_to_csv           (HogaAccountTable *self);

G_END_DECLS
