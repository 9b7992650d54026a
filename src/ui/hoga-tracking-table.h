/* hoga-tracking-table.h — the tracking frame: the positions the engine protects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HOGA_TYPE_TRACKING_TABLE (hoga_tracking_table_get_type ())
G_DECLARE_FINAL_TYPE (HogaTrackingTable, hoga_tracking_table, HOGA, TRACKING_TABLE, GtkWidget)

/* Properties
 *   "model" (GListModel of HogaPosition, e.g. the engine's HogaTracker)
 *   "column-state" (string)  the column layout, in the form of the GSettings key
 *                            window-state/tracking-columns; "" for the default
 *
 * Its context menu activates trade.sell-now and trade.stop-tracking with the position's
 * code: an ancestor provides them. */

GtkWidget  *hoga_tracking_table_new              (void);
GListModel *hoga_tracking_table_get_model        (HogaTrackingTable *self);
void        hoga_tracking_table_set_model        (HogaTrackingTable *self,
                                                  GListModel        *model);
const char *hoga_tracking_table_get_column_state (HogaTrackingTable *self);
void        hoga_tracking_table_set_column_state (HogaTrackingTable *self,
                                                  const char        *column_state);
char       *hoga_tracking_table_to_csv           (HogaTrackingTable *self);

G_END_DECLS
