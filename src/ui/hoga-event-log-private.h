/* hoga-event-log-private.h — what the UI tests reach inside HogaEventLog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hoga-event-log.h"

G_BEGIN_DECLS

/* Shows the lines appended so far now rather than at the next batch. */
void            hoga_event_log_flush             (HogaEventLog *self);
/* Every line kept (HogaEventLogEntry), and the ones the filters show. Both flush first. */
GListModel     *hoga_event_log_get_entries       (HogaEventLog *self);
GListModel     *hoga_event_log_get_shown         (HogaEventLog *self);
GtkDropDown    *hoga_event_log_get_level_filter  (HogaEventLog *self);
GtkSearchEntry *hoga_event_log_get_search_entry  (HogaEventLog *self);
GtkAdjustment  *hoga_event_log_get_vadjustment   (HogaEventLog *self);

G_END_DECLS
